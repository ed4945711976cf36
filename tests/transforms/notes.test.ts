import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {FootnoteDefinition, FootnoteReference, Nodes, Root} from 'mdast'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {toString} from 'mdast-util-to-string'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified, type Processor} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkInlineNote} from '../../pipeline/syntax/inline-note/index.ts'
import {notesTransform, remarkNotes} from '../../pipeline/transforms/notes.ts'
import {corpus} from '../support/project.ts'


function remarkGfmFootnoteSyntax(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gfmFootnote())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown())
}

const parser = unified().use(remarkParse).use(remarkGfmFootnoteSyntax).use(remarkInlineNote)

function parse(doc: string): Root {
  return parser.parse(doc) as Root
}

function transformed(doc: string): {tree: Root; file: VFile} {
  const tree = parse(doc)
  const file = new VFile({path: 'manuscript.md', value: doc})
  notesTransform(tree, file)
  return {tree, file}
}

function all<T extends Nodes['type']>(tree: Nodes, type: T): Extract<Nodes, {type: T}>[] {
  const found: Extract<Nodes, {type: T}>[] = []
  visit(tree, type, (node) => {
    found.push(node as Extract<Nodes, {type: T}>)
  })
  return found
}

async function render(doc: string): Promise<string> {
  const file = await unified()
    .use(remarkParse)
    .use(remarkGfmFootnoteSyntax)
    .use(remarkInlineNote)
    .use(remarkNotes)
    .use(remarkRehype)
    .use(rehypeStringify)
    .process(doc)
  return String(file)
}

/** The numbers of the note calls in the body, in reading order. */
function callNumbers(html: string): string[] {
  return [...html.matchAll(/<sup><a [^>]*data-footnote-ref[^>]*>(\d+)<\/a><\/sup>/g)].map((match) => match[1])
}

/** The text of each rendered note, in the order of the notes list. */
function noteTexts(html: string): string[] {
  const list = /<section[^>]*data-footnotes[^>]*>[\s\S]*?<ol>([\s\S]*)<\/ol>/.exec(html)?.[1] ?? ''
  return [...list.matchAll(/<li id="[^"]*">([\s\S]*?)<\/li>/g)].map((match) =>
    match[1]
      .replace(/<a [^>]*data-footnote-backref[^>]*>[\s\S]*?<\/a>/g, '')
      .replace(/<[^>]+>/g, '')
      .trim()
  )
}

describe('notes transform', () => {
  it('replaces an inline note with a footnote reference and appends its definition', () => {
    const doc = 'Text.^[A *short* note.] More.\n\nLast paragraph.'
    const {tree} = transformed(doc)
    expect(all(tree, 'inlineNote')).toEqual([])
    const paragraph = tree.children[0]
    expect(paragraph.type === 'paragraph' && paragraph.children.map((child) => child.type)).toEqual([
      'text',
      'footnoteReference',
      'text'
    ])
    const reference = (paragraph.type === 'paragraph' && paragraph.children[1]) as FootnoteReference
    const definition = tree.children.at(-1) as FootnoteDefinition
    expect(definition.type).toBe('footnoteDefinition')
    expect(definition.identifier).toBe(reference.identifier)
    expect(definition.children).toHaveLength(1)
    expect(definition.children[0].type).toBe('paragraph')
    expect(toString(definition)).toBe('A short note.')
    // The note's content keeps its own positions; the new nodes take the note's.
    const emphasis = all(definition, 'emphasis')[0]
    expect(emphasis.position?.start).toMatchObject({line: 1, column: 10, offset: 9})
    for (const node of [reference, definition, definition.children[0]]) {
      expect(node.position).toEqual({
        start: {line: 1, column: 6, offset: 5},
        end: {line: 1, column: 24, offset: 23}
      })
    }
  })

  it('keeps positions of notes that span lines', () => {
    const doc = 'A^[first\nsecond *line*] b'
    const {tree} = transformed(doc)
    const [reference] = all(tree, 'footnoteReference')
    expect(reference.position).toEqual({
      start: {line: 1, column: 2, offset: 1},
      end: {line: 2, column: 15, offset: 23}
    })
    const [definition] = all(tree, 'footnoteDefinition')
    expect(toString(definition)).toBe('first\nsecond line')
    expect(all(definition, 'emphasis')[0].position?.start).toMatchObject({line: 2, column: 8, offset: 16})
  })

  it('leaves author-written footnotes as they are and never reuses their identifiers', () => {
    const doc = [
      'One^[inline a] two[^inline-note-1] three^[inline b] four[^Inline-Note-3].',
      '',
      '[^inline-note-1]: Author note one.',
      '',
      '[^Inline-Note-3]: Author note three.'
    ].join('\n')
    const before = parse(doc)
    const authorDefinitions = all(before, 'footnoteDefinition').map((node) => structuredClone(node))
    const {tree} = transformed(doc)
    const references = all(tree, 'footnoteReference')
    expect(references.map((node) => node.identifier).slice(1, 4)).toEqual(['inline-note-1', expect.any(String), 'inline-note-3'])
    const generated = [references[0].identifier, references[2].identifier]
    expect(new Set([...generated, 'inline-note-1', 'inline-note-3']).size).toBe(4)
    const definitions = all(tree, 'footnoteDefinition')
    expect(definitions.slice(0, 2)).toEqual(authorDefinitions)
    expect(definitions.slice(2).map((node) => node.identifier)).toEqual(generated)
    expect(definitions.slice(2).map((node) => toString(node))).toEqual(['inline a', 'inline b'])
  })

  it('renders author and inline notes numbered 1, 2, 3 in reading order', async () => {
    const doc = [
      'First claim.^[An inline note.] Registers were searched.[^registers] Last claim.^[Another *inline* note.]',
      '',
      '[^registers]: The national charity register.',
      '',
      'Closing paragraph.'
    ].join('\n')
    const html = await render(doc)
    expect(callNumbers(html)).toEqual(['1', '2', '3'])
    expect(noteTexts(html)).toEqual(['An inline note.', 'The national charity register.', 'Another inline note.'])
    // The definition written mid-document does not stay in the body.
    expect(html.indexOf('The national charity register')).toBeGreaterThan(html.indexOf('Closing paragraph.'))
  })

  it('numbers a note written before an author note that is defined first', async () => {
    const doc = '[^early]: Defined first.\n\nA^[inline] then B[^early].'
    const html = await render(doc)
    expect(callNumbers(html)).toEqual(['1', '2'])
    expect(noteTexts(html)).toEqual(['inline', 'Defined first.'])
  })

  it('gives a note inside a note its own footnote', () => {
    const {tree} = transformed('a^[outer ^[inner] end] b')
    expect(all(tree, 'inlineNote')).toEqual([])
    const definitions = all(tree, 'footnoteDefinition')
    expect(definitions.map((node) => toString(node))).toEqual(['outer  end', 'inner'])
    const [outerCall, innerCall] = all(tree, 'footnoteReference')
    expect(outerCall.identifier).toBe(definitions[0].identifier)
    expect(innerCall.identifier).toBe(definitions[1].identifier)
    expect(all(definitions[0], 'footnoteReference')).toEqual([innerCall])
  })

  it('converts inline notes inside author-written footnote definitions', () => {
    const {tree} = transformed('A[^a].\n\n[^a]: Author note.^[Inline in it.]')
    expect(all(tree, 'inlineNote')).toEqual([])
    expect(all(tree, 'footnoteDefinition').map((node) => toString(node))).toEqual(['Author note.', 'Inline in it.'])
  })

  it('copies the source file of the note onto every node it creates', () => {
    const tree = parse('a^[note] b')
    visit(tree, 'inlineNote', (node) => {
      node.data = {sourceFile: 'chapters/intro.md'}
    })
    notesTransform(tree, new VFile())
    const [reference] = all(tree, 'footnoteReference')
    const [definition] = all(tree, 'footnoteDefinition')
    expect(reference.data?.sourceFile).toBe('chapters/intro.md')
    expect(definition.data?.sourceFile).toBe('chapters/intro.md')
    expect(definition.children[0].data?.sourceFile).toBe('chapters/intro.md')
  })

  it('warns about an empty note', () => {
    const {file} = transformed('a^[] b')
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]).toMatchObject({ruleId: 'empty-inline-note', fatal: false, line: 1, column: 2})
    expect(file.messages[0].reason).toMatch(/write the note text/)
  })

  it('adds nothing to a document without inline notes', () => {
    const doc = 'Plain[^a] text.\n\n[^a]: Note.'
    const before = parse(doc)
    const {tree, file} = transformed(doc)
    expect(tree).toEqual(before)
    expect(file.messages).toEqual([])
  })

  describe('the trenches manuscript', {tags: ['corpus']}, () => {
    it('renders every note once, numbered in reading order with the [^datasources] note among them', async () => {
      const doc = readFileSync(path.join(corpus, 'trenches/manuscript/manuscript.md'), 'utf8')
      const tree = parse(doc)
      const inlineNotes = all(tree, 'inlineNote')
      const [datasources] = all(tree, 'footnoteReference')
      const notesBefore = inlineNotes.filter(
        (note) => note.position!.start.offset! < datasources.position!.start.offset!
      ).length

      const html = await render(doc)
      const numbers = callNumbers(html)
      expect(numbers).toEqual(Array.from({length: inlineNotes.length + 1}, (_, index) => String(index + 1)))
      const texts = noteTexts(html)
      expect(texts).toHaveLength(inlineNotes.length + 1)
      expect(texts[notesBefore]).toMatch(/^Global Modern Slavery Directory/)
      expect(texts[0]).toMatch(/^The creators of the TVPA/)
      expect(texts.at(-1)).toBe(toString(inlineNotes.at(-1)!))
    })
  })
})
