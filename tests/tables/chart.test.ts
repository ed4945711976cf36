/** The small bar charts a table row may carry: the bars a reader sees and the description a screen reader reads. */
import {describe, expect, it} from 'vitest'
import {barChartSvg, countsChart, histogram} from '../../pipeline/tables/chart.ts'
import type {CategoryCounts} from '../../pipeline/tables/statistics.ts'

/** Bar heights (the chart is 14 high) and the description, read from the SVG. */
function drawn(svg: string): {heights: number[]; label: string} {
  return {heights: [...svg.matchAll(/<rect [^>]*height="([\d.]+)"/g)].map((match) => Number(match[1])), label: /aria-label="([^"]*)"/.exec(svg)![1]}
}

describe('countsChart', () => {
  it('draws each category’s percent on a 0–100 scale, labelled to one decimal', () => {
    const counts: CategoryCounts = {n: 8, categories: [{label: 'Yes', value: 'Yes', count: 4, percent: 50}, {label: 'No', value: 'No', count: 3, percent: 37.5}, {label: 'Unsure', value: 'Unsure', count: 1, percent: 12.5}]}
    // Half of 14 for 50%, whatever the largest bar: the scale is percent, not the largest count.
    expect(drawn(barChartSvg(countsChart(counts)))).toEqual({heights: [7, 5.25, 1.75], label: 'Bar chart: Yes 50.0%; No 37.5%; Unsure 12.5%'})
  })
})

describe('histogram', () => {
  it('counts values in equal bins, the upper edge in the last bin, values outside the range left out', () => {
    const chart = histogram([0, 10, 25, 49.9, 50, 99, 100, 150, -1], {bins: 4, from: 0, to: 100})
    expect(chart.values).toEqual([2, 2, 1, 2])
    expect(drawn(barChartSvg(chart))).toEqual({heights: [14, 14, 7, 14], label: 'Bar chart: 0–25: 2; 25–50: 2; 50–75: 1; 75–100: 2'})
  })

  it('spans the values’ own range when none is given', () => {
    expect(histogram([2, 4, 6, 8], {bins: 2}).values).toEqual([2, 2])
    expect(histogram([2, 4, 6, 8], {bins: 2}).labels).toEqual(['2–5: 2', '5–8: 2'])
  })
})
