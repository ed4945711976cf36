/**
 * Shared by the trenches figure definitions: the survey file, its organisation rows, the look of the published
 * figures (grey bars, percent labels beside them) and the country means of the opinion figures. A helper, not a
 * figure: its name starts with `_`.
 */
import {describe, formatFixed, textWidth, type DataTable, type VegaLiteSpec} from 'manuscript-pipeline/figures'

/** One row per organisation × country answered. */
export const responsesFile = 'data/responses_full_anonymized.csv'

/** Organisation-level questions were asked once: the first row of each organisation. */
export function organisationRows(responses: DataTable): DataTable {
  return responses.firstOfEach('clean.id')
}

/** `30.9%`, as the published figures label their bars. */
export function percentLabel(count: number, total: number): string {
  return `${formatFixed((count / total) * 100, 1)}%`
}

/** One category's bars: its name, and count and percent on each side. */
export interface MirroredRow {
  name: string
  left: number
  leftLabel: string
  right: number
  rightLabel: string
}

/**
 * Two bar charts back to back with the category names between them, as the published location and embassy
 * figures: the left one grows leftwards. Each bar is labelled with its percent.
 */
export function mirroredBars(rows: MirroredRow[], options: {leftTitle: string; rightTitle: string; nameWidth: number; rowHeight: number}): VegaLiteSpec {
  const barWidth = Math.floor((textWidth - options.nameWidth - 40) / 2)
  const height = options.rowHeight * rows.length
  const order = rows.map((row) => row.name)
  const y = {field: 'name', type: 'nominal', sort: order, axis: null}
  const side = (value: 'left' | 'right', title: string) => ({
    width: barWidth,
    height,
    encoding: {y, x: {field: value, type: 'quantitative', title, scale: {reverse: value === 'left'}, axis: {tickCount: 5, titleFontSize: 9}}},
    layer: [
      {mark: {type: 'bar', height: {band: 0.9}}},
      {mark: {type: 'text', align: value === 'left' ? 'right' : 'left', dx: value === 'left' ? -4 : 4, fontSize: 9, color: '#333'}, encoding: {text: {field: `${value}Label`}}}
    ]
  })
  return {
    data: {values: rows},
    spacing: 0,
    hconcat: [side('left', options.leftTitle), {width: options.nameWidth, height, mark: {type: 'text', fontSize: 9, color: '#333'}, encoding: {y, text: {field: 'name'}}}, side('right', options.rightTitle)]
  }
}

/** A country's mean opinion, its SD and its number of responses (rows, answered or not). */
export interface CountryMean {
  country: string
  responses: number
  mean: number
  sd: number
  label: string
}

/**
 * The mean and SD of a question scored by `scores` (other answers, such as "Don't know", are left out) for each
 * country with at least `minimum` responses, highest mean first.
 */
export function countryMeans(responses: DataTable, question: string, scores: Record<string, number>, minimum: number): CountryMean[] {
  const countries = [...new Set(responses.values('work.country').filter((country): country is string => typeof country === 'string'))]
  const means: CountryMean[] = []
  for (const country of countries) {
    const [rows] = responses.split('work.country', [country])
    if (rows.length < minimum) continue
    const values = rows.values(question).flatMap((answer) => (typeof answer === 'string' && answer in scores ? [scores[answer]] : []))
    const {mean, sd} = describe(values)
    means.push({country, responses: rows.length, mean, sd: Number.isNaN(sd) ? 0 : sd, label: `${country} (${rows.length})`})
  }
  // Ties as the published figures placed them (R's stable sorts): fewer responses first, then by name from Z to A.
  return means.sort((a, b) => b.mean - a.mean || a.responses - b.responses || b.country.localeCompare(a.country))
}

/** Means as points with a line from mean − SD to mean + SD, countries down the side, the scale's levels named. */
export function meanRanges(means: CountryMean[], options: {title: string; levels: [number, string][]; domain: [number, number]}): VegaLiteSpec {
  const names = Object.fromEntries(options.levels.map(([value, name]) => [String(value), name]))
  const x = {type: 'quantitative', scale: {domain: options.domain, nice: false}}
  return {
    data: {values: means.map((mean) => ({...mean, low: mean.mean - mean.sd, high: mean.mean + mean.sd}))},
    height: 22 * means.length,
    encoding: {y: {field: 'label', type: 'nominal', sort: means.map((mean) => mean.label), title: 'Country (number of responses)', axis: {labelFontSize: 10, ticks: false, domain: false}}},
    layer: [
      {mark: {type: 'rule', strokeWidth: 1.5, color: 'black'}, encoding: {x: {...x, field: 'low', title: options.title, axis: {values: options.levels.map(([value]) => value), labelExpr: `${JSON.stringify(names)}[datum.value] || ''`, grid: true, labelFontSize: 10}}, x2: {field: 'high'}}},
      {mark: {type: 'point', filled: true, size: 60, color: 'black', opacity: 1}, encoding: {x: {...x, field: 'mean'}}}
    ]
  }
}
