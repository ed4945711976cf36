/**
 * The styles a manuscript names without a file (`csl: apa`, `vancouver` or `harvard1`; Chicago author-date when it
 * names none), and a `.csl` file of its own (fixtures/house-notes.csl, a note style written for these tests): each
 * formats the same two works by its own conventions, protected words of a BibTeX title kept as written.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {CiteprocCitation} from '../../pipeline/bibliography/engine.ts'
import {builtInCitationStyle, createCitationEngine, loadCitationStyle, parseBibtex, prepareCitationStyle, type BuiltInStyleName, type CitationStyle} from '../../pipeline/bibliography/index.ts'

const houseNotes = readFileSync(path.join(import.meta.dirname, 'fixtures/house-notes.csl'), 'utf8')

const items = parseBibtex(
  [
    '@book{doe, author = {Doe, Jane}, title = {A Book about the {US} and {NGO}s}, publisher = {Press}, address = {Riverton}, year = 2001}',
    '@article{roe, author = {Roe, Richard and Poe, Pat}, title = {An Article}, journal = {Journal}, volume = 6, pages = {33--35}, year = 2002}'
  ].join('\n')
).items

/** Roe at page 34, then Doe, then Doe at page 3 with Roe: as `[@roe, 34]`, `[@doe]`, `[@doe, 3; @roe]` ask. */
const citations: CiteprocCitation[] = [
  {citationID: 'a', citationItems: [{id: 'roe', locator: '34', label: 'page'}], properties: {noteIndex: 0}},
  {citationID: 'b', citationItems: [{id: 'doe'}], properties: {noteIndex: 0}},
  {citationID: 'c', citationItems: [{id: 'doe', locator: '3', label: 'page'}, {id: 'roe'}], properties: {noteIndex: 0}}
]

/** Text as a reader sees it; a numbered entry's number (its own `div`) set apart from its text. */
const plain = (html: string): string => html.replace(/<\/div>/g, ' ').replace(/<[^>]+>/g, '').replace(/&#38;/g, '&').replace(/\s+/g, ' ').trim()

function format(style: CitationStyle): {citations: string[]; bibliography: string[]} {
  const engine = createCitationEngine(style, items)
  return {citations: engine.formatCitations(citations).map(plain), bibliography: (engine.formatBibliography()?.entries ?? []).map((entry) => plain(entry.html))}
}

describe('bundled styles', () => {
  it.each<[BuiltInStyleName, string[], string[]]>([
    // Title case for titles; the protected US stays.
    ['chicago-author-date', ['(Roe and Poe 2002, 34)', '(Doe 2001)', '(Doe 2001, 3; Roe and Poe 2002)'], ['Doe, Jane. 2001. A Book about the US and NGOs. Riverton: Press.', 'Roe, Richard, and Pat Poe. 2002. “An Article.” Journal 6: 33–35.']],
    // Sentence case, as the title was written, and `p.` before a page.
    ['apa', ['(Roe & Poe, 2002, p. 34)', '(Doe, 2001)', '(Doe, 2001, p. 3; Roe & Poe, 2002)'], ['Doe, J. (2001). A book about the US and NGOs. Press.', 'Roe, R., & Poe, P. (2002). An article. Journal, 6, 33–35.']],
    // Numbers in the order works are first cited, and the list in that order.
    ['vancouver', ['(1)', '(2)', '(1,2)'], ['1. Roe R, Poe P. An article. Journal. 2002;6:33–5.', '2. Doe J. A book about the US and NGOs. Riverton: Press; 2001.']],
    ['harvard1', ['(Roe and Poe, 2002, p. 34)', '(Doe, 2001)', '(Doe, 2001, p. 3; Roe and Poe, 2002)'], ['Doe, J. (2001) A book about the US and NGOs. Riverton: Press.', 'Roe, R. and Poe, P. (2002) “An article,” Journal, 6, pp. 33–35.']]
  ])('%s formats citations and the reference list by its conventions', (name, expectedCitations, expectedBibliography) => {
    expect(format(builtInCitationStyle(name))).toEqual({citations: expectedCitations, bibliography: expectedBibliography})
  })

  it('are what `csl:` names without a file', () => {
    const file = new VFile({path: 'manuscript.md'})
    const readFile = () => {
      throw new Error('a bundled style is not read from the project')
    }
    for (const name of ['apa', 'vancouver', 'harvard1'] as const) expect(loadCitationStyle(name, {file, readFile})).toBe(builtInCitationStyle(name))
    expect(loadCitationStyle(undefined, {file, readFile}).name).toBe('chicago-author-date')
    expect(file.messages).toEqual([])
  })
})

describe('a style file of the project', () => {
  it('is read by its path, and a note style is known as one', () => {
    const file = new VFile({path: 'manuscript.md'})
    const style = loadCitationStyle('styles/house-notes.csl', {file, readFile: (name) => (name === 'styles/house-notes.csl' ? houseNotes : '')})
    expect(file.messages).toEqual([])
    expect([style.title, style.isNoteStyle, style.defaultLocale]).toEqual(['House notes (test style)', true, 'en-US'])
    expect(format(style)).toEqual({
      citations: ['Richard Roe and Pat Poe, An article (2002), 34.', 'Jane Doe, A book about the US and NGOs (2001).', 'Jane Doe, A book about the US and NGOs (2001), 3; Richard Roe and Pat Poe, An article (2002).'],
      bibliography: ['Doe, Jane. A book about the US and NGOs. 2001.', 'Roe, Richard and Pat Poe. An article. 2002.']
    })
  })

  it('is parsed once per process, whatever name it is read under', () => {
    expect(prepareCitationStyle(houseNotes, 'a.csl').parsed).toBe(prepareCitationStyle(houseNotes, 'b.csl').parsed)
    expect(prepareCitationStyle(houseNotes, 'b.csl').name).toBe('b.csl')
  })
})
