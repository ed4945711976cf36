/**
 * Runs bundled definitions in the sandbox (sandbox.ts) of a worker thread. A worker is started ahead (it
 * instantiates QuickJS while definitions are bundled) and then given one bundle at a time; each definition gets a
 * QuickJS runtime of its own, made fresh while the one before ends, so nothing of one reaches the next. The sandbox
 * asks for its data; `loadData` reads and parses it here, in the pipeline's thread, so every read goes through
 * ProjectFiles. The sandbox stops a definition at its time limit itself (naming the last data cell it read); should
 * it not answer shortly after, the worker is terminated, which stops it wherever it is. A worker whose definition
 * did not return a table is terminated too. The definition never runs on the pipeline's thread, so Ctrl-C is
 * handled at once, and the workers end with the process.
 */
import {SourceMap} from 'node:module'
import {Worker} from 'node:worker_threads'
import type {DefinitionBundle} from './bundle.ts'
import type {CsvSource, DataMessage, DataPlace, DefinitionFailure, FigureModel, ParsedData, RunMessage, SourcePlace, TableModel, WorkerInput, WorkerMessage} from './model.ts'
import type {SandboxFiles} from './sandbox-files.ts'
import {decodeTable, encodeData, type EncodedData} from './transfer.ts'

/** All a definition may allocate, its data included. */
export const memoryLimitMb = 512
/** QuickJS's stack: deep enough for any sensible recursion (about 6,000 calls). */
const stackLimitKb = 1024
/** The worker's own stack, on which QuickJS's calls nest too, several times deeper than its own accounting. */
const workerStackMb = 16
/** How long after its time limit a sandbox that has not answered is terminated from outside. */
const graceMs = 2000

/** A table worker started ahead of its definitions. */
export interface TableWorker {
  worker: Worker
  /** Why the worker ended before it was given a bundle, if it did. */
  ended: () => string | undefined
  /** False once it has been terminated: after a run that did not return a table. */
  usable: () => boolean
  /** Terminates it. */
  retire: () => Promise<void>
}

/** Starts a worker on the sandbox; it waits for a bundle. */
export function startTableWorker(files: SandboxFiles): TableWorker {
  const input: WorkerInput = {role: 'manuscript-table', engine: files.engine, runtime: files.runtime, distributions: files.distributions, memoryLimitMb, stackLimitKb}
  // The host's own heap holds little (the data as text); the definition's memory is QuickJS's, limited there.
  const worker = new Worker(files.worker, {workerData: input, stdout: true, stderr: true, resourceLimits: {maxOldGenerationSizeMb: 2048, stackSizeMb: workerStackMb}})
  // Until it is given a bundle, an early failure (such as a broken runtime) is kept for the run to report.
  let ended: string | undefined
  worker.on('error', (error: Error) => (ended ??= `${error.name}: ${error.message}`))
  worker.on('exit', (code) => (ended ??= `its worker stopped (exit code ${code})`))
  let retired = false
  return {
    worker,
    ended: () => ended,
    usable: () => !retired && ended === undefined,
    retire: () => {
      retired = true
      return worker.terminate().then(() => undefined)
    }
  }
}

export interface RunOptions {
  /** A usable worker from startTableWorker; it is terminated when the run ends without a table. */
  tableWorker: TableWorker
  bundle: DefinitionBundle
  timeLimitMs: number
  /** Reads and parses the named data files; what it throws ends the run as a `data-problem`. */
  loadData: (sources: Record<string, CsvSource>) => Record<string, ParsedData>
}

export type RunEnding =
  | {kind: 'table'; table: TableModel}
  | {kind: 'figure'; figure: FigureModel}
  | {kind: 'failed'; failure: DefinitionFailure}
  | {kind: 'data-problem'; problem: unknown}
  | {kind: 'timeout'; lastRead?: DataPlace}
  | {kind: 'crashed'; message: string}
  /** The worker failed before it was given the definition: the runtime itself did not load. */
  | {kind: 'no-runtime'; message: string}

export type RunResult = RunEnding & {
  /** What the definition printed (console.log and the like). */
  output: string
}

/** Each parsed data file as it crosses into the sandbox, made once however many definitions read it. */
const encoded = new WeakMap<ParsedData, EncodedData>()

/** Encodes a parsed data file for the sandbox ahead of the definition that will ask for it. */
export function encodeAhead(parsed: ParsedData): void {
  if (!encoded.has(parsed)) encoded.set(parsed, encodeData(parsed))
}

export function runDefinitionBundle(options: RunOptions): Promise<RunResult> {
  const {worker, ended} = options.tableWorker
  let output = ''

  return new Promise((resolve) => {
    let settled = false
    const finish = (result: RunEnding) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      // After a table or figure the worker is already making the next definition's runtime; anything else ends it.
      if (result.kind === 'table' || result.kind === 'figure') resolve({...result, output})
      else void options.tableWorker.retire().then(() => resolve({...result, output}))
    }
    const timer = setTimeout(() => finish({kind: 'timeout'}), options.timeLimitMs + graceMs)
    const onMessage = (message: WorkerMessage) => {
      switch (message.type) {
        case 'output':
          output += message.text
          return
        case 'needs-data': {
          try {
            const data = options.loadData(message.sources)
            const texts = Object.fromEntries(
              Object.entries(data).map(([name, parsed]) => {
                let text = encoded.get(parsed)
                if (text === undefined) encoded.set(parsed, (text = encodeData(parsed)))
                return [name, text]
              })
            )
            worker.postMessage({type: 'data', data: texts} satisfies DataMessage)
          } catch (problem) {
            finish({kind: 'data-problem', problem})
          }
          return
        }
        case 'table':
          return finish({kind: 'table', table: decodeTable(message.table)})
        case 'figure':
          return finish({kind: 'figure', figure: decodeTable<FigureModel>(message.figure)})
        case 'failed':
          return finish({kind: 'failed', failure: {...message.failure, at: message.failure.at ?? definitionPlace(options.bundle, message.failure.frames)}})
        case 'timeout':
          return finish({kind: 'timeout', lastRead: message.lastRead})
        case 'crashed':
          return finish({kind: 'crashed', message: message.message})
      }
    }
    const onError = (error: Error) => finish({kind: 'crashed', message: `${error.name}: ${error.message}`})
    const onExit = (code: number) => finish({kind: 'crashed', message: `its worker stopped (exit code ${code}) before returning a table`})
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    const early = ended()
    if (early) finish({kind: 'no-runtime', message: early})
    else worker.postMessage({type: 'run', code: options.bundle.code, timeLimitMs: options.timeLimitMs} satisfies RunMessage)
  })
}

/**
 * The first stack frame that maps into a project file (not our runtime or a library), through the source map.
 * QuickJS places a call at its opening parenthesis; the place is moved back to the callee's name (`new` for a
 * constructor), which is where V8, and so an author's editor, puts it.
 */
function definitionPlace(bundle: DefinitionBundle, frames: DefinitionFailure['frames']): SourcePlace | undefined {
  if (!frames?.length) return undefined
  const map = new SourceMap(bundle.sourceMap as ConstructorParameters<typeof SourceMap>[0])
  const lines = bundle.code.split('\n')
  for (const frame of frames) {
    const column = calleeColumn(lines[frame.line - 1] ?? '', frame.column - 1)
    const entry = map.findEntry(frame.line - 1, column) as {originalSource?: string; originalLine?: number; originalColumn?: number}
    const source = entry.originalSource
    if (!source || source.startsWith('../') || source.includes(':') || source.startsWith('/') || source.split('/').includes('node_modules')) continue
    return {file: source, line: (entry.originalLine ?? 0) + 1, column: (entry.originalColumn ?? 0) + 1}
  }
  return undefined
}

/** For a 0-based column at a call's `(`, the column of the callee's name (or of `new` before it); else the column. */
function calleeColumn(line: string, column: number): number {
  if (line[column] !== '(') return column
  let start = column
  while (start > 0 && /\s/.test(line[start - 1])) start--
  let name = start
  while (name > 0 && /[\w$]/.test(line[name - 1])) name--
  if (name === start) return column
  const before = line.slice(0, name)
  const constructor = /\bnew\s+$/.exec(before)
  return constructor ? constructor.index : name
}
