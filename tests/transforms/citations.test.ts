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

  it('lists the first 50 entries of a shared bibliography never cited, then says how many more there are', () => {
    // A whole reference library exported: 60 entries besides the one cited, each entry on 4 lines.
    const shared = ['@book{doe,', '  author = {Doe, Jane},', '  title = {A Book},', '}', ...Array.from({length: 60}, (_, index) => [`@book{other${index},`, '  author = {Other, Olga},', `  title = {Book ${index}},`, '}']).flat()].join('\n')
    const file = new VFile({path: 'manuscript.md'})
    const items = loadBibliography(['library.bib'], {file, readFile: () => shared}).items
    const {file: reported} = run('Text [@doe].', {items, bibliographyFile: 'library.bib'})
    const unused = reported.messages.filter((message) => message.ruleId === 'unused-bibliography-entry')
    expect(unused).toHaveLength(51)
    expect(unused.slice(0, 50).map((message) => [message.line, /'(\w+)'/.exec(message.reason)?.[1]])).toEqual(Array.from({length: 50}, (_, index) => [5 + 4 * index, `other${index}`]))
    const summary = unused[50]
    expect([summary.file, summary.line, summary.fatal]).toEqual(['library.bib', 5 + 4 * 50, undefined])
    expect(summary.reason).toBe('10 more entries of library.bib are never cited (60 in all, the first 50 listed one by one): as expected of a shared bibliography; otherwise cite them, list them under `nocite`, or remove them.')
    // One more than the list: one entry.
    const one = loadBibliography(['library.bib'], {file, readFile: () => shared.split('@book{other51,')[0]}).items
    expect(run('Text [@doe].', {items: one, bibliographyFile: 'library.bib'}).file.messages.at(-1)?.reason).toMatch(/^1 more entry of library\.bib is never cited \(51 in all/)
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

/** A paragraph as a reader sees it, with citations as HTML (so links and superscripts show). */
function htmlOf(node: ElementContent | Nodes): string {
  if (node.type === 'text') return node.value
  if ((node.type as string) === 'citation') return ((node as unknown as Citation).data?.hChildren as ElementContent[] | undefined ?? []).map(htmlOf).join('')
  if (node.type === 'footnoteReference') return `[^${node.identifier}]`
  if (node.type === 'element') {
    const href = node.properties.href === undefined ? '' : ` href="${String(node.properties.href)}"`
    return `<${node.tagName}${href}>${node.children.map(htmlOf).join('')}</${node.tagName}>`
  }
  if ('children' in node) return (node.children as (ElementContent | Nodes)[]).map(htmlOf).join('')
  return ''
}

describe('citationsTransform: link-citations', () => {
  it('links each cite, not its prefix, suffix or the parentheses, to its entry', () => {
    const {tree} = run('As shown [see @doe, p. 3; @roe and elsewhere].', {linkCitations: true, suppressBibliography: true})
    expect(htmlOf(tree.children[0] as Paragraph)).toBe('As shown (see <a href="#ref-doe">Doe 2001, 3</a>; <a href="#ref-roe">Roe 2002</a> and elsewhere).')
  })

  it('leaves the author of an author-in-text citation unlinked, and links an unknown key where its entry would be', () => {
    const {tree} = run('@doe [p. 3] says so [@nobody].', {linkCitations: true, suppressBibliography: true})
    expect(htmlOf(tree.children[0] as Paragraph)).toBe('Doe (<a href="#ref-doe">2001, 3</a>) says so (<span><a href="#ref-nobody"><strong>nobody?</strong></a></span>).')
  })

  it('links nothing without the option', () => {
    const {tree} = run('As shown [see @doe, p. 3].', {suppressBibliography: true})
    expect(htmlOf(tree.children[0] as Paragraph)).toBe('As shown (see Doe 2001, 3).')
  })

  it('links a cite that starts in italics around the italics (a note style)', () => {
    const style = prepareCitationStyle(readFileSync(houseNotes, 'utf8'), 'house-notes.csl')
    const {tree} = run('Text.[^1]\n\n[^1]: [-@doe, 3].', {style, linkCitations: true, suppressBibliography: true})
    const note = tree.children.find((child): child is FootnoteDefinition => child.type === 'footnoteDefinition')
    expect(htmlOf(note!)).toBe('<a href="#ref-doe"><i>A book</i> (2001), 3</a>.')
  })
})

describe('citationsTransform: notes-after-punctuation', () => {
  const superscript = () => prepareCitationStyle(readFileSync(path.join(import.meta.dirname, '../bibliography/fixtures/house-superscript.csl'), 'utf8'), 'house-superscript.csl')
  const notes = () => prepareCitationStyle(readFileSync(houseNotes, 'utf8'), 'house-notes.csl')
  const markdown = 'In recent works [@doe; @roe], others.'

  it('sets a superscript citation right after the word, before the comma, by default (as pandoc does)', () => {
    const {tree} = run(markdown, {style: superscript(), suppressBibliography: true})
    expect(htmlOf(tree.children[0] as Paragraph)).toBe('In recent works<sup>1,2</sup>, others.')
  })

  it('moves the comma before a superscript citation when asked', () => {
    const {tree} = run(markdown, {style: superscript(), notesAfterPunctuation: true, suppressBibliography: true})
    expect(htmlOf(tree.children[0] as Paragraph)).toBe('In recent works,<sup>1,2</sup> others.')
  })

  it('leaves a note mark before the comma when told not to move it', () => {
    const {tree} = run(markdown, {style: notes(), notesAfterPunctuation: false, suppressBibliography: true})
    expect(textOf(tree.children[0] as Paragraph)).toBe('In recent works[^citation-note-1], others.')
  })

  it('moves a run of punctuation after white space before the note mark', () => {
    const {tree} = run('(as in recent works [@doe]).', {style: notes(), suppressBibliography: true})
    expect(textOf(tree.children[0] as Paragraph)).toBe('(as in recent works).[^citation-note-1]')
  })
})

describe('citationsTransform: cites as pandoc groups and orders them', () => {
  const items: CslItem[] = [
    {id: 'doe2010', type: 'book', title: 'A', author: [{family: 'Doe', given: 'J.'}], issued: {'date-parts': [[2010]]}},
    {id: 'doe2007', type: 'book', title: 'B', author: [{family: 'Doe', given: 'J.'}], issued: {'date-parts': [[2007]]}},
    {id: 'doe2008', type: 'book', title: 'C', author: [{family: 'Doe', given: 'J.'}], issued: {'date-parts': [[2008]]}},
    {id: 'zoe', type: 'book', title: 'D', author: [{family: 'Zoe', given: 'A.'}], issued: {'date-parts': [[2009]]}},
    {id: 'roe', type: 'book', title: 'E', author: [{family: 'Roe', given: 'A.'}], issued: {'date-parts': [[2007]]}}
  ] as CslItem[]

  it('joins the years of one author with commas where the style collapses them', () => {
    expect(rendered('[@doe2010; @doe2007; @doe2008]', {items, suppressBibliography: true})).toEqual(['(Doe 2010, 2007, 2008)'])
  })

  it('sorts cites only within runs that no prefix breaks, in a style that sorts them', () => {
    const apa = builtInCitationStyle('apa')
    expect(rendered('[@zoe; @roe; see for comparison @doe2007, p. 3]', {items, style: apa, suppressBibliography: true})).toEqual(['(Roe, 2007; Zoe, 2009; see for comparison Doe, 2007, p. 3)'])
  })

  it('adds no comma before a suffix written after white space', () => {
    expect(rendered('@roe [ among others] and @roe [among others]', {items, suppressBibliography: true})).toEqual(['Roe (2007 among others)', 'Roe (2007, among others)'])
  })
})

describe('citationsTransform: citations inside notes (note style)', () => {
  const style = () => prepareCitationStyle(readFileSync(houseNotes, 'utf8'), 'house-notes.csl')
  const noteTexts = (markdown: string): string[] =>
    run(markdown, {style: style(), suppressBibliography: true}).tree.children.filter((child): child is FootnoteDefinition => child.type === 'footnoteDefinition').map((note) => textOf(note))

  it('keeps a citation that opens a note as it is, with one period', () => {
    expect(noteTexts('A.[^1] B.[^2]\n\n[^1]: [@doe, 3].\n\n[^2]: [See also @roe].')).toEqual(['Jane Doe, A book (2001), 3.', 'See also Richard Roe, An article (2002).'])
  })

  it('keeps the period of an author-in-text citation that ends the note', () => {
    expect(noteTexts('A.[^1] B.[^2]\n\n[^1]: As argued by @doe\n\n[^2]: As @roe argues.')).toEqual(['As argued by Jane Doe, A book (2001).', 'As Richard Roe, An article (2002) argues.'])
  })
})

describe('citationsTransform: a citation written as a link', () => {
  it('reads [@a](url) as a link around the bracketed citation', () => {
    const {tree} = run('[@doe](https://example.org) and [@roe]', {suppressBibliography: true})
    const paragraph = tree.children[0] as Paragraph
    expect(paragraph.children[0].type).toBe('link')
    expect(textOf(paragraph)).toBe('(Doe 2001) and (Roe 2002)')
  })
})

describe('citationsTransform: affix text', () => {
  it('keeps a no-break space of a prefix or suffix (smart punctuation puts one after “fol.”)', () => {
    expect(rendered('[see fol.\u00A09r in @doe, and pp.\u00A0x–y]', {suppressBibliography: true})).toEqual(['(see fol.\u00A09r in Doe 2001, and pp.\u00A0x–y)'])
  })
})
