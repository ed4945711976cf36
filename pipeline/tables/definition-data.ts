/**
 * What table and figure definitions are both given: the data as tables of typed columns, the statistics helpers and
 * the number formats. `manuscript-pipeline/tables` and `manuscript-pipeline/figures` both export all of it.
 */
export {DataError, DataTable, type Row} from './data-table.ts'
export {
  categoryCounts,
  checkAll,
  chiSquareTest,
  crossTabulate,
  describe,
  oneWayAnova,
  welchTTest,
  type AnovaResult,
  type Category,
  type CategoryCount,
  type CategoryCounts,
  type ChiSquareResult,
  type CrossTable,
  type Description,
  type TTestResult
} from './statistics.ts'
export {formatFixed, formatPercent, formatRounded, formatSignificant, round} from './format.ts'
export type {ColumnType, CsvSource, DataSource, Value} from './model.ts'
