/**
 * The watch session's PDF: re-printed in the background after each good build by a browser kept warm between
 * builds. Requests coalesce: one that comes while a PDF is printing waits for it and replaces any other waiting
 * one, so the printer always ends on the latest render and never prints a stale one twice. printPdf writes the file
 * atomically, so a PDF viewer never opens half a file. A browser that crashed or hung is closed (its process
 * killed) and a new one started. A save that leaves the printed page as it was (same page, same files it loads,
 * same metadata and date) prints nothing: the PDF on disk is already that page's, as long as it is still the file
 * the last print wrote. A print still going on after a few seconds (a book) is announced, so a person knows the
 * PDF is coming. While saves come closer together than a print takes (and than 1.5 s: an editor that saves a second
 * after each pause in typing, a book whose print takes two), the next print waits until they pause for that long:
 * with a print beside every rebuild, the preview followed a book's saves a second apart in 370–420 ms, not 210–255.
 * Saves further apart are printed as they come (waiting for a pause then only moved the prints onto the next save).
 */
import {createHash} from 'node:crypto'
import {readFileSync, rmSync} from 'node:fs'
import {performance} from 'node:perf_hooks'
import type {BrowserSession} from '../render/browser.ts'
import type {DocumentMeta} from '../render/document.ts'

export interface PrintJob {
  /** Where the HTML is; the page to print is written beside it (so its asset URLs resolve the same) while printing. */
  htmlPath: string
  /** The page to print (the HTML with its running text hyphenated). */
  printHtml: string
  pdfPath: string
  meta: DocumentMeta
  /** The folder the page may load files from (the output folder). */
  allowedRoot: string
  date: Date
  /** The files beside the page that it loads, by content: while they are unchanged, only the page's body is replaced. */
  assetsVersion?: string
}

export type PrintOutcome =
  /** `unchanged`: the printed page was the one last printed, so the PDF on disk was kept as it is. */
  | {ok: true; pdfPath: string; pages: number; milliseconds: number; restarted: boolean; unchanged?: boolean}
  | {ok: false; message: string; restarted: boolean}

/** A print still going on `milliseconds` after it started. */
export interface PrintRunning {
  pdfPath: string
  milliseconds: number
}

export interface PdfPrinterOptions {
  /** Starts a browser (launchBrowser with the project's settings). */
  launch(): Promise<BrowserSession>
  /**
   * Prints one PDF (printPage); a parameter so that tests can stand in a failing printer. With the SHA-256 of the
   * bytes written, the printer knows the file it wrote and prints the same job again only when that file changed.
   */
  print(browser: BrowserSession, job: PrintJob): Promise<{pages: number; sha256?: string}>
  /** Quiet time after a request before printing, so a burst of builds gives one print. */
  debounceMs: number
  onOutcome(outcome: PrintOutcome): void
  /** Called once when a print is still going on after `runningNoticeMs`. */
  onRunning?(running: PrintRunning): void
  /** How long a print goes on before onRunning is called; default 3 s. */
  runningNoticeMs?: number
  /** The longest pause in requests that a print waits for while they come in quick succession; default 1.5 s. */
  longestPauseMs?: number
}

/** The longest pause in saves that a print waits for by default (a book prints in 2–3 s). */
const longestPauseMs = 1500

/** What a job prints, as one hash: two jobs with the same key print the same bytes to the same file. */
function jobKey(job: PrintJob): string {
  const hash = createHash('sha256')
  for (const part of [job.htmlPath, job.pdfPath, job.allowedRoot, job.date.toISOString(), job.assetsVersion ?? '', JSON.stringify(job.meta), job.printHtml]) hash.update(part).update('\u0000')
  return hash.digest('hex')
}

function fileSha256(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

export class PdfPrinter {
  private browser: Promise<BrowserSession> | undefined
  private waitingJob: PrintJob | undefined
  private timer: NodeJS.Timeout | undefined
  private printing: Promise<void> | undefined
  private closed = false
  private readonly waiting: Array<() => void> = []
  /** Profile folders of browsers started, removed at process exit even when the session is not closed. */
  private readonly removeProfilesAtExit = () => this.removeProfiles()
  private readonly profiles = new Set<string>()
  /** The last job printed, and the PDF it wrote (by hash): the same job again needs no print while that file stays. */
  private lastPrinted: {key: string; sha256: string; pages: number} | undefined
  /** How long the last print took; when the last request came, and whether it came sooner than that after the last. */
  private lastPrintMs = 0
  private lastRequestAt = Number.NEGATIVE_INFINITY
  private inQuickSuccession = false

  constructor(private readonly options: PdfPrinterOptions) {}

  /** Start the browser now, so that the first print finds it warm. */
  warmUp(): void {
    void this.session().catch(() => undefined)
  }

  /**
   * A rebuild has started, so a print may follow: a message to the browser's page now, while it is idle, has its
   * threads awake by the time the print needs them (the print's first message after a pause took 10–15 ms longer).
   * Starts no browser, and sends nothing while a print is going on.
   */
  wake(): void {
    if (this.printing || this.closed) return
    void this.browser?.then((browser) => browser.page()).then((page) => page.evaluate('0')).catch(() => undefined)
  }

  /** Print `job` soon; a later request before it starts replaces it. `at`: when it was asked for (performance.now()). */
  request(job: PrintJob, at = performance.now()): void {
    if (this.closed) return
    this.inQuickSuccession = this.waitsForPause(at)
    this.lastRequestAt = at
    this.waitingJob = job
    clearTimeout(this.timer)
    this.timer = undefined
    if (!this.printing) this.schedule()
  }

  /** Whether a request made at `at` would wait for requests to pause: it comes within that pause of the last one. */
  waitsForPause(at = performance.now()): boolean {
    return at - this.lastRequestAt < this.pauseMs()
  }

  /** The pause in requests that a print waits for while they come in quick succession: a print's time, at most the longest. */
  private pauseMs(): number {
    return Math.min(this.lastPrintMs, this.options.longestPauseMs ?? longestPauseMs)
  }

  /** Starts the waiting job after the quiet time, or once requests in quick succession have paused. */
  private schedule(): void {
    const paused = this.inQuickSuccession ? this.lastRequestAt + this.pauseMs() - performance.now() : 0
    this.timer = setTimeout(() => this.start(), Math.max(this.options.debounceMs, paused))
  }

  get busy(): boolean {
    return this.printing !== undefined || this.timer !== undefined || (this.waitingJob !== undefined && !this.closed)
  }

  /** Resolves when nothing is printing or waiting to print. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  /**
   * The profile folder of the running browser, if one is running (tests use it to find the browser's processes).
   */
  async currentProfile(): Promise<string | undefined> {
    const browser = await this.browser?.catch(() => undefined)
    return browser?.profileDirectory
  }

  /** Stops printing and closes the browser (its processes end); a print going on ends unfinished, unreported. */
  async close(): Promise<void> {
    this.closed = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.waitingJob = undefined
    // Closing the browser first ends a print at once, instead of waiting up to its page's time limit.
    await this.closeBrowser()
    await this.printing
    await this.closeBrowser()
    process.off('exit', this.removeProfilesAtExit)
    this.settle()
  }

  private start(): void {
    this.timer = undefined
    const job = this.waitingJob
    this.waitingJob = undefined
    if (!job || this.closed) {
      this.settle()
      return
    }
    this.printing = this.printWithRestart(job).finally(() => {
      this.printing = undefined
      if (this.waitingJob && !this.closed) this.schedule()
      else this.settle()
    })
  }

  private async printWithRestart(job: PrintJob): Promise<void> {
    const startedAt = performance.now()
    const key = jobKey(job)
    const last = this.lastPrinted
    if (last?.key === key && fileSha256(job.pdfPath) === last.sha256) {
      this.report({ok: true, pdfPath: job.pdfPath, pages: last.pages, milliseconds: performance.now() - startedAt, restarted: false, unchanged: true})
      return
    }
    this.lastPrinted = undefined
    const notice = setTimeout(() => {
      if (!this.closed) this.options.onRunning?.({pdfPath: job.pdfPath, milliseconds: performance.now() - startedAt})
    }, this.options.runningNoticeMs ?? 3000)
    try {
      await this.printAttempts(job, key, startedAt)
    } finally {
      clearTimeout(notice)
    }
  }

  private async printAttempts(job: PrintJob, key: string, startedAt: number): Promise<void> {
    let restarted = false
    for (let attempt = 1; ; attempt++) {
      let launched = false
      try {
        const browser = await this.session()
        launched = true
        const {pages, sha256} = await this.options.print(browser, job)
        if (sha256) this.lastPrinted = {key, sha256, pages}
        this.lastPrintMs = performance.now() - startedAt
        this.report({ok: true, pdfPath: job.pdfPath, pages, milliseconds: this.lastPrintMs, restarted})
        return
      } catch (error) {
        // The browser may have crashed or hung: start afresh, once; a second failure is the page's own problem. A
        // browser that would not start is not tried again for this print (the next one tries).
        await this.closeBrowser()
        if (this.closed) return
        if (attempt === 2 || !launched) {
          this.report({ok: false, message: (error as Error).message ?? String(error), restarted})
          return
        }
        restarted = true
      }
    }
  }

  /** A print that ends after close() (its last steps outran the browser's closing) is not reported: the session has ended. */
  private report(outcome: PrintOutcome): void {
    if (!this.closed) this.options.onOutcome(outcome)
  }

  private session(): Promise<BrowserSession> {
    if (!this.browser) {
      const launching = this.options.launch().then((browser) => {
        this.profiles.add(browser.profileDirectory)
        // After puppeteer's own exit handler (which kills the browser), so the folder is no longer written to.
        process.off('exit', this.removeProfilesAtExit)
        process.on('exit', this.removeProfilesAtExit)
        return browser
      })
      // A failed launch is tried again at the next print.
      launching.catch(() => {
        if (this.browser === launching) this.browser = undefined
      })
      this.browser = launching
    }
    return this.browser
  }

  private async closeBrowser(): Promise<void> {
    const launching = this.browser
    this.browser = undefined
    const browser = await launching?.catch(() => undefined)
    if (!browser) return
    await browser.close().catch(() => undefined)
    this.profiles.delete(browser.profileDirectory)
  }

  private removeProfiles(): void {
    for (const profile of this.profiles) rmSync(profile, {recursive: true, force: true})
  }

  private settle(): void {
    if (this.busy) return
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}
