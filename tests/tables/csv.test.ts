/** Reading CSV for table definitions: quoting, missing values, typed columns, and errors that say where. */
import {describe, expect, it} from 'vitest'
import {cellPlace, CsvProblem, parseCsv} from '../../pipeline/tables/csv.ts'

function problem(text: string, types?: Record<string, 'number' | 'string' | 'boolean'>): CsvProblem {
  try {
    parseCsv(text, 'data/x.csv', {path: 'data/x.csv', types})
  } catch (error) {
    if (error instanceof CsvProblem) return error
    throw error
  }
  throw new Error('expected a CsvProblem')
}

describe('parseCsv', () => {
  it('reads quoted fields with delimiters, doubled quotes and line breaks, with or without a byte-order mark', () => {
    const csv = parseCsv('\uFEFFname,note\r\n"Smith, J.","said ""hi""\nthen left"\r\nLee,plain\r\n', 'data/x.csv')
    expect(csv.data.columns).toEqual(['name', 'note'])
    expect(csv.data.values).toEqual([
      ['Smith, J.', 'Lee'],
      ['said "hi"\nthen left', 'plain']
    ])
    // The second record starts on line 4: the first one spans lines 2–3.
    expect(csv.rows.map((row) => row.line)).toEqual([2, 4])
  })

  it('treats NA and empty fields as missing and types columns as R would', () => {
    const csv = parseCsv('id,score,funding,flag,label\n1,2.5,3295e3,TRUE,a\n2,NA,,FALSE,NA\n3,-1,0.0,NA,\n', 'data/x.csv')
    const [id, score, funding, flag, label] = csv.data.values
    expect(csv.data.types).toEqual(['number', 'number', 'number', 'boolean', 'string'])
    expect(id).toEqual([1, 2, 3])
    expect(score).toEqual([2.5, null, -1])
    expect(funding).toEqual([3295000, null, 0])
    expect(flag).toEqual([true, false, null])
    expect(label).toEqual(['a', null, null])
  })

  it('takes other missing markers and tab-separated files', () => {
    const csv = parseCsv('a\tb\n-99\tx\n4\t-99\n', 'data/x.tsv', {path: 'data/x.tsv', missing: ['-99']})
    expect(csv.data.values).toEqual([
      [null, 4],
      ['x', null]
    ])
  })

  it('skips blank lines but keeps counting them in line numbers', () => {
    const csv = parseCsv('a,b\n1,2\n\n\n3,4\n', 'data/x.csv')
    expect(csv.data.rowCount).toBe(2)
    expect(cellPlace(csv, 1, 'b')).toEqual({line: 5, column: 3})
  })
})

describe('malformed CSV', () => {
  it('names the row, the column and the place of a quote that is never closed', () => {
    const error = problem('a,b\n1,2\n3,"4\n5,6\n')
    expect(error.message).toMatch(/^Row 2, column "b": a quoted field is never closed/)
    expect(error.place).toEqual({line: 3, column: 3})
  })

  it('names the row and the first field without a column when a row has too many fields', () => {
    const error = problem('a,b\n1,2\n3,4,5\n')
    expect(error.message).toMatch(/^Row 2 has 3 fields where the header has 2: the field after column "b" has no column/)
    expect(error.place).toEqual({line: 3, column: 5})
  })

  it('names the first missing column when a row has too few fields', () => {
    const error = problem('a,b,c\n1,2,3\n4\n')
    expect(error.message).toMatch(/^Row 2 has 1 fields where the header has 3: column "b" and after are missing/)
    expect(error.place.line).toBe(3)
  })

  it('refuses a column named twice, and a value that does not fit a declared type', () => {
    expect(problem('a,b,a\n1,2,3\n').message).toMatch(/column "a" twice \(columns 1 and 3\)/)
    const error = problem('id,score\n1,2\n2,high\n', {score: 'number'})
    expect(error.message).toMatch(/^Row 2, column "score" holds "high", which is not a number/)
    expect(error.place).toEqual({line: 3, column: 3})
  })
})
