/** Numbers print as the R scripts behind the published tables printed them. */
import {describe, expect, it} from 'vitest'
import {formatAnova, formatChiSquare, formatCounts, formatDescription, formatFixed, formatP, formatPercent, formatRounded, formatSignificant, formatTTest, round} from '../../pipeline/tables/format.ts'

describe('R-style rounding', () => {
  it('drops trailing zeros after round(x, 2), as R prints percentages', () => {
    expect(formatPercent(4, 555)).toBe('0.72%')
    expect(formatPercent(15, 555)).toBe('2.7%')
    expect(formatPercent(143, 550)).toBe('26%')
    expect(formatPercent(412, 555)).toBe('74.23%')
    expect(formatRounded(56, 2)).toBe('56')
  })

  it('keeps the decimals with sprintf("%.2f") and "%.3f"', () => {
    expect(formatFixed(0.3, 2)).toBe('0.30')
    expect(formatFixed(14.17415742, 2)).toBe('14.17')
    expect(formatFixed(0.0941, 3)).toBe('0.094')
    expect(formatFixed(-0.001, 2)).toBe('-0.00')
  })

  it('rounds an exact binary tie to the even digit, as R and C do (JavaScript rounds it up)', () => {
    expect((0.125).toFixed(2)).toBe('0.13')
    expect(formatFixed(0.125, 2)).toBe('0.12')
    expect(formatFixed(0.375, 2)).toBe('0.38')
    expect(round(2.5)).toBe(2)
    expect(round(-0.125, 2)).toBe(-0.12)
    // 2.675 is stored just below the tie, so it rounds down everywhere.
    expect(formatFixed(2.675, 2)).toBe('2.67')
  })

  it('prints 7 significant digits by default, and NA for a missing number', () => {
    expect(formatSignificant(2280 / 52)).toBe('43.84615')
    expect(formatSignificant(3)).toBe('3')
    expect(formatFixed(Number.NaN)).toBe('NA')
    expect(formatRounded(Number.NaN)).toBe('NA')
  })
})

describe('p values and test results', () => {
  it('writes p = 0.094 or p < 0.001', () => {
    expect(formatP(0.0941)).toBe('p = 0.094')
    expect(formatP(0.001)).toBe('p = 0.001')
    expect(formatP(0.00099)).toBe('p < 0.001')
    expect(formatP(1.16e-6)).toBe('p < 0.001')
  })

  it('formats ANOVA, t-test and chi-square cells as the published tables do', () => {
    expect(formatAnova({f: 14.17415742, df1: 2, df2: 377, p: 1.16e-6})).toBe('F (2, 377) = 14.17, p < 0.001')
    expect(formatTTest({t: -1.860813, df: 17.77647, p: 0.07939414, difference: -1.58})).toBe('t (17.78) = -1.86, p = 0.079')
    expect(formatChiSquare({statistic: 30.07015, df: 2, p: 2.953589e-7, n: 2757, pearson: 30.07015, cramersV: 0.1044, corrected: false})).toBe('χ²(2, N = 2757) = 30.07, p < 0.001, φc = 0.10')
  })

  it('formats category counts and a description like the Summary column', () => {
    const counts = {n: 555, categories: [{label: 'None', value: 'None', count: 4, percent: (4 / 555) * 100}, {label: "Don't know", value: "Don't know", count: 4, percent: (4 / 555) * 100}]}
    expect(formatCounts(counts)).toBe("None (0.72%; 4); Don't know (0.72%; 4); N=555")
    expect(formatDescription({n: 454, mean: 56.9647577, median: 56, sd: 33.8235075})).toBe('Mean: 56.96; median: 56; standard deviation: 33.82; N=454')
  })
})
