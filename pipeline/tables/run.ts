/**
 * Runs one bundled definition in its own worker thread, which can be stopped: a definition that loops or hangs
 * is terminated when its time is up, without harm to the pipeline. A worker is started ahead (its main script is
 * the table runtime, which loads while definitions are bundled) and then given the bundle. The worker asks for
 * its data; `loadData` reads and parses it here, in the pipeline's thread, so every read goes through ProjectFiles.
 */
import {SourceMap} from 'node:module'
import {Worker} from 'node:worker_threads'
import type {DefinitionBundle} from './bundle.ts'
import type {CsvSource, DataMessage, DataPlace, DefinitionFailure, ParsedData, RunMessage, SourcePlace, TableModel, WorkerInput, WorkerMessage} from './model.ts'

/** A table worker started ahead of its definition. */
export interface TableWorker {
  worker: Worker
  lastRead: SharedArrayBuffer
  /** What the definition printed (console.log and the like). */
  output: () => string
  /** Why the worker ended before it was given a bundle, if it did. */
  ended: () => string | undefined
}

/** Starts a worker on the table runtime (a JavaScript file); it waits for a bundle. */
export function startTableWorker(runtime: string): TableWorker {
  const lastRead = new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT)
  const input: WorkerInput = {role: 'manuscript-table', lastRead}
  const worker = new Worker(runtime, {workerData: input, stdout: true, stderr: true, resourceLimits: {maxOldGenerationSizeMb: 2048}})
  let output = ''
  worker.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  worker.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')))
  // Until it is given a bundle, an early failure (such as a broken runtime) is kept for the run to report.
  let ended: string | undefined
  worker.on('error', (error: Error) => (ended ??= `${error.name}: ${error.message}`))
  worker.on('exit', (code) => (ended ??= `its worker stopped (exit code ${code})`))
  return {worker, lastRead, output: () => output, ended: () => ended}
}

export interface RunOptions {
  /** A worker from startTableWorker, not yet given a bundle; it is terminated when the run ends. */
  tableWorker: TableWorker
  bundle: DefinitionBundle
  timeLimitMs: number
  /** Reads and parses the named data files; what it throws ends the run as a `data-problem`. */
  loadData: (sources: Record<string, CsvSource>) => Record<string, ParsedData>
}

export type RunEnding =
  | {kind: 'table'; table: TableModel}
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

export function runDefinitionBundle(options: RunOptions): Promise<RunResult> {
  const {worker, lastRead, output, ended} = options.tableWorker
  let loaded: ParsedData[] = []

  return new Promise((resolve) => {
    let settled = false
    const finish = (result: RunEnding) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      void worker.terminate().then(() => resolve({...result, output: output()}))
    }
    const timer = setTimeout(() => finish({kind: 'timeout', lastRead: lastReadPlace(new Int32Array(lastRead), loaded)}), options.timeLimitMs)
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'needs-data') {
        try {
          const data = options.loadData(message.sources)
          loaded = Object.values(data)
          worker.postMessage({type: 'data', data} satisfies DataMessage)
        } catch (problem) {
          finish({kind: 'data-problem', problem})
        }
      } else if (message.type === 'table') {
        finish({kind: 'table', table: message.table})
      } else {
        finish({kind: 'failed', failure: {...message.failure, at: message.failure.at ?? definitionPlace(options.bundle, message.failure.frames)}})
      }
    })
    worker.on('error', (error: Error) => finish({kind: 'crashed', message: `${error.name}: ${error.message}`}))
    worker.on('exit', (code) => finish({kind: 'crashed', message: `its worker stopped (exit code ${code}) before returning a table; does it call process.exit?`}))
    const early = ended()
    if (early) finish({kind: 'no-runtime', message: early})
    else worker.postMessage({type: 'run', code: options.bundle.code} satisfies RunMessage)
  })
}

function lastReadPlace(slot: Int32Array, loaded: ParsedData[]): DataPlace | undefined {
  const data = loaded[slot[0] - 1]
  return data ? {file: data.file, row: slot[1], column: data.columns[slot[2]]} : undefined
}

/** The first stack frame that maps into a project file (not our runtime or a library), through the source map. */
function definitionPlace(bundle: DefinitionBundle, frames: DefinitionFailure['frames']): SourcePlace | undefined {
  if (!frames?.length) return undefined
  const map = new SourceMap(bundle.sourceMap as ConstructorParameters<typeof SourceMap>[0])
  for (const frame of frames) {
    const entry = map.findEntry(frame.line - 1, frame.column - 1) as {originalSource?: string; originalLine?: number; originalColumn?: number}
    const source = entry.originalSource
    if (!source || source.startsWith('../') || source.includes(':') || source.startsWith('/') || source.split('/').includes('node_modules')) continue
    return {file: source, line: (entry.originalLine ?? 0) + 1, column: (entry.originalColumn ?? 0) + 1}
  }
  return undefined
}
