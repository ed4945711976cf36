/**
 * A watch session: build once, then rebuild whenever an input the build read changes, keep a preview server's
 * readers in step, and re-print the PDF in the background. Nothing that goes wrong in a build ends the session:
 * errors go to the terminal and the preview's overlay, and the last good HTML and PDF stay (build() writes only
 * when there are no errors).
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {VFileMessage} from 'vfile-message'
import {openProject} from '../config/project.ts'
import {build, type BuildResult} from '../build.ts'
import type {OutputFormat} from '../config/config.ts'
import type {ProfileName} from '../config/profiles.ts'
import {findEntry} from '../config/entry.ts'
import {severityOf, type Severity} from '../diagnostics/report.ts'
import type {BrowserSession} from '../render/browser.ts'
import {ProjectSession} from '../graph/project-session.ts'
import {ParsePool} from '../syntax/parse-pool.ts'
import type {PreviewError} from './client.ts'
import {pdfDate} from '../render/pdf-date.ts'
import {IdleCollection, type IdleCollectionOptions} from './idle-collection.ts'
import {InputWatcher} from './input-watcher.ts'
import {fallbackInputs, foldersToWatch, hashOf, inputsAsTheyAre, isRealChange, watchInputsOf, type ChangeKind, type FileEvent, type WatchInputs} from './inputs.ts'
import {PdfPrinter, type PrintJob, type PrintOutcome, type PrintRunning} from './pdf-printer.ts'
import {PreviewServer} from './preview-server.ts'
import {RebuildScheduler} from './scheduler.ts'

export interface WatchOptions {
  root: string
  /** The preview's port; 0 or undefined: a free one. */
  port?: number
  /** What to keep up to date; default: the config's `to`. The HTML is always written, for the preview. */
  formats?: OutputFormat[]
  /** Quiet time after a change before rebuilding (default 10 ms): a burst of saves gives one rebuild. */
  debounceMs?: number
  /** Quiet time after a good build before re-printing the PDF (default 0: the printer coalesces on its own). */
  printDebounceMs?: number
  onRebuild?(rebuild: RebuildReport): void
  onPrint?(outcome: PrintOutcome): void
  /** A print still going on after `printRunningNoticeMs` (a long document): the PDF is coming. */
  onPrintRunning?(running: PrintRunning): void
  /** How long a print goes on before onPrintRunning is called; default 3 s. */
  printRunningNoticeMs?: number
  /** A problem of the session itself (the file watcher), not of the manuscript. */
  onProblem?(message: string): void
  /** The profile to build (`--profile`); default: the config's `profile`, else `default`. */
  profile?: ProfileName
  /** How the session collects its garbage once idle; default: after 1 s, V8's full collection (tests count their own). */
  idleCollection?: Partial<Pick<IdleCollectionOptions, 'idleMs' | 'collect' | 'growth'>>
  /** The browser to print with (`--browser`): a path or a command name; default: MANUSCRIPT_BROWSER, then the system's. */
  browserExecutable?: string
  /** Starts the printing browser; default: launchBrowser with `browserExecutable`. */
  launchBrowser?(): Promise<BrowserSession>
  /**
   * Ends the session (Ctrl-C) as `close()` does: a rebuild going on stops at once (a parse in a worker is
   * terminated), and the printing browser is closed. During the first build, startWatch then rejects with the reason.
   */
  signal?: AbortSignal
}

export interface FileChange {
  path: string
  kind: 'changed' | 'added' | 'deleted'
}

export interface RebuildReport {
  /** What started the rebuild; empty for the first build. */
  changes: FileChange[]
  /** Markdown files parsed again (all others came from memory). */
  parsed: string[]
  /** Inputs the build itself rewrote: regenerated tables. */
  regenerated: string[]
  /** True when the HTML was written (no errors). */
  written: boolean
  /** Project-relative outputs written by this build. */
  outputs: string[]
  /** True when the PDF will be re-printed in the background. */
  printing: boolean
  /** True when that print waits for the saves to pause (they come in quick succession: see PdfPrinter). */
  printWaitsForPause: boolean
  milliseconds: number
  messages: VFileMessage[]
  counts: Record<Severity, number>
  /** A build that could not run at all (no manuscript found): why. */
  failure?: string
}

export interface WatchSession {
  readonly url: string
  readonly port: number
  /** Project-relative inputs being watched (files, missing paths, listed folders), sorted. */
  watchedInputs(): string[]
  /** How many preview pages are connected for live reload. */
  previewReaders(): number
  /** Resolves when no rebuild or print is going or due. */
  idle(): Promise<void>
  /** The running printing browser's profile folder, if any (tests find its processes by it). */
  printerProfile(): Promise<string | undefined>
  close(): Promise<void>
}

export async function startWatch(options: WatchOptions): Promise<WatchSession> {
  const root = path.resolve(options.root)
  const project = openProject(root)
  const formats = options.formats ?? project.config.to
  let output = {folder: project.files.absolute(project.config.outputDir), page: `${entryName(root) ?? 'manuscript'}.html`}
  let inputs: WatchInputs | undefined

  options.signal?.throwIfAborted()
  const preview = await PreviewServer.start({port: options.port, output: () => output})
  // Aborted when the session closes: a rebuild going on stops at once.
  const stopping = new AbortController()
  // Kept between rebuilds: a long file edited beyond its re-parsed blocks is parsed whole in a warm worker.
  const parsePool = new ParsePool()
  // What the project keeps in memory from one rebuild to the next.
  const projectSession = new ProjectSession({keepsBuilds: true})
  // Not while the PDF is printing (the print's end is activity too), nor while a rebuild is going or due: a save
  // that came a second after the last rebuild had its rebuild stopped for two full collections, in the middle.
  const collection = new IdleCollection({
    ...options.idleCollection,
    idleMs: options.idleCollection?.idleMs ?? 1000,
    busy: () => (printer?.busy ?? false) || scheduler.busy
  })
  const printer: PdfPrinter | undefined = formats.includes('pdf')
    ? new PdfPrinter({
        launch: options.launchBrowser ?? (() => launchPrintingBrowser(root, options.browserExecutable)),
        print: async (browser, job) => {
          const {printPage} = await import('../render/pdf.ts')
          return printPage(browser, job.printHtml, job)
        },
        debounceMs: options.printDebounceMs ?? 0,
        onOutcome: (outcome) => {
          collection.activity()
          options.onPrint?.(outcome)
        },
        onRunning: (running) => options.onPrintRunning?.(running),
        runningNoticeMs: options.printRunningNoticeMs
      })
    : undefined
  printer?.warmUp()

  const scheduler = new RebuildScheduler<FileEvent>({
    debounceMs: options.debounceMs ?? 10,
    run: (events) => rebuild(events),
    onError: (error) => options.onProblem?.(`The rebuild failed unexpectedly: ${(error as Error).message}. The session goes on; save again to retry.`)
  })
  const watcher = new InputWatcher({
    root,
    onEvent: (event) => scheduler.notify(event),
    onError: (error) => options.onProblem?.(`Watching files failed: ${error.message}. Saves may be missed; restart the watch if the preview stops following.`)
  })

  async function rebuild(events: FileEvent[]): Promise<void> {
    const known = inputs ?? fallbackInputs()
    const changes = summarizeChanges(root, known, events.filter((event) => isRealChange(root, known, event)))
    // Nothing differs from what the last build read (its own writes, a save of unchanged text).
    if (events.length > 0 && changes.length === 0) return

    const start = performance.now()
    // The build takes a while: the page it will print is woken meanwhile.
    printer?.wake()
    projectSession.parsing.takeParsedFiles()
    let result: BuildResult | undefined
    let failure: string | undefined
    try {
      result = await build({root, to: ['html'], profile: options.profile, printPage: printer !== undefined, countWords: false, parsePool, session: projectSession, signal: stopping.signal})
    } catch (error) {
      failure = (error as Error).message ?? String(error)
    }
    // Stopped by close(): nothing to report.
    if (stopping.signal.aborted) return
    const parsed = projectSession.parsing.takeParsedFiles().sort()
    const previous = inputs
    // A build that could not run (no manuscript found) read nothing; later changes are judged against the project as
    // it is now, so that the entry deleted and created again (even with the same text) is a change.
    inputs = result ? watchInputsOf(result.graph) : inputsAsTheyAre(root, inputs ?? fallbackInputs())
    const regenerated = result && previous ? rewrittenByBuild(previous, inputs!, changes) : []

    // The PDF's date, read as a build reads it (a malformed SOURCE_DATE_EPOCH is said instead of printing).
    let printDate: Date | undefined
    if (result?.written) {
      output = {folder: path.dirname(path.join(root, result.outputs[0])), page: path.basename(result.outputs[0])}
      preview.rendered()
      if (printer) {
        try {
          printDate = pdfDate(result.document!.date).date
        } catch (error) {
          options.onPrint?.({ok: false, message: (error as Error).message, restarted: false})
        }
      }
    } else {
      preview.failed(failure ? [{file: '', line: 1, column: 1, message: failure}] : previewErrors(result?.messages ?? []))
    }
    const messages = result?.messages ?? []
    const counts: Record<Severity, number> = {error: failure ? 1 : 0, warning: 0, info: 0}
    for (const message of messages) counts[severityOf(message)]++
    // The print is asked for now, as the terminal is told; the request itself follows once its page is made.
    const requestedAt = performance.now()
    const printWaitsForPause = printDate !== undefined && printer!.waitsForPause(requestedAt)
    options.onRebuild?.({changes, parsed, regenerated, written: result?.written ?? false, outputs: result?.outputs ?? [], printing: printDate !== undefined, printWaitsForPause, milliseconds: performance.now() - start, messages, counts, failure})
    // The page to print is made once the preview and the terminal know of the new HTML: what they were sent leaves
    // when the event loop next turns (a response's writes wait for the tick after them), not after the page is made.
    await new Promise((resolve) => setImmediate(resolve))
    if (printDate) {
      try {
        const job = await printJob(result!, printDate, output)
        if (!stopping.signal.aborted) printer!.request(job, requestedAt)
      } catch (error) {
        options.onPrint?.({ok: false, message: (error as Error).message, restarted: false})
      }
    }

    await followInputs()
    collection.activity()
    // While the author reads the preview: the next rebuild starts from these.
    projectSession.parsing.prepareCopies()
  }

  /** Watch the folders of the latest inputs; when that set changed, look for changes made while it was changing. */
  async function followInputs(): Promise<void> {
    const current = inputs ?? fallbackInputs()
    const changed = await watcher.watchFolders(foldersToWatch(root, current))
    if (!changed) return
    for (const [file, hash] of current.files) if (hashOf(path.join(root, file)) !== hash) scheduler.notify({kind: 'change', path: file})
    for (const file of current.missing) if (isRealChange(root, current, {kind: 'add', path: file})) scheduler.notify({kind: 'add', path: file})
  }

  let closing: Promise<void> | undefined
  const close = (): Promise<void> => (closing ??= shutDown())
  async function shutDown(): Promise<void> {
    options.signal?.removeEventListener('abort', closeOnStop)
    stopping.abort()
    scheduler.close()
    await watcher.close()
    await scheduler.idle()
    await Promise.all([preview.close(), printer?.close(), parsePool.close()])
    collection.stop()
    // Trees re-parsed around edits go to the disk cache now (writing them on every save would cost more).
    projectSession.close()
  }
  const closeOnStop = () => void close()
  options.signal?.addEventListener('abort', closeOnStop, {once: true})
  if (options.signal?.aborted) closeOnStop()

  try {
    await rebuild([])
    options.signal?.throwIfAborted()
  } catch (error) {
    await close()
    throw error
  }
  return {
    url: preview.url,
    port: preview.port,
    watchedInputs: () => {
      const current = inputs ?? fallbackInputs()
      return [...new Set([...current.files.keys(), ...current.missing, ...[...current.folders].map((folder) => (folder ? `${folder}/` : './'))])].sort()
    },
    previewReaders: () => preview.readers,
    async idle() {
      while (scheduler.busy || printer?.busy) {
        await scheduler.idle()
        await printer?.idle()
      }
    },
    printerProfile: async () => printer?.currentProfile(),
    close
  }
}

function entryName(root: string): string | undefined {
  try {
    const {files, config} = openProject(root)
    return path.posix.basename(findEntry(files, config.entry), '.md')
  } catch {
    return undefined
  }
}

/**
 * One change per path. Whether it was added, changed or deleted is read from the disk and the last build (events
 * of a burst come in any order: an editor's save by rename is an unlink and an add).
 */
function summarizeChanges(root: string, known: WatchInputs, events: FileEvent[]): FileChange[] {
  const byPath = new Map<string, ChangeKind>()
  for (const event of events) byPath.set(event.path, event.kind)
  return [...byPath].map(([file, kind]): FileChange => {
    if (!existsSync(path.join(root, file))) return {path: file, kind: 'deleted'}
    if (known.files.has(file)) return {path: file, kind: 'changed'}
    return {path: file, kind: known.missing.has(file) || kind === 'add' || kind === 'addDir' ? 'added' : 'changed'}
  })
}

/** Inputs whose content changed between two builds without the author changing them: the build wrote them. */
function rewrittenByBuild(before: WatchInputs, after: WatchInputs, changes: FileChange[]): string[] {
  const changedByAuthor = new Set(changes.map((change) => change.path))
  return [...after.files]
    .filter(([file, hash]) => before.files.has(file) ? before.files.get(file) !== hash && !changedByAuthor.has(file) : before.missing.has(file) && !changedByAuthor.has(file))
    .map(([file]) => file)
    .sort()
}

function previewErrors(messages: readonly VFileMessage[]): PreviewError[] {
  return messages
    .filter((message) => severityOf(message) === 'error')
    .map((message) => ({file: String(message.file ?? ''), line: message.line ?? 1, column: message.column ?? 1, message: message.reason, rule: message.ruleId}))
}

/** Print what the build wrote, with its metadata, dated `date`. */
async function printJob(result: BuildResult, date: Date, output: {folder: string; page: string}): Promise<PrintJob> {
  const htmlPath = path.join(output.folder, output.page)
  const {meta, assetsVersion, printHtml} = result.document!
  return {htmlPath, printHtml: await printHtml!(), pdfPath: htmlPath.replace(/\.html$/, '.pdf'), meta, allowedRoot: output.folder, date, assetsVersion}
}

async function launchPrintingBrowser(root: string, executable: string | undefined): Promise<BrowserSession> {
  const {launchBrowser} = await import('../render/browser.ts')
  return launchBrowser({executable, root})
}
