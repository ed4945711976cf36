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
import {describe, expect, it} from 'vitest'
import {include, includeFromMarkdown, remarkInclude} from '../../../pipeline/syntax/include/index.ts'
import type {Include} from '../../../pipeline/syntax/types.ts'
import {corpus} from '../../support/project.ts'
import {span} from '../../support/positions.ts'

function parse(doc: string): Root {
  return fromMarkdown(doc, {
    extensions: [gfmFootnote(), include()],
    mdastExtensions: [gfmFootnoteFromMarkdown(), includeFromMarkdown()]
  })
}

function includes(tree: Nodes): Include[] {
  const found: Include[] = []
  visit(tree, 'include', (node) => {
    found.push(node)
  })
  return found
}

describe('include directive !INCLUDE "path"', () => {
  it('parses a line into an include node with the path as written', () => {
    const tree = parse('!INCLUDE "tables/summary what.md"\n')
    expect(tree.children).toHaveLength(1)
    const [node] = includes(tree)
    expect(node).toMatchObject({type: 'include', path: 'tables/summary what.md'})
    expect(span(node.position)).toBe('1:1(0)-1:34(33)')
  })

  it('allows up to three leading spaces and trailing spaces or tabs', () => {
    const tree = parse('   !INCLUDE \t "a.md" \t\n\n    !INCLUDE "code.md"')
    const [node] = includes(tree)
    expect(node.path).toBe('a.md')
    expect(span(node.position)).toBe('1:4(3)-1:23(22)')
    // Four spaces make indented code, as for any block.
    expect(tree.children[1]).toMatchObject({type: 'code', value: '!INCLUDE "code.md"'})
  })

  it('interrupts a paragraph, as markdown-pp reads line by line', () => {
    const tree = parse('before\n!INCLUDE "chapters/intro_section.md"\nafter it')
    expect(tree.children.map((child) => child.type)).toEqual(['paragraph', 'include', 'paragraph'])
    expect(toString(tree.children[0])).toBe('before')
    expect(span(tree.children[1].position)).toBe('2:1(7)-2:37(43)')
    expect(toString(tree.children[2])).toBe('after it')
  })

  it('does not turn a paragraph line indented by four spaces into an include', () => {
    const tree = parse('para\n    !INCLUDE "a.md"')
    expect(includes(tree)).toEqual([])
    expect(toString(tree)).toBe('para\n!INCLUDE "a.md"')
  })

  it('reads the path in single quotes too, as markdown-pp does', () => {
    const [node] = includes(parse("!INCLUDE 'sections/a b.md'  "))
    expect(node).toMatchObject({path: 'sections/a b.md'})
    expect(node.problem).toBeUndefined()
  })

  it.each([
    ['without quotes', '!INCLUDE a.md', 'must be in quotes: `!INCLUDE "a.md"`'],
    ['with text after the closing quote', '!INCLUDE "a.md" and more', 'move the text after it to a line of its own: `!INCLUDE "a.md"`'],
    ['with a markdown-pp heading shift', '!INCLUDE "a.md", 1', 'heading shift'],
    ['with an empty path', '!INCLUDE ""', 'names no file (the quotes are empty)'],
    ['with empty single quotes', "!INCLUDE ''", 'names no file (the quotes are empty)'],
    ['with no path at all', '!INCLUDE', 'names no file'],
    ['without a closing quote', '!INCLUDE "a.md', 'never closed. Close it: `!INCLUDE "a.md"`'],
    ['without space after the keyword', '!INCLUDE"a.md"', undefined],
    ['as markdown-pp\'s include of a web address', '!INCLUDEURL "https://example.org/a.md"', 'builds make no network requests'],
    ['in lower case (pandoc-include syntax)', '!include a.md', 'Write the keyword in capitals and the path in quotes: `!INCLUDE "a.md"`'],
    ['with pandoc-include options', '!include`startLine=1` a.md', 'Write the keyword in capitals']
  ])('is an include line that says what is wrong %s', (_, line, problem) => {
    const tree = parse(`Before.\n${line}\nAfter.`)
    expect(tree.children.map((child) => child.type)).toEqual(['paragraph', 'include', 'paragraph'])
    const [node] = includes(tree)
    expect(node.path).toBe(problem === undefined ? 'a.md' : '')
    if (problem === undefined) expect(node.problem).toBeUndefined()
    else expect(node.problem).toContain(problem)
    expect(span(node.position)).toBe(`2:1(8)-2:${line.length + 1}(${line.length + 8})`)
  })

  it.each([
    ['inside a sentence', 'See !INCLUDE "a.md"'],
    ['another markdown-pp directive', '!TOC'],
    ['a word that starts with the keyword', '!Includes are great'],
    ['an exclamation', '!Important']
  ])('is not an include: %s', (_, line) => {
    const tree = parse(line)
    expect(includes(tree)).toEqual([])
    expect(tree.children).toHaveLength(1)
    expect(tree.children[0].type).toBe('paragraph')
    expect(toString(tree)).toBe(line)
  })

  it('stays code inside a fenced code block', () => {
    const tree = parse('```\n!INCLUDE "a.md"\n```')
    expect(includes(tree)).toEqual([])
    expect(tree.children[0]).toMatchObject({type: 'code', value: '!INCLUDE "a.md"'})
  })

  it('works in block quotes and list items, and ends a lazy block quote paragraph', () => {
    const tree = parse('> !INCLUDE "quoted.md"\n- !INCLUDE "listed.md"\n\n> text\n!INCLUDE "after.md"')
    expect(includes(tree).map((node) => [node.path, span(node.position)])).toEqual([
      ['quoted.md', '1:3(2)-1:23(22)'],
      ['listed.md', '2:3(25)-2:23(45)'],
      ['after.md', '5:1(54)-5:20(73)']
    ])
    expect(tree.children.map((child) => child.type)).toEqual(['blockquote', 'list', 'blockquote', 'include'])
  })

  it('handles CRLF line endings', () => {
    const tree = parse('!INCLUDE "a.md"\r\n!INCLUDE "b.md"\r\n')
    expect(includes(tree).map((node) => [node.path, span(node.position)])).toEqual([
      ['a.md', '1:1(0)-1:16(15)'],
      ['b.md', '2:1(17)-2:16(32)']
    ])
  })

  it('registers through the remark plugin', () => {
    const tree = unified().use(remarkParse).use(remarkInclude).parse('!INCLUDE "a.md"') as Root
    expect(tree.children[0]).toMatchObject({type: 'include', path: 'a.md'})
  })

  describe('real documents', {tags: ['corpus']}, () => {
    const read = (file: string) => readFileSync(path.join(corpus, file), 'utf8')
    /** Lines that are an include by the directive's definition, found without the parser. */
    const includeLines = (doc: string) =>
      doc
        .split('\n')
        .map((line, index) => ({line: index + 1, match: /^ {0,3}!INCLUDE[ \t]+"([^"]+)"[ \t]*$/.exec(line)}))
        .filter(({match}) => match)
        .map(({line, match}) => [match![1], line])

    it.each([
      'trenches/manuscript/manuscript.md',
      'peers/Dissertation/Writing/8_results_appendix/results_appendix.md',
      'peers/donors-ngo-restrictions/HEAD/Writing/Manuscript/supplement.md',
      'peers/ngo-crackdowns-philanthropy/at-989a4b2/Manuscript/supplement.md'
    ])('finds every include line of %s', (file) => {
      const doc = read(file)
      const expected = includeLines(doc)
      expect(expected.length).toBeGreaterThan(2)
      const found = includes(parse(doc)).map((node) => [node.path, node.position!.start.line])
      expect(found).toEqual(expected)
    })

    it('reads the trenches table includes', () => {
      const found = includes(parse(read('trenches/manuscript/manuscript.md')))
      expect(found[0]).toMatchObject({path: 'tables/summary_what_do.md'})
      expect(span(found[0].position)).toMatch(/^77:1\(\d+\)-77:37\(\d+\)$/)
    })

    it('reads markdown-pp includes that follow a heading line directly', () => {
      const tree = parse(read('peers/markdown-pp/test/datafiles/test_empty_glob.mdpp'))
      expect(tree.children.map((child) => child.type)).toEqual(['heading', 'include', 'include', 'include'])
      expect(includes(tree)[2].path).toBe('datafiles/include/not_existing_prefix_3*.mdpp')
    })

    it('reads markdown-pp heading shifts as include lines it cannot honour, and the include after them', () => {
      const tree = parse(read('peers/markdown-pp/test/datafiles/include/test_include_recursive_master.mdpp'))
      expect(tree.children.map((child) => child.type)).toEqual(['include', 'include', 'include'])
      expect(includes(tree).map((node) => node.problem?.match(/heading shift/)?.[0] ?? node.path)).toEqual(['heading shift', 'heading shift', '*.md'])
    })

    it('reads each pandoc-include (DCsunset) directive outside code as an include line to rewrite, and none inside code', () => {
      const doc = read('peers/pandoc-include-DCsunset/test/test.md')
      const found = includes(parse(doc))
      // The file's fences open and close with three backticks, some indented.
      let fenced = false
      const outsideCode = doc.split('\n').flatMap((line, index) => {
        if (/^\s*```/.test(line)) fenced = !fenced
        return !fenced && /^!include/.test(line) ? [index + 1] : []
      })
      const inCode = doc.split('\n').filter((line) => /^\s*!include/.test(line)).length - outsideCode.length
      expect(inCode).toBeGreaterThan(0)
      expect(found.map((node) => node.position!.start.line)).toEqual(outsideCode)
      for (const node of found) expect(node.problem).toMatch(/Write the keyword in capitals/)
    })
  })
})
