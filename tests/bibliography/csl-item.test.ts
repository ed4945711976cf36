/**
 * CSL YAML and CSL JSON references read as pandoc 2.17 reads them (fixtures/conversions.yaml): YAML strings are
 * Markdown, JSON strings are citeproc's own markup; variable names of any case; escaped ids; literal date ranges.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {load as loadYaml} from 'js-yaml'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {createCitationEngine, defaultStyle, loadBibliography, type CslItem} from '../../pipeline/bibliography/index.ts'

const yaml = readFileSync(path.join(import.meta.dirname, 'fixtures/conversions.yaml'), 'utf8')

function load(contents: Record<string, string>, references?: unknown) {
  const file = new VFile({path: 'manuscript.md'})
  const bibliography = loadBibliography(Object.keys(contents), {file, readFile: (name) => contents[name], references})
  return {items: bibliography.byId, messages: file.messages}
}

function formatted(items: CslItem[]): {citations: string[]; entries: string[]} {
  const engine = createCitationEngine(defaultStyle(), items)
  const citations = engine.formatCitations(items.map((item, index) => ({citationID: `c${index}`, citationItems: [{id: item.id}], properties: {noteIndex: 0}})))
  return {citations, entries: (engine.formatBibliography()?.entries ?? []).map((entry) => entry.html)}
}

describe('CSL YAML strings as Markdown', () => {
  const {items, messages} = load({'refs.yaml': yaml})
  const item = (id: string) => items.get(id)!

  it('reads every reference without a message', () => {
    expect(messages).toEqual([])
    expect([...items.keys()]).toEqual(['olson', 'wolfinger', 'brainard', 'timmory__justice_1950', 'stotz'])
  })

  it('turns emphasis and strong into citeproc markup, `--` into an en dash', () => {
    expect(item('olson').title).toBe('Codes, costs, and critiques: The organization of information in <i>Library Quarterly</i>, 1931–2004')
    expect(item('olson').page).toBe('19–35')
    expect(item('wolfinger').title).toBe('Keine Angst vor Linux: ein Lehrbuch für <b>Linux</b>- und Unix-Anwender')
  })

  it('drops backslash escapes, as Markdown does', () => {
    expect(item('wolfinger')['publisher-place']).toBe('Berlin [u.a.]')
    expect(item('brainard').title).toContain('Understanding #TheDress')
  })

  it('reads spans, sub- and superscripts and smart quotes', () => {
    expect(item('brainard').title).toBe(
      'Colour vision: Understanding #TheDress and the <span class="nocase">NASA</span> H<sub>2</sub>O x<sup>2</sup> <span style="font-variant:small-caps;">caps</span> question’s end'
    )
  })

  it('reads variable names in any case: `doi` is the DOI, `Type` the type', () => {
    expect(item('olson').DOI).toBe('10.1086/504343')
    expect(item('olson').doi).toBeUndefined()
    expect(item('brainard').type).toBe('article-journal')
  })

  it('finds an escaped id by the key a citation writes', () => {
    expect(item('timmory__justice_1950').title).toBe('<i>Justice est faite</i> : soyons justes')
  })

  it('knows the line of an escaped id, for messages about it', () => {
    const file = new VFile({path: 'manuscript.md'})
    const bibliography = loadBibliography(['refs.yaml'], {file, readFile: () => yaml})
    const line = yaml.split('\n').findIndex((source) => source.includes('id: timmory\\_\\_justice_1950')) + 1
    expect(line).toBeGreaterThan(1)
    expect(bibliography.origins.get('timmory__justice_1950')).toEqual({path: 'refs.yaml', line})
  })

  it('reads a literal date written 1996_2004 as a range', () => {
    expect(item('stotz').issued).toEqual({'date-parts': [[1996], [2004]]})
    const {citations, entries} = formatted([item('stotz')])
    expect(citations).toEqual(['(Stotz 1996–2004)'])
    expect(entries[0]).toContain('Stotz, Peter. 1996–2004. <i>Handbuch zur lateinischen Sprache des Mittelalters</i>.')
  })

  it('formats the Markdown as pandoc does (Chicago author-date)', () => {
    const {entries} = formatted([item('olson')])
    expect(entries[0]).toContain('“Codes, Costs, and Critiques: The Organization of Information in <i>Library Quarterly</i>, 1931–2004.” <i>Library Quarterly</i> 76: 19–35.')
  })

  it('reads inline `references:` in the front matter the same way', () => {
    const references = (loadYaml(yaml) as {references: unknown}).references
    const inline = load({}, references)
    expect(inline.messages).toEqual([])
    expect([...inline.items.values()]).toEqual([...items.values()])
  })

  it('takes a string that reads as other blocks than a paragraph as written', () => {
    const {items: listed} = load({'refs.yaml': '- id: x\n  title: "1. Introduction"\n'})
    expect(listed.get('x')?.title).toBe('1. Introduction')
  })
})

describe('CSL JSON strings as citeproc markup', () => {
  it('keeps citeproc markup and leaves Markdown and `--` as written, as pandoc does', () => {
    const json = JSON.stringify([{id: 'a', type: 'book', title: 'A *star* and <i>italic</i> (100--600)', doi: '10.1/x', issued: {literal: '1996_2004'}}])
    const {items, messages} = load({'refs.json': json})
    expect(messages).toEqual([])
    expect(items.get('a')).toEqual({id: 'a', type: 'book', title: 'A *star* and <i>italic</i> (100--600)', DOI: '10.1/x', issued: {'date-parts': [[1996], [2004]]}})
  })
})

describe('references that cannot be used', () => {
  it('leaves out a reference without an id, with a warning', () => {
    const {items, messages} = load({'refs.yaml': '- title: No id\n- id: ok\n  title: Fine\n'})
    expect([...items.keys()]).toEqual(['ok'])
    expect(messages.map((message) => [message.ruleId, message.fatal])).toEqual([['unreadable-bibliography-entry', false]])
    expect(messages[0].reason).toContain('reference 1 has no `id`, so it is left out')
  })

  it('keeps a date range of uneven precision to what both ends give (citeproc-js refuses it otherwise)', () => {
    const {items} = load({'refs.bib': '@article{r, title = {Range}, date = {2001-02-03/2001-04}}'})
    expect(items.get('r')?.issued).toEqual({'date-parts': [[2001, 2], [2001, 4]]})
    expect(() => formatted([items.get('r')!])).not.toThrow()
  })
})
