import type {Heading, Image, Paragraph} from 'mdast'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import type {HeadingData, MathData} from '../../../pipeline/syntax/types.ts'
import {attributesTransform, leftoverAttributesToText, type AttributedData} from '../../../pipeline/transforms/attributes.ts'
import {at, attributes, displayMath, heading, image, inlineMath, paragraph, root, text} from '../crossref/mdast-builders.ts'

describe('attributesTransform: images', () => {
  it('puts id, classes and width on the image right before the block, and removes the block', () => {
    const tree = root(paragraph(1, image('NGO headquarters', 'figures/fig_locations.pdf'), attributes('#fig:locations .wide width=50%')))
    attributesTransform(tree, new VFile())
    const paragraphNode = tree.children[0] as Paragraph
    expect(paragraphNode.children.map((child) => child.type)).toEqual(['image'])
    const data = (paragraphNode.children[0] as Image).data as AttributedData
    expect(data.id).toBe('fig:locations')
    expect(data.classes).toEqual(['wide'])
    expect(data.attributes).toEqual({width: '50%'})
    expect(data.hProperties).toMatchObject({id: 'fig:locations', className: ['wide'], style: 'width:50%'})
  })

  it('writes a bare pixel width as the HTML attribute', () => {
    const tree = root(paragraph(1, image('x', 'x.png'), attributes('width=300px')))
    attributesTransform(tree, new VFile())
    const data = ((tree.children[0] as Paragraph).children[0] as Image).data as AttributedData
    expect(data.hProperties).toMatchObject({width: '300'})
  })

  it('does not attach across text: an image, a word, then a block leaves the block as text', () => {
    const tree = root(paragraph(1, image('x', 'x.png'), text(' and '), attributes('#fig:x', at(1, 20, 8))))
    attributesTransform(tree, new VFile(), {leftovers: 'text'})
    const children = (tree.children[0] as Paragraph).children
    expect(children.map((child) => child.type)).toEqual(['image', 'text', 'text'])
    expect(children[2]).toMatchObject({type: 'text', value: '{#fig:x}', position: at(1, 20, 8)})
    expect(((children[0] as Image).data as AttributedData | undefined)?.id).toBeUndefined()
  })
})

describe('attributesTransform: display math', () => {
  it('labels display math directly before the block', () => {
    const math = displayMath('x=y')
    const tree = root(paragraph(1, text('Simple test '), math, attributes('#eq:1')))
    attributesTransform(tree, new VFile())
    expect((math.data as MathData).id).toBe('eq:1')
    expect((tree.children[0] as Paragraph).children).toHaveLength(2)
  })

  it('allows one space between the math and the block, and removes the space too', () => {
    const math = displayMath('P_i(x)')
    const tree = root(paragraph(1, math, text(' '), attributes('#eq:eqn1')))
    attributesTransform(tree, new VFile())
    expect((math.data as MathData).id).toBe('eq:eqn1')
    expect((tree.children[0] as Paragraph).children).toEqual([math])
  })

  it('does not label inline (non-display) math', () => {
    const math = inlineMath('x')
    const tree = root(paragraph(1, math, attributes('#eq:x')))
    attributesTransform(tree, new VFile(), {leftovers: 'text'})
    expect((math.data as MathData | undefined)?.id).toBeUndefined()
    expect((tree.children[0] as Paragraph).children[1]).toMatchObject({type: 'text', value: '{#eq:x}'})
  })
})

describe('attributesTransform: headings', () => {
  it('gives the heading id and classes and strips the space before the block', () => {
    const title = {type: 'text' as const, value: 'Table-style captions  ', position: {start: {line: 3, column: 4, offset: 20}, end: {line: 3, column: 26, offset: 42}}}
    const node = heading(2, 3, title, attributes('#sec:table-capts .appendix'))
    const tree = root(node)
    attributesTransform(tree, new VFile())
    const data = node.data as HeadingData & AttributedData
    expect(data.id).toBe('sec:table-capts')
    expect(data.classes).toEqual(['appendix'])
    expect(data.unnumbered).toBeUndefined()
    expect(node.children).toEqual([
      {type: 'text', value: 'Table-style captions', position: {start: {line: 3, column: 4, offset: 20}, end: {line: 3, column: 24, offset: 40}}}
    ])
  })

  it('marks `{-}` and `.unnumbered` headings unnumbered', () => {
    const dash = heading(1, 1, text('Unnumbered chapter. '), attributes('-'))
    const named = heading(1, 2, text('Appendix '), attributes('.unnumbered'))
    attributesTransform(root(dash, named), new VFile())
    expect((dash.data as HeadingData).unnumbered).toBe(true)
    expect((named.data as HeadingData).unnumbered).toBe(true)
    expect((dash.children[0] as {value: string}).value).toBe('Unnumbered chapter.')
  })

  it('leaves a block in the middle of a heading as text', () => {
    const node: Heading = heading(1, 1, text('A '), attributes('#x'), text(' title'))
    attributesTransform(root(node), new VFile(), {leftovers: 'text'})
    expect(node.children.map((child) => (child as {value: string}).value)).toEqual(['A ', '{#x}', ' title'])
    expect((node.data as HeadingData | undefined)?.id).toBeUndefined()
  })
})

describe('attributesTransform: leftovers', () => {
  it('keeps a block that follows nothing for later stages (a table caption label) by default', () => {
    const caption = paragraph(9, text(': Summary of responses '), attributes('#tbl:us-opinions', at(9, 24, 18)))
    attributesTransform(root(caption), new VFile())
    expect(caption.children[1]).toMatchObject({type: 'attributes', id: 'tbl:us-opinions'})
  })

  it('turns a block still unattached into the text the author wrote, at its position', () => {
    const tree = root(paragraph(4, text('Weird '), attributes('.foo key="a b"', at(4, 7, 17))))
    attributesTransform(tree, new VFile())
    leftoverAttributesToText(tree)
    expect((tree.children[0] as Paragraph).children[1]).toEqual({type: 'text', value: '{.foo key="a b"}', position: at(4, 7, 17)})
  })
})
