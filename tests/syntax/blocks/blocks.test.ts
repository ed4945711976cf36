/**
 * pandoc's block constructs beyond CommonMark (definition lists, line blocks, fancy, example and task lists, and
 * lists and block quotes that need a blank line before them), rendered as the build renders them.
 * Fixtures: fixtures/<case>/input.md beside expected.html (the HTML the renderer makes, checked against
 * `pandoc -f markdown -t html` by hand when written); `UPDATE=1` rewrites expected.html for review.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {toHtml} from 'hast-util-to-html'
import type {List, ListItem, Nodes, Root} from 'mdast'
import {toMarkdown} from 'mdast-util-to-markdown'
import {describe, expect, it} from 'vitest'
import {defaultLabels, manuscriptToHast} from '../../../pipeline/render/to-hast.ts'
import {parseText} from '../../../pipeline/syntax/parse.ts'
import {pandocListToMarkdown} from '../../../pipeline/syntax/pandoc-list/index.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'
import {span} from '../../support/positions.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')

function render(source: string): string {
  return toHtml(manuscriptToHast(parseText(source, 'manuscript.md'), {labels: defaultLabels})) + '\n'
}

function nodes(tree: Root, type: string): Nodes[] {
  const found: Nodes[] = []
  walk(tree, (node) => {
    if (node.type === type) found.push(node as Nodes)
  })
  return found
}

describe('fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const folder = path.join(fixtures, name)
      const html = render(readFileSync(path.join(folder, 'input.md'), 'utf8'))
      const expectedPath = path.join(folder, 'expected.html')
      if (process.env.UPDATE || !existsSync(expectedPath)) writeFileSync(expectedPath, html)
      expect(html).toBe(readFileSync(expectedPath, 'utf8'))
    })
  }
})

describe('definition lists', () => {
  it('gives the list, its terms and its definitions the positions of what the author wrote', () => {
    const tree = parseText('Term\n:   one\n\n    two\n~   three\n\nAfter.\n', 'manuscript.md')
    const [list] = nodes(tree, 'defList')
    expect(span(list.position)).toBe('1:1(0)-5:10(31)')
    expect(nodes(tree, 'defListTerm').map((node) => span(node.position))).toEqual(['1:1(0)-1:5(4)'])
    expect(nodes(tree, 'defListDescription').map((node) => span(node.position))).toEqual(['2:1(5)-4:8(21)', '5:1(22)-5:10(31)'])
  })

  it('reads a colon line as text where no term comes before it', () => {
    for (const source of ['# Heading\n: not a definition\n', 'Two lines\nof a paragraph\n: not a definition\n', 'Term\n\n\n: two blank lines\n', ': first line\n']) {
      expect(nodes(parseText(source, 'manuscript.md'), 'defList'), source).toEqual([])
    }
  })
})

describe('line blocks', () => {
  it('gives the block and each line the position of what the author wrote, continuation lines included', () => {
    const tree = parseText('| one\n|   two\n  more\n\nAfter.\n', 'manuscript.md')
    const [block] = nodes(tree, 'lineBlock')
    expect(span(block.position)).toBe('1:1(0)-3:7(20)')
    expect(nodes(tree, 'lineBlockLine').map((node) => span(node.position))).toEqual(['1:1(0)-1:6(5)', '2:1(6)-3:7(20)'])
  })
})

describe('fancy and example lists', () => {
  it('gives each list its start, numbering and delimiter, and each item the position of its marker line', () => {
    const tree = parseText('(iv) four\n(v)  five\n\nB.  two\n\n#. any\n', 'manuscript.md')
    const lists = nodes(tree, 'list') as List[]
    expect(lists.map((list) => [list.start, list.data?.numberStyle, list.data?.numberDelimiter])).toEqual([
      [4, 'lowerRoman', 'twoParens'],
      [2, 'upperAlpha', 'period'],
      [1, 'default', 'default']
    ])
    expect(lists[0].children.map((item) => span(item.position))).toEqual(['1:1(0)-1:10(9)', '2:1(10)-2:10(19)'])
  })

  it('reads an example item label, and keeps `(@)` items unlabelled', () => {
    const tree = parseText('(@) one\n(@a_1-b) two\n', 'manuscript.md')
    expect((nodes(tree, 'listItem') as ListItem[]).map((item) => item.data?.exampleLabel)).toEqual(['', 'a_1-b'])
  })

  it('reads no list where pandoc reads a name, a page or a word', () => {
    for (const source of ['B. Russell\n', 'I. Kant\n', 'p. 33 says\n', 'Hello. there\n', 'iiv. not roman\n', '(a. unbalanced\n']) {
      expect(nodes(parseText(source, 'manuscript.md'), 'list'), source).toEqual([])
    }
  })

  it('writes ordered lists back to Markdown with the markers they were read with', () => {
    const source = readFileSync(path.join(fixtures, 'fancy-lists', 'input.md'), 'utf8')
    const written = toMarkdown(parseText(source, 'manuscript.md'), {extensions: [pandocListToMarkdown()]})
    expect(written).toContain('(iv) lower roman from four')
    expect(written).toContain('IX.  upper roman from nine')
    expect(render(written)).toBe(render(source))
  })
})
