/**
 * BibLaTeX to CSL as pandoc 2.17 converts it (fixtures/conversions.bib, one entry per conversion): what each entry
 * becomes, and the reference list pandoc prints from it (`pandoc --citeproc -t plain`, Chicago author-date).
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createCitationEngine, defaultStyle, loadBibliography, type CslItem} from '../../pipeline/bibliography/index.ts'

const text = readFileSync(path.join(import.meta.dirname, 'fixtures/conversions.bib'), 'utf8')

function load(bib = text) {
  const file = new VFile({path: 'manuscript.md'})
  const bibliography = loadBibliography(['conversions.bib'], {file, readFile: () => bib})
  return {items: bibliography.byId, messages: file.messages}
}

function entriesOf(items: CslItem[]): string[] {
  const engine = createCitationEngine(defaultStyle(), items)
  engine.formatCitations([], items.map((item) => item.id))
  return (engine.formatBibliography()?.entries ?? []).map((entry) => entry.html)
}

const plain = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&#38;/g, '&').replace(/\s+/g, ' ').trim()

describe('BibLaTeX entries as pandoc converts them', () => {
  const {items, messages} = load()
  const item = (id: string) => items.get(id)!

  it('reads every entry without a message; an @xdata entry is no work of its own', () => {
    expect(messages).toEqual([])
    expect([...items.keys()]).not.toContain('riverton')
    expect(items.size).toBe(12)
  })

  it('gives theses and reports their CSL type and the genre pandoc prints', () => {
    expect(item('thesis')).toMatchObject({type: 'thesis', genre: 'PhD thesis', publisher: 'Riverton University'})
    expect(item('masters')).toMatchObject({type: 'thesis', genre: 'Master’s thesis'})
    expect(item('habilitation')).toMatchObject({type: 'thesis', genre: 'Habilitation'})
    // A report's genre is its `type` field, as written (pandoc adds none for a plain @techreport).
    expect(item('report')).toMatchObject({type: 'report', number: 'RG-2021-4', publisher: 'City of Riverton'})
    expect(item('report').genre).toBeUndefined()
    expect(item('workingpaper')).toMatchObject({type: 'report', genre: 'Working Paper'})
  })

  it('makes @online a web page with its URL and access date', () => {
    expect(item('webpage')).toMatchObject({type: 'webpage', URL: 'https://example.org/spades', accessed: {'date-parts': [[2023, 5, 3]]}, issued: {'date-parts': [[2023, 4, 28]]}})
  })

  it('takes title-short from `shorttitle`, else from the title before its subtitle', () => {
    expect(item('book')['title-short']).toBe('The garden')
    expect(item('thesis')['title-short']).toBe('Seeds in common')
    expect(item('subtitled')).toMatchObject({title: 'Main title: The subtitle. An addendum', 'title-short': 'Main title'})
  })

  it('inherits through crossref and xdata, expands @string macros', () => {
    expect(item('chapter')).toMatchObject({type: 'chapter', 'container-title': 'Main title: The subtitle. An addendum', publisher: 'Commons Press', page: '1-10', issued: {'date-parts': [[2010]]}})
    expect(item('shared')).toMatchObject({publisher: 'Riverton Press', 'publisher-place': 'Riverton'})
    expect(item('book').publisher).toBe('Commons Press Ltd')
  })

  it('reads name particles as dropping and suffixes apart', () => {
    expect(item('book').author).toEqual([
      {family: 'Beethoven', given: 'Ludwig', 'dropping-particle': 'van'},
      {family: 'Fontaine', given: 'Jean', 'dropping-particle': 'de la'},
      {family: 'Smith', given: 'John', suffix: 'Jr.'}
    ])
  })

  it('turns LaTeX into citeproc markup: emphasis, bold, small caps, sub- and superscripts, dashes, ties, accents, protected case', () => {
    expect(item('book').title).toBe(
      'The <span class="nocase">NASA</span> garden: <i>Italic</i>, <b>Bold</b>, <span style="font-variant:small-caps;">Caps</span>, h<sub>2</sub>o and x<sup>2</sup> — dashes – en\u00a0tie & étë'
    )
  })

  it('takes the language from `langid` and sentence-cases English titles only', () => {
    expect(item('german')).toMatchObject({language: 'de-DE', title: 'Ein Buch über Gärten: Eine Einführung', 'title-short': 'Ein Buch über Gärten'})
    expect(item('preprint')).toMatchObject({language: 'en-GB', title: 'Who keeps the keys'})
    expect(item('book').language).toBeUndefined()
  })

  it('gives an arXiv eprint its URL and keeps the DOI', () => {
    expect(item('preprint').URL).toBe('https://arxiv.org/abs/2001.01234')
    expect(item('preprint').PMID).toBeUndefined()
    expect(item('book').DOI).toBe('10.5555/garden')
  })

  it('prints the reference list pandoc prints', () => {
    const entries = entriesOf([...items.values()])
    const book = entries.find((entry) => entry.includes('Beethoven'))!
    // pandoc's plain text shows the formatting as Unicode (CAPS, h₂o, x²); the HTML keeps it as markup (italics
    // inside the italic book title set upright).
    expect(book).toContain('<i>The NASA Garden: <span style="font-style:normal;">Italic</span>, <b>Bold</b>, <span style="font-variant:small-caps;">Caps</span>, h<sub>2</sub>o and x<sup>2</sup> — Dashes – En')
    expect(entries.filter((entry) => entry !== book).map(plain)).toEqual([
      'Brennan, Siobhán. 2012. Shared Fields. Riverton: Riverton Press.',
      'Haddad, Samir. 2015. “Plots and Paths.” Working Paper. Riverton University.',
      'Ivanova, Elena. 2019. “Seeds in Common: A Study of Shared Gardens.” PhD thesis, Riverton University.',
      'Lindqvist, Tomás. 2017. “Tool Sheds.” Master’s thesis, Riverton University.',
      'Müller, Hans. 2013. Ein Buch über Gärten: Eine Einführung. Commons Press.',
      'Novák, Petra. 2016. “Allotments.” Habilitation, Riverton University.',
      'Okafor, Mara. 2020. “Who Keeps the Keys.” Journal of Shared Things. https://arxiv.org/abs/2001.01234.',
      'Riverton City Gardens Office. 2021. “Annual Report on Allotments.” RG-2021-4. City of Riverton.',
      'Roe, Ann. 2010a. “A Chapter.” In Main Title: The Subtitle. An Addendum, by Ann Roe, 1–10. Commons Press.',
      '———. 2010b. Main Title: The Subtitle. An Addendum. Commons Press.',
      'Tanaka, Yui. 2023. “Sharing Spades.” April 28, 2023. https://example.org/spades.'
    ])
  })

  it('keeps a particle with the family name when the entry asks biblatex to (useprefix)', () => {
    const {items: used} = load('@book{u, author = {van Gogh, Vincent}, title = {Letters}, options = {useprefix=true}, year = 1990}')
    expect(used.get('u')?.author).toEqual([{family: 'Gogh', given: 'Vincent', 'non-dropping-particle': 'van'}])
  })
})

describe('a large .bib: only the cited entries are converted', () => {
  const full = load().items
  const file = new VFile({path: 'manuscript.md'})
  const partial = loadBibliography(['conversions.bib'], {file, readFile: () => text, convertOnly: new Set(['chapter', 'german'])})

  it('gives a cited entry what a whole conversion gives it, a chapter its uncited book’s fields included', () => {
    expect(partial.byId.get('chapter')).toEqual(full.get('chapter'))
    expect(partial.byId.get('german')).toEqual(full.get('german'))
  })

  it('still knows every other key, in file order, and reports nothing more', () => {
    expect([...partial.byId.keys()]).toEqual([...full.keys()])
    expect(partial.byId.get('book')).toEqual({id: 'book', type: 'document'})
    expect(file.messages).toEqual([])
  })
})
