/**
 * Build benchmarks on the first user's draft (../shared/corpus/trenches, with its eight tables supplied):
 * cold CLI processes for `--to html`, `--to html,pdf` and `--to html,docx`, their peak memory, and pandoc on the same draft
 * (includes inlined, --citeproc) as a ratio measured in the same run. Medians, since the machine is noisy.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {addTrenchesTables} from '../tests/support/trenches-tables.ts'
import {copyProject, corpus, hasCorpus, removeProject, repoRoot, trenches} from '../tests/support/project.ts'
import {benchCheck} from './check.ts'
import {benchCiteprocFloor} from './citeproc-floor.ts'
import {benchFigures} from './figures.ts'
import {benchStop} from './stop.ts'
import {benchTables} from './tables.ts'
import {benchWatch} from './watch.ts'

const runs = Number(process.env.BENCH_RUNS ?? 7)
const cli = path.join(repoRoot, 'bin/manuscript.mjs')

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Wall time (s) and peak resident memory (MiB) of one cold process, via GNU time when present. */
function timeProcess(command: string, args: string[], cwd: string): {seconds: number; peakMiB?: number; status: number} {
  const gnuTime = spawnSync('/usr/bin/time', ['--version'], {encoding: 'utf8'}).status === 0
  const start = performance.now()
  const result = gnuTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', command, ...args], {cwd, encoding: 'utf8'})
    : spawnSync(command, args, {cwd, encoding: 'utf8'})
  const seconds = (performance.now() - start) / 1000
  const peakKiB = gnuTime ? Number(result.stderr.trim().split('\n').at(-1)) : Number.NaN
  return {seconds, peakMiB: Number.isFinite(peakKiB) ? peakKiB / 1024 : undefined, status: result.status ?? -1}
}

function series(label: string, command: string, args: string[], cwd: string, beforeEach?: () => void): {median: number; peak?: number} {
  timeProcess(command, args, cwd) // warm the file cache; not counted
  const samples = Array.from({length: runs}, () => {
    beforeEach?.()
    return timeProcess(command, args, cwd)
  })
  const failed = samples.find((sample) => sample.status !== 0)
  if (failed) throw new Error(`${label} exited ${failed.status}`)
  const peaks = samples.map((sample) => sample.peakMiB).filter((value): value is number => value !== undefined)
  const result = {median: median(samples.map((sample) => sample.seconds)), peak: peaks.length ? Math.max(...peaks) : undefined}
  console.log(`${label.padEnd(34)} median ${result.median.toFixed(3)} s over ${runs} runs${result.peak ? `, peak RSS ${result.peak.toFixed(0)} MiB` : ''}`)
  return result
}

function inlineIncludes(file: string, root: string): string {
  return readFileSync(file, 'utf8').replace(/^!INCLUDE "([^"]+)"\s*$/gm, (_line, target: string) => {
    const beside = path.join(path.dirname(file), target)
    return inlineIncludes(spawnSync('test', ['-f', beside]).status === 0 ? beside : path.join(root, target), root)
  })
}

// Every benchmark measures the trenches draft, real-world input a clone does not have (tests skip without it).
if (!hasCorpus) {
  console.error(`npm run bench measures the trenches draft in ${path.relative(process.cwd(), corpus)}/trenches, which is not beside this checkout: put the corpus at ../shared/corpus (CI has it) and run it again.`)
  process.exit(2)
}

const project = copyProject(trenches, 'bench-trenches-')
try {
  addTrenchesTables(project)
  console.log(`Trenches draft, ${runs} cold processes each (after one warm-up)`)
  // "derived cache" = build/.cache from the previous run (parsed files, bibliography, formatted citations):
  // what an author sees when rebuilding; "no cache" clears it before every run: a first build.
  const clearCache = () => rmSync(path.join(project, 'build/.cache'), {recursive: true, force: true})
  const htmlCold = series('build --to html (no cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html'], repoRoot, clearCache)
  const html = series('build --to html (derived cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html'], repoRoot)
  const pdf = series('build --to html,pdf (derived cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,pdf'], repoRoot)
  // The Word document on top of the HTML: with the derived cache its figures are not rasterised again.
  const docx = series('build --to html,docx (derived cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,docx'], repoRoot)
  const docxCold = series('build --to html,docx (no cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,docx'], repoRoot, clearCache)
  console.log(`docx on top of html: ${(docx.median - html.median).toFixed(3)} s with the derived cache (target < 0.3 s), ${(docxCold.median - htmlCold.median).toFixed(3)} s without`)
  if (spawnSync('pandoc', ['--version']).status === 0) {
    const inlined = path.join(project, 'manuscript/inlined.md')
    writeFileSync(inlined, inlineIncludes(path.join(project, 'manuscript/manuscript.md'), project))
    const pandoc = series('pandoc --citeproc (html)', 'pandoc', [inlined, '--citeproc', '--bibliography', 'manuscript/references.bib', '-s', '-o', 'build/pandoc.html'], project)
    console.log(`ratio html: ours / pandoc = ${(html.median / pandoc.median).toFixed(2)} with the derived cache, ${(htmlCold.median / pandoc.median).toFixed(2)} without (target ≤ 1.0)`)
    // What a first build cannot go below while citeproc-js formats its citations.
    const floor = await benchCiteprocFloor(project, runs)
    console.log(`citeproc-js alone, cold (engine, ${floor.works} citations, bibliography; nothing read or parsed): median ${floor.seconds.toFixed(3)} s = ${(floor.seconds / pandoc.median).toFixed(2)} × pandoc's whole build`)
  } else {
    console.log('pandoc not installed (apt-get install -y pandoc): no ratio')
  }
  console.log(`html+pdf under 1.0 s: ${pdf.median < 1 ? 'yes' : 'no'} (${pdf.median.toFixed(3)} s)`)
  // Footnotes at the foot of the page (the default) against the endnotes the layout pass leaves alone.
  const footnoteMs = spawnSync(process.execPath, [cli, 'build', '--root', project, '--to', 'pdf'], {cwd: repoRoot, encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}}).stdout.match(/footnotes (\d+) ms/)?.[1]
  writeFileSync(path.join(project, 'manuscript.yaml'), 'notes: endnotes\n')
  const endnotes = series('build --to html,pdf, notes: endnotes (derived cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,pdf'], repoRoot)
  const endnotesCold = series('build --to html,pdf, notes: endnotes (no cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,pdf'], repoRoot, clearCache)
  rmSync(path.join(project, 'manuscript.yaml'))
  const pdfCold = series('build --to html,pdf (no cache)', process.execPath, [cli, 'build', '--root', project, '--to', 'html,pdf'], repoRoot, clearCache)
  console.log(`footnote layout in the page: ${footnoteMs ?? '?'} ms; footnotes − endnotes: ${((pdf.median - endnotes.median) * 1000).toFixed(0)} ms with the derived cache, ${((pdfCold.median - endnotesCold.median) * 1000).toFixed(0)} ms without`)
  console.log(`trenches PDF build under 1.5 s cold: footnotes ${pdfCold.median < 1.5 ? 'yes' : 'no'} (${pdfCold.median.toFixed(3)} s), endnotes ${endnotesCold.median < 1.5 ? 'yes' : 'no'} (${endnotesCold.median.toFixed(3)} s)`)
} finally {
  removeProject(project)
}

benchCheck()
benchTables()
benchFigures()
await benchStop()
await benchWatch()
