/**
 * One build of a manuscript project: analyse (config, parse, structure, bibliography) → format citations → HTML →
 * PDF → manifest. Outputs are written only when the manuscript has no errors, each to a temporary file renamed
 * into place, and the HTML only once the PDF is printed, so a failed build (a manuscript error, a browser that
 * would not start, two builds at once) never costs the author the last good HTML or PDF, nor leaves half a file.
 * The outputs hold no time and no absolute path: the same inputs give the same bytes in any folder, at any time.
 *
 * This module starts the build and its browser; build-project.ts, loaded meanwhile, does the rest.
 */
import type {VFileMessage} from 'vfile-message'
import type {StageTiming} from './analyse.ts'
import {EnvironmentError} from './cli/errors.ts'
import type {OutputFormat} from './config/config.ts'
import type {ProfileName} from './config/profiles.ts'
import {openProject} from './config/project.ts'
import type {BuildSummary} from './diagnostics/reporter.ts'
import type {DependencyGraph} from './graph/dependency-graph.ts'
import type {ProjectSession} from './graph/project-session.ts'
import type {NewFileWriter} from './graph/write-atomically.ts'
import type {BrowserSession} from './render/browser.ts'
import type {DocumentMeta} from './render/document.ts'
import {sourceDateEpoch} from './render/pdf-date.ts'
import type {ParsePool} from './syntax/parse-pool.ts'

export type {StageTiming} from './analyse.ts'

export interface BuildOptions {
  root: string
  /** Formats to write; default: the config's `to`. */
  to?: OutputFormat[]
  onStage?: (stage: StageTiming) => void
  /** A browser kept warm by the caller (watch mode); otherwise one is launched and closed. */
  browser?: BrowserSession
  /** The browser to launch (`--browser`): a path or a command name; default: MANUSCRIPT_BROWSER, then the system's. */
  browserExecutable?: string
  /** Offer the page to print (`document.printHtml`) even when no PDF is written (watch mode prints it in the background). */
  printPage?: boolean
  /** Count the words for the summary (default true; watch mode shows no count, and saves the time). */
  countWords?: boolean
  /** Where long files are parsed (a watch session keeps one); default: a pool of the build's own. */
  parsePool?: ParsePool
  /**
   * Stops the build (Ctrl-C, SIGTERM): a parse in a worker ends at once, PDF figure conversions are killed, the
   * browser launched for the build is closed (which ends a print), and build rejects with the signal's reason once
   * its temporary files are removed. Outputs are written in one synchronous stretch at the end, so a stopped build
   * leaves the previous ones as they were.
   */
  signal?: AbortSignal
  /** How the bytes of each file written are written (default: to disk; tests pass one that fails as a full disk does). */
  writeNewFile?: NewFileWriter
  /** The profile to build (`--profile`); default: the config's `profile`, else `default` (see config/profiles.ts). */
  profile?: ProfileName
  /** What this project keeps in memory between builds (a watch session keeps one); default: the build's own. */
  session?: ProjectSession
}

export interface BuildResult {
  messages: VFileMessage[]
  /** True when the outputs were written (no errors). */
  written: boolean
  /** Project-relative paths of the outputs written: the HTML (when asked for) first, then the PDF, then the docx. */
  outputs: string[]
  /** Project-relative path of the manifest written with them (`build/manifest.json`). */
  manifest?: string
  summary: BuildSummary
  graph: DependencyGraph
  entry: string
  /**
   * What printing needs (watch mode prints in the background): metadata, the front matter's date, and with
   * `printPage` the page to print (made when first asked for: hyphenating a book's page takes tens of milliseconds,
   * which the preview need not wait for) and a hash of the files beside it that it loads (see PrintPdfOptions).
   */
  document?: {meta: DocumentMeta; date?: string; printHtml?: () => Promise<string>; assetsVersion?: string}
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const {signal} = options
  signal?.throwIfAborted()
  const project = openProject(options.root, options.writeNewFile)
  const formats = options.to ?? project.config.to
  // A malformed SOURCE_DATE_EPOCH stops the build before a browser is started or anything is written.
  if (formats.includes('pdf')) sourceDateEpoch()
  // Chromium starts while the manuscript is analysed; a launch failure surfaces when the PDF is printed. The
  // analysis keeps the main thread busy for long stretches, so the browser process is started before it begins, not
  // queued behind it.
  const early = formats.includes('pdf') && !options.browser ? launchBrowserEarly(options.browserExecutable, project.files.root, signal) : undefined
  const launching = early?.launched
  // Stopping closes the browser at once, whether it is still starting, waiting, or printing; the build ends once it
  // is closed and its profile folder removed.
  let closingOnStop: Promise<void> | undefined
  const closeOnStop = () => (closingOnStop = launching?.then((launched) => launched.browser?.close()))
  signal?.addEventListener('abort', closeOnStop, {once: true})
  try {
    if (early) {
      await early.starting
      await new Promise((resolve) => setImmediate(resolve))
    }
    // The analysis and rendering modules load while the browser starts: most of the CLI's code is not needed to start it.
    const {buildProject} = await import('./build-project.ts')
    return await buildProject(options, project, formats, () => takeBrowser(launching!))
  } finally {
    signal?.removeEventListener('abort', closeOnStop)
    // Still unused when the build stopped short of printing (errors in the manuscript): close it.
    const launched = await launching
    if (launched?.browser && !launched.used) await launched.browser.close()
    await closingOnStop
  }
}

interface EarlyLaunch {
  browser?: BrowserSession
  error?: unknown
  /** Set once the build took the browser (and closes it itself). */
  used?: boolean
}

/** `starting` resolves once the browser process is starting (or could not be); `launched` once it is ready. */
function launchBrowserEarly(executable: string | undefined, root: string, signal: AbortSignal | undefined): {starting: Promise<void>; launched: Promise<EarlyLaunch>} {
  let started: () => void = () => undefined
  const starting = new Promise<void>((resolve) => (started = resolve))
  const launched = launchOrExplain(executable, root, started, signal).then(
    // The printing page (and its renderer process) is made ready too, while the build goes on.
    async (browser): Promise<EarlyLaunch> => {
      await browser.page()
      return {browser}
    },
    (error: unknown): EarlyLaunch => {
      started()
      return {error}
    }
  )
  return {starting, launched}
}

async function takeBrowser(launching: Promise<EarlyLaunch>): Promise<BrowserSession> {
  const launched = await launching
  if (!launched.browser) throw launched.error
  launched.used = true
  return launched.browser
}

async function launchOrExplain(executable: string | undefined, root: string, onStarting: () => void, signal: AbortSignal | undefined): Promise<BrowserSession> {
  const {launchBrowser} = await import('./render/browser.ts')
  try {
    return await launchBrowser({executable, root, onStarting, signal})
  } catch (error) {
    throw new EnvironmentError((error as Error).message)
  }
}

