import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {toString} from 'mdast-util-to-string'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {inlineNote, inlineNoteFromMarkdown, remarkInlineNote} from '../../../pipeline/syntax/inline-note/index.ts'
import type {InlineNote} from '../../../pipeline/syntax/types.ts'
import {corpus} from '../../support/project.ts'
import {span} from '../../support/positions.ts'

function parse(doc: string): Root {
  return fromMarkdown(doc, {
    extensions: [gfmFootnote(), inlineNote()],
    mdastExtensions: [gfmFootnoteFromMarkdown(), inlineNoteFromMarkdown()]
  })
}

function all<T extends Nodes['type']>(tree: Nodes, type: T): Extract<Nodes, {type: T}>[] {
  const found: Extract<Nodes, {type: T}>[] = []
  visit(tree, type, (node) => {
    found.push(node as Extract<Nodes, {type: T}>)
  })
  return found
}

function notes(tree: Nodes): InlineNote[] {
  return all(tree, 'inlineNote')
}

/** `line:column-line:column` with offsets, compact enough to read in a failing assertion. */

/** The source text a node covers, by its offsets. */
function source(doc: string, node: Nodes): string {
  return doc.slice(node.position!.start.offset, node.position!.end.offset)
}

describe('inline notes ^[…]', () => {
  it('parses a note as phrasing content spanning ^[ to ]', () => {
    const doc = 'Text.^[A *short* note.] More.'
    const tree = parse(doc)
    const [note] = notes(tree)
    expect(note.type).toBe('inlineNote')
    expect(span(note.position)).toBe('1:6(5)-1:24(23)')
    expect(source(doc, note)).toBe('^[A *short* note.]')
    expect(note.children.map((child) => child.type)).toEqual(['text', 'emphasis', 'text'])
    expect(span(note.children[0].position)).toBe('1:8(7)-1:10(9)')
    expect(toString(note)).toBe('A short note.')
    const paragraph = tree.children[0]
    expect(paragraph.type === 'paragraph' && paragraph.children.map((child) => child.type)).toEqual([
      'text',
      'inlineNote',
      'text'
    ])
  })

  it('lets brackets nest: links and citation brackets stay inside the note', () => {
    const doc = 'donors.^[See [www.example.org](http://www.example.org/).] After [@a, 611] too.^[As argued [@b, 611; see @c].]'
    const tree = parse(doc)
    const [first, second] = notes(tree)
    expect(source(doc, first)).toBe('^[See [www.example.org](http://www.example.org/).]')
    const link = first.children[1]
    expect(link.type).toBe('link')
    expect(link.type === 'link' && link.url).toBe('http://www.example.org/')
    expect(span(link.position)).toBe('1:14(13)-1:56(55)')
    expect(source(doc, second)).toBe('^[As argued [@b, 611; see @c].]')
    expect(toString(second)).toBe('As argued [@b, 611; see @c].')
  })

  it('does not count brackets in code spans or backslash escapes', () => {
    const doc = 'a^[code `x]` and \\] and \\[ end] b'
    const [note] = notes(parse(doc))
    expect(source(doc, note)).toBe('^[code `x]` and \\] and \\[ end]')
    expect(note.children.find((child) => child.type === 'inlineCode')).toMatchObject({value: 'x]'})
    expect(toString(note)).toBe('code x] and ] and [ end')
  })

  it('treats an unmatched backtick as a literal character', () => {
    const doc = 'a^[one ` two] b'
    const [note] = notes(parse(doc))
    expect(source(doc, note)).toBe('^[one ` two]')
  })

  it('keeps positions right across line breaks', () => {
    const doc = 'Start^[first line\ncontinues *here*\n  and ends] after.'
    const tree = parse(doc)
    const [note] = notes(tree)
    expect(span(note.position)).toBe('1:6(5)-3:12(46)')
    expect(note.children[0]).toMatchObject({type: 'text', value: 'first line\ncontinues '})
    expect(span(note.children[0].position)).toBe('1:8(7)-2:11(28)')
    const emphasis = note.children[1]
    expect(emphasis.type).toBe('emphasis')
    expect(span(emphasis.position)).toBe('2:11(28)-2:17(34)')
    expect(note.children[2]).toMatchObject({type: 'text', value: '\nand ends'})
    expect(span(note.children[2].position)).toBe('2:17(34)-3:11(45)')
    const after = tree.children[0].type === 'paragraph' ? tree.children[0].children[2] : undefined
    expect(after).toMatchObject({type: 'text', value: ' after.'})
    expect(span(after?.position)).toBe('3:12(46)-3:19(53)')
  })

  it('keeps columns right inside block quotes and list items', () => {
    const quoted = '> a^[b\n> *c*\nlazy]'
    const [quotedNote] = notes(parse(quoted))
    expect(span(quotedNote.position)).toBe('1:4(3)-3:6(18)')
    const emphasis = quotedNote.children.find((child) => child.type === 'emphasis')
    expect(span(emphasis?.position)).toBe('2:3(9)-2:6(12)')
    expect(source(quoted, emphasis!)).toBe('*c*')

    const listed = '- x^[one\n  two `a\n  ]` three]'
    const [listedNote] = notes(parse(listed))
    const code = listedNote.children.find((child) => child.type === 'inlineCode')
    expect(code).toMatchObject({value: 'a\n]'})
    expect(span(code?.position)).toBe('2:7(15)-3:5(22)')
    expect(span(listedNote.position)).toBe('1:4(3)-3:12(29)')
  })

  it('keeps a hard line break inside a note', () => {
    const doc = 'x^[one  \ntwo]'
    const [note] = notes(parse(doc))
    expect(note.children.map((child) => child.type)).toEqual(['text', 'break', 'text'])
    expect(span(note.children[2].position)).toBe('2:1(9)-2:4(12)')
  })

  it('leaves GFM footnote calls and other carets alone', () => {
    const doc = 'A call[^src] and 2^10^ and x ^ [y] and ^word and a^[note with [^src] inside].\n\n[^src]: The sources.'
    const tree = parse(doc)
    const references = all(tree, 'footnoteReference')
    expect(references.map((reference) => reference.identifier)).toEqual(['src', 'src'])
    expect(span(references[0].position)).toBe('1:7(6)-1:13(12)')
    expect(all(tree, 'footnoteDefinition').map((definition) => definition.identifier)).toEqual(['src'])
    const [note] = notes(tree)
    expect(source(doc, note)).toBe('^[note with [^src] inside]')
    expect(note.children[1]).toMatchObject({type: 'footnoteReference', identifier: 'src'})
    const paragraph = tree.children[0]
    expect(paragraph.type === 'paragraph' && paragraph.children[2]).toMatchObject({
      type: 'text',
      value: ' and 2^10^ and x ^ [y] and ^word and a'
    })
  })

  it('is not a note when the brackets never balance in the paragraph', () => {
    const doc = 'a^[open [b] c\n\nnext] paragraph'
    const tree = parse(doc)
    expect(notes(tree)).toEqual([])
    expect(toString(tree.children[0])).toBe('a^[open [b] c')
  })

  it('is not a note when the closing bracket is inside a code span', () => {
    const tree = parse('a^[b `c]`')
    expect(notes(tree)).toEqual([])
  })

  it('parses an empty note ^[] as a note without children, as pandoc does', () => {
    const doc = 'a^[] b'
    const [note] = notes(parse(doc))
    expect(note.children).toEqual([])
    expect(span(note.position)).toBe('1:2(1)-1:5(4)')
  })

  it('parses a note inside link text', () => {
    const doc = '[see ^[a note] here](https://example.org)'
    const [link] = all(parse(doc), 'link')
    expect(link.children.map((child) => child.type)).toEqual(['text', 'inlineNote', 'text'])
    expect(link.url).toBe('https://example.org')
  })

  it('registers through the remark plugin', () => {
    const tree = unified().use(remarkParse).use(remarkInlineNote).parse('a^[b]') as Root
    expect(notes(tree)).toHaveLength(1)
  })

  describe('the trenches manuscript', {tags: ['corpus']}, () => {
    let doc: string
    let tree: Root
    let found: InlineNote[]
    beforeAll(() => {
      doc = readFileSync(path.join(corpus, 'trenches/manuscript/manuscript.md'), 'utf8')
      tree = parse(doc)
      found = notes(tree)
    })

    it('parses every ^[ as an inline note', () => {
      const written = doc.split('^[').length - 1
      expect(written).toBeGreaterThan(50)
      expect(found).toHaveLength(written)
      // No `^[` is left over as text outside a note.
      visit(tree, 'text', (node) => {
        expect(node.value).not.toContain('^[')
      })
    })

    it('covers exactly each note source, with balanced brackets', () => {
      for (const note of found) {
        const text = source(doc, note)
        expect(text.startsWith('^[')).toBe(true)
        expect(text.endsWith(']')).toBe(true)
        expect(text.split('[').length).toBe(text.split(']').length)
      }
    })

    it('places notes at their line and column', () => {
      const at = (line: number, column: number) =>
        found.find((note) => note.position!.start.line === line && note.position!.start.column === column)
      const creators = at(17, 691)
      expect(creators && toString(creators)).toMatch(/^The creators of the TVPA .* Supreme Court ruling\.$/)
      const chuang = at(17, 1818)
      expect(chuang && source(doc, chuang)).toMatch(/^\^\[Chuang notes "This exploitation creep .* analysis of the TIP reports\.\]$/)
      expect(chuang && toString(chuang)).toContain('[-@Chuang:2014, 611]')
      const heroes = at(21, 1179)
      expect(span(heroes?.position)).toBe('21:1179(5899)-21:1233(5953)')
      expect(heroes?.children[1]).toMatchObject({type: 'link', url: 'http://www.tipheroes.org/'})
    })

    it('keeps the author-written [^datasources] footnote', () => {
      expect(all(tree, 'footnoteReference').map((node) => node.identifier)).toEqual(['datasources'])
      expect(all(tree, 'footnoteDefinition').map((node) => node.identifier)).toEqual(['datasources'])
    })
  })
})
