/**
 * Shared by the trenches table definitions: the survey file, its organisation rows, and the rows of the summary
 * and association tables as the published analysis made them. A helper, not a table: its name starts with `_`.
 */
import {
  categoryCounts,
  checkAll,
  countsChart,
  describe,
  formatCounts,
  formatDescription,
  histogram,
  type DataTable,
  type TableCell,
  type TableColumn
} from 'manuscript-pipeline/tables'

/** One row per organisation × country answered. */
export const responsesFile = 'data/responses_full_anonymized.csv'

/** Question, a small chart, and the summary, as the published summary tables. */
export const summaryColumns: TableColumn[] = [{header: 'Question'}, {header: ''}, {header: 'Summary'}]

/** Organisation-level questions were asked once: the first row of each organisation. */
export function organisationRows(responses: DataTable): DataTable {
  return responses.firstOfEach('clean.id')
}

/** A numeric question: mean, median, SD and N, with a histogram of the 0–100 answers. */
export function numericRow(rows: DataTable, question: string, text: string): TableCell[] {
  const values = rows.numbers(question)
  return [`${question}: ${text}`, histogram(values, {bins: 10, from: 0, to: 100}), formatDescription(describe(values))]
}

/** A single-choice question, counted in the order of `categories`. */
export function singleChoiceRow(rows: DataTable, question: string, text: string, categories: string[]): TableCell[] {
  const counts = categoryCounts(rows, question, categories)
  return [`${question}: ${text}`, countsChart(counts), formatCounts(counts)]
}

/** A check-all question stored as `<question>_1`, `_2`, … in the order of `options`. */
export function checkAllRow(rows: DataTable, question: string, text: string, options: string[]): TableCell[] {
  const counts = checkAll(rows, options.map((label, index) => ({column: `${question}_${index + 1}`, label})))
  return [`${question}: ${text}`, countsChart(counts), formatCounts(counts)]
}

/** Association tables: the factor and the test. */
export const associationColumns: TableColumn[] = [{header: 'Factor'}, {header: 'Association'}]

export const countryFactors: {label: string; column: string; transform?: (value: number) => number}[] = [
  {label: 'Total freedom (political rights + civil liberties; higher is worse)', column: 'total.freedom'},
  {label: 'Average TIP tier rating (from 2000-2015)', column: 'avg_tier'},
  {label: 'Improvement in TIP tier rating', column: 'improve_tip'},
  {label: 'Change in TIP policy index', column: 'change_policy'},
  {label: 'Country received US funding for TIP issues', column: 'total.funding', transform: Math.log1p}
]

export const organisationFactors: {label: string; column: string}[] = [
  {label: 'Organization received US funding', column: 'received.funding'},
  {label: 'Organization interacted with the US', column: 'us.involvement'},
  {label: 'Organization is based in the US', column: 'us.hq'}
]

/** Opinions of US importance (Q3.19), "Don't know" left out. */
export const importanceLevels = ['Most important actor', 'Somewhat important actor', 'Not an important actor']

/** Opinions of US positivity (Q3.25 with Negative folded away), "Don't know" left out. */
export const positivityLevels = ['Mixed', 'Positive']

/** The rows whose `column` holds one of `levels`. */
export function rowsIn(responses: DataTable, column: string, levels: string[]): DataTable {
  return responses.filter((row) => levels.includes(String(row[column])))
}
