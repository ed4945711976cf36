/**
 * Ctrl-C (SIGINT), SIGTERM and SIGHUP stop a command at once. The first one prints one line and aborts the command's
 * AbortSignal, which ends what the command runs (a parse's worker is terminated, the printing browser closed,
 * pdftocairo killed) and lets it remove its temporary files; the process then exits, at the latest 5 s after the
 * signal, with 128 + the signal's number (130, 143, 129: the command did not finish), or with the command's own
 * code for one a signal ends normally (a watch session: 0). A second signal exits at once; then the exit handlers
 * still kill a browser left running (puppeteer's) and remove a watch session's browser profile (the printer's).
 */
import type {Reporter} from '../diagnostics/reporter.ts'

export const stopSignals = {SIGHUP: 1, SIGINT: 2, SIGTERM: 15} as const

/**
 * How long a stopped command may take to clean up. Stopping takes well under a second, except while Chromium starts:
 * a launch cannot be cut short, and starting it and its page takes up to 2 s on a two-core machine before it can
 * be closed (and its profile folder removed).
 */
const graceMs = 5000
export type StopSignal = keyof typeof stopSignals

/** The reason a stopped command's signal carries. */
export class StopRequest extends Error {
  override name = 'StopRequest'
  constructor(readonly signal: StopSignal) {
    super(`Stopped by ${signal}`)
  }
}

export interface StopOptions {
  /** The line printed when the first signal comes (`Stopped by Ctrl-C.` for one that is not given). */
  line?: (signal: StopSignal) => string
  /** The exit code after a stop (default 128 + the signal's number). */
  exitCode?: number
  /** How long the command may take to clean up before the process exits anyway (default 5 s). */
  graceMs?: number
  /** Ends the process (a parameter for tests). */
  exit?: (code: number) => void
}

export class StopOnSignals {
  private readonly controller = new AbortController()
  private received: StopSignal | undefined
  private graceTimer: NodeJS.Timeout | undefined
  private readonly listeners = new Map<StopSignal, () => void>()

  constructor(
    private readonly reporter: Reporter,
    private readonly options: StopOptions = {}
  ) {
    for (const name of Object.keys(stopSignals) as StopSignal[]) {
      const listener = () => this.stop(name)
      this.listeners.set(name, listener)
      process.on(name, listener)
    }
    process.on('newListener', this.keepSignalsOwn)
  }

  /**
   * The command line alone decides what these signals do. puppeteer, by default, kills the browser and exits with 130
   * on SIGINT as soon as the signal comes, before the command has removed its temporary files (the page being
   * printed): a library's listener for them is removed as soon as it is added. (Its exit handler, which kills a
   * browser still running when the process exits, stays.)
   */
  private readonly keepSignalsOwn = (event: string | symbol, listener: (...args: unknown[]) => void) => {
    if (!(event in stopSignals) || [...this.listeners.values()].includes(listener as () => void)) return
    // Called before the listener is added; no signal is handled before the microtask runs.
    queueMicrotask(() => process.off(event, listener))
  }

  /** Aborted by the first signal, with a StopRequest as its reason. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** The exit code once a signal has come; undefined before. */
  get exitCode(): number | undefined {
    if (!this.received) return undefined
    return this.options.exitCode ?? 128 + stopSignals[this.received]
  }

  /** Ends the process with the stop's exit code (once the command has settled after a signal). */
  exit(): void {
    this.exitNow()
  }

  /** The handlers are removed: a signal after this ends the process the default way. */
  dispose(): void {
    clearTimeout(this.graceTimer)
    process.off('newListener', this.keepSignalsOwn)
    for (const [name, listener] of this.listeners) process.off(name, listener)
    this.listeners.clear()
  }

  private stop(name: StopSignal): void {
    if (this.received) {
      this.exitNow()
      return
    }
    this.received = name
    this.reporter.line(this.options.line?.(name) ?? `Stopped by ${name === 'SIGINT' ? 'Ctrl-C' : name}.`)
    // Kept referenced: the process must not end on its own, with another code, while the command cleans up.
    this.graceTimer = setTimeout(() => this.exitNow(), this.options.graceMs ?? graceMs)
    this.controller.abort(new StopRequest(name))
  }

  private exitNow(): void {
    const exit = this.options.exit ?? ((code: number) => process.exit(code))
    exit(this.exitCode ?? 1)
  }
}

/**
 * Lets a pending Ctrl-C or SIGTERM be handled between two long synchronous stages (a signal handler runs only when
 * the main thread is free), and throws the signal's reason if it came.
 */
export async function stopPoint(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return
  // Signals are read in the event loop's poll phase: the second immediate runs after one, wherever the first ran.
  for (let hop = 0; hop < 2; hop++) await new Promise((resolve) => setImmediate(resolve))
  signal.throwIfAborted()
}

/** The work's result, or the signal's reason as soon as it aborts. */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const stop = () => reject(signal.reason)
    signal.addEventListener('abort', stop, {once: true})
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', stop))
  })
}
