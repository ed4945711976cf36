import type {Paragraph, Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {remarkAttributes} from '../../../pipeline/syntax/attributes/index.ts'
import {remarkCitation} from '../../../pipeline/syntax/citation/index.ts'
import {remarkPandocMath} from '../../../pipeline/syntax/math/index.ts'
import type {Figure} from '../../../pipeline/syntax/types.ts'
import {attributesTransform, type AttributedData} from '../../../pipeline/transforms/attributes.ts'
import {figuresTransform} from '../../../pipeline/transforms/figures.ts'
import {remarkImageAlt} from '../../../pipeline/syntax/image-alt/index.ts'
import {at, image, paragraph, root, text} from '../crossref/mdast-builders.ts'
import {captionOf} from '../../../pipeline/syntax/figure.ts'

/** The inline constructs a caption can hold (the full parser also has tables, includes etc., which captions cannot). */
const processor = unified().use(remarkParse).use(remarkCitation).use(remarkAttributes).use(remarkPandocMath).use(remarkImageAlt).freeze()
function parse(source: string, sourceFile: string): Root {
  const tree = processor.parse(source) as Root
  visit(tree, (node) => {
    node.data = {...node.data, sourceFile}
  })
  return tree
}

function figuresOf(source: string, path = 'manuscript/manuscript.md'): {tree: Root; figures: Figure[]} {
  const file = new VFile({path, value: source})
  const tree = parse(source, path)
  attributesTransform(tree, file)
  figuresTransform(tree, file)
  const figures: Figure[] = []
  visit(tree, 'figure', (node) => {
    figures.push(node)
  })
  return {tree, figures}
}

describe('figuresTransform on hand-built trees', () => {
  it('makes a figure of an image alone in its paragraph, labelled by the image id, caption at the image', () => {
    const picture = image('Offices and the countries they serve, by region', 'figures/offices.pdf', at(73, 1, 90))
    picture.data = {id: 'fig:offices', hProperties: {id: 'fig:offices'}} as AttributedData
    const tree = root(paragraph(73, picture, text('\n')))
    figuresTransform(tree, new VFile())
    const figure = tree.children[0] as Figure
    expect(figure).toMatchObject({type: 'figure', kind: 'figure', identifier: 'fig:offices', children: [picture, {type: 'figureCaption'}]})
    expect(figure.position).toEqual(at(73, 1, 10))
    expect(captionOf(figure)!.children).toEqual([{type: 'text', value: 'Offices and the countries they serve, by region', position: at(73, 1, 90)}])
    // The id now belongs to the figure element, not to the picture inside it.
    expect((picture.data as AttributedData).hProperties).not.toHaveProperty('id')
  })

  it('leaves an image without alt text inline, like pandoc', () => {
    const tree = root(paragraph(1, image('', 'x.png')))
    figuresTransform(tree, new VFile())
    expect(tree.children[0].type).toBe('paragraph')
  })

  it('leaves an image that shares its paragraph with text inline', () => {
    const tree = root(paragraph(1, text('See '), image('a map', 'x.png')))
    figuresTransform(tree, new VFile())
    expect(tree.children[0].type).toBe('paragraph')
  })
})

describe('figuresTransform: captions are the alt text as parsed', () => {
  it('keeps emphasis, math and citations in the caption, positioned in the file', () => {
    const source = 'Intro.\n\n![A *bold* map of $x$ after [@Chuang:2014]](map.png){#fig:map}\n'
    const {figures} = figuresOf(source)
    expect(figures).toHaveLength(1)
    const [figure] = figures
    expect(figure.identifier).toBe('fig:map')
    expect(captionOf(figure)!.children.map((node) => node.type)).toEqual(['text', 'emphasis', 'text', 'inlineMath', 'text', 'citation'])
    const emphasis = captionOf(figure)!.children[1]
    // `*bold*` starts at line 3, column 5 of the file (after `![A `).
    expect(emphasis.position?.start).toEqual({line: 3, column: 5, offset: 12})
    expect(source.slice(emphasis.position!.start.offset, emphasis.position!.end.offset)).toBe('*bold*')
    const citation = captionOf(figure)!.children[5]
    expect(citation.data?.sourceFile).toBe('manuscript/manuscript.md')
    expect(source.slice(citation.position!.start.offset, citation.position!.end.offset)).toBe('[@Chuang:2014]')
  })

  it('maps later lines of a caption that spans lines', () => {
    const source = '![First line\nsecond *line*](x.png)\n'
    const {figures} = figuresOf(source)
    const emphasis = captionOf(figures[0])!.children.find((node) => node.type === 'emphasis')!
    expect(emphasis.position?.start).toMatchObject({line: 2, column: 8})
    expect(source.slice(emphasis.position!.start.offset, emphasis.position!.end.offset)).toBe('*line*')
  })

  it('keeps the caption of an included file, positioned in that file', () => {
    const included = 'Text.\n\n![A *bold* map](map.png)\n'
    const file = new VFile({path: 'manuscript/manuscript.md', value: 'entry'})
    const tree = parse(included, 'tables/part.md')
    figuresTransform(tree, file)
    const figure = tree.children[1] as Figure
    expect(captionOf(figure)!.children[1]).toMatchObject({type: 'emphasis', position: {start: {line: 3, column: 5}}, data: {sourceFile: 'tables/part.md'}})
  })

  it('makes a figure of an image whose caption is only a reference (mdast gives it an empty alt)', () => {
    const source = '![@fig:other](foo.png)\n'
    const {figures} = figuresOf(source)
    expect(figures).toHaveLength(1)
    expect(captionOf(figures[0])!.children).toMatchObject([{type: 'citation', position: {start: {line: 1, column: 3, offset: 2}, end: {line: 1, column: 13, offset: 12}}}])
  })

  it('keeps a caption written over lines of a block quote, without the quote markers', () => {
    const {tree} = figuresOf('> ![A *bold*\n> map](x.png)\n')
    const figure = (tree.children[0] as unknown as {children: Figure[]}).children[0]
    expect(figure.type).toBe('figure')
    expect(captionOf(figure)!.children.map((node) => node.type)).toEqual(['text', 'emphasis', 'text'])
    expect(captionOf(figure)!.children[2]).toMatchObject({value: '\nmap'})
  })

  it('keeps nested brackets and code spans with `]` in the caption', () => {
    const source = '![See [the map] and `a]b`](x.png)\n'
    const {figures} = figuresOf(source)
    expect(captionOf(figures[0])!.children.map((node) => node.type)).toEqual(['text', 'inlineCode'])
    expect(captionOf(figures[0])!.children[1]).toMatchObject({value: 'a]b'})
  })
})

describe('figuresTransform keeps paragraphs that are not figures', () => {
  it('does not touch a paragraph of text', () => {
    const {tree} = figuresOf('Just text with ![inline](x.png) image.\n')
    expect((tree.children[0] as Paragraph).type).toBe('paragraph')
  })
})
