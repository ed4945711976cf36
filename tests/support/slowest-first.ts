/**
 * Starts the longest test files first, so that on two workers no long file starts last and runs alone while the
 * other worker idles. vitest orders files by the durations of the last run, which a fresh checkout (CI) does not
 * have: it then starts the largest files first, and the longest ones are short files that run a whole project or
 * an external suite. The files listed here, measured as the longest (per-file durations of a full run, in
 * node_modules/.vite/vitest/…/results.json), go first, in this order; every other file keeps vitest's order (the last
 * run's durations where known).
 */
import type {TestSpecification} from 'vitest/node'
import {BaseSequencer} from 'vitest/node'

/** Longest first; the order matters only for files that take many seconds. */
export const longestFiles = [
  'tests/syntax/linear-time.test.ts',
  'tests/render/pandoc-suite.test.ts',
  'tests/cli/stop.test.ts',
  'tests/trust/bad-input.test.ts',
  'tests/syntax/reparse.test.ts',
  'tests/syntax/linear-constructs.test.ts',
  'tests/trust/cli.test.ts',
  'tests/figures/regenerate.test.ts',
  'tests/render/docx/libreoffice-trenches.test.ts',
  'tests/render/docx/libreoffice-sample.test.ts',
  'tests/trust/reproducible.test.ts',
  'tests/figures/draw.test.ts',
  'tests/watch/stop.test.ts',
  'tests/build/trenches-submission.test.ts'
]

export class SlowestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files)
    const rank = (file: TestSpecification) => {
      const index = longestFiles.findIndex((listed) => file.moduleId.endsWith(listed))
      return index === -1 ? longestFiles.length : index
    }
    // Array.prototype.sort is stable: the files not listed keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b))
  }
}
