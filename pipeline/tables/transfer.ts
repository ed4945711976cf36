/**
 * Values crossing into and out of the sandbox travel as JSON text, the cheapest way into QuickJS. JSON has no
 * NaN, Infinity or -0, which data (`Inf`, `-0`) and table cells can hold, so those travel beside it: in a data
 * column as a list of the rows that hold them, in a table as a marker object. Errors come out with their stack as text.
 * Used on both sides of the sandbox.
 */
import type {FigureModel, ParsedData, TableModel, Value} from './model.ts'

type SpecialNumber = 'NaN' | 'Infinity' | '-Infinity' | '-0'

const specialKey = '\u0000number'

function special(value: unknown): SpecialNumber | undefined {
  if (typeof value !== 'number') return undefined
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return 'Infinity'
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity'
  return Object.is(value, -0) ? '-0' : undefined
}

function numberOf(value: SpecialNumber): number {
  return value === '-0' ? -0 : Number(value)
}

/**
 * A parsed data file as it crosses into the sandbox: each column as JSON text of `[values, specials]`, decoded
 * only when the definition first reads it (a definition reads a few columns of a wide survey).
 */
export interface EncodedData extends Omit<ParsedData, 'values'> {
  values: string[]
}

export function encodeData(data: ParsedData): EncodedData {
  const values = data.values.map((column) => {
    const specials: [number, SpecialNumber][] = []
    column.forEach((value, row) => {
      const kind = special(value)
      if (kind) specials.push([row, kind])
    })
    return JSON.stringify([column, specials])
  })
  return {...data, values}
}

/** The data file inside the sandbox: `columnText(index)` is asked for a column's text when it is first read. */
export function decodeData(header: Omit<ParsedData, 'values'>, columnText: (index: number) => string): ParsedData {
  const values: Value[][] = []
  header.columns.forEach((_, index) => {
    Object.defineProperty(values, index, {
      configurable: true,
      enumerable: true,
      get() {
        const [column, specials] = JSON.parse(columnText(index)) as [Value[], [number, SpecialNumber][]]
        for (const [row, value] of specials) column[row] = numberOf(value)
        Object.defineProperty(values, index, {value: column, enumerable: true, writable: false, configurable: false})
        return column
      }
    })
  })
  return {...header, values}
}

/** A table (or figure) model as JSON text (a table is small: its special numbers are marked where they are). */
export function encodeTable(table: TableModel | FigureModel): string {
  return JSON.stringify(table, (_key, value: unknown) => {
    const kind = special(value)
    return kind ? {[specialKey]: kind} : value
  })
}

export function decodeTable<Model extends TableModel | FigureModel = TableModel>(text: string): Model {
  return JSON.parse(text, (_key, value: unknown) => {
    const marked = typeof value === 'object' && value !== null && specialKey in value ? (value as Record<string, SpecialNumber>)[specialKey] : undefined
    return marked ? numberOf(marked) : value
  }) as Model
}

/** The frames of a QuickJS stack (`    at name (file:line:column)`) that are in `file`, innermost first. */
export function framesOf(stack: string, file: string): {line: number; column: number}[] {
  const frames: {line: number; column: number}[] = []
  for (const line of stack.split('\n')) {
    const match = /([^\s()]+):(\d+):(\d+)\)?$/.exec(line)
    if (match && match[1] === file) frames.push({line: Number(match[2]), column: Number(match[3])})
  }
  return frames
}
