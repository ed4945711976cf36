/**
 * The CLI formats citations in a worker that started with the process (citeproc-worker-host.ts): what it formats
 * and reads must be what the main thread makes of the same input, and a build goes on where the worker is gone.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {builtInCitationStyle, parseBibtex, prepareCitationStyle, type CitationStyle} from '../../pipeline/bibliography/index.ts'
import {startCiteprocWorker} from '../../pipeline/bibliography/citeproc-worker-host.ts'
import {createCitationEngine, createLocalCiteprocHost, type CiteprocCitation} from '../../pipeline/bibliography/engine.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')
const bibtex = readFileSync(path.join(fixtures, 'varied.bib'), 'utf8')
// The compiled worker (tests/support/global-setup.ts compiles dist/), as the CLI starts it.
const script = path.join(import.meta.dirname, '../../dist/citeproc-worker.mjs')
const worker = startCiteprocWorker({styles: new Map(), locales: new Map()}, {script})
beforeAll(() => worker.started)
afterAll(() => worker.close())

/** Every citation of every entry, one by one, then all of them in one, with a locator, a prefix and author-in-text. */
function citationsOf(keys: string[]): CiteprocCitation[] {
  return [
    ...keys.map((key, index): CiteprocCitation => ({citationID: `c${index}`, citationItems: [{id: key, locator: '12', label: 'page'}], properties: {noteIndex: index + 1}})),
    {citationID: 'all', citationItems: keys.map((id, index) => ({id, ...(index === 0 ? {prefix: 'see'} : {})})), properties: {noteIndex: keys.length + 1}},
    {citationID: 'author', citationItems: [{id: keys[0]}], properties: {noteIndex: 0, mode: 'author-only'}}
  ]
}

/** Citations and bibliography formatted by a session whose host is `host` (undefined: this thread). */
function formatted(style: CitationStyle, host: ProjectSession['citeprocHost'], linkCitations: boolean) {
  const session = new ProjectSession()
  session.citeprocHost = host
  const items = parseBibtex(bibtex).items
  const engine = createCitationEngine(style, items, {session, linkCitations})
  const citations = engine.formatCitations(citationsOf(items.map((item) => item.id)))
  return {citations, bibliography: engine.formatBibliography()}
}

describe('the citeproc worker', () => {
  const houseNotes = prepareCitationStyle(readFileSync(path.join(fixtures, 'house-notes.csl'), 'utf8'), 'house-notes.csl')
  for (const [name, style] of [['Chicago author-date', builtInCitationStyle()], ['a note style', houseNotes]] as const) {
    it(`formats as the main thread does: ${name}, with and without links`, () => {
      for (const links of [false, true]) {
        const here = formatted(style, createLocalCiteprocHost(), links)
        expect(here.citations.some((html) => html.length > 0)).toBe(true)
        expect(formatted(style, worker, links)).toEqual(here)
      }
    })
  }

  it('reads a .bib file as the main thread does, read ahead or not', () => {
    const keys = parseBibtex(bibtex).items.slice(0, 2).map((item) => item.id)
    worker.readAhead(bibtex)
    expect(worker.parseBibtex!(bibtex, new Set(keys))).toEqual(parseBibtex(bibtex, {convertOnly: new Set(keys)}))
    expect(worker.parseBibtex!(bibtex, undefined)).toEqual(parseBibtex(bibtex))
  })

  it('reports what citeproc-js throws as the main thread would', () => {
    // citeproc-js fails inside on a cite of an item it cannot retrieve.
    const request = {lang: 'en-US', items: [], citations: [{citationID: 'a', citationItems: [{id: 'missing'}], properties: {noteIndex: 0}}], uncited: [], linkBibliography: true, linkCitations: false, inputKey: 'missing'}
    const failure = (format: () => unknown) => {
      try {
        format()
      } catch (error) {
        return (error as Error).message
      }
    }
    const here = failure(() => createLocalCiteprocHost().format(builtInCitationStyle(), request))
    expect(here).toBeTypeOf('string')
    expect(failure(() => worker.format(builtInCitationStyle(), request))).toBe(here)
  })

  it('leaves the work to the main thread once it has stopped', async () => {
    const stopped = startCiteprocWorker({styles: new Map(), locales: new Map()}, {script})
    await stopped.close()
    expect(formatted(builtInCitationStyle(), stopped, true)).toEqual(formatted(builtInCitationStyle(), createLocalCiteprocHost(), true))
    expect(stopped.parseBibtex!(bibtex, undefined)).toBeUndefined()
  })
})
