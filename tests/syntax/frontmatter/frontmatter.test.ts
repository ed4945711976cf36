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

  it('is only metadata when closed, and when the fence is not followed by a blank line', () => {
    expect(parse('---\na: 1\n\nText\n').children[0].type).toBe('thematicBreak')
    expect(parse('----\na: 1\n----\n').children[0].type).not.toBe('yaml')
    expect(parse('---\n\na: 1\n---\n').children[0].type).toBe('thematicBreak')
    expect(parse(' ---\na: 1\n---\n').children[0].type).not.toBe('yaml')
  })

  const kinds = (source: string) => parse(source).children.map((node) => (node.type === 'yaml' ? `yaml(${node.value})` : node.type))

  it('reads a metadata block later in the file after a blank line, as pandoc does', () => {
    expect(kinds('---\nfoo: bar\n...\n\n---\nfoo: bim\n...\n')).toEqual(['yaml(foo: bar)', 'yaml(foo: bim)'])
    expect(kinds('Text\n\n---\ntitle: A\n---\n\nMore\n')).toEqual(['paragraph', 'yaml(title: A)', 'paragraph'])
    expect(kinds('Text\n\n---\n"a key": 1\n---\n')).toEqual(['paragraph', 'yaml("a key": 1)'])
    expect(kinds('Text\n\n---\n# a comment\n---\n')).toEqual(['paragraph', 'yaml(# a comment)'])
    expect(kinds('Text\n\n---\n---\n\nMore\n')).toEqual(['paragraph', 'yaml()', 'paragraph'])
    const later = parse('Text\n\n---\ntitle: A\n---\n').children[1]
    expect(later.position).toMatchObject({start: {line: 3, column: 1}, end: {line: 5, column: 4}})
  })

  it('mid-document, stays a rule where pandoc reads no metadata', () => {
    // No blank line before: the `---` underlines a heading, as in pandoc.
    expect(kinds('Text\n---\nfoo: x\n---\n')).toEqual(['heading', 'heading'])
    // A rule followed by text (not `key:`) and another rule.
    expect(kinds('Text\n\n---\nSome text.\n---\n')).toEqual(['paragraph', 'thematicBreak', 'heading'])
    expect(kinds('Text\n\n---\nfoo: x\n')).toEqual(['paragraph', 'thematicBreak', 'paragraph'])
    // Inside a block quote or list item: not metadata.
    expect(kinds('> ---\n> foo: x\n> ---\n')).toEqual(['blockquote'])
  })
})
