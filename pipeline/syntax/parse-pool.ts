/**
 * Long Markdown files are parsed in worker threads, so that the main thread stays free to answer Ctrl-C and SIGTERM:
 * a parse in a worker is stopped at once by terminating the worker, one on the main thread only when it ends (a file
 * of 2 MB, the largest allowed, takes seconds). A text up to `mainThreadChars` long is parsed on the main thread,
 * where it takes a fraction of a second. Workers start on first use, one parse each at a time, and stay until
 * `close()` (a watch session keeps them warm); they never keep the process alive.
 */
import {availableParallelism} from 'node:os'
import {fileURLToPath} from 'node:url'
import {Worker} from 'node:worker_threads'
import type {Root} from 'mdast'
import {workerScript as locateWorkerScript} from '../worker-script.ts'
import {parseText} from './parse.ts'
import type {ParseReply, ParseRequest} from './parse-worker.ts'

/**
 * Texts up to this many characters are parsed on the main thread, where a first parse (the parser's code still cold)
 * runs at about 1.2 million characters a second: 1.2 million block it for about a second, no longer than other
 * stretches a signal waits for in a first build of such a manuscript (formatting its citations: bench/stop.ts). A
 * worker costs 0.35–0.5 s more on a first parse, to start, warm up its own copy of the parser and send the tree back
 * (`check` of the trenches draft ×20 in one file, 1.04 million characters: 1.65 s here, 2.0–2.2 s in a worker), so
 * only files longer than that, up to the 2 MB limit, go to one. The analysis lets a signal be handled between two
 * files parsed here.
 */
export const mainThreadChars = 1_200_000

export interface ParsePoolOptions {
  /** Texts up to this length are parsed on the calling thread (default mainThreadChars; 0: every text in a worker). */
  mainThreadChars?: number
  /** Most workers at once (default: the machine's cores, at most 4). */
  size?: number
}

interface Job extends ParseRequest {
  resolve(tree: Root): void
  reject(error: unknown): void
  signal?: AbortSignal
  onAbort?: () => void
}

interface PoolWorker {
  worker: Worker
  job?: Job
}

export class ParsePool {
  readonly mainThreadChars: number
  private readonly size: number
  private readonly workers = new Set<PoolWorker>()
  private readonly queue: Job[] = []
  /** Workers being started (their script located). */
  private starting = 0
  private closed = false

  constructor(options: ParsePoolOptions = {}) {
    this.mainThreadChars = options.mainThreadChars ?? mainThreadChars
    this.size = Math.max(1, options.size ?? Math.min(4, availableParallelism()))
  }

  /** Does a text of this length parse on the calling thread? */
  parsesHere(length: number): boolean {
    return length <= this.mainThreadChars
  }

  /**
   * The tree of `source`, as parseText makes it; in a worker when the text is long. When `signal` aborts, a parse in
   * a worker ends at once (its worker is terminated) and the promise rejects with the signal's reason.
   */
  async parse(source: string, sourceFile: string, signal?: AbortSignal): Promise<Root> {
    signal?.throwIfAborted()
    if (this.parsesHere(source.length)) return parseText(source, sourceFile)
    if (this.closed) throw new Error('The parse pool is closed.')
    return new Promise<Root>((resolve, reject) => {
      const job: Job = {source, sourceFile, resolve, reject, signal}
      if (signal) {
        job.onAbort = () => this.abort(job)
        signal.addEventListener('abort', job.onAbort, {once: true})
      }
      this.queue.push(job)
      void this.dispatch()
    })
  }

  /** Ends every worker; parses still waiting or running reject. */
  async close(): Promise<void> {
    this.closed = true
    const error = new Error('The parse pool was closed.')
    for (const job of this.queue.splice(0)) this.settle(job, error)
    await Promise.all([...this.workers].map((entry) => this.end(entry, error)))
  }

  private async dispatch(): Promise<void> {
    while (this.queue.length > 0) {
      const idle = [...this.workers].find((candidate) => !candidate.job)
      if (!idle) {
        if (this.workers.size + this.starting >= this.size) return
        this.starting++
        let worker: Worker
        try {
          worker = new Worker(await workerScript())
        } catch (error) {
          for (const job of this.queue.splice(0)) this.settle(job, error)
          return
        } finally {
          this.starting--
        }
        if (this.closed) {
          void worker.terminate()
          return
        }
        this.listen({worker})
        continue
      }
      const job = this.queue.shift()!
      idle.job = job
      idle.worker.ref()
      idle.worker.postMessage({source: job.source, sourceFile: job.sourceFile} satisfies ParseRequest)
    }
  }

  private listen(entry: PoolWorker): void {
    this.workers.add(entry)
    entry.worker.unref()
    entry.worker.on('message', (reply: ParseReply) => {
      const job = entry.job
      entry.job = undefined
      entry.worker.unref()
      if (job) {
        if (reply.error) this.settle(job, Object.assign(new Error(reply.error.message), {name: reply.error.name}))
        else this.settle(job, undefined, reply.tree)
      }
      void this.dispatch()
    })
    // A worker that died (out of memory, say) takes its parse with it; the next parse starts another.
    entry.worker.on('error', (error) => {
      this.workers.delete(entry)
      if (entry.job) this.settle(entry.job, error)
      entry.job = undefined
      void this.dispatch()
    })
    entry.worker.on('exit', () => {
      this.workers.delete(entry)
      if (entry.job) this.settle(entry.job, new Error('The parse worker stopped.'))
      entry.job = undefined
    })
  }

  private abort(job: Job): void {
    const reason = job.signal!.reason
    const queued = this.queue.indexOf(job)
    if (queued !== -1) {
      this.queue.splice(queued, 1)
      this.settle(job, reason)
      return
    }
    const entry = [...this.workers].find((candidate) => candidate.job === job)
    if (entry) void this.end(entry, reason)
  }

  private async end(entry: PoolWorker, error: unknown): Promise<void> {
    this.workers.delete(entry)
    const job = entry.job
    entry.job = undefined
    if (job) this.settle(job, error)
    await entry.worker.terminate()
  }

  private settle(job: Job, error: unknown, tree?: Root): void {
    if (job.onAbort) job.signal!.removeEventListener('abort', job.onAbort)
    if (tree) job.resolve(tree)
    else job.reject(error)
  }
}

let located: Promise<string> | undefined

/** The worker's script (see ../worker-script.ts), found once per process. */
function workerScript(): Promise<string> {
  located ??= locateWorkerScript(fileURLToPath(new URL('./parse-worker.ts', import.meta.url)), 'parse-worker').catch((error: unknown) => {
    located = undefined
    throw error
  })
  return located
}
