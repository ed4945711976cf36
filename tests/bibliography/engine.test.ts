import {describe, expect, it} from 'vitest'
import {builtInCitationStyle, createCitationEngine, type CslItem} from '../../pipeline/bibliography/index.ts'
import type {CiteprocCitation} from '../../pipeline/bibliography/engine.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {citeproc} from '../../pipeline/bibliography/citeproc-module.ts'

const book = (id: string, family: string, year: number, title = 'A Book'): CslItem => ({
  id,
  type: 'book',
  title,
  author: [{family, given: 'Ann'}],
  issued: {'date-parts': [[year]]}
})

const cite = (id: string, ...keys: string[]): CiteprocCitation => ({citationID: id, citationItems: keys.map((key) => ({id: key})), properties: {noteIndex: 0}})

describe('createCitationEngine', () => {
  it('formats citations in order, with disambiguation across the document', () => {
    const engine = createCitationEngine(builtInCitationStyle(), [book('a', 'Smith', 2001), book('b', 'Smith', 2001, 'Another Book')])
    expect(engine.formatCitations([cite('one', 'a'), cite('two', 'b', 'a')])).toEqual(['(Smith 2001a)', '(Smith 2001b, 2001a)'])
    expect(engine.formatBibliography()?.entries.map((entry) => entry.id)).toEqual(['a', 'b'])
  })

  it('serves one document after another with the same style, each with its own items', () => {
    // One session: both documents share its engine for APA.
    const session = new ProjectSession()
    const first = createCitationEngine(builtInCitationStyle('apa'), [book('a', 'Smith', 2001)], {session})
    expect(first.formatCitations([cite('x', 'a')])).toEqual(['(Smith, 2001)'])
    const second = createCitationEngine(builtInCitationStyle('apa'), [book('b', 'Jones', 2010)], {session})
    expect(second.formatCitations([cite('x', 'b')])).toEqual(['(Jones, 2010)'])
    expect(second.formatBibliography()?.entries.map((entry) => entry.id)).toEqual(['b'])
    // The first document's bibliography is still its own, although the shared engine moved on.
    expect(first.formatBibliography()?.entries.map((entry) => entry.id)).toEqual(['a'])
  })

  it('reformats when an item changes, and reuses the result when nothing did', () => {
    const citations = () => [cite('x', 'a')]
    const session = new ProjectSession()
    const before = createCitationEngine(builtInCitationStyle(), [book('a', 'Smith', 2001)], {session})
    const first = before.formatCitations(citations())
    expect(createCitationEngine(builtInCitationStyle(), [book('a', 'Smith', 2001)], {session}).formatCitations(citations())).toBe(first)
    const changed = createCitationEngine(builtInCitationStyle(), [book('a', 'Smith', 2002)], {session})
    expect(changed.formatCitations(citations())).toEqual(['(Smith 2002)'])
    expect(changed.formatBibliography()?.entries[0].html).toContain('2002')
  })

  it('exposes the layout and the locale’s locator labels', () => {
    const engine = createCitationEngine(builtInCitationStyle(), [])
    expect(engine.layout).toEqual({prefix: '(', suffix: ')', delimiter: '; '})
    expect(engine.lang).toBe('en-US')
    expect(engine.locatorTerms.get('pp.')).toBe('page')
    expect(engine.locatorTerms.get('§')).toBe('section')
  })

  it('uses another shipped locale on request, and falls back as pandoc does for one not shipped', () => {
    const german = createCitationEngine(builtInCitationStyle(), [book('a', 'Schmidt', 2001)], {locale: 'de'})
    expect(german.lang).toBe('de-DE')
    expect(german.locatorTerms.get('s.')).toBe('page')
    expect(createCitationEngine(builtInCitationStyle(), [], {locale: 'pt-BR'}).lang).toBe('pt-BR')
    expect(createCitationEngine(builtInCitationStyle(), [], {locale: 'de-LU'}).lang).toBe('de-DE')
    expect(createCitationEngine(builtInCitationStyle(), [], {locale: 'hi-IN'}).lang).toBe('en-US')
  })

  it('changes case by the language, as citeproc-js did before our shortcut for languages with the default mapping', () => {
    // patches/citeproc: only tr, az, lt and el are given to ICU; the others take toLowerCase / toUpperCase.
    const CSL = citeproc() as unknown as {toLocaleLowerCase(this: unknown, text: string): string; toLocaleUpperCase(this: unknown, text: string): string}
    const inLanguage = (...languages: string[]) => ({tmp: {lang_array: languages}})
    expect(CSL.toLocaleLowerCase.call(inLanguage('tr-TR', 'tr'), 'İSTANBUL ILGAZ')).toBe('istanbul ılgaz')
    expect(CSL.toLocaleUpperCase.call(inLanguage('tr'), 'istanbul')).toBe('İSTANBUL')
    expect(CSL.toLocaleUpperCase.call(inLanguage('el-GR'), 'άλφα')).toBe('ΑΛΦΑ')
    expect(CSL.toLocaleLowerCase.call(inLanguage('en-US', 'en'), 'ÉCOLE ILGAZ')).toBe('école ilgaz')
    expect(CSL.toLocaleUpperCase.call(inLanguage('de-DE'), 'straße')).toBe('STRASSE')
    expect(CSL.toLocaleUpperCase.call(inLanguage('en-US'), 'άλφα')).toBe('ΆΛΦΑ')
  })
})
