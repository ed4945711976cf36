/**
 * Drawing figures as table definitions run: off the pipeline's thread, with a time limit and a memory limit. A
 * spec is checked data (spec.ts), but Vega can still be made to work without end by one (a regular expression that
 * backtracks for ever, a `sequence` expression and a `flatten` making a billion rows), so Vega runs in a process of
 * its own (draw-worker.ts; a worker thread would not do: V8 ends the whole process when one of its threads fails a
 * large allocation), started ahead while the definitions are bundled and run, with V8's heap limited. A figure not
 * drawn within the time limit has its process killed, which stops Vega wherever it is; one that runs out of memory
 * ends it. The next figure gets a new process. Figures are drawn one at a time, each timed from when the process
 * starts on it.
 */
import {fork, type ChildProcess} from 'node:child_process'
import {fileURLToPath} from 'node:url'
import type {FigureModel} from '../tables/model.ts'
import {workerScript} from '../worker-script.ts'
import type {DrawReply, DrawRequest} from './draw-worker.ts'
import {fontFolders} from './font-files.ts'

export type Drawing =
  | {kind: 'drawn'; svg: string}
  /** The spec may not be drawn, or Vega could not draw it: the message says why. */
  | {kind: 'refused'; message: string}
  | {kind: 'timeout'}
  | {kind: 'memory'}
  | {kind: 'crashed'; message: string}

export interface DrawerOptions {
  timeLimitMs: number
  memoryLimitMb: number
}

interface DrawProcess {
  child: ChildProcess
  /** What it wrote to stderr (V8's report of running out of memory). */
  stderr: string
  /** Why it ended while it had no figure (it failed to load), if it did. */
  ended?: string
}

export class FigureDrawer {
  private starting: Promise<DrawProcess> | undefined
  private queue: Promise<unknown> = Promise.resolve()
  /** Set once closed: a process asked for after that (by the constructor's early start, late) is never started. */
  private closed = false
  private readonly script = workerScript(fileURLToPath(new URL('./draw-worker.ts', import.meta.url)), 'figure-worker')
  private readonly fontFolders = fontFolders()

  constructor(private readonly options: DrawerOptions) {
    // Vega loads while the definitions are bundled and run; a failure to start shows with the first figure.
    this.script.then(() => this.started()).catch(() => undefined)
  }

  /** Draws the figure once the figures before it are drawn. */
  draw(figure: FigureModel): Promise<Drawing> {
    const drawing = this.queue.then(() => this.drawNow(figure))
    this.queue = drawing.catch(() => undefined)
    return drawing
  }

  async close(): Promise<void> {
    await this.queue
    this.closed = true
    this.retire()
  }

  /**
   * The process figures are drawn in, started once: the constructor's early start and the first figure ask for it
   * at the same moment, and two processes would leave one that retire() never stops (looping in Vega for ever).
   */
  private started(): Promise<DrawProcess> {
    this.starting ??= this.script.then((script) => {
      // The early start can come after close() (the script is made ready asynchronously): the process would then
      // be left running, idle, for as long as this one runs (a watch session).
      if (this.closed) throw new Error('the figure drawer is closed')
      // scripts/compile.mjs makes the renderer's code cache with the same heap flag (memoryLimitMb, 512): V8 checks it.
      const child = fork(script, [JSON.stringify(this.fontFolders)], {execArgv: [`--max-old-space-size=${this.options.memoryLimitMb}`], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced'})
      const started: DrawProcess = {child, stderr: ''}
      child.stderr!.setEncoding('utf8').on('data', (text: string) => (started.stderr = (started.stderr + text).slice(-4096)))
      child.on('error', (error) => (started.ended ??= `${error.name}: ${error.message}`))
      child.on('exit', (code, signal) => (started.ended ??= `its process stopped (${signal ?? `exit code ${code}`})`))
      return started
    })
    return this.starting
  }

  private retire(): void {
    const starting = this.starting
    this.starting = undefined
    void starting?.then((drawing) => drawing.child.kill('SIGKILL')).catch(() => undefined)
  }

  private async drawNow(figure: FigureModel): Promise<Drawing> {
    let drawing: DrawProcess
    try {
      drawing = await this.started()
    } catch (error) {
      return {kind: 'crashed', message: `the figure process did not start (${(error as Error).message})`}
    }
    if (drawing.ended) {
      this.retire()
      return {kind: 'crashed', message: `the figure process did not start (${drawing.ended})`}
    }
    const {child} = drawing
    const result = await new Promise<Drawing>((resolve) => {
      let timer: NodeJS.Timeout | undefined
      const finish = (result: Drawing) => {
        clearTimeout(timer)
        child.off('message', onMessage).off('close', onClose)
        resolve(result)
      }
      const onMessage = (reply: DrawReply) => {
        if (reply.type === 'started') timer = setTimeout(() => finish({kind: 'timeout'}), this.options.timeLimitMs)
        else if (reply.type === 'drawn') finish({kind: 'drawn', svg: reply.svg})
        else finish({kind: 'refused', message: reply.message})
      }
      // On `close`, once its stderr has been read to the end.
      const onClose = (code: number | null, signal: NodeJS.Signals | null) => {
        if (/heap out of memory|Allocation failed/.test(drawing.stderr)) finish({kind: 'memory'})
        else finish({kind: 'crashed', message: `the figure process stopped (${signal ?? `exit code ${code}`})`})
      }
      child.on('message', onMessage).on('close', onClose)
      child.send({figure} satisfies DrawRequest)
    })
    // A process stopped or broken is not given another figure.
    if (result.kind !== 'drawn' && result.kind !== 'refused') this.retire()
    return result
  }
}
