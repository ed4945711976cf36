/**
 * The styles a manuscript names without a file (`csl: apa`, `vancouver` or `harvard1`; Chicago author-date when it
 * names none), and a `.csl` file of its own (fixtures/house-notes.csl, a note style written for these tests): each
 * formats the same two works by its own conventions, protected words of a BibTeX title kept as written. And the
 * CSL locales: every one pandoc ships but one, and pandoc's fallback for the others.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {CiteprocCitation} from '../../pipeline/bibliography/engine.ts'
import {builtInCitationStyle, createCitationEngine, loadCitationStyle, parseBibtex, prepareCitationStyle, reportUnshippedLocale, shippedLocales, type BuiltInStyleName, type CitationStyle, type CslItem} from '../../pipeline/bibliography/index.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'

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
    for (const name of ['apa', 'vancouver', 'harvard1'] as const) expect(loadCitationStyle(name, {file, readFile}).xml).toBe(builtInCitationStyle(name).xml)
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

  it('is parsed once per project session, whatever name it is read under', () => {
    const {citationStyles: memo} = new ProjectSession()
    expect(prepareCitationStyle(houseNotes, 'a.csl', false, memo).parsed).toBe(prepareCitationStyle(houseNotes, 'b.csl', false, memo).parsed)
    expect(prepareCitationStyle(houseNotes, 'b.csl', false, memo).name).toBe('b.csl')
    // Another project's session parses it for itself.
    expect(prepareCitationStyle(houseNotes, 'a.csl', false, new ProjectSession().citationStyles).parsed).not.toBe(prepareCitationStyle(houseNotes, 'a.csl', false, memo).parsed)
  })
})

/** A style of one line: two authors joined by the locale's "and", and a date as the locale writes it. */
const localeProbe = prepareCitationStyle(
  `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">
  <info><title>Locale probe</title><id>locale-probe</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation><layout><names variable="author"><name and="text" form="short"/></names><date variable="issued" form="text" prefix=", "/></layout></citation>
</style>`,
  'locale-probe.csl'
)
const twoAuthors: CslItem = {id: 'a', type: 'book', title: 'T', author: [{family: 'Doe', given: 'J'}, {family: 'Roe', given: 'R'}], issued: {'date-parts': [[2001, 5, 4]]}}
const probe = (locale: string | undefined, style = localeProbe): {lang: string; text: string} => {
  const engine = createCitationEngine(style, [twoAuthors], {locale})
  return {lang: engine.lang, text: plain(engine.formatCitations([{citationID: 'x', citationItems: [{id: 'a'}], properties: {noteIndex: 0}}])[0])}
}

describe('citation locales', () => {
  // What `pandoc --citeproc` (2.17) prints with each locale it embeds, but for the space around "and" in Hebrew,
  // Japanese, Korean and Chinese (pandoc: "Doe 和 Roe"), which citeproc-js leaves out. pandoc also has hi-IN.
  it.each([
    ['af-ZA', 'Doe en Roe, 04 Mei 2001'], ['ar', 'Doe و Roe, 4 مايو، 2001'], ['bg-BG', 'Doe и Roe, 04 Май 2001'], ['ca-AD', 'Doe i Roe, 4 maig 2001'],
    ['cs-CZ', 'Doe a Roe, 4. květen 2001'], ['cy-GB', 'Doe a/ac Roe, 4 Mai 2001'], ['da-DK', 'Doe og Roe, 4. maj 2001'], ['de-AT', 'Doe und Roe, 4. Mai 2001'],
    ['de-CH', 'Doe und Roe, 4. Mai 2001'], ['de-DE', 'Doe und Roe, 4. Mai 2001'], ['el-GR', 'Doe και Roe, 4 Μάιος 2001'], ['en-GB', 'Doe and Roe, 4 May 2001'],
    ['en-US', 'Doe and Roe, May 4, 2001'], ['es-CL', 'Doe y Roe, 4 de mayo de 2001'], ['es-ES', 'Doe y Roe, 4 de mayo de 2001'], ['es-MX', 'Doe y Roe, el 4 de mayo de 2001'],
    ['et-EE', 'Doe ja Roe, 4. mai 2001'], ['eu', 'Doe eta Roe, 2001(e)ko maiatzakaren 4a'], ['fa-IR', 'Doe و Roe, 4 می 2001'], ['fi-FI', 'Doe ja Roe, 4. toukokuuta 2001'],
    ['fr-CA', 'Doe et Roe, 4 mai 2001'], ['fr-FR', 'Doe et Roe, 4 mai 2001'], ['he-IL', 'DoeוRoe, 4 מאי 2001'], ['hr-HR', 'Doe i Roe, 04. svibanj 2001.'],
    ['hu-HU', 'Doe és Roe, 2001. május 4.'], ['id-ID', 'Doe dan Roe, 4 Mei 2001'], ['is-IS', 'Doe og Roe, 4. maí 2001'], ['it-IT', 'Doe e Roe, 4 maggio 2001'],
    ['ja-JP', 'DoeとRoe, 2001年5月4日'], ['km-KH', 'Doe and Roe, 4\u200bឧសភា\u200b2001'], ['ko-KR', 'Doe와/과Roe, 2001년 5월 4일'], ['la', 'Doe et Roe, 4 maius 2001'],
    ['lt-LT', 'Doe ir Roe, 2001 m. gegužės 4 d.'], ['lv-LV', 'Doe un Roe, 2001. gada 4. maijā'], ['mn-MN', 'Doe and Roe, 4 Тавдугаар сар 2001'], ['nb-NO', 'Doe og Roe, 4. mai 2001'],
    ['nl-NL', 'Doe en Roe, 4 mei 2001'], ['nn-NO', 'Doe og Roe, 4. mai 2001'], ['pl-PL', 'Doe i Roe, 4 maj 2001'], ['pt-BR', 'Doe e Roe, 4 de maio de 2001'],
    ['pt-PT', 'Doe e Roe, 4 de Maio de 2001'], ['ro-RO', 'Doe și Roe, 4 mai 2001'], ['ru-RU', 'Doe и Roe, 4 май 2001 г.'], ['sk-SK', 'Doe a Roe, 04. máj 2001'],
    ['sl-SI', 'Doe in Roe, 4. maj 2001.'], ['sr-RS', 'Doe и Roe, 04. Мај 2001.'], ['sv-SE', 'Doe och Roe, 04 maj 2001'], ['th-TH', 'Doe และ Roe, 4 พฤษภาคม 2001'],
    ['tr-TR', 'Doe ve Roe, 04 Mayıs 2001'], ['uk-UA', 'Doe і Roe, 04, Травень 2001'], ['vi-VN', 'Doe và Roe, 4 Tháng Năm 2001'], ['zh-CN', 'Doe和Roe, 2001年5月4日'],
    ['zh-TW', 'Doe及Roe, 2001年5月4日']
  ])('%s is shipped and formats as pandoc’s', (tag, text) => {
    expect(probe(tag)).toEqual({lang: tag, text})
  })

  it('are every locale pandoc 2.17 embeds but hi-IN', () => {
    expect(shippedLocales()).toHaveLength(53)
    expect(shippedLocales()).not.toContain('hi-IN')
  })

  it.each([
    // A bare language, or a region we lack, is the language's primary dialect; a script is ignored.
    ['de', 'de-DE'], ['de-LU', 'de-DE'], ['zh', 'zh-CN'], ['pt', 'pt-PT'], ['en-AU', 'en-US'], ['sr-Latn-RS', 'sr-RS'], ['ar-EG', 'ar'], ['en_GB', 'en-GB'],
    // A language without a locale is English.
    ['hi-IN', 'en-US'], ['hi', 'en-US'], ['xx', 'en-US']
  ])('%s falls back to %s, as in pandoc', (tag, lang) => {
    expect(probe(tag).lang).toBe(lang)
    expect(probe(tag).text).toBe(probe(lang).text)
  })

  it('follow the style’s default-locale when `lang` is not set, and `lang` over it', () => {
    const chinese = prepareCitationStyle(localeProbe.xml.replace('version="1.0">', 'version="1.0" default-locale="zh-CN">'), 'chinese-probe.csl')
    expect(probe(undefined, chinese)).toEqual({lang: 'zh-CN', text: 'Doe和Roe, 2001年5月4日'})
    expect(probe('de', chinese)).toEqual({lang: 'de-DE', text: 'Doe und Roe, 4. Mai 2001'})
    // citeproc-js used to be left asking for a locale it could not have, and failed inside (an internal error).
    const hindi = prepareCitationStyle(localeProbe.xml.replace('version="1.0">', 'version="1.0" default-locale="hi-IN">'), 'hindi-probe.csl')
    expect(probe(undefined, hindi)).toEqual({lang: 'en-US', text: 'Doe and Roe, May 4, 2001'})
  })

  const warnings = (lang: string | undefined, style: CitationStyle): string[] => {
    const file = new VFile({path: 'manuscript.md'})
    reportUnshippedLocale(file, style, lang, {sourceFile: 'manuscript.md', place: {line: 2, column: 1}})
    return file.messages.map((message) => `${message.file}:${message.line} ${message.ruleId} ${message.reason}`)
  }

  it('not shipped are named in a warning, at `lang` or else at the style', () => {
    const hindi = prepareCitationStyle(localeProbe.xml.replace('version="1.0">', 'version="1.0" default-locale="hi-IN">'), 'styles/hindi.csl')
    expect(warnings(undefined, hindi)).toEqual([
      expect.stringMatching(/^styles\/hindi\.csl:1 citation-locale No citation locale for hi-IN \(the default-locale of styles\/hindi\.csl\) is shipped: citations and the bibliography use English \(en-US\) terms and dates, as pandoc does\. For another language, set `lang` to a shipped locale: af-ZA, ar, .*, zh-TW\.$/)
    ])
    expect(warnings('de-LU', hindi)).toEqual([
      'manuscript.md:2 citation-locale The citation locale de-LU (`lang`) is not shipped: citations and the bibliography use de-DE, as pandoc does. To choose the dialect, set `lang` to one of de-AT, de-CH, de-DE.'
    ])
    for (const shipped of ['de', 'zh-CN', 'sr-Latn-RS', 'ar-EG']) expect(warnings(shipped, hindi)).toEqual([])
  })
})
