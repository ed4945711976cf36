/**
 * A data file as definitions see it: rows in file order, typed values (`null` = missing), columns by name. Asking
 * for a column the file does not have, or for numbers from a column that holds text, throws a DataError naming
 * the file, the row and the column, so the author learns where the problem is rather than getting a silent NaN.
 * Every cell read through a row is noted, so that any other error can say which cell was read last.
 */
import {closest} from 'fastest-levenshtein'
import type {DataPlace, ParsedData, Value} from './model.ts'

export type {Value} from './model.ts'

/** One data row: `row['Q3.3']`, `row.district`. Read-only; an unknown column name throws. */
export type Row = {readonly [column: string]: Value}

/** A problem in what a definition asked of the data, with the cell it concerns. */
export class DataError extends Error {
  override name = 'DataError'
  constructor(
    message: string,
    readonly place: DataPlace,
    /** `missing-column`: the definition names a column the file lacks; `value`: a cell holds what cannot be used. */
    readonly problem: 'missing-column' | 'value' = 'value'
  ) {
    super(message)
  }
}

/** Receives every cell read, so a failure can name the last one (set by the worker harness). */
export type ReadObserver = (data: ParsedData, row: number, columnIndex: number) => void

let observeRead: ReadObserver | undefined

const numberPattern = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

/** The number a data field spells (decimal or scientific notation, `Inf`, `-Inf`), else undefined. */
export function parseNumber(field: string): number | undefined {
  if (field === 'Inf') return Number.POSITIVE_INFINITY
  if (field === '-Inf') return Number.NEGATIVE_INFINITY
  return numberPattern.test(field) ? Number(field) : undefined
}

export function setReadObserver(observer: ReadObserver | undefined): void {
  observeRead = observer
}

export class DataTable {
  private readonly data: ParsedData
  /** Row numbers (0-based in the file) of the rows in this table, in order. */
  private readonly indices: readonly number[]
  private readonly columnIndex: Map<string, number>
  private rowCache: readonly Row[] | undefined

  constructor(data: ParsedData, indices?: readonly number[], columnIndex?: Map<string, number>) {
    this.data = data
    this.indices = indices ?? Array.from({length: data.rowCount}, (_, index) => index)
    this.columnIndex = columnIndex ?? new Map(data.columns.map((name, index) => [name, index]))
  }

  /** Project-relative path of the data file. */
  get file(): string {
    return this.data.file
  }

  get columns(): readonly string[] {
    return this.data.columns
  }

  get length(): number {
    return this.indices.length
  }

  get rows(): readonly Row[] {
    this.rowCache ??= this.indices.map((index) => rowProxy(this.data, this.columnIndex, index))
    return this.rowCache
  }

  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]()
  }

  has(column: string): boolean {
    return this.columnIndex.has(column)
  }

  /** The rows for which `keep` is true. */
  filter(keep: (row: Row, index: number) => boolean): DataTable {
    const rows = this.rows
    return this.subset(this.indices.filter((_, position) => keep(rows[position], position)))
  }

  map<T>(transform: (row: Row, index: number) => T): T[] {
    return this.rows.map(transform)
  }

  /** The first row of each distinct value of `column`, in file order (as `dplyr::distinct(.keep_all = TRUE)`). */
  firstOfEach(column: string): DataTable {
    const values = this.columnValues(column)
    const seen = new Set<Value>()
    return this.subset(
      this.indices.filter((index) => {
        const value = values[index]
        if (seen.has(value)) return false
        seen.add(value)
        return true
      })
    )
  }

  /** One table per level of `column`, in the order given; rows with other values (or missing) are in none. */
  split(column: string, levels: readonly Value[]): DataTable[] {
    const values = this.columnValues(column)
    return levels.map((level) => this.subset(this.indices.filter((index) => values[index] === level)))
  }

  /** The column's values, `null` where missing. */
  values(column: string): Value[] {
    const values = this.columnValues(column)
    return this.indices.map((index) => values[index])
  }

  /**
   * The column's numbers, missing values left out. In a text column (one value is not a number) the values that
   * spell numbers count; the first that does not is an error naming its row.
   */
  numbers(column: string): number[] {
    const values = this.columnValues(column)
    const numbers: number[] = []
    for (const index of this.indices) {
      const value = values[index]
      if (value === null) continue
      const number = typeof value === 'string' ? parseNumber(value) : value
      if (typeof number !== 'number') {
        throw new DataError(`Column "${column}" of ${this.file} holds ${JSON.stringify(value)} in row ${index + 1}, not a number`, {file: this.file, row: index, column})
      }
      numbers.push(number)
    }
    return numbers
  }

  /** The 0-based file row of the table's `position`-th row (for messages). */
  fileRow(position: number): number {
    return this.indices[position]
  }

  /** Throws the DataError for a column this file does not have. */
  requireColumn(column: string): void {
    this.columnValues(column)
  }

  private columnValues(column: string): Value[] {
    const index = this.columnIndex.get(column)
    if (index === undefined) throw missingColumn(this.data, column)
    return this.data.values[index]
  }

  private subset(indices: number[]): DataTable {
    return new DataTable(this.data, indices, this.columnIndex)
  }
}

export function missingColumn(data: ParsedData, column: string): DataError {
  const suggestion = data.columns.length ? ` (did you mean "${closest(column, data.columns)}"?)` : ''
  return new DataError(`${data.file} has no column "${column}"${suggestion}`, {file: data.file, column}, 'missing-column')
}

/** A row as an object whose properties are the columns; reading one notes the cell, an unknown name throws. */
function rowProxy(data: ParsedData, columnIndex: Map<string, number>, row: number): Row {
  const target: Record<string, Value> = {}
  return new Proxy(target, {
    get(_target, property) {
      if (typeof property !== 'string') return undefined
      const index = columnIndex.get(property)
      if (index === undefined) {
        // Let serialisation, `await` and Object methods see an ordinary object.
        if (property === 'toJSON' || property === 'then') return undefined
        if (property in Object.prototype) return (Object.prototype as unknown as Record<string, unknown>)[property]
        const error = missingColumn(data, property)
        error.place.row = row
        throw error
      }
      observeRead?.(data, row, index)
      return data.values[index][row]
    },
    has: (_target, property) => typeof property === 'string' && columnIndex.has(property),
    ownKeys: () => [...data.columns],
    getOwnPropertyDescriptor(_target, property) {
      const index = typeof property === 'string' ? columnIndex.get(property) : undefined
      if (index === undefined) return undefined
      return {value: data.values[index][row], enumerable: true, configurable: true, writable: false}
    },
    set() {
      throw new TypeError('Data rows are read-only: compute new values into variables or into the table cells instead.')
    }
  }) as Row
}
