/**
 * The table runtime: the module `manuscript-pipeline/tables` as a definition's bundle imports it inside the sandbox
 * (the author API plus the harness the bundle's entry calls). Plain computation, no Node API: `scripts/compile.mjs`
 * prebuilds it as dist/tables-runtime.mjs; from TypeScript sources, sandbox-files.ts builds it once per process.
 */
import {installSandboxGlobals} from './harness.ts'

export * from './api.ts'
export {tableHarness} from './harness.ts'

installSandboxGlobals()
