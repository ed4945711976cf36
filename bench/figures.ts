/**
 * Regenerating the trenches draft's five figures from data (tests/corpus/trenches/figures), without its tables,
 * through the CLI binary, cold processes, medians: all five forced (target under 1 s), an unchanged run (nothing
 * stale), and a run after one CSV cell changed (all five read that file). Reports the CLI's wall time and the step's
 * own time as the CLI prints it (without Node's start-up).
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {removeProject, repoRoot} from '../tests/support/project.ts'
import {trenchesWithDefinitions} from '../tests/tables/trenches-project.ts'

const cli = path.join(repoRoot, 'bin/manuscript.mjs')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Wall seconds of one `manuscript tables` process, and the step's own seconds from its summary line. */
function timeFigures(project: string, args: string[]): {wall: number; step: number; summary: string} {
  const start = performance.now()
  const result = spawnSync(process.execPath, [cli, 'tables', '--root', project, ...args], {encoding: 'utf8'})
  const wall = (performance.now() - start) / 1000
  if (result.status !== 0) throw new Error(`manuscript tables exited ${result.status}: ${result.stdout}${result.stderr}`)
  const summary = result.stdout.split('\n').find((line) => /^\d+ figures?: /.test(line)) ?? ''
  const [, amount, unit] = /in ([\d.]+) (ms|s)$/.exec(summary) ?? []
  return {wall, step: unit === 's' ? Number(amount) : Number(amount) / 1000, summary}
}

function series(label: string, runs: number, run: () => {wall: number; step: number; summary: string}): {wall: number; step: number} {
  run() // warm the file cache; not counted
  const samples = Array.from({length: runs}, run)
  const result = {wall: median(samples.map((sample) => sample.wall)), step: median(samples.map((sample) => sample.step))}
  console.log(`${label.padEnd(34)} median ${result.wall.toFixed(3)} s over ${runs} runs (figures step ${result.step.toFixed(3)} s; ${samples[0].summary})`)
  return result
}

export function benchFigures(runs = Number(process.env.BENCH_RUNS ?? 7)): {all: number; unchanged: number; oneCell: number} {
  const project = trenchesWithDefinitions('bench-figures-', {figures: true})
  try {
    // Figures only: the tables have their own benchmark.
    for (const name of readdirSync(path.join(project, 'tables'))) rmSync(path.join(project, 'tables', name))
    console.log(`\nTrenches figures from data (5 definitions), ${runs} cold processes each (after one warm-up)`)
    const all = series('tables --force (all five figures)', runs, () => timeFigures(project, ['--force']))
    const unchanged = series('tables (nothing stale)', runs, () => timeFigures(project, []))
    const csv = path.join(project, 'data/responses_full_anonymized.csv')
    const original = readFileSync(csv, 'utf8')
    let toggle = false
    const oneCell = series('tables (one CSV cell changed)', runs, () => {
      toggle = !toggle
      // Q2.1 of the first row: 91 ↔ 92, so every run sees a changed file.
      writeFileSync(csv, toggle ? original.replace(/^(1060,Organization 1060,Yes,187,United States,No,3,3,)91,/m, '$192,') : original)
      return timeFigures(project, [])
    })
    console.log(`all five under 1 s: ${all.wall < 1 ? 'yes' : 'no'} (${all.wall.toFixed(3)} s with Node start-up, ${all.step.toFixed(3)} s in the figures step)`)
    return {all: all.wall, unchanged: unchanged.wall, oneCell: oneCell.wall}
  } finally {
    removeProject(project)
  }
}
