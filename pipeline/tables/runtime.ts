/**
 * The table runtime: the module `manuscript-pipeline/tables` as a definition's bundle imports it inside the sandbox
 * (the author API, `defineFigure` with it, plus the harnesses the bundle's entry calls; a figure definition's
 * `manuscript-pipeline/figures` is bundled as this module too). Plain computation, no Node API:
 * `scripts/compile.mjs` prebuilds it as dist/tables-runtime.mjs; from TypeScript sources, sandbox-files.ts builds
 * it once per process.
 */
import {installSandboxGlobals} from './harness.ts'

export * from './api.ts'
export {defineFigure, sansSerif, serif, textWidth} from '../figures/api.ts'
export {figureHarness, tableHarness} from './harness.ts'

installSandboxGlobals()
