/**
 * The table model and the messages between the pipeline, the worker thread that runs a definition and the sandbox
 * in it.
 * Everything here is plain data (it crosses threads by structured clone); the author-facing functions are in
 * api.ts, the Markdown rendering in markdown.ts.
 */
import type {EncodedData} from './transfer.ts'

export type Alignment = 'left' | 'center' | 'right'

export interface TableColumn {
  /** Header text; `''` for a column without a heading (such as a chart column). */
  header: string
  /** Default: right for a column whose cells are all numbers, else left. */
  align?: Alignment
  /** Decimal places for number cells, printed as R's `sprintf("%.2f")`; default: 7 significant digits, as R prints. */
  digits?: number
}

/** A tiny bar chart drawn in a cell as inline SVG: one bar per value, scaled to `max` (default: the largest value). */
export interface BarChart {
  type: 'bar-chart'
  values: number[]
  max?: number
  /** Names of the bars, for the chart's accessible description. */
  labels?: string[]
}

/** Text (shown as written, never parsed as Markdown), a number (formatted by its column), nothing, or a chart. */
export type TableCell = string | number | null | BarChart

/** What a definition's `build` returns. */
export interface TableContent {
  columns: TableColumn[]
  rows: TableCell[][]
}

export interface TableModel extends TableContent {
  /** `tbl:…`: what the manuscript refers to. */
  label: string
  caption: string
}

/** A data cell's value: `NA` and empty fields are `null`. */
export type Value = string | number | boolean | null

export type ColumnType = 'number' | 'boolean' | 'string'

/** How to read a CSV (or TSV) file; a plain string is the path with the defaults. */
export interface CsvSource {
  /** Project-relative path, such as `data/survey.csv`. */
  path: string
  /** Fields that mean "missing" (default: `NA` and the empty field). */
  missing?: string[]
  /** Column types to enforce instead of inferring them (a field that does not fit is an error naming its row). */
  types?: Record<string, ColumnType>
  /** Field delimiter; default `,` (a `.tsv` file: tab). */
  delimiter?: string
}

export type DataSource = string | CsvSource

/** A parsed data file as it is sent to the worker: typed values by column, rows in file order. */
export interface ParsedData {
  file: string
  columns: string[]
  types: ColumnType[]
  /** `values[column][row]` */
  values: Value[][]
  rowCount: number
}

/** Where in a data file something is: a 0-based data row (the header is not a row) and a column name. */
export interface DataPlace {
  file: string
  row?: number
  column?: string
}

/** A 1-based line and column in a project file. */
export interface SourcePlace {
  file: string
  line: number
  column: number
}

/** Why a definition gave no table, as the sandbox describes it. */
export interface DefinitionFailure {
  /**
   * `data`: the definition asked the data for something it does not have; `memory`: it used more memory than a
   * definition may; `definition`: anything else.
   */
  kind: 'data' | 'memory' | 'definition'
  /** For a data error: a column the file lacks (fix the definition), or a cell value (fix the data or the definition). */
  dataProblem?: 'missing-column' | 'value'
  /** The error as `Name: message`. */
  message: string
  /** The error's stack frames in the bundle (1-based line and column), innermost first. */
  frames?: {line: number; column: number}[]
  /** Where in the definition (or a file it imports) the error was thrown: the first frame in a project file. */
  at?: SourcePlace
  /** The data cell the error is about (a data error), or the last cell the definition read before it failed. */
  data?: DataPlace
  /** True when `data` is merely the last cell read, not necessarily the culprit. */
  lastRead?: boolean
}

/**
 * The one module a definition imports by name: the table API (runtime.ts inside the sandbox). A figure definition's
 * `manuscript-pipeline/figures` is bundled as this module too, so tables and figures share one DataTable and one set
 * of statistics helpers in the sandbox.
 */
export const apiSpecifier = 'manuscript-pipeline/tables'

/** What a figure definition's `build` returns, with its label and caption: a Vega-Lite specification (plain data). */
export interface FigureModel {
  /** `fig:…`: what the manuscript refers to. */
  label: string
  caption: string
  spec: Record<string, unknown>
}

/** The name the definition's bundle has inside the sandbox (its stack frames name it). */
export const bundleFileName = 'table-definition.mjs'

/** What the harness inside the sandbox answers, as JSON text; the sandbox's host passes it on to the pipeline. */
export type SandboxReply =
  | {type: 'needs-data'; sources: Record<string, CsvSource>}
  /** The table model as transfer.ts encodes it. */
  | {type: 'table'; table: string}
  /** The figure model as transfer.ts encodes it. */
  | {type: 'figure'; figure: string}
  | {type: 'failed'; failure: DefinitionFailure}

/** Table worker → pipeline. */
export type WorkerMessage =
  | SandboxReply
  /** Stopped at the time limit, after reading this data cell last. */
  | {type: 'timeout'; lastRead?: DataPlace}
  /** What the definition printed (console.log and the like). */
  | {type: 'output'; text: string}
  /** The sandbox itself failed, not the definition's code. */
  | {type: 'crashed'; message: string}

/** Pipeline → table worker, first: the definition's bundle (an ES module) and its limits. */
export interface RunMessage {
  type: 'run'
  code: string
  timeLimitMs: number
}

/** Pipeline → table worker: the data files the definition named, parsed, by name. */
export interface DataMessage {
  type: 'data'
  data: Record<string, EncodedData>
}

/** What a table worker gets at start: the sandbox's engine and the runtime module it gives definitions. */
/** The global the distributions script (distributions.ts, built) sets; the sandbox keeps it out of the definition's scope. */
export const distributionsName = 'manuscriptDistributions'

export interface WorkerInput {
  role: 'manuscript-table'
  /** QuickJS, compiled once by the pipeline and shared by its workers. */
  engine: WebAssembly.Module
  /** The source of `manuscript-pipeline/tables` inside the sandbox (runtime.ts, built). */
  runtime: string
  /** The distribution functions' script, which the runtime evaluates when a test first needs them. */
  distributions: string
  memoryLimitMb: number
  stackLimitKb: number
}
