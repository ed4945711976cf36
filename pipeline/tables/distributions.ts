/**
 * The distribution functions the tests' p-values come from (stdlib). They are most of the runtime module's code, which
 * QuickJS would otherwise parse for every definition, tests or not: so the sandbox's runtime is built with
 * distributions-sandbox.ts in place of this module, and gets them as a script of their own, evaluated in the
 * definition's runtime when a test first needs one (sandbox-files.ts, scripts/compile.mjs).
 */
import chiSquareCdf from '@stdlib/stats-base-dists-chisquare-cdf'
import fCdf from '@stdlib/stats-base-dists-f-cdf'
import tCdf from '@stdlib/stats-base-dists-t-cdf'

export interface Distributions {
  chiSquareCdf: (x: number, k: number) => number
  fCdf: (x: number, d1: number, d2: number) => number
  tCdf: (x: number, v: number) => number
}

export const distributions: Distributions = {chiSquareCdf, fCdf, tCdf}

export function loadDistributions(): Distributions {
  return distributions
}
