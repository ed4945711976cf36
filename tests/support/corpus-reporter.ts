/**
 * Says in one line, after the summary, which tests were skipped for lack of ../shared/corpus, so that a green run
 * on a fresh clone is not taken for a run of everything.
 */
import path from 'node:path'
import type {Reporter, TestModule, Vitest} from 'vitest/node'
import {corpus, repoRoot, skipCorpusTests} from './project.ts'

export class CorpusReporter implements Reporter {
  private vitest?: Vitest

  onInit(vitest: Vitest): void {
    this.vitest = vitest
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    // On CI a missing corpus fails its tests instead (tests/support/global-setup.ts says why).
    if (!skipCorpusTests) return
    let skipped = 0
    const files = new Set<string>()
    for (const testModule of testModules) {
      for (const test of testModule.children.allTests('skipped')) {
        if (!test.tags.includes('corpus')) continue
        skipped++
        files.add(testModule.moduleId)
      }
    }
    if (skipped === 0) return
    const where = path.relative(repoRoot, corpus)
    this.vitest?.logger.log(
      `${where} is not beside this checkout: skipped ${skipped} tests in ${files.size} files that read real-world input (the trenches project, pandoc's and pandoc-crossref's test cases, other authors' manuscripts); CI runs them. The project's own fixtures cover every feature.`
    )
  }
}
