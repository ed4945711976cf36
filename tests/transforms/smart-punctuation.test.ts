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

  it('leaves a backslash-escaped quote, period or hyphen as written (pandoc: `\\...` is three periods)', () => {
    const tree = educated(String.raw`\... a prose "commentary" \"straight\" it\'s d\-- e -- f...` + '\n')
    expect(toString(tree)).toBe('... a prose “commentary” "straight" it\'s d-- e – f…')
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

  it('educates a citation’s prefix and suffix apart, as pandoc reads them', () => {
    const tree = educated('As "shown" [the text of fol. 9r is "cited" in @a, pp. 501--3].\n')
    const citation = (tree.children[0] as Paragraph).children.find((node) => (node.type as string) === 'citation') as unknown as {children: {children: Root[]}[]}
    const [prefix, suffix] = citation.children[0].children
    expect(toString(prefix)).toBe('the text of fol.\u00A09r is “cited” in')
    expect(toString(suffix)).toBe(', pp.\u00A0501–3')
    expect(toString(tree.children[0])).toContain('“shown”')
  })
})
