/**
 * The sandbox side of running a table definition: part of the `manuscript-pipeline/tables` module as the sandbox
 * (sandbox.ts) holds it, so it is plain computation with no Node API. The bundle's entry hands the definition to
 * `tableHarness`; the sandbox's host then drives the harness: `start` loads the definition and says which data
 * files it needs, `load` receives each (parsed by the pipeline, so every read lands in the dependency graph),
 * `build` runs it and checks the result. Each answers with JSON text: the table model, or a DefinitionFailure (the
 * error, its stack frames in the bundle, which the pipeline maps to the definition through the bundle's source
 * map, and the data cell concerned). The last cell read is kept so the host can name it after stopping a
 * definition that ran out of time.
 */
import type {FigureDefinition} from '../figures/api.ts'
import type {TableDefinition} from './api.ts'
import {isBarChart} from './chart.ts'
import {DataError, DataTable, setReadObserver} from './data-table.ts'
import {bundleFileName, distributionsName, type CsvSource, type DataPlace, type DefinitionFailure, type FigureModel, type ParsedData, type SandboxReply, type TableContent, type TableModel} from './model.ts'
import {decodeData, encodeTable, framesOf} from './transfer.ts'
import type {Distributions} from './distributions.ts'

/** An error in the shape of what a definition exports or returns: reported without a stack. */
class InvalidDefinition extends Error {
  override name = 'InvalidDefinition'
}

/** What the host gives the sandbox, as the global `hostName` until the runtime module takes it. */
export interface SandboxHost {
  /** Appends to what the definition printed. */
  print(text: string): void
  /** `Intl.Collator` comparison, which QuickJS lacks: `[a, b, locales, options]` as JSON. */
  compare(request: string): number
  /** A column of a data file given to `load` (numbered in the order of loading), as transfer.ts encodes it. */
  column(source: number, index: number): string
  /** The script of the distribution functions (distributions.ts), which sets the global `distributionsName`. */
  distributions(): string
}

export const hostName = '__manuscriptHost'

/**
 * `console` and a locale-aware `String.prototype.localeCompare` (as V8's, so that sorting text gives the tables it
 * gave before the sandbox), backed by the host; the host object itself is taken out of the global scope.
 */
let host: SandboxHost | undefined
/** The engine's own `eval`, as it was before the definition could replace it. */
let evaluate: (code: string) => unknown = eval
let distributions: Distributions | undefined

/** The distribution functions, from the host's script, evaluated in this runtime the first time a test needs them. */
export function sandboxDistributions(): Distributions {
  if (!distributions) {
    // Wrapped in a function, so the script's global (distributions.ts's exports) stays out of the definition's scope.
    distributions = evaluate(`(() => {\n${host!.distributions()}\nreturn ${distributionsName}.distributions\n})()`) as Distributions
  }
  return distributions
}

export function installSandboxGlobals(): void {
  const scope = globalThis as unknown as Record<string, unknown>
  const given = scope[hostName] as SandboxHost | undefined
  if (!given) return
  host = given
  evaluate = scope.eval as typeof evaluate
  delete scope[hostName]
  const format = (values: unknown[]) => values.map((value) => (typeof value === 'string' ? value : inspect(value))).join(' ')
  const print = (...values: unknown[]) => given.print(`${format(values)}\n`)
  scope.console = {log: print, info: print, warn: print, error: print, debug: print, trace: print}
  Object.defineProperty(String.prototype, 'localeCompare', {
    value: function localeCompare(this: unknown, that: unknown, locales?: unknown, options?: unknown): number {
      return given.compare(JSON.stringify([String(this), String(that), locales ?? null, options ?? null]))
    },
    writable: true,
    configurable: true
  })
}

function inspect(value: unknown): string {
  if (value instanceof Error) return String(value.stack ? `${value}\n${value.stack}` : value)
  try {
    return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value)
  } catch {
    return String(value)
  }
}

export interface TableHarness {
  start(): Promise<string>
  /** The header of a data file (its values come from the host column by column); then the next. */
  load(name: string, header: string): void
  build(): Promise<string>
  lastRead(): string
}

/** What a table definition's bundle entry exports: the harness for its definition, which `load` imports. */
export function tableHarness(load: () => Promise<Record<string, unknown>>): TableHarness {
  return definitionHarness(load, checkTableDefinition, (definition, result) => {
    const content = checkContent(result)
    const table: TableModel = {label: definition.label, caption: definition.caption, columns: content.columns, rows: content.rows}
    return {type: 'table', table: encodeTable(table)}
  })
}

/** What a figure definition's bundle entry exports: the same harness, answering with the figure's specification. */
export function figureHarness(load: () => Promise<Record<string, unknown>>): TableHarness {
  return definitionHarness(load, checkFigureDefinition, (definition, result) => {
    const figure: FigureModel = {label: definition.label, caption: definition.caption, spec: plainSpec(result)}
    return {type: 'figure', figure: encodeTable(figure)}
  })
}

interface AnyDefinition {
  label: string
  caption: string
  data: Record<string, unknown>
  build(data: Record<string, DataTable>): unknown
}

function definitionHarness<Definition extends AnyDefinition>(
  load: () => Promise<Record<string, unknown>>,
  check: (value: unknown) => Definition,
  answer: (definition: Definition, result: unknown) => SandboxReply
): TableHarness {
  let definition: Definition | undefined
  const data: Record<string, ParsedData> = {}
  const sources: ParsedData[] = []
  const lastRead = {source: -1, row: 0, column: 0}
  const lastReadPlace = (): DataPlace | undefined => {
    const source = sources[lastRead.source]
    return source ? {file: source.file, row: lastRead.row, column: source.columns[lastRead.column]} : undefined
  }
  const reply = (message: SandboxReply) => JSON.stringify(message)
  const failed = (error: unknown) => reply({type: 'failed', failure: describeFailure(error, lastReadPlace)})

  return {
    async start() {
      try {
        definition = check((await load()).default)
        return reply({type: 'needs-data', sources: normalizeSources(definition.data)})
      } catch (error) {
        return failed(error)
      }
    },
    load(name, header) {
      const source = sources.length
      const parsed = decodeData(JSON.parse(header), (index) => host!.column(source, index))
      data[name] = parsed
      sources.push(parsed)
    },
    async build() {
      setReadObserver((source, row, column) => {
        lastRead.source = sources.indexOf(source)
        lastRead.row = row
        lastRead.column = column
      })
      try {
        const tables = Object.fromEntries(Object.entries(data).map(([name, parsed]) => [name, new DataTable(parsed)]))
        return reply(answer(definition!, await definition!.build(tables)))
      } catch (error) {
        return failed(error)
      } finally {
        setReadObserver(undefined)
      }
    },
    lastRead() {
      return JSON.stringify(lastReadPlace() ?? null)
    }
  }
}

function describeFailure(error: unknown, lastRead: () => DataPlace | undefined): DefinitionFailure {
  const thrown = error instanceof Error ? error : new Error(`a non-error value was thrown: ${String(error)}`)
  const frames = framesOf(typeof thrown.stack === 'string' ? thrown.stack : '', bundleFileName)
  if (thrown instanceof DataError) return {kind: 'data', dataProblem: thrown.problem, message: thrown.message, frames, data: thrown.place}
  if (thrown instanceof InvalidDefinition) return {kind: 'definition', message: thrown.message}
  const memory = thrown.name === 'InternalError' && thrown.message === 'out of memory'
  return {kind: memory ? 'memory' : 'definition', message: `${thrown.name}: ${thrown.message}`, frames, data: lastRead(), lastRead: true}
}

function checkTableDefinition(value: unknown): TableDefinition {
  return checkDefinition(value, {call: 'defineTable', prefix: 'tbl', example: 'tbl:districts', captionText: 'the text after "Table:"', builds: 'the table'}) as TableDefinition
}

function checkFigureDefinition(value: unknown): FigureDefinition {
  return checkDefinition(value, {call: 'defineFigure', prefix: 'fig', example: 'fig:districts', captionText: 'the text under the figure', builds: 'a Vega-Lite specification'}) as FigureDefinition
}

function checkDefinition(value: unknown, kind: {call: string; prefix: string; example: string; captionText: string; builds: string}): AnyDefinition {
  if (typeof value !== 'object' || value === null) {
    throw new InvalidDefinition(`It has no default export: end it with \`export default ${kind.call}({label, caption, data, build})\`.`)
  }
  const definition = value as Partial<AnyDefinition>
  if (typeof definition.label !== 'string' || !new RegExp(`^${kind.prefix}:[^\\s{}]+$`).test(definition.label)) {
    throw new InvalidDefinition(`Its label must be \`${kind.prefix}:\` followed by a name without spaces, such as "${kind.example}"; got ${JSON.stringify(definition.label)}.`)
  }
  if (typeof definition.caption !== 'string' || !definition.caption.trim()) throw new InvalidDefinition(`It needs a \`caption\`: ${kind.captionText}.`)
  if (typeof definition.data !== 'object' || definition.data === null) throw new InvalidDefinition('It needs `data`: the data files it reads, by name, such as `{gardens: "data/gardens.csv"}`.')
  if (typeof definition.build !== 'function') throw new InvalidDefinition(`It needs a \`build\` function that returns ${kind.builds} from the data.`)
  return definition as AnyDefinition
}

/** A specification is a plain object (checked in full, and rendered, outside the sandbox: figures/spec.ts). */
function plainSpec(value: unknown): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidDefinition('Its `build` must return a Vega-Lite specification: an object such as `{data: {values: [...]}, mark: "bar", encoding: {...}}`.')
  }
  // Through JSON and back: what leaves the sandbox is plain data (a DataTable row or a function would not survive).
  return JSON.parse(JSON.stringify(value)) as Record<string, unknown>
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
