/**
 * Book length (issue 16): the book made from real chapters (bench/book-project.ts: ≈10× the trenches draft, its
 * 5,000-entry shared bibliography with `crossref` parents) and the trenches draft ×20 in one file, built by cold CLI
 * processes, each figure a ratio to pandoc `--citeproc` HTML of the same text (includes inlined, same bibliography)
 * measured in the same run.
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {copyProject, removeProject, repoRoot, trenches} from '../tests/support/project.ts'
import {addTrenchesTables} from '../tests/support/trenches-tables.ts'
import {lengthen, writeBookProject} from './book-project.ts'
import {benchChromiumFloor} from './chromium-floor.ts'
import {benchCiteprocFloor} from './citeproc-floor.ts'
import {hasPandoc, inlineIncludes, median, rounds, runs, series} from './process-timing.ts'

const cli = path.join(repoRoot, 'bin/manuscript.mjs')
const pdfRuns = Number(process.env.BENCH_BOOK_PDF_RUNS ?? 3)


function verdict(value: number, target?: number): string {
  return `${value.toFixed(2)} × pandoc${target === undefined ? '' : ` (target ≤ ${target}: ${value <= target ? 'met' : 'not met'})`}`
}

/** One first build's stage lines (parse, structure, citations, html), where its time goes. */
function stagesOfFirstBuild(project: string): string {
  rmSync(path.join(project, 'build/.cache'), {recursive: true, force: true})
  const result = spawnSync(process.execPath, [cli, 'build', '--root', project, '--to', 'html'], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}, maxBuffer: 64 * 1024 * 1024})
  return result.stdout
    .split('\n')
    .filter((line) => /^(config|parse|structure|citations|html)\s+\d/.test(line))
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .join(', ')
}

async function benchProject(label: string, project: string, bibliography: string, options: {firstTarget?: number; cachedTarget?: number; pdf?: boolean}): Promise<void> {
  const clearCache = () => rmSync(path.join(project, 'build/.cache'), {recursive: true, force: true})
  const build = (to: string) => [cli, 'build', '--root', project, '--to', to]
  const first = {label: `${label}: --to html (no cache)`, command: process.execPath, args: build('html'), cwd: repoRoot, beforeEach: clearCache}
  const cached = {label: `${label}: --to html (derived cache)`, command: process.execPath, args: build('html'), cwd: repoRoot}
  const peaks: (number | undefined)[] = []
  if (hasPandoc) {
    const inlined = path.join(project, 'manuscript/inlined.md')
    writeFileSync(inlined, inlineIncludes(path.join(project, 'manuscript/manuscript.md'), project))
    mkdirSync(path.join(project, 'build'), {recursive: true})
    const pandoc = {label: `${label}: pandoc --citeproc (html)`, command: 'pandoc', args: [inlined, '--citeproc', '--bibliography', bibliography, '-s', '-o', 'build/pandoc.html'], cwd: project}
    // Side by side in each round: pandoc, a first build, a build with the cache the first one left.
    const {samples, ratios, peaks: [, ...ours]} = rounds([pandoc, first, cached])
    peaks.push(...ours)
    console.log(`${label}: first build ${verdict(ratios[1], options.firstTarget)}; with the derived cache ${verdict(ratios[2], options.cachedTarget)}`)
    // What a first build cannot go below while citeproc-js formats the citations (see citeproc-floor.ts).
    const floor = await benchCiteprocFloor(project, runs)
    console.log(`${label}: citeproc-js alone, cold (engine, the ${floor.citations} citations of ${floor.works} works, bibliography; nothing read or parsed): median ${floor.seconds.toFixed(3)} s = ${(floor.seconds / median(samples[0])).toFixed(2)} × pandoc's whole build`)
  } else {
    console.log('pandoc not installed (apt-get install -y pandoc): no ratio')
  }
  if (!hasPandoc) peaks.push(series(first.label, first.command, first.args, first.cwd, clearCache).peak, series(cached.label, cached.command, cached.args, cached.cwd).peak)
  console.log(`${label}: stages of a first build: ${stagesOfFirstBuild(project)}`)
  if (options.pdf) {
    const pdfFirst = series(`${label}: --to html,pdf (no cache)`, process.execPath, build('html,pdf'), repoRoot, clearCache, pdfRuns)
    const pdfCached = series(`${label}: --to html,pdf (derived cache)`, process.execPath, build('html,pdf'), repoRoot, undefined, pdfRuns)
    console.log(`${label}: html,pdf first build ${pdfFirst.median.toFixed(2)} s (target < 6 s: ${pdfFirst.median < 6 ? 'met' : 'not met'}), with the derived cache ${pdfCached.median.toFixed(2)} s (target < 3 s: ${pdfCached.median < 3 ? 'met' : 'not met'})`)
    const floor = await benchChromiumFloor(project, pdfRuns)
    console.log(`${label}: Chromium alone, none of our passes, nothing in Node (chromium-floor.ts): a fresh browser to the PDF ${floor.cold.toFixed(2)} s; a warm one, the body replaced, to the PDF ${floor.warm.toFixed(2)} s (watch save → PDF target < 2 s)`)
  }
  const peak = Math.max(...peaks.filter((value): value is number => value !== undefined))
  if (Number.isFinite(peak)) console.log(`${label}: peak resident memory of an html build ${peak.toFixed(0)} MiB (target < 400 MiB: ${peak < 400 ? 'met' : 'not met'})`)
}

export async function benchBook(): Promise<void> {
  const book = copyProject(trenches, 'bench-book-')
  const long = copyProject(trenches, 'bench-book-20x-')
  try {
    const made = writeBookProject(book)
    console.log(`\nBook: ${made.kib.toFixed(0)} KiB of Markdown in 11 included parts, ${made.cited} works cited, a shared .bib of ${made.entries} entries; ${runs} cold processes each (after one warm-up)`)
    await benchProject('book', book, made.bibliography, {firstTarget: 0.8, cachedTarget: 0.3, pdf: process.env.BENCH_BOOK_PDF !== '0'})
    addTrenchesTables(long)
    lengthen(long, 20, 'one-file')
    console.log(`\nTrenches draft ×20 in one file (${(readFileSync(path.join(long, 'manuscript/manuscript.md')).length / 1024).toFixed(0)} KiB)`)
    await benchProject('×20', long, 'manuscript/references.bib', {})
  } finally {
    removeProject(book)
    removeProject(long)
  }
}
