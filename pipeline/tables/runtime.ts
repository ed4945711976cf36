/**
 * The table runtime: the module `manuscript-pipeline/tables` stands for in a bundled definition (the author API
 * plus the worker harness), and the main script of each table worker. `scripts/compile.mjs` prebuilds it as
 * dist/tables-runtime.mjs for the compiled CLI; from TypeScript sources, bundle.ts builds it once per process.
 */
import {serveTableWorker} from './harness.ts'

export * from './api.ts'
export {runTableDefinition} from './harness.ts'

serveTableWorker()
