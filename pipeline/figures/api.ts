/**
 * `manuscript-pipeline/figures`: what a figure definition in `figures/<name>.ts` imports.
 *
 * ```ts
 * import {defineFigure, categoryCounts} from 'manuscript-pipeline/figures'
 *
 * export default defineFigure({
 *   label: 'fig:knowledge',
 *   caption: 'How much organisations know about policy',
 *   data: {responses: 'data/responses.csv'},
 *   build({responses}) {
 *     const counts = categoryCounts(responses, 'Q3.3', ['None', 'Some', 'A lot'])
 *     return {
 *       data: {values: counts.categories.map(({label, count}) => ({label, count}))},
 *       mark: 'bar',
 *       encoding: {y: {field: 'label', type: 'nominal', sort: null}, x: {field: 'count', type: 'quantitative'}}
 *     }
 *   }
 * })
 * ```
 *
 * The pipeline bundles and runs the definition exactly as a table definition (a worker thread, a time limit, no
 * files: data only through `data`), checks the Vega-Lite specification it returns (data inline, nothing loaded from
 * a URL), renders it to SVG with Vega in the document's typefaces (in a process of its own, with the same time
 * limit), and writes `figures/<name>.svg` beside it.
 */
import type {DataTable} from '../tables/data-table.ts'
import type {DataSource} from '../tables/model.ts'

/** A Vega-Lite specification (https://vega.github.io/vega-lite/docs/spec.html) with its data inline: plain data. */
export type VegaLiteSpec = Record<string, unknown>

export interface FigureDefinition<Sources extends Record<string, DataSource> = Record<string, DataSource>> {
  /** The cross-reference label, `fig:…`. */
  label: string
  caption: string
  /** The data files the figure is made from, by the name `build` receives them under. */
  data: Sources
  /** The figure, from the loaded data, as a Vega-Lite specification. Runs in a worker thread with a time limit. */
  build(data: {readonly [Name in keyof Sources]: DataTable}): VegaLiteSpec | Promise<VegaLiteSpec>
}

/** Declares a figure; `export default` the result. */
export function defineFigure<const Sources extends Record<string, DataSource>>(definition: FigureDefinition<Sources>): FigureDefinition<Sources> {
  return definition
}

export {sansSerif, serif, textWidth} from './layout.ts'
export * from '../tables/definition-data.ts'
