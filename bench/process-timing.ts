/** Timing cold CLI processes for the build benchmarks: medians, since the machine is noisy. */
import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {repoRoot} from '../tests/support/project.ts'

export const runs = Number(process.env.BENCH_RUNS ?? 7)

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Wall time (s) and peak resident memory (MiB) of one cold process, via GNU time when present. */
export function timeProcess(command: string, args: string[], cwd: string): {seconds: number; peakMiB?: number; status: number} {
  const gnuTime = spawnSync('/usr/bin/time', ['--version'], {encoding: 'utf8'}).status === 0
  const start = performance.now()
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
    : spawnSync(command, args, {cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  const seconds = (performance.now() - start) / 1000
  const peakKiB = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN
  return {seconds, peakMiB: Number.isFinite(peakKiB) ? peakKiB / 1024 : undefined, status: result.status ?? -1}
}

export interface Series {
  median: number
  samples: number[]
  peak?: number
}

/** `count` timed runs of a cold process after one warm-up run (not counted); `beforeEach` runs before each. */
export function series(label: string, command: string, args: string[], cwd: string, beforeEach?: () => void, count = runs): Series {
  beforeEach?.()
  timeProcess(command, args, cwd) // warm the file cache; not counted
  const samples = Array.from({length: count}, () => {
    beforeEach?.()
    return timeProcess(command, args, cwd)
  })
  const failed = samples.find((sample) => sample.status !== 0)
  if (failed) throw new Error(`${label} exited ${failed.status}`)
  const peaks = samples.map((sample) => sample.peakMiB).filter((value): value is number => value !== undefined)
  const seconds = samples.map((sample) => sample.seconds)
  const result = {median: median(seconds), samples: seconds, peak: peaks.length ? Math.max(...peaks) : undefined}
  console.log(`${label.padEnd(40)} median ${result.median.toFixed(3)} s over ${count} runs${result.peak ? `, peak RSS ${result.peak.toFixed(0)} MiB` : ''}`)
  return result
}

/** The Markdown of `file` with its `!INCLUDE` lines replaced by the files they name (beside it, else from `root`): what pandoc reads. */
export function inlineIncludes(file: string, root: string): string {
  return readFileSync(file, 'utf8').replace(/^!INCLUDE "([^"]+)"\s*$/gm, (_line, target: string) => {
    const beside = path.join(path.dirname(file), target)
    return inlineIncludes(existsSync(beside) ? beside : path.join(root, target), root)
  })
}

export const hasPandoc = spawnSync('pandoc', ['--version']).status === 0

export interface Contender {
  label: string
  command: string
  args: string[]
  cwd: string
  beforeEach?: () => void
}

/**
 * Each contender once per round, `count` rounds (after one warm-up round, not counted): on a shared, noisy machine a
 * ratio of two runs taken side by side holds better than one of two medians taken minutes apart. Returns each
 * contender's samples and, per contender, the median over rounds of its time divided by the first contender's.
 */
export function rounds(contenders: Contender[], count = runs): {samples: number[][]; ratios: number[]; peaks: (number | undefined)[]} {
  const samples: number[][] = contenders.map(() => [])
  const peaks: (number | undefined)[] = contenders.map(() => undefined)
  for (let round = 0; round <= count; round++) {
    contenders.forEach((contender, index) => {
      contender.beforeEach?.()
      const sample = timeProcess(contender.command, contender.args, contender.cwd)
      if (sample.status !== 0) throw new Error(`${contender.label} exited ${sample.status}`)
      if (round > 0) samples[index].push(sample.seconds)
      if (sample.peakMiB !== undefined) peaks[index] = Math.max(peaks[index] ?? 0, sample.peakMiB)
    })
  }
  const ratios = samples.map((own) => median(own.map((seconds, round) => seconds / samples[0][round])))
  contenders.forEach((contender, index) => {
    console.log(`${contender.label.padEnd(40)} median ${median(samples[index]).toFixed(3)} s over ${count} rounds${index > 0 ? `, ${ratios[index].toFixed(2)} × ${contenders[0].label} (median of per-round ratios)` : ''}${peaks[index] ? `, peak RSS ${peaks[index]!.toFixed(0)} MiB` : ''}`)
  })
  return {samples, ratios, peaks}
}

/** One `manuscript tables` process: its wall seconds, and the step's own seconds and summary line (`8 tables: …`). */
export interface RegenerationTiming {
  wall: number
  step: number
  summary: string
}

/** Times one `manuscript tables` process; `what` is the kind its summary line counts (`tables`, `figures`). */
export function timeRegeneration(project: string, args: string[], what: 'tables' | 'figures'): RegenerationTiming {
  const cli = path.join(repoRoot, 'bin/manuscript.mjs')
  const start = performance.now()
  const result = spawnSync(process.execPath, [cli, 'tables', '--root', project, ...args], {encoding: 'utf8'})
  const wall = (performance.now() - start) / 1000
  if (result.status !== 0) throw new Error(`manuscript tables exited ${result.status}: ${result.stdout}${result.stderr}`)
  const singular = what.slice(0, -1)
  const summary = result.stdout.split('\n').find((line) => new RegExp(`^\\d+ ${singular}s?: `).test(line)) ?? ''
  const [, amount, unit] = /in ([\d.]+) (ms|s)$/.exec(summary) ?? []
  return {wall, step: unit === 's' ? Number(amount) : Number(amount) / 1000, summary}
}

/** Medians of `runs` regenerations after one warm-up run (not counted), printed on one line. */
export function regenerationSeries(label: string, runs: number, what: 'tables' | 'figures', run: () => RegenerationTiming): {wall: number; step: number} {
  run()
  const samples = Array.from({length: runs}, run)
  const result = {wall: median(samples.map((sample) => sample.wall)), step: median(samples.map((sample) => sample.step))}
  console.log(`${label.padEnd(34)} median ${result.wall.toFixed(3)} s over ${runs} runs (${what} step ${result.step.toFixed(3)} s; ${samples[0].summary})`)
  return result
}
