/**
 * `manuscript watch`: build, then rebuild on every save of an input, with a live preview on 127.0.0.1 and the PDF
 * re-printed in the background. One terminal line per rebuild; the errors of a failed build below it. Ctrl-C (or
 * SIGTERM, SIGHUP) ends the session at once, its normal end (exit 0): a rebuild going on stops, the printing browser
 * is closed (see ../stop.ts).
 */
import {spawn} from 'node:child_process'
import {accessSync, constants, statSync} from 'node:fs'
import path from 'node:path'
import {parseArgs} from 'node:util'
import type {VFileMessage} from 'vfile-message'
import {severityOf} from '../../diagnostics/report.ts'
import {formatDuration, type Reporter} from '../../diagnostics/reporter.ts'
import type {PrintOutcome, PrintRunning} from '../../watch/pdf-printer.ts'
import type {RebuildReport} from '../../watch/session.ts'
import type {Command} from '../command.ts'
import {browserUsage, parseBrowser, parseFormats, parseProfile, profileUsage} from '../options.ts'
import {EnvironmentError, UsageError} from '../errors.ts'

export const watchCommand: Command = {
  summary: 'Build, then rebuild on every save, with a live preview',
  usage: `  --root DIR        The manuscript project folder (default: the current folder)
  --port N          The preview's port on 127.0.0.1 (default: a free one)
  --no-open         Do not open the preview in a browser
  --to FORMATS      What to keep up to date: html, pdf (default: both, or the config's \`to\`)
  --profile NAME    ${profileUsage}
${browserUsage}`,
  stop: {line: () => 'Stopped watching.', exitCode: 0},
  async run(argv, reporter, signal) {
    const {values} = parseArgs({args: argv, options: {root: {type: 'string'}, port: {type: 'string'}, 'no-open': {type: 'boolean'}, to: {type: 'string'}, browser: {type: 'string'}, profile: {type: 'string'}}})
    const root = path.resolve(values.root ?? '.')
    if (!statSync(root, {throwIfNoEntry: false})?.isDirectory()) throw new UsageError(`--root ${JSON.stringify(values.root ?? '.')} is not a folder. Pass the manuscript project's folder.`)
    const port = parsePort(values.port)
    const formats = parseFormats(values.to)
    const browserExecutable = parseBrowser(values.browser)
    const profile = parseProfile(values.profile)

    const terminal = new WatchTerminal(reporter, root)
    // Loaded only here, so that other commands do not load the file watcher and the server.
    const {startWatch} = await import('../../watch/session.ts')
    let session
    try {
      session = await startWatch({
        root,
        port,
        formats,
        profile,
        browserExecutable,
        onRebuild: (rebuild) => terminal.rebuilt(rebuild),
        onPrint: (outcome) => terminal.printed(outcome),
        onPrintRunning: (running) => terminal.stillPrinting(running),
        onProblem: (message) => reporter.fail(message),
        signal
      })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new EnvironmentError(`Port ${port} is already in use. Choose another with --port, or leave it out to get a free one.`)
      throw error
    }
    reporter.line(`Preview: ${session.url}`)
    reporter.line(`Watching ${session.watchedInputs().length} inputs of ${root}. Press Ctrl-C to stop.`)
    if (!values['no-open']) openInBrowser(session.url)

    // The session runs until a signal stops it (and closes it).
    await new Promise((resolve) => (signal.aborted ? resolve(undefined) : signal.addEventListener('abort', resolve, {once: true})))
    await session.close()
    return 0
  }
}

/** Prints the session's events: one line per rebuild, errors and new warnings below it, a line per PDF. */
export class WatchTerminal {
  /** Warnings already shown (by file, rule and text: their lines move as the author types). */
  private shownWarnings = new Set<string>()
  private lastPrintProblem: string | undefined

  constructor(
    private readonly reporter: Reporter,
    private readonly root: string
  ) {}

  rebuilt(rebuild: RebuildReport): void {
    this.reporter.line(rebuildLine(rebuild))
    if (rebuild.failure) this.reporter.fail(rebuild.failure)
    const warnings = new Set<string>()
    const shown = rebuild.messages.filter((message) => {
      const severity = severityOf(message)
      if (severity === 'error') return true
      if (severity !== 'warning') return false
      const key = warningKey(message)
      warnings.add(key)
      return !this.shownWarnings.has(key)
    })
    this.shownWarnings = warnings
    if (shown.length > 0) this.reporter.messages(shown)
  }

  printed(outcome: PrintOutcome): void {
    if (outcome.ok) {
      this.lastPrintProblem = undefined
      const pdf = this.shown(outcome.pdfPath)
      if (outcome.unchanged) {
        this.reporter.line(`${clock()}  pdf: ${pdf} unchanged (the printed page is the same), ${outcome.pages} ${outcome.pages === 1 ? 'page' : 'pages'}`)
        return
      }
      this.reporter.line(`${clock()}  pdf: ${pdf} updated, ${outcome.pages} ${outcome.pages === 1 ? 'page' : 'pages'}, ${formatDuration(outcome.milliseconds)}${outcome.restarted ? ' (the browser was restarted)' : ''}`)
      return
    }
    // The same problem once, not after every save.
    if (outcome.message === this.lastPrintProblem) return
    this.lastPrintProblem = outcome.message
    this.reporter.fail(`The PDF was not updated: ${outcome.message}. The HTML preview goes on; the PDF is tried again after the next save.`)
  }

  stillPrinting(running: PrintRunning): void {
    this.reporter.line(`${clock()}  pdf: ${this.shown(running.pdfPath)} still printing (${formatDuration(running.milliseconds)} so far); the HTML preview is up to date`)
  }

  private shown(file: string): string {
    return path.relative(this.root, file).split(path.sep).join('/')
  }
}

/** `12:03:04  manuscript/sections/data.md changed: parsed data.md, html written, pdf queued  84 ms  0 errors, 1 warning`. */
export function rebuildLine(rebuild: RebuildReport): string {
  const cause = rebuild.changes.length === 0 ? 'first build' : listed(rebuild.changes.map((change) => `${change.path} ${change.kind}`), 3)
  const done: string[] = []
  done.push(rebuild.parsed.length === 0 ? 'nothing re-parsed' : `parsed ${listed(rebuild.parsed.map((file) => path.posix.basename(file)), 3)}`)
  if (rebuild.regenerated.length > 0) done.push(`regenerated ${listed(rebuild.regenerated, 3)}`)
  done.push(rebuild.written ? 'html written' : 'nothing written (the last good output stays)')
  if (rebuild.printing) done.push(rebuild.printWaitsForPause ? 'pdf queued until the saves pause' : 'pdf queued')
  const {error, warning} = rebuild.counts
  const counts = `${error} ${error === 1 ? 'error' : 'errors'}, ${warning} ${warning === 1 ? 'warning' : 'warnings'}`
  return `${clock()}  ${cause}: ${done.join(', ')}  ${formatDuration(rebuild.milliseconds)}  ${counts}`
}

function listed(items: string[], limit: number): string {
  return items.length <= limit ? items.join(', ') : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`
}

function clock(): string {
  return new Date().toTimeString().slice(0, 8)
}

function warningKey(message: VFileMessage): string {
  return `${message.file ?? ''}\u0000${message.ruleId ?? ''}\u0000${message.reason}`
}

function parsePort(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const port = Number(value)
  if (!/^\d+$/.test(value) || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535 (0: a free one); got ${JSON.stringify(value)}.`)
  return port
}

/** Opens the preview with the system's opener if there is one; never fails (the URL is printed anyway). */
function openInBrowser(url: string): void {
  const [command, ...args] = process.platform === 'darwin' ? ['open'] : process.platform === 'win32' ? ['cmd', '/c', 'start', '""'] : ['xdg-open']
  if (process.platform !== 'win32' && !onPath(command)) return
  try {
    const child = spawn(command, [...args, url], {detached: true, stdio: 'ignore'})
    child.on('error', () => undefined)
    child.unref()
  } catch {
    // No opener: the URL above is enough.
  }
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((folder) => {
    if (!folder) return false
    try {
      accessSync(path.join(folder, command), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}
