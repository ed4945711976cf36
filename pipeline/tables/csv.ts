/**
 * CSV loading for table definitions (Papa Parse does the parsing): UTF-8 with or without a byte-order mark,
 * quoted fields (with commas, quotes and line breaks inside), `NA` and empty fields as missing, and typed columns:
 * a column whose values are all numbers is numeric, all TRUE/FALSE is logical, else text (as R's `read.csv`), unless
 * the definition declares types. Every problem names the file's line and character column, the data row and the
 * column name. Each data row keeps the text it was read from, so later errors can point at a cell.
 */
import Papa from 'papaparse'
import {parseNumber} from './data-table.ts'
import type {ColumnType, CsvSource, ParsedData, Value} from './model.ts'

export interface CsvFile {
  data: ParsedData
  delimiter: string
  /** The header's text and each data row's: the line where it starts and its text without the line break after it. */
  header: RowText
  rows: RowText[]
}

interface RowText {
  line: number
  text: string
}

/** A CSV problem at a place in the file. */
export class CsvProblem extends Error {
  override name = 'CsvProblem'
  constructor(
    message: string,
    readonly place: {line: number; column: number}
  ) {
    super(message)
  }
}

const defaultMissing = ['NA', '']
const booleans: Record<string, boolean> = {TRUE: true, FALSE: false, True: true, False: false, true: true, false: false}

/** Parses `text`, the contents of the project file `file`, as `source` describes it. */
export function parseCsv(content: string, file: string, source: CsvSource = {path: file}): CsvFile {
  const delimiter = source.delimiter ?? (file.toLowerCase().endsWith('.tsv') ? '\t' : ',')
  // Offsets below are in the text without its byte-order mark, as Papa Parse counts them.
  const text = content.replace(/^\uFEFF/, '')
  const lines = lineStarts(text)
  const records: {fields: string[]; row: RowText}[] = []
  let problem: CsvProblem | undefined
  let previousEnd = 0
  Papa.parse<string[]>(text, {
    delimiter,
    quoteChar: '"',
    skipEmptyLines: true,
    step(result, parser) {
      const start = skipLineBreaks(text, previousEnd)
      const end = result.meta.cursor
      previousEnd = end
      const row: RowText = {line: lineOf(lines, start), text: text.slice(start, end).replace(/(?:\r?\n|\r)$/, '')}
      const quoteError = result.errors.find((error) => error.type === 'Quotes')
      if (quoteError) {
        const field = Math.max(result.data.length - 1, 0)
        problem = quoteProblem(quoteError, records.length, records[0]?.fields ?? [], field, fieldPlace(row, field, delimiter))
        parser.abort()
        return
      }
      records.push({fields: result.data, row})
    }
  })
  if (problem) throw problem
  if (records.length === 0) throw new CsvProblem('The file is empty: it needs a header line naming the columns.', {line: 1, column: 1})

  const [headerRecord, ...dataRecords] = records
  const columns = headerRecord.fields
  const header = headerRecord.row
  const seen = new Map<string, number>()
  columns.forEach((name, index) => {
    const first = seen.get(name)
    if (first !== undefined) {
      throw new CsvProblem(`The header names column "${name}" twice (columns ${first + 1} and ${index + 1}); rename one so each column can be read by its name.`, fieldPlace(header, index, delimiter))
    }
    seen.set(name, index)
  })
  for (const name of Object.keys(source.types ?? {})) {
    if (!seen.has(name)) throw new CsvProblem(`The definition declares a type for column "${name}", which the header does not have.`, {line: header.line, column: 1})
  }
  dataRecords.forEach((record, index) => {
    if (record.fields.length !== columns.length) throw fieldCountProblem(record.fields.length, columns, index + 1, record.row, delimiter)
  })

  const rows = dataRecords.map((record) => record.row)
  const missing = new Set(source.missing ?? defaultMissing)
  const values: Value[][] = []
  const types: ColumnType[] = []
  columns.forEach((name, column) => {
    const fields = dataRecords.map((record) => record.fields[column])
    const type = source.types?.[name] ?? inferType(fields, missing)
    types.push(type)
    values.push(
      fields.map((field, row) => {
        if (missing.has(field)) return null
        const value = convert(field, type)
        if (value === undefined) {
          throw new CsvProblem(`Row ${row + 1}, column "${name}" holds ${JSON.stringify(field)}, which is not ${type === 'number' ? 'a number' : 'TRUE or FALSE'} as the column's declared type says; fix the value or mark it missing (${[...missing].map((text) => JSON.stringify(text)).join(', ')}).`, fieldPlace(rows[row], column, delimiter))
        }
        return value
      })
    )
  })
  return {data: {file, columns, types, values, rowCount: dataRecords.length}, delimiter, header, rows}
}

/** The line and character column where a data row's field starts (1-based), for messages about a cell. */
export function cellPlace(csv: CsvFile, row: number | undefined, column: string | undefined): {line: number; column: number} {
  const index = column === undefined ? -1 : csv.data.columns.indexOf(column)
  const text = row === undefined ? csv.header : (csv.rows[row] ?? csv.header)
  return index < 0 ? {line: text.line, column: 1} : fieldPlace(text, index, csv.delimiter)
}

function inferType(fields: string[], missing: Set<string>): ColumnType {
  const present = fields.filter((field) => !missing.has(field))
  if (present.length === 0) return 'string'
  if (present.every((field) => parseNumber(field) !== undefined)) return 'number'
  if (present.every((field) => field in booleans)) return 'boolean'
  return 'string'
}

function convert(field: string, type: ColumnType): Value | undefined {
  if (type === 'string') return field
  if (type === 'boolean') return field in booleans ? booleans[field] : undefined
  return parseNumber(field)
}

/** Offsets where each line starts. */
function lineStarts(text: string): number[] {
  const starts = [0]
  for (let offset = 0; offset < text.length; offset++) {
    const code = text.charCodeAt(offset)
    if (code === 10 || (code === 13 && text.charCodeAt(offset + 1) !== 10)) starts.push(offset + 1)
  }
  return starts
}

/** The 1-based line holding `offset`. */
function lineOf(starts: number[], offset: number): number {
  let low = 0
  let high = starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >> 1
    if (starts[middle] <= offset) low = middle
    else high = middle - 1
  }
  return low + 1
}

function skipLineBreaks(text: string, offset: number): number {
  while (offset < text.length && (text[offset] === '\n' || text[offset] === '\r')) offset++
  return offset
}

function lineBreaks(text: string): number {
  return text.match(/\r?\n|\r/g)?.length ?? 0
}

/** Where field `index` of a row starts, scanning its text with quotes respected. */
function fieldPlace(row: RowText, index: number, delimiter: string): {line: number; column: number} {
  let field = 0
  let quoted = false
  let offset = 0
  for (; offset < row.text.length && field < index; offset++) {
    const character = row.text[offset]
    if (character === '"') quoted = !quoted
    else if (!quoted && row.text.startsWith(delimiter, offset)) field++
  }
  const before = row.text.slice(0, offset)
  const lastBreak = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'))
  return {line: row.line + lineBreaks(before), column: offset - lastBreak}
}

function columnName(header: string[], index: number): string {
  return header[index] !== undefined ? `column "${header[index]}"` : `field ${index + 1}`
}

function quoteProblem(error: Papa.ParseError, record: number, header: string[], field: number, place: {line: number; column: number}): CsvProblem {
  const where = record === 0 ? 'The header' : `Row ${record}`
  const what =
    error.code === 'MissingQuotes'
      ? 'a quoted field is never closed, so the rest of the file became part of it; add the closing quote (a quote inside a quoted field is written "")'
      : 'a quote in the middle of a field; quote the whole field and double the quote inside ("a ""b"" c")'
  return new CsvProblem(`${where}, ${columnName(header, field)}: ${what}.`, place)
}

function fieldCountProblem(got: number, header: string[], row: number, text: RowText, delimiter: string): CsvProblem {
  const expected = header.length
  if (got > expected) {
    return new CsvProblem(`Row ${row} has ${got} fields where the header has ${expected}: the field after ${columnName(header, expected - 1)} has no column; remove it, or quote a value that contains "${delimiter}".`, fieldPlace(text, expected, delimiter))
  }
  const lastBreak = Math.max(text.text.lastIndexOf('\n'), text.text.lastIndexOf('\r'))
  return new CsvProblem(`Row ${row} has ${got} fields where the header has ${expected}: ${columnName(header, got)} and after are missing; add them (NA for a missing value).`, {line: text.line + lineBreaks(text.text), column: text.text.length - lastBreak})
}
