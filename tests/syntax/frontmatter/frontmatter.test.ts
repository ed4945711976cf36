import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import remarkFrontmatter from '../../../pipeline/syntax/frontmatter/index.ts'

const parse = (source: string) => unified().use(remarkParse).use(remarkFrontmatter).parse(source) as Root

describe('front matter syntax', () => {
  it.each([
    ['---', 'a: 1\nb: two'],
    ['...', 'a: 1\nb: two']
  ])('closes at %s and keeps the blocks after it', (closer, yaml) => {
    const tree = parse(`---\n${yaml}\n${closer}\n\n- item\n\n> quote\n\n[^n]: note\n\n---\n`)
    expect(tree.children.map((node) => node.type)).toEqual(['yaml', 'list', 'blockquote', 'definition', 'thematicBreak'])
    expect(tree.children[0]).toMatchObject({value: yaml, position: {start: {line: 1, column: 1}, end: {line: 4, column: 4}}})
  })

  it('closes at the first closer, whichever it is', () => {
    expect(parse('---\na: 1\n...\nText\n\n---\n').children.map((node) => node.type)).toEqual(['yaml', 'paragraph', 'thematicBreak'])
    expect(parse('---\na: 1\n---\nText\n...\n').children[0]).toMatchObject({type: 'yaml', value: 'a: 1'})
  })

  it('is only front matter on the first line, and only when closed', () => {
    expect(parse('Text\n\n---\na: 1\n---\n').children[0].type).toBe('paragraph')
    expect(parse('---\na: 1\n\nText\n').children[0].type).toBe('thematicBreak')
    expect(parse('----\na: 1\n----\n').children[0].type).not.toBe('yaml')
  })
})
