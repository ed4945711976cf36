/**
 * Regenerating the trenches draft's eight tables from data (tests/corpus/trenches/tables), through the CLI binary,
 * cold processes, medians: all eight forced (target under 1 s), an unchanged run (nothing stale), and a run
 * after one CSV cell changed (all eight read that file). Reports the CLI's wall time and the tables step's own
 * time as the CLI prints it (without Node's start-up).
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {removeProject} from '../tests/support/project.ts'
import {trenchesWithDefinitions} from '../tests/tables/trenches-project.ts'
import {regenerationSeries, timeRegeneration} from './process-timing.ts'


export function benchTables(runs = Number(process.env.BENCH_RUNS ?? 7)): {all: number; unchanged: number; oneCell: number} {
  const project = trenchesWithDefinitions('bench-tables-')
  try {
    console.log(`\nTrenches tables from data (8 definitions), ${runs} cold processes each (after one warm-up)`)
    const all = regenerationSeries('tables --force (all eight)', runs, 'tables', () => timeRegeneration(project, ['--force'], 'tables'))
    const unchanged = regenerationSeries('tables (nothing stale)', runs, 'tables', () => timeRegeneration(project, [], 'tables'))
    const csv = path.join(project, 'data/responses_full_anonymized.csv')
    const original = readFileSync(csv, 'utf8')
    let toggle = false
    const oneCell = regenerationSeries('tables (one CSV cell changed)', runs, 'tables', () => {
      toggle = !toggle
      // Q2.1 of the first row: 91 ↔ 92, so every run sees a changed file.
      writeFileSync(csv, toggle ? original.replace(/^(1060,Organization 1060,Yes,187,United States,No,3,3,)91,/m, '$192,') : original)
      return timeRegeneration(project, [], 'tables')
    })
    console.log(`all eight under 1 s: ${all.wall < 1 ? 'yes' : 'no'} (${all.wall.toFixed(3)} s with Node start-up, ${all.step.toFixed(3)} s in the tables step)`)
    return {all: all.wall, unchanged: unchanged.wall, oneCell: oneCell.wall}
  } finally {
    removeProject(project)
  }
}
