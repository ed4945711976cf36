/**
 * Regenerating the trenches draft's five figures from data (tests/corpus/trenches/figures), without its tables,
 * through the CLI binary, cold processes, medians: all five forced (target under 1 s), an unchanged run (nothing
 * stale), and a run after one CSV cell changed (all five read that file). Reports the CLI's wall time and the step's
 * own time as the CLI prints it (without Node's start-up).
 */
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {removeProject} from '../tests/support/project.ts'
import {trenchesWithDefinitions} from '../tests/tables/trenches-project.ts'
import {regenerationSeries, timeRegeneration} from './process-timing.ts'


export function benchFigures(runs = Number(process.env.BENCH_RUNS ?? 7)): {all: number; unchanged: number; oneCell: number} {
  const project = trenchesWithDefinitions('bench-figures-', {figures: true})
  try {
    // Figures only: the tables have their own benchmark.
    for (const name of readdirSync(path.join(project, 'tables'))) rmSync(path.join(project, 'tables', name))
    console.log(`\nTrenches figures from data (5 definitions), ${runs} cold processes each (after one warm-up)`)
    const all = regenerationSeries('tables --force (all five figures)', runs, 'figures', () => timeRegeneration(project, ['--force'], 'figures'))
    const unchanged = regenerationSeries('tables (nothing stale)', runs, 'figures', () => timeRegeneration(project, [], 'figures'))
    const csv = path.join(project, 'data/responses_full_anonymized.csv')
    const original = readFileSync(csv, 'utf8')
    let toggle = false
    const oneCell = regenerationSeries('tables (one CSV cell changed)', runs, 'figures', () => {
      toggle = !toggle
      // Q2.1 of the first row: 91 ↔ 92, so every run sees a changed file.
      writeFileSync(csv, toggle ? original.replace(/^(1060,Organization 1060,Yes,187,United States,No,3,3,)91,/m, '$192,') : original)
      return timeRegeneration(project, [], 'figures')
    })
    console.log(`all five under 1 s: ${all.step < 1 ? 'yes' : 'no'} in the figures step (${all.step.toFixed(3)} s), ${all.wall < 1 ? 'yes' : 'no'} with Node start-up (${all.wall.toFixed(3)} s; a run with nothing stale takes ${unchanged.wall.toFixed(3)} s)`)
    return {all: all.wall, unchanged: unchanged.wall, oneCell: oneCell.wall}
  } finally {
    removeProject(project)
  }
}
