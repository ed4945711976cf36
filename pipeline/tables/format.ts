/**
 * Numbers as the R scripts behind published tables printed them: `round(x, 2)` shown without trailing zeros
 * (`4%`, `2.7%`, `74.23%`), `sprintf("%.2f", x)` with them (`0.30`), p values as `p = 0.094` or `p < 0.001`.
 * Rounding is to the nearest decimal, an exact tie to the even digit, as both R's `round` (R ≥ 4) and C's printf
 * do; JavaScript's `toFixed` rounds such ties up (0.125 → "0.13" where R prints 0.12).
 */
import type {AnovaResult, CategoryCounts, ChiSquareResult, Description, TTestResult} from './statistics.ts'

/** `x` rounded to `digits` decimals as R's `round(x, digits)`. */
export function round(value: number, digits = 0): number {
  return Number(formatFixed(value, digits))
}

/** As R's `sprintf("%.<digits>f", x)`: always `digits` decimals; `NA` for a missing or impossible number. */
export function formatFixed(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return notANumber(value)
  const rounded = value.toFixed(digits)
  if (!isExactTie(value, digits)) return rounded
  // toFixed took the larger candidate; keep the smaller one when its last digit is even.
  const exact = Math.abs(value).toFixed(100)
  const point = exact.indexOf('.')
  const truncated = digits === 0 ? exact.slice(0, point) : exact.slice(0, point + 1 + digits)
  const lastDigit = Number(truncated[truncated.length - 1])
  if (lastDigit % 2 !== 0) return rounded
  return value < 0 && Number(truncated) !== 0 ? `-${truncated}` : truncated
}

/** As R's `as.character(round(x, digits))`: rounded, trailing zeros dropped (`56`, `2.7`, `74.23`). */
export function formatRounded(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return notANumber(value)
  const rounded = round(value, digits)
  return String(Object.is(rounded, -0) ? 0 : rounded)
}

/** As R prints a number by default: 7 significant digits, trailing zeros dropped. */
export function formatSignificant(value: number, significant = 7): string {
  if (!Number.isFinite(value)) return notANumber(value)
  return String(Number(value.toPrecision(significant)))
}

/** `count` of `total` as a percentage rounded to 2 decimals: `0.72%`, `26%`. */
export function formatPercent(count: number, total: number): string {
  return `${formatRounded((count / total) * 100, 2)}%`
}

/** `p = 0.094`, or `p < 0.001` below one in a thousand. */
export function formatP(p: number): string {
  if (Number.isNaN(p)) return 'p = NA'
  return p < 0.001 ? 'p < 0.001' : `p = ${formatFixed(p, 3)}`
}

/** A single-choice or check-all question's summary: `None (0.72%; 4); …; Don't know (0.72%; 4); N=555`. */
export function formatCounts(counts: CategoryCounts): string {
  const parts = counts.categories.map((category) => `${category.label} (${formatRounded(category.percent, 2)}%; ${category.count})`)
  return [...parts, `N=${counts.n}`].join('; ')
}

/** `Mean: 56.96; median: 56; standard deviation: 33.82; N=454`. */
export function formatDescription(description: Description): string {
  const {mean, median, sd, n} = description
  return `Mean: ${formatRounded(mean, 2)}; median: ${formatRounded(median, 2)}; standard deviation: ${formatRounded(sd, 2)}; N=${n}`
}

/** `F (2, 377) = 14.17, p < 0.001`. */
export function formatAnova(result: AnovaResult): string {
  return `F (${result.df1}, ${result.df2}) = ${formatFixed(result.f, 2)}, ${formatP(result.p)}`
}

/** `t (103.56) = -1.23, p = 0.220`, with the Welch degrees of freedom. */
export function formatTTest(result: TTestResult): string {
  return `t (${formatFixed(result.df, 2)}) = ${formatFixed(result.t, 2)}, ${formatP(result.p)}`
}

/** `χ²(2, N = 380) = 12.34, p = 0.002, φc = 0.18`: the test's statistic, Cramér's V from the uncorrected one. */
export function formatChiSquare(result: ChiSquareResult): string {
  return `χ²(${result.df}, N = ${result.n}) = ${formatFixed(result.statistic, 2)}, ${formatP(result.p)}, φc = ${formatFixed(result.cramersV, 2)}`
}

/** Is `value` exactly halfway between two `digits`-decimal numbers? (Decided on its exact binary value.) */
function isExactTie(value: number, digits: number): boolean {
  const exact = Math.abs(value).toFixed(100)
  const rest = exact.slice(exact.indexOf('.') + 1 + digits)
  return rest[0] === '5' && /^50*$/.test(rest)
}

function notANumber(value: number): string {
  return Number.isNaN(value) ? 'NA' : value > 0 ? 'Inf' : '-Inf'
}
