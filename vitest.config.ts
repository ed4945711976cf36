import {defineConfig} from 'vitest/config'
import {CorpusReporter} from './tests/support/corpus-reporter.ts'
import {skipCorpusTests} from './tests/support/project.ts'
import {SlowestFirstSequencer} from './tests/support/slowest-first.ts'

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Browser-driving tests share one machine with two cores; keep the pool small.
    maxWorkers: 2,
    // Test files share their worker's loaded modules instead of importing the pipeline afresh each: 12 s of the
    // suite's CPU time instead of 121 s. A project's state is in its session object; what modules keep is the same
    // for every project (files located once, WeakMaps keyed by one parse's objects); no test replaces a module.
    isolate: false,
    // The longest files start first, so that none of them starts last and runs alone (tests/support/slowest-first.ts).
    sequence: {sequencer: SlowestFirstSequencer},
    // A test that reads ../shared/corpus says so with this tag (a whole file with `// @module-tag corpus`); the
    // project's own fixtures cover every feature without it. Skipped when the corpus is absent, except on CI.
    tags: [{name: 'corpus', description: 'reads real-world input from ../shared/corpus, which a clone does not have', skip: skipCorpusTests}],
    reporters: ['default', new CorpusReporter()]
  }
})
