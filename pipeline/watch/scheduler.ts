/**
 * When to rebuild. Changes are collected until none has come for `debounceMs`, then handed to one run: a burst of
 * saves gives one rebuild. Changes that arrive while a run is going are kept, and when it ends they start one more
 * run (after the same quiet time), however many there were: a save during a build gives exactly one more.
 */
import {performance} from 'node:perf_hooks'

export interface SchedulerOptions<Change> {
  debounceMs: number
  /** Does the run; the changes are those collected since the last run started, in arrival order. */
  run(changes: Change[]): Promise<void>
  /** Receives an error the run threw (the run should report its own problems; this is a last resort). */
  onError?(error: unknown): void
}

export class RebuildScheduler<Change> {
  private pending: Change[] = []
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> | undefined
  private closed = false
  private readonly waiting: Array<() => void> = []
  private lastChangeAt = 0

  constructor(private readonly options: SchedulerOptions<Change>) {}

  /** Note one change; the run starts once changes stop coming and no run is going. */
  notify(change: Change): void {
    if (this.closed) return
    this.pending.push(change)
    this.lastChangeAt = performance.now()
    this.restartTimer()
  }

  /** True while a run is going or changes wait for one. */
  get busy(): boolean {
    return this.running !== undefined || (!this.closed && (this.timer !== undefined || this.pending.length > 0))
  }

  /** Resolves when no run is going and none is due. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve()
    return new Promise((resolve) => this.waiting.push(resolve))
  }

  /** Stops scheduling; a run already going finishes (await `idle()` to wait for it). */
  close(): void {
    this.closed = true
    clearTimeout(this.timer)
    this.timer = undefined
    this.pending = []
    this.settle()
  }

  private restartTimer(): void {
    clearTimeout(this.timer)
    this.timer = undefined
    // While a run is going, the timer is set when it ends (finish), counting the quiet time already passed.
    if (this.running) return
    const quiet = performance.now() - this.lastChangeAt
    this.timer = setTimeout(() => this.start(), Math.max(0, this.options.debounceMs - quiet))
  }

  private start(): void {
    this.timer = undefined
    if (this.closed || this.pending.length === 0) {
      this.settle()
      return
    }
    const changes = this.pending
    this.pending = []
    this.running = this.options
      .run(changes)
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => this.finish())
  }

  private finish(): void {
    this.running = undefined
    if (this.pending.length > 0 && !this.closed) this.restartTimer()
    else this.settle()
  }

  private settle(): void {
    if (this.busy) return
    for (const resolve of this.waiting.splice(0)) resolve()
  }
}
