/**
 * `manuscript check` benchmarks through the CLI binary, cold processes, medians: the trenches draft (with its eight
 * tables supplied; target under 0.5 s) and a 20× concatenation of its body in one file (target under 2 s). Each is
 * timed twice: with no derived cache (a fresh checkout, as in CI) and with the cache the first run leaves in
 * build/.cache (an author checking again).
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {copyProject, removeProject, repoRoot, trenches} from '../tests/support/project.ts'
import {addTrenchesTables} from '../tests/support/trenches-tables.ts'
import {median} from './process-timing.ts'

const cli = path.join(repoRoot, 'bin/manuscript.mjs')

/** Seconds per run of `check` on `project`; exit 1 (findings) is expected, anything else fails the benchmark. */
function timeCheck(project: string, runs: number, freshCache: boolean): number[] {
  const samples: number[] = []
  for (let run = 0; run <= runs; run++) {
    if (freshCache) rmSync(path.join(project, 'build/.cache'), {recursive: true, force: true})
    const start = performance.now()
    const result = spawnSync(process.execPath, [cli, 'check', '--root', project, '--format', 'json'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    const seconds = (performance.now() - start) / 1000
    if (result.status !== 0 && result.status !== 1) throw new Error(`check exited ${result.status}: ${result.stdout}${result.stderr}`)
    if (run > 0) samples.push(seconds) // the first run warms the file cache and is not counted
  }
  return samples
}

/** The draft's front matter once, then its body `times` times: one long file with the same includes. */
function concatenate(project: string, times: number): void {
  const file = path.join(project, 'manuscript/manuscript.md')
  const source = readFileSync(file, 'utf8')
  const end = source.indexOf('\n...\n') + '\n...\n'.length
  writeFileSync(file, source.slice(0, end) + `\n${source.slice(end)}`.repeat(times))
}

export function benchCheck(runs = Number(process.env.BENCH_RUNS ?? 7)): {trenches: number; large: number} {
  const project = copyProject(trenches, 'bench-check-')
  const large = copyProject(trenches, 'bench-check-20x-')
  try {
    addTrenchesTables(project)
    addTrenchesTables(large)
    concatenate(large, 20)
    console.log(`\nmanuscript check, ${runs} cold processes each (after one warm-up)`)
    const results = {trenches: 0, large: 0}
    for (const [label, folder, target, key] of [
      ['trenches draft', project, 0.5, 'trenches'],
      ['trenches draft ×20', large, 2, 'large']
    ] as const) {
      const fresh = median(timeCheck(folder, runs, true))
      const cached = median(timeCheck(folder, runs, false))
      results[key] = fresh
      console.log(`check ${label.padEnd(20)} median ${fresh.toFixed(3)} s without cache, ${cached.toFixed(3)} s with cache; under ${target} s: ${Math.max(fresh, cached) < target ? 'yes' : 'no'}`)
    }
    return results
  } finally {
    removeProject(project)
    removeProject(large)
  }
}
