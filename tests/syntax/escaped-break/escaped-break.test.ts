/**
 * A `\` ending a paragraph's or a heading's text is a hard line break, as pandoc reads it (`nice line<br />`); an
 * escaped backslash there, a backslash before other text and micromark's own hard break stay as they were.
 */
import type {Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../../pipeline/syntax/parse.ts'

/** Each block's inline content: text as itself, any other node as `<type>`. */
function inlines(source: string): string[][] {
  const tree: Root = parseText(source, 'manuscript/manuscript.md')
  return tree.children.map((block) => ((('children' in block ? block.children : undefined) ?? []) as Array<{type: string; value?: string}>).map((node) => (node.type === 'text' ? node.value! : `<${node.type}>`)))
}

describe('a backslash at the end of a paragraph or heading', () => {
  it('is a hard line break, placed at the backslash', () => {
    expect(inlines('nice line\\\n\n    code\n')).toEqual([['nice line', '<break>'], []])
    expect(inlines('# Title\\\nText.\n')).toEqual([['Title', '<break>'], ['Text.']])
    expect(inlines('Last words\\')).toEqual([['Last words', '<break>']])
    const [paragraph] = parseText('One\\\n', 'manuscript/manuscript.md').children as Array<Root['children'][number] & {children: Array<{type: string; position?: {start: {column: number}; end: {column: number}}}>}>
    expect(paragraph.children[1].position?.start.column).toBe(4)
    expect(paragraph.children[1].position?.end.column).toBe(5)
  })

  it('is a backslash when escaped; before a space it escapes the space', () => {
    expect(inlines('a\\\\\n')).toEqual([['a\\']])
    // `\ ` is an escaped space (a non-breaking one), as in pandoc.
    expect(inlines('a \\ b\n')).toEqual([['a \u00a0b']])
    // A backslash before a line ending inside the paragraph is CommonMark's own hard break.
    expect(inlines('a\\\nb\n')).toEqual([['a', '<break>', 'b']])
  })
})
