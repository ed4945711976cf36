/**
 * `regenerateTables`: bring every generated table in `tables/` up to date, running only the definitions whose
 * table is stale (see staleness.ts). Used by `manuscript tables` and at the start of every build. The
 * generating machinery (esbuild, CSV parsing, workers) loads only when something is stale.
 */
import {performance} from 'node:perf_hooks'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {StageTiming} from '../analyse.ts'
import {configFileNames, loadConfig} from '../config/config.ts'
import {DependencyGraph} from '../graph/dependency-graph.ts'
import {ProjectFiles} from '../graph/project-files.ts'
import {listTableDefinitions, reportConflict, tableState, tablesFolder, type TableState} from './staleness.ts'

export {reportStaleTables, listTableDefinitions, tableState, type TableState} from './staleness.ts'

export interface RegenerateOptions {
  root: string
  /** Regenerate every table, stale or not. */
  force?: boolean
  /** How long one definition may run; default: the config's `table-time-limit`, else 10 s. */
  timeLimitMs?: number
  /** Receives a `tables` stage timing when the project has table definitions. */
  onStage?: (stage: StageTiming) => void
  /** The build's files, so table inputs join its dependency graph; default: a graph of their own (and the config is read). */
  files?: ProjectFiles
}

export type TableStatus = 'up-to-date' | 'regenerated' | 'unchanged' | 'failed'

export interface TableOutcome {
  definition: string
  table: string
  /** `regenerated`: the file was rewritten; `unchanged`: run again, same bytes; `failed`: reported, file kept. */
  status: TableStatus
  /** Why it was run (`data/x.csv changed`), or `up to date`. */
  reason: string
  milliseconds: number
}

export interface RegenerateResult {
  outcomes: TableOutcome[]
  /** Diagnostics, each with the file it concerns (definition, data file or table). */
  messages: VFileMessage[]
  /** What each definition read: definition → its imports and data files; table → definition. */
  graph: DependencyGraph
  milliseconds: number
}

export const defaultTimeLimitMs = 10_000

export async function regenerateTables(options: RegenerateOptions): Promise<RegenerateResult> {
  const start = performance.now()
  const files = options.files ?? new ProjectFiles(options.root, new DependencyGraph())
  const file = new VFile({path: tablesFolder, cwd: files.root})
  let timeLimitMs = options.timeLimitMs
  if (!options.files) {
    // On its own (`manuscript tables`), the config decides the allowed folders and the time limit, as in a build.
    const configFile = new VFile({path: configFileNames[0]})
    timeLimitMs ??= loadConfig(files, configFile).config.tableTimeLimitMs
    file.messages.push(...configFile.messages)
  }
  const states = listTableDefinitions(files).map((definition) => tableState(files, definition))
  for (const state of states) files.graph.addEdge(state.table, state.definition)
  // A table a person wrote is never replaced; one they edited only by force.
  const replaceable = (state: TableState) => !state.conflict || (options.force && state.conflict.kind === 'edited')
  const due = states.filter((state) => replaceable(state) && (options.force || state.stale))
  const outcomes: TableOutcome[] = states.map((state) => ({definition: state.definition, table: state.table, status: replaceable(state) ? 'up-to-date' : 'failed', reason: options.force && !state.stale && !state.conflict ? 'forced' : state.reason, milliseconds: 0}))
  for (const state of states) if (!replaceable(state)) reportConflict(file, state)

  if (due.length > 0) {
    const {generateTables} = await import('./generate.ts')
    const generated = await generateTables(
      files,
      due.map((state) => state.definition),
      file,
      {timeLimitMs: timeLimitMs ?? defaultTimeLimitMs, inputsRead: new Map(due.map((state) => [state.definition, state.inputsRead]))}
    )
    for (const result of generated) {
      const outcome = outcomes.find((candidate) => candidate.definition === result.definition)!
      outcome.status = !result.ok ? 'failed' : result.written ? 'regenerated' : 'unchanged'
      outcome.milliseconds = result.milliseconds
    }
  }

  const milliseconds = performance.now() - start
  if (states.length > 0) options.onStage?.({name: 'tables', milliseconds, detail: summarize(outcomes)})
  return {outcomes, messages: file.messages, graph: files.graph, milliseconds}
}

/** `2 regenerated, 6 up to date`. */
export function summarize(outcomes: TableOutcome[]): string {
  const count = (status: TableStatus) => outcomes.filter((outcome) => outcome.status === status).length
  const parts: [number, string][] = [
    [count('regenerated'), 'regenerated'],
    [count('unchanged'), 'unchanged'],
    [count('up-to-date'), 'up to date'],
    [count('failed'), 'failed']
  ]
  return parts
    .filter(([number]) => number > 0)
    .map(([number, label]) => `${number} ${label}`)
    .join(', ')
}
