/**
 * The floor under a first build: citeproc-js alone, in a cold Node process, doing the citation work of a project
 * and nothing else: its cited works already as CSL items and its style and locale already parsed (no reading,
 * parsing, BibTeX or rendering), building the engine, formatting the document's citations (each citation with its
 * works, in document order, in one batch as the build does), then the bibliography.
 * Reported beside pandoc's whole build of the same text (measured in the same run), it shows how far a first build,
 * which must do all of this and more, can come down while it formats citations with citeproc-js.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {performance} from 'node:perf_hooks'
import {analyse} from '../pipeline/analyse.ts'
import {defaultStyle} from '../pipeline/bibliography/index.ts'
import {parsedLocale} from '../pipeline/bibliography/style.ts'
import {walk} from '../pipeline/syntax/walk.ts'
import {repoRoot} from '../tests/support/project.ts'

/**
 * Runs in the cold process: only citeproc-js and JSON.parse. citeproc-js is loaded as a build loads it: the compiled
 * package's script with its code cache (bin/script-module.mjs runs it), else the package itself.
 */
const floorScript = `
const {readFileSync} = require('node:fs')
const [library, input, runner, cache] = process.argv.slice(2)
;(async () => {
const CSL = cache ? (await import(runner)).runScriptModule(library, readFileSync(cache)).exports : require(library)
const {items, citations, style, locale} = JSON.parse(readFileSync(input, 'utf8'))
const byId = new Map(items.map((item) => [item.id, item]))
const engine = new CSL.Engine({retrieveLocale: () => locale, retrieveItem: (id) => byId.get(id)}, style)
const formatted = engine.rebuildProcessorState(citations.map((ids, index) => ({citationID: 'c' + index, citationItems: ids.map((id) => ({id})), properties: {noteIndex: 0}})), 'html', [])
if (formatted.length !== citations.length || engine.makeBibliography()[1].length !== items.length) process.exit(1)
})()
`

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Median wall time (s) of the cold citeproc-only process over `runs`, after one warm-up. */
export async function benchCiteprocFloor(project: string, runs: number): Promise<{seconds: number; works: number; citations: number}> {
  const {tree, bibliography} = await analyse({root: project})
  const known = new Set(bibliography.items.map((item) => String(item.id)))
  const citations: string[][] = []
  walk(tree, 'citation', (citation) => {
    const ids = citation.children.map((item) => item.key).filter((key) => known.has(key))
    if (ids.length > 0) citations.push(ids)
  })
  const cited = new Set(citations.flat())
  const items = bibliography.items.filter((item) => cited.has(String(item.id)))
  const folder = mkdtempSync(path.join(tmpdir(), 'citeproc-floor-'))
  try {
    const script = path.join(folder, 'floor.cjs')
    const input = path.join(folder, 'input.json')
    writeFileSync(script, floorScript)
    writeFileSync(input, JSON.stringify({items, citations, style: defaultStyle().parsed, locale: parsedLocale('en-US')}))
    const compiled = [path.join(repoRoot, 'dist/citeproc.cjs'), path.join(repoRoot, 'dist/citeproc.cache')]
    const library = compiled.every((file) => existsSync(file)) ? compiled : [createRequire(path.join(repoRoot, 'package.json')).resolve('citeproc')]
    const run = () => {
      const start = performance.now()
      const result = spawnSync(process.execPath, [script, library[0], input, pathToFileURL(path.join(repoRoot, 'bin/script-module.mjs')).href, ...library.slice(1)], {encoding: 'utf8'})
      if (result.status !== 0) throw new Error(`the citeproc-only process failed: ${result.stderr}`)
      return (performance.now() - start) / 1000
    }
    run()
    return {seconds: median(Array.from({length: runs}, run)), works: items.length, citations: citations.length}
  } finally {
    rmSync(folder, {recursive: true, force: true})
  }
}
