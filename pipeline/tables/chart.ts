/**
 * The tiny bar chart a table row may carry (as the published survey tables had, drawn there by R): made in a
 * definition with `barChart` or `histogram`, drawn by the pipeline as one line of inline SVG, so the HTML and
 * the PDF show it without image files.
 */
import type {BarChart} from './model.ts'
import type {CategoryCounts} from './statistics.ts'

const width = 64
const height = 14
const gap = 1

/** One bar per value, scaled to `max` (default: the largest value). */
export function barChart(values: readonly number[], options: {max?: number; labels?: readonly string[]} = {}): BarChart {
  return {type: 'bar-chart', values: [...values], max: options.max, labels: options.labels ? [...options.labels] : undefined}
}

/** The percents of counted categories as bars on a 0–100 scale. */
export function countsChart(counts: CategoryCounts): BarChart {
  return barChart(
    counts.categories.map((category) => category.percent),
    {max: 100, labels: counts.categories.map((category) => `${category.label} ${category.percent.toFixed(1)}%`)}
  )
}

/** A histogram of `values` in `bins` equal bins from `from` to `to` (default: the values' range). */
export function histogram(values: readonly number[], options: {bins?: number; from?: number; to?: number} = {}): BarChart {
  const bins = options.bins ?? 10
  const from = options.from ?? Math.min(...values)
  const to = options.to ?? Math.max(...values)
  const counts = Array.from({length: bins}, () => 0)
  const span = to - from || 1
  for (const value of values) {
    if (value < from || value > to) continue
    counts[Math.min(bins - 1, Math.floor(((value - from) / span) * bins))]++
  }
  const labels = counts.map((count, bin) => `${formatEdge(from + (span * bin) / bins)}–${formatEdge(from + (span * (bin + 1)) / bins)}: ${count}`)
  return barChart(counts, {labels})
}

export function isBarChart(value: unknown): value is BarChart {
  return typeof value === 'object' && value !== null && (value as BarChart).type === 'bar-chart' && Array.isArray((value as BarChart).values)
}

/** The chart as one line of SVG markup, bars in the text colour, described for screen readers. */
export function barChartSvg(chart: BarChart): string {
  const values = chart.values.map((value) => (Number.isFinite(value) && value > 0 ? value : 0))
  const max = chart.max ?? Math.max(0, ...values)
  const slot = values.length ? width / values.length : width
  const bars = values.map((value, index) => {
    const barHeight = max > 0 ? Math.max(value > 0 ? 0.5 : 0, (value / max) * height) : 0
    return `<rect x="${round(index * slot + gap / 2)}" y="${round(height - barHeight)}" width="${round(Math.max(slot - gap, 0.5))}" height="${round(barHeight)}"/>`
  })
  const description = chart.labels?.length ? chart.labels.join('; ') : chart.values.join(', ')
  return `<svg xmlns="http://www.w3.org/2000/svg" class="table-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeAttribute(`Bar chart: ${description}`)}" fill="currentColor">${bars.join('')}</svg>`
}

function round(value: number): number {
  return Math.round(value * 100) / 100
}

function formatEdge(value: number): string {
  return String(Math.round(value * 100) / 100)
}

function escapeAttribute(text: string): string {
  // `|` would end the pipe-table cell the chart sits in.
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\|/g, '&#124;')
}
