/**
 * The tests against results R prints for its own documented examples (datasets `sleep` and `PlantGrowth`, the
 * `chisq.test` help page), and 2×2 cases checked with scipy.stats.chi2_contingency, which applies the same Yates
 * correction as R on 2×2 tables.
 */
import {describe, expect, it} from 'vitest'
import {DataTable} from '../../pipeline/tables/data-table.ts'
import type {ParsedData, Value} from '../../pipeline/tables/model.ts'
import {categoryCounts, checkAll, chiSquareTest, crossTabulate, describe as describeValues, oneWayAnova, welchTTest} from '../../pipeline/tables/statistics.ts'

function table(columns: Record<string, Value[]>): DataTable {
  const names = Object.keys(columns)
  const data: ParsedData = {file: 'data/test.csv', columns: names, types: names.map(() => 'string'), values: names.map((name) => columns[name]), rowCount: columns[names[0]].length}
  return new DataTable(data)
}

describe('Welch two-sample t-test', () => {
  it('matches R: t.test(extra ~ group, data = sleep) gives t = -1.8608, df = 17.776, p = 0.07939', () => {
    const group1 = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    const group2 = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    const result = welchTTest(group1, group2)
    expect(result.t).toBeCloseTo(-1.8608, 4)
    expect(result.df).toBeCloseTo(17.776, 3)
    expect(result.p).toBeCloseTo(0.07939, 5)
  })
})

describe('one-way ANOVA', () => {
  it('matches R: summary(aov(weight ~ group, PlantGrowth)) gives F = 4.846 on 2 and 27 df, p = 0.01591', () => {
    const control = [4.17, 5.58, 5.18, 6.11, 4.5, 4.61, 5.17, 4.53, 5.33, 5.14]
    const treatment1 = [4.81, 4.17, 4.41, 3.59, 5.87, 3.83, 6.03, 4.89, 4.32, 4.69]
    const treatment2 = [6.31, 5.12, 5.54, 5.5, 5.37, 5.29, 4.92, 6.15, 5.8, 5.26]
    const result = oneWayAnova([control, treatment1, treatment2])
    expect(result.f).toBeCloseTo(4.846, 3)
    expect([result.df1, result.df2]).toEqual([2, 27])
    expect(result.p).toBeCloseTo(0.01591, 5)
  })

  it('leaves out an empty group, as aov drops an unused level', () => {
    expect(oneWayAnova([[1, 2, 3], [], [4, 5, 7]]).df1).toBe(1)
  })
})

describe('chi-square test of independence', () => {
  it('matches R on a 2×3 table (no correction): the chisq.test help example, X-squared = 30.07, df = 2, p = 2.954e-07', () => {
    const result = chiSquareTest([
      [762, 327, 468],
      [484, 239, 477]
    ])
    expect(result.corrected).toBe(false)
    expect(result.statistic).toBeCloseTo(30.07, 2)
    expect(result.df).toBe(2)
    expect(result.p).toBeCloseTo(2.954e-7, 9)
    expect(result.n).toBe(2757)
    // vcd::assocstats: V = sqrt(X² / (n (min(r, c) − 1))).
    expect(result.cramersV).toBeCloseTo(Math.sqrt(30.07015 / 2757), 4)
  })

  it("applies Yates' correction on a 2×2 table only, and takes Cramér's V from the uncorrected statistic", () => {
    // scipy.stats.chi2_contingency([[12, 5], [7, 7]]): corrected 0.64112, p = 0.42331; uncorrected 1.37165.
    const result = chiSquareTest([
      [12, 5],
      [7, 7]
    ])
    expect(result.corrected).toBe(true)
    expect(result.statistic).toBeCloseTo(0.6411, 4)
    expect(result.p).toBeCloseTo(0.4233, 4)
    expect(result.pearson).toBeCloseTo(1.37165, 4)
    expect(result.cramersV).toBeCloseTo(Math.sqrt(1.37165 / 31), 4)
    expect(chiSquareTest([[12, 5], [7, 7]], {correct: false}).statistic).toBeCloseTo(1.37165, 4)
  })

  it('corrects by less than 0.5 when a deviation is smaller, as R does (min(0.5, |O − E|))', () => {
    // Every cell is 0.19 from its expected count (9.81, 7.19, 20.19, 14.81): corrected to 0, p = 1 (scipy agrees);
    // uncorrected 0.01324.
    const result = chiSquareTest([
      [10, 7],
      [20, 15]
    ])
    expect(result.statistic).toBeCloseTo(0, 10)
    expect(result.p).toBeCloseTo(1, 10)
    expect(result.pearson).toBeCloseTo(0.01324, 5)
  })
})

describe('descriptives and counts', () => {
  it('gives mean, median (middle pair averaged), sample SD and N', () => {
    expect(describeValues([1, 2, 3, 10])).toEqual({n: 4, mean: 4, median: 2.5, sd: Math.sqrt(((1 - 4) ** 2 + (2 - 4) ** 2 + (3 - 4) ** 2 + 36) / 3)})
    expect(describeValues([]).n).toBe(0)
  })

  it('counts a single-choice question in the given order, missing answers outside N', () => {
    const data = table({q: ['Some', 'A lot', null, 'A lot', 'None']})
    const counts = categoryCounts(data, 'q', ['None', 'Some', {value: 'A lot', label: 'Much'}])
    expect(counts.n).toBe(4)
    expect(counts.categories.map((category) => [category.label, category.count, category.percent])).toEqual([
      ['None', 1, 25],
      ['Some', 1, 25],
      ['Much', 2, 50]
    ])
  })

  it('refuses an answer outside the categories, naming its row', () => {
    const data = table({q: ['Some', 'Maybe']})
    expect(() => categoryCounts(data, 'q', ['Some'])).toThrow(/"Maybe" in row 2/)
  })

  it('takes a check-all question over those who ticked at least one option', () => {
    const data = table({a: [1, null, null, 1], b: [1, null, 1, null]})
    const counts = checkAll(data, [
      {column: 'a', label: 'A'},
      {column: 'b', label: 'B'}
    ])
    expect(counts.n).toBe(3)
    expect(counts.categories.map((category) => [category.count, Math.round(category.percent * 100) / 100])).toEqual([
      [2, 66.67],
      [2, 66.67]
    ])
  })

  it('cross-tabulates two columns, leaving out rows with either missing', () => {
    const data = table({group: ['x', 'y', 'x', null, 'y'], flag: [true, false, false, true, null]})
    expect(crossTabulate(data, 'group', 'flag')).toEqual({rows: ['x', 'y'], columns: [false, true], counts: [[1, 1], [1, 0]]})
  })
})
