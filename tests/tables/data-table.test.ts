/** What definitions see of a data file: rows by name, subsets, and errors that name file, row and column. */
import {describe, expect, it} from 'vitest'
import {parseCsv} from '../../pipeline/tables/csv.ts'
import {DataError, DataTable, setReadObserver} from '../../pipeline/tables/data-table.ts'

const csv = parseCsv('id,country,score\n7,DE,1\n7,FR,2\n8,DE,x\n9,NA,4\n', 'data/survey.csv')
const survey = new DataTable(csv.data)

function dataError(action: () => unknown): DataError {
  try {
    action()
  } catch (error) {
    if (error instanceof DataError) return error
    throw error
  }
  throw new Error('expected a DataError')
}

describe('DataTable', () => {
  it('reads rows by column name, and keeps the first row of each organisation', () => {
    expect(survey.rows.map((row) => row.country)).toEqual(['DE', 'FR', 'DE', null])
    expect(survey.firstOfEach('id').values('country')).toEqual(['DE', 'DE', null])
    expect(survey.filter((row) => row.country === 'DE').length).toBe(2)
    expect(survey.split('country', ['FR', 'DE']).map((part) => part.length)).toEqual([1, 2])
    expect({...survey.rows[0]}).toEqual({id: 7, country: 'DE', score: '1'})
  })

  it('names the file and the closest column when a definition reads a column the file lacks', () => {
    const error = dataError(() => survey.rows[1]['scroe'])
    expect(error.message).toBe('data/survey.csv has no column "scroe" (did you mean "score"?)')
    expect(error.place).toEqual({file: 'data/survey.csv', column: 'scroe', row: 1})
    expect(error.problem).toBe('missing-column')
    expect(dataError(() => survey.numbers('Score')).place.column).toBe('Score')
  })

  it('names the row of a value that is not a number', () => {
    // "x" makes the score column text; its numbers are still read up to the value that is not one.
    expect(survey.filter((row) => row.id !== 8).numbers('score')).toEqual([1, 2, 4])
    const error = dataError(() => survey.numbers('score'))
    expect(error.message).toBe('Column "score" of data/survey.csv holds "x" in row 3, not a number')
    expect(error.place).toEqual({file: 'data/survey.csv', row: 2, column: 'score'})
  })

  it('reports every cell read to the observer, so a failure can name the last one', () => {
    const reads: string[] = []
    setReadObserver((data, row, column) => reads.push(`${data.file}:${row}:${data.columns[column]}`))
    try {
      void survey.rows[2].country
    } finally {
      setReadObserver(undefined)
    }
    expect(reads).toEqual(['data/survey.csv:2:country'])
  })

  it('keeps rows read-only', () => {
    expect(() => {
      ;(survey.rows[0] as Record<string, unknown>).country = 'IT'
    }).toThrow(/read-only/)
  })
})
