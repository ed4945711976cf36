import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import remarkStringify from 'remark-stringify'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {remarkTitleBlock} from '../../../pipeline/syntax/title-block/index.ts'
import type {TitleBlock} from '../../../pipeline/syntax/types.ts'

const processor = unified().use(remarkParse).use(remarkTitleBlock).use(remarkStringify)
const parse = (source: string) => processor.parse(source) as Root
const fields = (source: string) => {
  const first = parse(source).children[0]
  return first?.type === 'titleBlock' ? (first as TitleBlock).children.map((field) => [field.field, field.value]) : first?.type
}

describe('pandoc title block', () => {
  it('reads the title, the authors and the date, each at its place', () => {
    const tree = parse('% My title\n% Ann Author; Bob Author\n% 2 March 2021\n\nText.\n')
    expect(tree.children.map((node) => node.type)).toEqual(['titleBlock', 'paragraph'])
    const block = tree.children[0] as TitleBlock
    expect(block.children.map((field) => [field.field, field.value, field.position?.start.line, field.position?.start.column])).toEqual([
      ['title', 'My title', 1, 3],
      ['author', 'Ann Author', 2, 3],
      ['author', 'Bob Author', 2, 15],
      ['date', '2 March 2021', 3, 3]
    ])
    expect(block.position).toMatchObject({start: {line: 1, column: 1}, end: {line: 3, column: 15}})
  })

  it('continues the title and the authors on indented lines, as pandoc does', () => {
    expect(fields('% My title\n  continued\n% Ann\n  Bob\n% date\n\nText\n')).toEqual([
      ['title', 'My title\ncontinued'],
      ['author', 'Ann'],
      ['author', 'Bob'],
      ['date', 'date']
    ])
  })

  it('leaves a field empty after a bare %, and ends at the first other line', () => {
    expect(fields('%\n% Ann\n\nText\n')).toEqual([['author', 'Ann']])
    expect(fields('% Title only\nText right after\n')).toEqual([['title', 'Title only']])
    expect(parse('% Title only\nText right after\n').children.map((node) => node.type)).toEqual(['titleBlock', 'paragraph'])
    // A fourth `%` line is text.
    expect(parse('% a\n% b\n% c\n% d\n').children.map((node) => node.type)).toEqual(['titleBlock', 'paragraph'])
  })

  it('is a title block on the first line only', () => {
    expect(fields('Text\n\n% Not a title\n')).toBe('paragraph')
    expect(parse('Text\n\n% Not a title\n').children.map((node) => node.type)).toEqual(['paragraph', 'paragraph'])
  })

  it('round-trips through to-markdown', () => {
    const source = '% My title\n  continued\n% Ann\n  Bob\n% 2021\n\nText.\n'
    const again = processor.stringify(parse(source))
    expect(fields(again)).toEqual(fields(source))
  })
})
