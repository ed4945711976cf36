/**
 * `manuscript-pipeline/tables`: what a table definition in `tables/<name>.ts` imports.
 *
 * ```ts
 * import {defineTable, categoryCounts, formatCounts} from 'manuscript-pipeline/tables'
 *
 * export default defineTable({
 *   label: 'tbl:knowledge',
 *   caption: 'How much organisations know about policy',
 *   data: {responses: 'data/responses.csv'},
 *   build({responses}) {
 *     const counts = categoryCounts(responses, 'Q3.3', ['None', 'Some', 'A lot'])
 *     return {columns: [{header: 'Question'}, {header: 'Summary'}], rows: [['Q3.3: How much …?', formatCounts(counts)]]}
 *   }
 * })
 * ```
 *
 * The pipeline bundles the definition with this module, runs it in a worker thread with the named data files
 * loaded (CSV: typed columns, `NA` and empty fields missing), and writes `tables/<name>.md` beside it.
 */
import type {DataTable} from './data-table.ts'
import type {DataSource, TableContent} from './model.ts'

export interface TableDefinition<Sources extends Record<string, DataSource> = Record<string, DataSource>> {
  /** The cross-reference label, `tbl:…`. */
  label: string
  caption: string
  /** The data files the table is made from, by the name `build` receives them under. */
  data: Sources
  /** The table, from the loaded data. Runs in a worker thread with a time limit; it may be async. */
  build(data: {readonly [Name in keyof Sources]: DataTable}): TableContent | Promise<TableContent>
}

/** Declares a table; `export default` the result. */
export function defineTable<const Sources extends Record<string, DataSource>>(definition: TableDefinition<Sources>): TableDefinition<Sources> {
  return definition
}

export * from './definition-data.ts'
export {formatAnova, formatChiSquare, formatCounts, formatDescription, formatP, formatTTest} from './format.ts'
export {barChart, countsChart, histogram} from './chart.ts'
export type {Alignment, BarChart, TableCell, TableColumn, TableContent} from './model.ts'
