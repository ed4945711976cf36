/**
 * The statistics survey tables report, computed as R computes them: counts and percents of a single-choice
 * question in a given category order; a check-all question over those who ticked anything; mean, median, SD
 * (n − 1) and N; one-way ANOVA (`aov`); Welch's two-sample t-test (`t.test`, two-sided); the chi-square test of
 * independence (`chisq.test`: Yates' continuity correction on 2×2 tables only) with Cramér's V from the
 * uncorrected Pearson statistic (`vcd::assocstats`). Descriptives come from simple-statistics, distribution
 * functions from stdlib.
 */
import {mean, median, sampleStandardDeviation, sampleVariance, sum} from 'simple-statistics'
import {DataError, type DataTable} from './data-table.ts'
import {loadDistributions} from './distributions.ts'
import type {Value} from './model.ts'

/** A category: the value as it is in the data, and the label the table shows (default: the value). */
export type Category = string | {value: Value; label: string}

export interface CategoryCount {
  label: string
  value: Value
  count: number
  /** Percent of `n` (0–100). */
  percent: number
}

export interface CategoryCounts {
  categories: CategoryCount[]
  /** The denominator: rows that answered (single choice) or ticked at least one option (check-all). */
  n: number
}

/**
 * Counts and percents of a single-choice question, in the order of `categories`. Missing answers are left out
 * of N; an answer that is not among the categories is an error naming its row, since R's `factor` would
 * silently drop it.
 */
export function categoryCounts(table: DataTable, column: string, categories: readonly Category[]): CategoryCounts {
  const normalized = categories.map(normalizeCategory)
  const counts = new Map<Value, number>(normalized.map((category) => [category.value, 0]))
  const values = table.values(column)
  values.forEach((value, position) => {
    if (value === null) return
    const count = counts.get(value)
    if (count === undefined) {
      const known = normalized.map((category) => JSON.stringify(category.value)).join(', ')
      throw new DataError(`Column "${column}" of ${table.file} holds ${JSON.stringify(value)} in row ${table.fileRow(position) + 1}, which is not among the categories given (${known}); add it to the categories or filter the row out first`, {file: table.file, row: table.fileRow(position), column})
    }
    counts.set(value, count + 1)
  })
  const n = sum([...counts.values()])
  return {n, categories: normalized.map((category) => withPercent(category, counts.get(category.value) ?? 0, n))}
}

/**
 * A check-all question, one column per option (ticked: any value but missing, 0, `FALSE` or empty text). The
 * denominator is the rows that ticked at least one option.
 */
export function checkAll(table: DataTable, options: readonly {column: string; label: string}[]): CategoryCounts {
  const ticks = options.map((option) => table.values(option.column).map(isTicked))
  let n = 0
  for (let row = 0; row < table.length; row++) if (ticks.some((column) => column[row])) n++
  return {
    n,
    categories: options.map((option, index) => withPercent({label: option.label, value: option.column}, ticks[index].filter(Boolean).length, n))
  }
}

export interface Description {
  n: number
  mean: number
  median: number
  /** Sample standard deviation (denominator n − 1), as R's `sd`. */
  sd: number
}

/** Mean, median, SD and N; NaN (printed `NA`) where R gives `NA`. */
export function describe(values: readonly number[]): Description {
  const list = [...values]
  return {
    n: list.length,
    mean: list.length ? mean(list) : Number.NaN,
    median: list.length ? median(list) : Number.NaN,
    sd: list.length > 1 ? sampleStandardDeviation(list) : Number.NaN
  }
}

export interface AnovaResult {
  f: number
  df1: number
  df2: number
  p: number
}

/** One-way ANOVA of the groups (empty groups are left out, as `aov` drops unused levels). */
export function oneWayAnova(groups: readonly (readonly number[])[]): AnovaResult {
  const present = groups.filter((group) => group.length > 0)
  const all = present.flat()
  const df1 = present.length - 1
  const df2 = all.length - present.length
  if (df1 < 1 || df2 < 1) throw new RangeError(`One-way ANOVA needs at least two non-empty groups and more values than groups; got ${present.length} groups and ${all.length} values`)
  const grand = mean(all)
  const means = present.map((group) => mean([...group]))
  const between = sum(present.map((group, index) => group.length * (means[index] - grand) ** 2))
  const within = sum(present.map((group, index) => sum(group.map((value) => (value - means[index]) ** 2))))
  const f = between / df1 / (within / df2)
  return {f, df1, df2, p: 1 - loadDistributions().fCdf(f, df1, df2)}
}

export interface TTestResult {
  t: number
  /** Welch–Satterthwaite degrees of freedom. */
  df: number
  p: number
  /** mean(x) − mean(y). */
  difference: number
}

/** Welch's two-sample t-test of x against y (x minus y), two-sided, as R's `t.test(x, y)`. */
export function welchTTest(x: readonly number[], y: readonly number[]): TTestResult {
  if (x.length < 2 || y.length < 2) throw new RangeError(`A t-test needs at least two values in each group; got ${x.length} and ${y.length}`)
  const varianceX = sampleVariance([...x]) / x.length
  const varianceY = sampleVariance([...y]) / y.length
  const standardError = Math.sqrt(varianceX + varianceY)
  const difference = mean([...x]) - mean([...y])
  const t = difference / standardError
  const df = (varianceX + varianceY) ** 2 / (varianceX ** 2 / (x.length - 1) + varianceY ** 2 / (y.length - 1))
  return {t, df, p: 2 * loadDistributions().tCdf(-Math.abs(t), df), difference}
}

export interface ChiSquareResult {
  /** The test statistic: Yates-corrected on a 2×2 table (when `correct`), else Pearson's. */
  statistic: number
  df: number
  p: number
  /** Total count. */
  n: number
  /** Pearson's statistic without correction. */
  pearson: number
  /** Cramér's V (φc) from the uncorrected statistic. */
  cramersV: number
  corrected: boolean
}

/** Chi-square test of independence on a table of counts, as R's `chisq.test(x)` (default `correct = TRUE`). */
export function chiSquareTest(observed: readonly (readonly number[])[], options: {correct?: boolean} = {}): ChiSquareResult {
  const rows = observed.length
  const columns = observed[0]?.length ?? 0
  if (rows < 2 || columns < 2 || observed.some((row) => row.length !== columns)) {
    throw new RangeError(`A chi-square test needs a rectangular table of at least 2×2 counts; got ${rows} rows of ${observed.map((row) => row.length).join(', ')}`)
  }
  const rowTotals = observed.map((row) => sum([...row]))
  const columnTotals = Array.from({length: columns}, (_, column) => sum(observed.map((row) => row[column])))
  const n = sum(rowTotals)
  const expected = rowTotals.map((rowTotal) => columnTotals.map((columnTotal) => (rowTotal * columnTotal) / n))
  if (expected.some((row) => row.some((value) => value === 0))) throw new RangeError('A chi-square test needs every row and column of the table to have some counts')
  const deviations = observed.map((row, i) => row.map((value, j) => Math.abs(value - expected[i][j])))
  const corrected = (options.correct ?? true) && rows === 2 && columns === 2
  // R: YATES <- min(0.5, abs(x - E)), the smallest deviation of all cells.
  const yates = corrected ? Math.min(0.5, ...deviations.flat()) : 0
  const statisticWith = (correction: number) => sum(deviations.flatMap((row, i) => row.map((deviation, j) => (deviation - correction) ** 2 / expected[i][j])))
  const statistic = statisticWith(yates)
  const pearson = statisticWith(0)
  const df = (rows - 1) * (columns - 1)
  return {
    statistic,
    df,
    p: 1 - loadDistributions().chiSquareCdf(statistic, df),
    n,
    pearson,
    cramersV: Math.sqrt(pearson / (n * (Math.min(rows, columns) - 1))),
    corrected
  }
}

export interface CrossTable {
  rows: Value[]
  columns: Value[]
  /** counts[row level][column level] */
  counts: number[][]
}

/**
 * The cross-tabulation of two columns (R's `table(x, y)`), rows with either value missing left out. Levels
 * default to the values present, sorted (`FALSE` before `TRUE`); given levels fix the order, and a value outside
 * them is an error naming its row.
 */
export function crossTabulate(table: DataTable, rowColumn: string, columnColumn: string, levels: {rows?: readonly Value[]; columns?: readonly Value[]} = {}): CrossTable {
  const rowValues = table.values(rowColumn)
  const columnValues = table.values(columnColumn)
  const complete = rowValues.map((value, position) => value !== null && columnValues[position] !== null)
  const rowLevels = [...(levels.rows ?? sortedLevels(rowValues.filter((_, position) => complete[position])))]
  const columnLevels = [...(levels.columns ?? sortedLevels(columnValues.filter((_, position) => complete[position])))]
  const counts = rowLevels.map(() => columnLevels.map(() => 0))
  rowValues.forEach((rowValue, position) => {
    if (!complete[position]) return
    const i = levelIndex(table, rowColumn, rowLevels, rowValue, position)
    const j = levelIndex(table, columnColumn, columnLevels, columnValues[position], position)
    counts[i][j]++
  })
  return {rows: rowLevels, columns: columnLevels, counts}
}

function levelIndex(table: DataTable, column: string, levels: Value[], value: Value, position: number): number {
  const index = levels.indexOf(value)
  if (index >= 0) return index
  const row = table.fileRow(position)
  throw new DataError(`Column "${column}" of ${table.file} holds ${JSON.stringify(value)} in row ${row + 1}, which is not among the levels given (${levels.map((level) => JSON.stringify(level)).join(', ')})`, {file: table.file, row, column})
}

function sortedLevels(values: Value[]): Value[] {
  return [...new Set(values)].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))))
}

function normalizeCategory(category: Category): {value: Value; label: string} {
  return typeof category === 'string' ? {value: category, label: category} : category
}

function withPercent(category: {value: Value; label: string}, count: number, n: number): CategoryCount {
  return {label: category.label, value: category.value, count, percent: n ? (count / n) * 100 : Number.NaN}
}

function isTicked(value: Value): boolean {
  return value !== null && value !== 0 && value !== false && value !== ''
}
