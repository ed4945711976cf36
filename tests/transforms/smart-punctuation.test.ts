import type {Paragraph, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {smartPunctuationTransform} from '../../pipeline/transforms/smart-punctuation.ts'

function educated(markdown: string): Root {
  const tree = parseMarkdown(markdown, 'test.md')
  smartPunctuationTransform(tree)
  return tree
}

describe('smart punctuation', () => {
  it('curls quotes across inline nodes and turns dashes and dots into their characters', () => {
    const tree = educated('He said "*global* sheriff" -- twice --- and it\'s 2000--2015...\n')
    expect(toString(tree)).toBe('He said “global sheriff” – twice — and it’s 2000–2015…')
  })

  it('leaves code, math and raw HTML as written', () => {
    const tree = educated('Use `"raw"` and $a--b$ and <span title="x">"y"</span>\n')
    const paragraph = tree.children[0] as Paragraph
    expect(paragraph.children.find((node) => node.type === 'inlineCode')).toMatchObject({value: '"raw"'})
    expect(paragraph.children.find((node) => node.type === 'inlineMath')).toMatchObject({value: 'a--b'})
    expect(paragraph.children.filter((node) => node.type === 'html').map((node) => (node as {value: string}).value)).toEqual(['<span title="x">', '</span>'])
    expect(toString(tree)).toContain('“y”')
  })

  it('works inside headings, table cells and footnotes', () => {
    const tree = educated('# "Quoted" heading\n\n| a |\n|---|\n| "cell" |\n\nText^["note" -- here].\n')
    expect(toString(tree)).toBe('“Quoted” headinga“cell”Text“note” – here.')
  })
})
