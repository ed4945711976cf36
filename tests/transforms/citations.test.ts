import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Element, ElementContent} from 'hast'
import type {FootnoteDefinition, FootnoteReference, Heading, Nodes, Paragraph, Root, RootContent} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {beforeAll, describe, expect, it} from 'vitest'
import {builtInCitationStyle, loadBibliography, prepareCitationStyle, type CitationStyle, type CslItem} from '../../pipeline/bibliography/index.ts'
import {remarkCitation} from '../../pipeline/syntax/citation/index.ts'
import {remarkGfmFootnote} from '../../pipeline/syntax/gfm/index.ts'
import {remarkInlineNote} from '../../pipeline/syntax/inline-note/index.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import type {Citation, Figure} from '../../pipeline/syntax/types.ts'
import {citationsTransform, type BibliographyNode, type CitationsOptions} from '../../pipeline/transforms/citations.ts'
import {corpus} from '../support/project.ts'

const pandocCommand = path.join(corpus, 'peers/pandoc/test/command')
/** A note style written for these tests: `Jane Doe, A book (2001), 3.` */
const houseNotes = path.join(import.meta.dirname, '../bibliography/fixtures/house-notes.csl')

const bib = [
  '@book{doe,',
  '  author = {Doe, Jane},',
  '  title = {A Book},',
  '  publisher = {Press},',
  '  year = 2001',
  '}',
  '@article{roe,',
  '  author = {Roe, Richard},',
  '  title = {An Article},',
  '  journal = {Journal},',
  '  year = 2002',
  '}',
  '@book{unused,',
  '  author = {Nobody, Ned},',
  '  title = {Never Cited},',
  '  year = 1999',
  '}'
].join('\n')

function bibliography(): CslItem[] {
  const file = new VFile({path: 'manuscript.md'})
  return loadBibliography(['refs.bib'], {file, readFile: () => bib}).items
}

const parser = unified().use(remarkParse).use(remarkGfmFootnote).use(remarkInlineNote).use(remarkCitation)

function run(markdown: string, options: Partial<CitationsOptions> = {}) {
  const tree = parser.parse(markdown) as Root
  const file = new VFile({path: 'manuscript.md', value: markdown})
  const stats = citationsTransform(tree, file, {items: bibliography(), bibliographyFile: 'refs.bib', ...options})
  return {tree, file, stats}
}

function textOf(node: ElementContent | Nodes): string {
  if (node.type === 'text') return node.value
  if ((node.type as string) === 'citation') return ((node as unknown as Citation).data?.hChildren as ElementContent[] | undefined ?? []).map(textOf).join('')
  if (node.type === 'footnoteReference') return `[^${node.identifier}]`
  if ('children' in node) return (node.children as (ElementContent | Nodes)[]).map(textOf).join('')
  return ''
}

function citations(tree: Root): Citation[] {
  const found: Citation[] = []
  const walk = (node: Nodes): void => {
    if ((node.type as string) === 'citation') found.push(node as unknown as Citation)
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(tree)
  return found
}

const rendered = (markdown: string, options?: Partial<CitationsOptions>): string[] => citations(run(markdown, options).tree).map(textOf)

describe('citationsTransform: citations', () => {
  it('keeps the citation node and gives it a span with citeproc’s output', () => {
    const {tree} = run('As shown [see @doe, p. 3; @roe].')
    const [citation] = citations(tree)
    expect(citation.type).toBe('citation')
    expect(citation.children.map((item) => item.key)).toEqual(['doe', 'roe'])
    expect(citation.data?.hName).toBe('span')
    expect(citation.data?.hProperties).toEqual({className: ['citation'], dataCites: 'doe roe'})
    expect(textOf(citation)).toBe('(see Doe 2001, 3; Roe 2002)')
  })

  it('renders author-in-text, suppress-author and locators as pandoc does', () => {
    expect(rendered('@doe says so.')).toEqual(['Doe (2001)'])
    expect(rendered('@doe [p. 33; @roe] says so.')).toEqual(['Doe (2001, 33; Roe 2002)'])
    expect(rendered('@doe [chap. 2, and elsewhere] says so.')).toEqual(['Doe (2001, chap. 2, and elsewhere)'])
    expect(rendered('Doe says so [-@doe, 12].')).toEqual(['(2001, 12)'])
    expect(rendered('[@doe, pp. 12, 14-16, and in the notes]')).toEqual(['(Doe 2001, 12, 14–16, and in the notes)'])
    expect(rendered('[@doe §108]')).toEqual(['(Doe 2001, sec. 108)'])
    expect(rendered('[@doe and in the notes]')).toEqual(['(Doe 2001 and in the notes)'])
  })

  it('keeps emphasis in prefixes and suffixes', () => {
    const [citation] = citations(run('[*see* @doe, p. **32**; @roe, *passim*]').tree)
    expect(textOf(citation)).toBe('(see Doe 2001, 32; Roe 2002, passim)')
    const italic = (citation.data?.hChildren as ElementContent[]).filter((child): child is Element => child.type === 'element' && child.tagName === 'i')
    expect(italic.map(textOf)).toEqual(['see', 'passim'])
  })

  it('formats a citation written in a suffix in its place, and counts its key as cited', () => {
    const {tree, file, stats} = run('As [@doe, p. 3, quoting @roe] and [@doe, after [-@roe, 4; @nix]] say.')
    const [first, second] = citations(tree).filter((citation) => citation.children[0]!.key === 'doe')
    expect(textOf(first!)).toBe('(Doe 2001, 3, quoting Roe (2002))')
    expect(textOf(second!)).toBe('(Doe 2001, after (2002, 4; nix?))')
    // The inner citation is a span of its own inside the outer one's output.
    const inner = (first!.data?.hChildren as ElementContent[]).find((child): child is Element => child.type === 'element' && child.tagName === 'span')
    expect(inner?.properties).toMatchObject({className: ['citation'], dataCites: 'roe'})
    expect(file.messages.filter((message) => message.ruleId === 'unknown-citation-key').map((message) => [message.line, message.column])).toEqual([[1, 59]])
    expect(stats).toMatchObject({works: 2, unknownKeys: ['nix']})
    expect(stats.bibliographyEntries).toBe(2)
  })

  it('shows an unknown key and reports it where it is written, with the nearest key', () => {
    const {tree, file, stats} = run('Text [@deo; @roe].\n\nAnd @nothing-like-it here.')
    const [mixed, alone] = citations(tree)
    expect(textOf(mixed)).toBe('(Roe 2002; deo?)')
    expect(textOf(alone)).toBe('(nothing-like-it?)')
    const marker = (mixed.data?.hChildren as ElementContent[]).find((child): child is Element => child.type === 'element' && child.tagName === 'span')
    expect(marker?.properties.className).toEqual(['citation-unknown'])
    const messages = file.messages.filter((message) => message.ruleId === 'unknown-citation-key')
    expect(messages.map((message) => [message.line, message.column, message.fatal])).toEqual([
      [1, 7, false],
      [3, 5, false]
    ])
    expect(messages[0].reason).toBe("Unknown citation key 'deo': add it to refs.bib or fix the key (did you mean 'doe'?)")
    expect(messages[1].reason).toBe("Unknown citation key 'nothing-like-it': add it to refs.bib or fix the key")
    expect(stats).toMatchObject({citations: 2, works: 1, unknownKeys: ['deo', 'nothing-like-it']})
  })

  it('formats a hand-built tree that holds only the contract’s fields', () => {
    const position = {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 6, offset: 5}}
    const citation: Citation = {
      type: 'citation',
      bracketed: true,
      children: [
        {
          type: 'citationItem',
          key: 'roe',
          mode: 'suppress-author',
          keyPosition: position,
          children: [
            {type: 'citationPrefix', children: []},
            {type: 'citationSuffix', children: [{type: 'text', value: ', 4'}]}
          ]
        }
      ],
      position
    }
    const tree: Root = {type: 'root', children: [{type: 'paragraph', children: [citation as never], position}], position}
    citationsTransform(tree, new VFile(), {items: bibliography()})
    expect(textOf(citation)).toBe('(2002, 4)')
  })

  it('formats citations in figure captions', () => {
    const position = {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 9, offset: 8}}
    const citation: Citation = {type: 'citation', bracketed: true, children: [{type: 'citationItem', key: 'doe', mode: 'normal', keyPosition: position, children: [{type: 'citationPrefix', children: [{type: 'text', value: 'data from'}]}, {type: 'citationSuffix', children: []}]}], position}
    const figure: Figure = {type: 'figure', kind: 'figure', children: [{type: 'image', url: 'map.png', position}, {type: 'figureCaption', children: [{type: 'text', value: 'Map ', position}, citation as never]}], position}
    const tree: Root = {type: 'root', children: [figure], position}
    citationsTransform(tree, new VFile(), {items: bibliography()})
    expect(textOf(citation)).toBe('(data from Doe 2001)')
  })
})

describe('citationsTransform: reading order', () => {
  it('reads a footnote’s citations where the note is referenced', {tags: ['corpus']}, () => {
    const ieee = prepareCitationStyle(readFileSync(path.join(pandocCommand, 'ieee.csl'), 'utf8'), 'ieee.csl')
    // The note's definition comes last in the file, but the note is read first: `roe` is cited first.
    const markdown = 'First a note.[^n]\n\nThen [@doe].\n\nAn inline note.^[Citing [@doe] again.]\n\n[^n]: Citing [@roe].'
    expect(rendered(markdown, {style: ieee})).toEqual(['[2]', '[2]', '[1]'])
  })
})

describe('citationsTransform: reading order in a numeric style', () => {
  it('numbers a footnote’s citations where the note is referenced', () => {
    // The note's definition comes last in the file, but the note is read first: `roe` is cited first.
    const markdown = 'First a note.[^n]\n\nThen [@doe].\n\nAn inline note.^[Citing [@doe] again.]\n\n[^n]: Citing [@roe].'
    expect(rendered(markdown, {style: builtInCitationStyle('vancouver')})).toEqual(['(2)', '(2)', '(1)'])
  })
})

describe('citationsTransform: bibliography', () => {
  it('appends the bibliography under an unnumbered heading, with an id per entry', () => {
    const {tree, stats} = run('Text [@doe; @roe].', {referenceSectionTitle: 'References'})
    const [heading, list] = tree.children.slice(-2) as [Heading, BibliographyNode]
    expect(heading.type).toBe('heading')
    expect(textOf(heading)).toBe('References')
    expect(heading.data).toEqual({id: 'references', unnumbered: true})
    expect(list.type).toBe('bibliography')
    expect(list.data.hName).toBe('div')
    expect(list.data.hProperties).toEqual({id: 'refs', className: ['references', 'csl-bib-body', 'hanging-indent']})
    const entries = list.data.hChildren as Element[]
    expect(entries.map((entry) => [entry.properties.id, entry.properties.className, textOf(entry)])).toEqual([
      ['ref-doe', ['csl-entry'], 'Doe, Jane. 2001. A Book. Press.'],
      ['ref-roe', ['csl-entry'], 'Roe, Richard. 2002. “An Article.” Journal.']
    ])
    for (const node of [heading, list]) expect(node.position?.start.line).toBe(1)
    expect(stats.bibliographyEntries).toBe(2)
  })

  it('puts the bibliography in the #refs container when there is one, under the author’s title only', () => {
    const withRefs = (options: Partial<CitationsOptions>) => {
      const tree = parser.parse('Text [@doe].\n\n> placeholder\n\nAfter.') as Root
      const container = tree.children[1] as RootContent & {data?: Record<string, unknown>}
      container.data = {hName: 'div', hProperties: {id: 'refs'}}
      citationsTransform(tree, new VFile(), {items: bibliography(), ...options})
      expect(tree.children.map((child) => child.type)).toEqual(['paragraph', 'blockquote', 'paragraph'])
      return (container as unknown as {children: Nodes[]}).children
    }
    const untitled = withRefs({defaultReferenceSectionTitle: 'References'})
    expect(untitled.map((child) => child.type)).toEqual(['paragraph', 'bibliography'])
    expect((untitled[1] as unknown as BibliographyNode).data.hProperties.id).toBeUndefined()
    const titled = withRefs({referenceSectionTitle: 'Works Cited', defaultReferenceSectionTitle: 'References'})
    expect(titled.map((child) => child.type)).toEqual(['paragraph', 'heading', 'bibliography'])
    expect(textOf(titled[1])).toBe('Works Cited')
  })

  it('makes a final heading unnumbered when no title is given (pandoc’s `# References` at the end)', () => {
    const {tree} = run('Text [@doe].\n\n# References')
    const heading = tree.children.find((child) => child.type === 'heading') as Heading
    expect(heading.data).toMatchObject({unnumbered: true})
    expect(tree.children.at(-1)?.type).toBe('bibliography')
  })

  it('lists nocite entries, and nothing with suppressBibliography', () => {
    const all = run('Text [@doe].', {nocite: [{key: '*'}]})
    expect(all.stats.bibliographyEntries).toBe(3)
    expect(all.file.messages.filter((message) => message.ruleId === 'unused-bibliography-entry')).toEqual([])
    const none = run('Text [@doe].', {suppressBibliography: true})
    expect(none.tree.children.map((child) => child.type)).toEqual(['paragraph'])
  })

  it('reports entries never cited as information, at their line in the bibliography file', () => {
    const {file} = run('Text [@doe; @roe].')
    const unused = file.messages.filter((message) => message.ruleId === 'unused-bibliography-entry')
    expect(unused.map((message) => [message.file, message.line, message.fatal])).toEqual([['refs.bib', 13, undefined]])
    expect(unused[0].reason).toBe("Bibliography entry 'unused' is never cited: cite it, list it under `nocite`, or remove it from refs.bib.")
  })
})

describe('citationsTransform: where the reference list goes, and its heading', () => {
  /**
   * The document as a reader sees it: each heading's text, `list` for the references, raw HTML as written, `¶` for
   * other blocks (notes, shown apart, left out); divs are seen through.
   */
  function outline(markdown: string, options: Partial<CitationsOptions> = {}): string[] {
    const tree = parseMarkdown(markdown, 'manuscript.md')
    citationsTransform(tree, new VFile({path: 'manuscript.md'}), {items: bibliography(), defaultReferenceSectionTitle: 'References', ...options})
    const blocks: string[] = []
    const visit = (nodes: Nodes[]): void => {
      for (const node of nodes) {
        if (node.type === 'heading') blocks.push(`# ${textOf(node).trim()}`)
        else if ((node.type as string) === 'bibliography') blocks.push('list')
        else if (node.type === 'html') blocks.push(node.value)
        else if ((node.type as string) === 'div') visit((node as unknown as {children: Nodes[]}).children)
        else if (node.type !== 'footnoteDefinition') blocks.push('¶')
      }
    }
    visit(tree.children)
    return blocks
  }

  it('puts the list under the heading a document ends with, adding none, even with reference-section-title', () => {
    expect(outline('Text [@doe].\n\n# References {-}\n')).toEqual(['¶', '# References', 'list'])
    expect(outline('Text [@doe].\n\nReferences\n==========\n', {referenceSectionTitle: 'References'})).toEqual(['¶', '# References', 'list'])
    expect(outline('Text [@doe].[^1]\n\n# Bibliography\n\n[^1]: A note.\n')).toEqual(['¶', '# Bibliography', 'list'])
  })

  it('adds the author’s reference-section-title, else "References", at the end of a document without a final heading', () => {
    expect(outline('Text [@doe].\n')).toEqual(['¶', '# References', 'list'])
    expect(outline('Text [@doe].\n', {referenceSectionTitle: 'Literatur'})).toEqual(['¶', '# Literatur', 'list'])
  })

  it('puts the list in a raw `<div id="refs"></div>`, before the appendix, under the heading written before it', () => {
    const markdown = 'Text [@doe].\n\n# References\n\n<div id="refs" class="wide"></div>\n\n# Appendix\n\nMore.\n'
    expect(outline(markdown)).toEqual(['¶', '# References', 'list', '# Appendix', '¶'])
    expect(outline(markdown, {referenceSectionTitle: 'References'})).toEqual(['¶', '# References', 'list', '# Appendix', '¶'])
    // The two tags are one div element, with the author's attributes.
    const tree = parseMarkdown(markdown, 'manuscript.md')
    citationsTransform(tree, new VFile(), {items: bibliography()})
    const div = tree.children[2] as unknown as {type: string; data: {hProperties: Record<string, unknown>}; children: Nodes[]}
    expect([div.type, div.data.hProperties, div.children.map((child) => child.type)]).toEqual(['div', {id: 'refs', className: ['wide']}, ['bibliography']])
  })

  it('puts the list in `::: {#refs}` anywhere; a heading first inside it is the list’s', () => {
    expect(outline('Text [@doe].\n\n::: {#refs}\n:::\n\n# Appendix\n')).toEqual(['¶', 'list', '# Appendix'])
    expect(outline('Text [@doe].\n\n::: {#refs}\n# Sources\n:::\n\n# Appendix\n', {referenceSectionTitle: 'Sources'})).toEqual(['¶', '# Sources', 'list', '# Appendix'])
    expect(outline('Text [@doe].\n\n::: {#refs}\n:::\n\n# Appendix\n', {referenceSectionTitle: 'Sources'})).toEqual(['¶', '# Sources', 'list', '# Appendix'])
  })

  it('leaves a `<div id="refs">` inside a paragraph’s text alone', () => {
    expect(outline('Text [@doe] and <div id="refs"></div> inline.\n')).toEqual(['¶', '# References', 'list'])
  })
})

describe('citationsTransform: note styles', {tags: ['corpus']}, () => {
  let fullnote: CitationStyle
  beforeAll(() => {
    fullnote = prepareCitationStyle(readFileSync(path.join(pandocCommand, 'chicago-fullnote-bibliography.csl'), 'utf8'), 'chicago-fullnote-bibliography.csl')
  })

  it('turns a citation of the main text into a footnote after the punctuation', () => {
    const {tree} = run('A claim [see @doe, 3].\n\nSee @roe, as well.', {style: fullnote, suppressBibliography: true})
    const [first, second] = tree.children as Paragraph[]
    expect(textOf(first)).toBe('A claim.[^citation-note-1]')
    expect(textOf(second)).toBe('See Richard Roe,[^citation-note-2] as well.')
    const notes = tree.children.filter((child): child is FootnoteDefinition => child.type === 'footnoteDefinition')
    expect(notes.map((note) => [note.identifier, textOf(note)])).toEqual([
      ['citation-note-1', 'See Jane Doe, A Book (Press, 2001), 3.'],
      ['citation-note-2', '“An Article,” Journal, 2002.']
    ])
    const reference = first.children.find((child): child is FootnoteReference => child.type === 'footnoteReference')
    expect(reference?.position?.start).toMatchObject({line: 1, column: 9})
  })

  it('sets a citation inside a note in parentheses, without the closing period', () => {
    const {tree} = run('Text.[^1]\n\n[^1]: As argued [@doe, 3], and by @roe.', {style: fullnote, suppressBibliography: true})
    const note = tree.children.find((child): child is FootnoteDefinition => child.type === 'footnoteDefinition')
    expect(textOf(note!)).toBe('As argued (Jane Doe, A Book (Press, 2001), 3), and by Richard Roe, “An Article,” Journal, 2002.')
  })
})

describe('citationsTransform: a note style of the project’s own', () => {
  const style = () => prepareCitationStyle(readFileSync(houseNotes, 'utf8'), 'house-notes.csl')

  it('turns a citation of the main text into a footnote after the punctuation', () => {
    const {tree} = run('A claim [see @doe, 3].\n\nSee @roe, as well.', {style: style(), suppressBibliography: true})
    const [first, second] = tree.children as Paragraph[]
    expect(textOf(first)).toBe('A claim.[^citation-note-1]')
    expect(textOf(second)).toBe('See Richard Roe,[^citation-note-2] as well.')
    const notes = tree.children.filter((child): child is FootnoteDefinition => child.type === 'footnoteDefinition')
    expect(notes.map((note) => [note.identifier, textOf(note)])).toEqual([
      ['citation-note-1', 'See Jane Doe, A book (2001), 3.'],
      ['citation-note-2', 'An article (2002).']
    ])
    const reference = first.children.find((child): child is FootnoteReference => child.type === 'footnoteReference')
    expect(reference?.position?.start).toMatchObject({line: 1, column: 9})
  })

  it('sets a citation inside a note in parentheses, without the closing period', () => {
    const {tree} = run('Text.[^1]\n\n[^1]: As argued [@doe, 3], and by @roe.', {style: style(), suppressBibliography: true})
    const note = tree.children.find((child): child is FootnoteDefinition => child.type === 'footnoteDefinition')
    expect(textOf(note!)).toBe('As argued (Jane Doe, A book (2001), 3), and by Richard Roe, An article (2002).')
  })
})
