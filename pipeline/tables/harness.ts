/**
 * The worker-thread side of running a table definition. A table worker's main script is the table runtime
 * (runtime.ts), so the runtime loads while the pipeline is still bundling; `serveTableWorker` then waits for the
 * definition's bundle and imports it. The bundle's entry calls `runTableDefinition`: it loads the definition,
 * asks the pipeline for the data files it names (the pipeline reads them, so every read lands in the dependency
 * graph), runs `build`, checks the result, and posts the table model back. A failure is posted as a
 * DefinitionFailure: the error, its stack frames in the bundle (the pipeline maps them to the definition through
 * the bundle's source map) and the data cell concerned. The last cell read is also kept in shared memory, so
 * the pipeline can still name it after stopping a definition that never returns.
 */
import {once} from 'node:events'
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import type {TableDefinition} from './api.ts'
import {isBarChart} from './chart.ts'
import {DataError, DataTable, setReadObserver} from './data-table.ts'
import type {CsvSource, DataMessage, DataPlace, DefinitionFailure, ParsedData, RunMessage, TableContent, TableModel, WorkerInput, WorkerMessage} from './model.ts'

/** An error in the shape of what a definition exports or returns: reported without a stack. */
class InvalidDefinition extends Error {
  override name = 'InvalidDefinition'
}

/** When this thread is a table worker: import the definition's bundle once the pipeline sends it. */
export function serveTableWorker(): void {
  if (isMainThread || !parentPort || (workerData as Partial<WorkerInput> | undefined)?.role !== 'manuscript-table') return
  // Once per worker, even if the runtime were loaded twice under two URLs.
  const served = Symbol.for('manuscript-pipeline.table-worker')
  if ((globalThis as Record<symbol, unknown>)[served]) return
  ;(globalThis as Record<symbol, unknown>)[served] = true
  parentPort.once('message', (message: RunMessage) => {
    // A bundle that fails to evaluate rejects here; the pipeline sees the worker's error event.
    void import(`data:text/javascript;base64,${Buffer.from(message.code).toString('base64')}`)
  })
}

export async function runTableDefinition(load: () => Promise<Record<string, unknown>>): Promise<void> {
  const port = parentPort
  if (!port) throw new Error('runTableDefinition runs in a worker thread started by the pipeline.')
  const input = workerData as WorkerInput
  const callSites = captureCallSites()
  const lastRead = new Int32Array(input.lastRead)
  const loaded = new Map<ParsedData, number>()
  let sourceList: ParsedData[] = []
  setReadObserver((data, row, column) => {
    lastRead[0] = (loaded.get(data) ?? -1) + 1
    lastRead[1] = row
    lastRead[2] = column
  })
  const post = (message: WorkerMessage) => port.postMessage(message)

  try {
    const definition = checkDefinition((await load()).default)
    const sources = normalizeSources(definition.data)
    post({type: 'needs-data', sources})
    const [reply] = (await once(port, 'message')) as [DataMessage]
    sourceList = Object.values(reply.data)
    sourceList.forEach((data, index) => loaded.set(data, index))
    const tables = Object.fromEntries(Object.entries(reply.data).map(([name, data]) => [name, new DataTable(data)]))
    const content = checkContent(await definition.build(tables))
    const table: TableModel = {label: definition.label, caption: definition.caption, columns: content.columns, rows: content.rows}
    post({type: 'table', table})
  } catch (error) {
    post({type: 'failed', failure: describeFailure(error, callSites, () => lastReadPlace(lastRead, sourceList))})
  } finally {
    setReadObserver(undefined)
  }
}

type CallSites = WeakMap<object, NodeJS.CallSite[]>

/** Keep each error's structured stack frames (V8 hands them to prepareStackTrace when `.stack` is first read). */
function captureCallSites(): CallSites {
  const sites: CallSites = new WeakMap()
  Error.prepareStackTrace = (error, frames) => {
    sites.set(error, frames)
    return `${String(error)}\n${frames.map((frame) => `    at ${frame.toString()}`).join('\n')}`
  }
  return sites
}

function describeFailure(error: unknown, callSites: CallSites, lastRead: () => DataPlace | undefined): DefinitionFailure {
  const thrown = error instanceof Error ? error : new Error(`a non-error value was thrown: ${String(error)}`)
  void thrown.stack
  // Frames in the definition's bundle (the only data: module in this worker); the pipeline maps them to files.
  const frames = (callSites.get(thrown) ?? [])
    .filter((frame) => frame.getFileName()?.startsWith('data:') && frame.getLineNumber() && frame.getColumnNumber())
    .map((frame) => ({line: frame.getLineNumber()!, column: frame.getColumnNumber()!}))
  if (thrown instanceof DataError) return {kind: 'data', dataProblem: thrown.problem, message: thrown.message, frames, data: thrown.place}
  if (thrown instanceof InvalidDefinition) return {kind: 'definition', message: thrown.message}
  return {kind: 'definition', message: `${thrown.name}: ${thrown.message}`, frames, data: lastRead(), lastRead: true}
}

function lastReadPlace(slot: Int32Array, sources: ParsedData[]): DataPlace | undefined {
  const data = sources[slot[0] - 1]
  if (!data) return undefined
  return {file: data.file, row: slot[1], column: data.columns[slot[2]]}
}

function checkDefinition(value: unknown): TableDefinition {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidDefinition('It has no default export: end it with `export default defineTable({label, caption, data, build})`.')
  }
  const definition = value as Partial<TableDefinition>
  if (typeof definition.label !== 'string' || !/^tbl:[^\s{}]+$/.test(definition.label)) {
    throw new InvalidDefinition(`Its label must be \`tbl:\` followed by a name without spaces, such as "tbl:districts"; got ${JSON.stringify(definition.label)}.`)
  }
  if (typeof definition.caption !== 'string' || !definition.caption.trim()) throw new InvalidDefinition('It needs a `caption`: the text after "Table:".')
  if (typeof definition.data !== 'object' || definition.data === null) throw new InvalidDefinition('It needs `data`: the data files it reads, by name, such as `{gardens: "data/gardens.csv"}`.')
  if (typeof definition.build !== 'function') throw new InvalidDefinition('It needs a `build` function that returns the table from the data.')
  return definition as TableDefinition
}

function normalizeSources(data: Record<string, unknown>): Record<string, CsvSource> {
  const sources: Record<string, CsvSource> = {}
  for (const [name, source] of Object.entries(data)) {
    const normalized = typeof source === 'string' ? {path: source} : (source as CsvSource)
    if (typeof normalized?.path !== 'string' || !/\.(csv|tsv)$/i.test(normalized.path)) {
      throw new InvalidDefinition(`Its data "${name}" must be the path of a .csv or .tsv file in the project, such as "data/${name}.csv"; got ${JSON.stringify(source)}.`)
    }
    sources[name] = normalized
  }
  return sources
}

function checkContent(value: unknown): TableContent {
  const content = value as Partial<TableContent> | undefined
  if (!content || !Array.isArray(content.columns) || !Array.isArray(content.rows)) {
    throw new InvalidDefinition('Its `build` must return `{columns, rows}`: the column headings and the rows of cells.')
  }
  if (content.columns.length === 0) throw new InvalidDefinition('Its `build` returned a table without columns.')
  content.columns.forEach((column, index) => {
    if (typeof column?.header !== 'string') throw new InvalidDefinition(`Column ${index + 1} returned by \`build\` needs a \`header\` text ('' for none).`)
    if (column.align !== undefined && !['left', 'center', 'right'].includes(column.align)) throw new InvalidDefinition(`Column "${column.header}" has align ${JSON.stringify(column.align)}; use "left", "center" or "right".`)
    if (column.digits !== undefined && !(Number.isInteger(column.digits) && column.digits >= 0 && column.digits <= 20)) throw new InvalidDefinition(`Column "${column.header}" has digits ${JSON.stringify(column.digits)}; use a whole number from 0 to 20.`)
  })
  content.rows.forEach((row, index) => {
    if (!Array.isArray(row)) throw new InvalidDefinition(`Row ${index + 1} returned by \`build\` is not an array of cells.`)
    if (row.length !== content.columns!.length) throw new InvalidDefinition(`Row ${index + 1} returned by \`build\` has ${row.length} cells; the table has ${content.columns!.length} columns.`)
    row.forEach((cell, column) => {
      if (cell === null || typeof cell === 'string' || typeof cell === 'number' || isBarChart(cell)) return
      throw new InvalidDefinition(`Row ${index + 1}, column ${column + 1} returned by \`build\` is ${JSON.stringify(cell)}; a cell is text, a number, null or a chart (barChart, histogram).`)
    })
  })
  return {columns: content.columns, rows: content.rows}
}
