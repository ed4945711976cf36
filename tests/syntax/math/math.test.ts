import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Image, Paragraph, Root} from 'mdast'
import type {InlineMath} from 'mdast-util-math'
import {frontmatter, type Options as FrontmatterOptions} from 'micromark-extension-frontmatter'
import {frontmatterFromMarkdown} from 'mdast-util-frontmatter'
import {toString} from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {remarkAttributes} from '../../../pipeline/syntax/attributes/index.ts'
import {remarkPandocMath} from '../../../pipeline/syntax/math/index.ts'
import type {MathData} from '../../../pipeline/syntax/types.ts'
import {corpus} from '../../support/project.ts'

const crossref = path.join(corpus, 'peers/pandoc-crossref')

// Pandoc metadata blocks close with `...` or `---`; registered so that templates in YAML are not read as math.
const pandocYaml: FrontmatterOptions = [
  {type: 'yaml', fence: {open: '---', close: '...'}},
  {type: 'yaml', marker: '-'}
]
function remarkYaml(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(frontmatter(pandocYaml))
  ;(data.fromMarkdownExtensions ??= []).push(frontmatterFromMarkdown(pandocYaml))
}

function parse(source: string): Root {
  return unified().use(remarkParse).use(remarkYaml).use(remarkAttributes).use(remarkPandocMath).parse(source)
}

function mathNodes(tree: Root): InlineMath[] {
  const found: InlineMath[] = []
  visit(tree, 'inlineMath', (node) => {
    found.push(node)
  })
  return found
}

function isDisplay(node: InlineMath): boolean {
  return (node.data as MathData | undefined)?.display === true
}

/** Line and column of an offset, counted independently of micromark. */
function pointAt(source: string, offset: number) {
  const before = source.slice(0, offset)
  const line = before.split('\n').length
  return {line, column: offset - (before.lastIndexOf('\n') + 1) + 1, offset}
}

function placeOf(source: string, snippet: string, from = 0) {
  const start = source.indexOf(snippet, from)
  expect(start, `${JSON.stringify(snippet)} in the source`).toBeGreaterThanOrEqual(0)
  return {start: pointAt(source, start), end: pointAt(source, start + snippet.length)}
}

describe('inline math `$...$`', () => {
  it('reads TeX between single dollars, with exact positions', () => {
    const source = 'Let $x^2 + y$ be small.'
    const [node, ...rest] = mathNodes(parse(source))
    expect(rest).toEqual([])
    expect(node.value).toBe('x^2 + y')
    expect(isDisplay(node)).toBe(false)
    expect(node.position).toEqual({
      start: {line: 1, column: 5, offset: 4},
      end: {line: 1, column: 14, offset: 13}
    })
  })

  it('reads math next to punctuation and letters', () => {
    const source = '($x$), $y$. a$z$b'
    expect(mathNodes(parse(source)).map((node) => node.value)).toEqual(['x', 'y', 'z'])
  })

  it('reads two formulas written back to back', () => {
    expect(mathNodes(parse('$a$$b$')).map((node) => [node.value, isDisplay(node)])).toEqual([
      ['a', false],
      ['b', false]
    ])
  })

  it('spans a line break inside a paragraph', () => {
    const source = 'where $x_{it} -\n\\bar{x}_i$ varies'
    const [node] = mathNodes(parse(source))
    expect(node.value).toBe('x_{it} -\n\\bar{x}_i')
    expect(node.position).toEqual(placeOf(source, '$x_{it} -\n\\bar{x}_i$'))
    expect(node.position?.end.line).toBe(2)
  })

  it('does not close at an escaped dollar inside math', () => {
    const [node] = mathNodes(parse('$a \\$ b$'))
    expect(node.value).toBe('a \\$ b')
  })

  it('reads a `$` inside `\\text{…}` as TeX, with exact positions', () => {
    const source = 'So $x = \\text{the $n$th root of $y$}$ holds.'
    const [node, ...rest] = mathNodes(parse(source))
    expect(rest).toEqual([])
    expect(node.value).toBe('x = \\text{the $n$th root of $y$}')
    expect(node.position).toEqual(placeOf(source, '$x = \\text{the $n$th root of $y$}$'))
  })

  it('closes at a `$` inside `\\text{` whose braces never balance, as pandoc does', () => {
    expect(mathNodes(parse('$\\text{a$ b$')).map((node) => node.value)).toEqual(['\\text{a'])
  })

  it('counts nested and escaped braces inside `\\text{…}`', () => {
    expect(mathNodes(parse('$\\text{a {$} \\} $}$')).map((node) => node.value)).toEqual(['\\text{a {$} \\} $}'])
    expect(mathNodes(parse('$\\textbf{a$ b}$')).map((node) => node.value)).toEqual(['\\textbf{a'])
  })

  for (const [source, shown] of [
    ['costs $5', 'costs $5'],
    ['$20 and $30', '$20 and $30'],
    ['between $5 and $10 a day', 'between $5 and $10 a day'],
    ['The bill came to $12,500 and rose, then rose again', 'The bill came to $12,500 and rose, then rose again'],
    ['totalling \\$76.2 million, \\$9.8 million', 'totalling $76.2 million, $9.8 million'],
    ['an escaped \\$x$ is text', 'an escaped $x$ is text'],
    ['space after the opener $ x$', 'space after the opener $ x$'],
    ['space before the closer $x $', 'space before the closer $x $'],
    ['a digit after the closer $x$5', 'a digit after the closer $x$5'],
    ['a lone $ sign', 'a lone $ sign'],
    ['unclosed $$x display', 'unclosed $$x display'],
    ['three $$$x$$$ dollars', 'three $$$x$$$ dollars']
  ]) {
    it(`keeps ${JSON.stringify(source)} as text`, () => {
      const tree = parse(source)
      expect(mathNodes(tree)).toEqual([])
      expect(toString(tree)).toBe(shown)
    })
  }

  it('reads the math after a failed money-like opener, as pandoc does', () => {
    const source = 'was $x$5 and then $y$'
    const nodes = mathNodes(parse(source))
    expect(nodes.map((node) => node.value)).toEqual(['y'])
    expect(nodes[0].position).toEqual(placeOf(source, '$y$'))
  })
})

describe('display math `$$...$$`', () => {
  it('reads display math inside a paragraph, trimmed', () => {
    const source = 'A display can sit mid-sentence, like $$ this $$'
    const [node] = mathNodes(parse(source))
    expect(node).toMatchObject({type: 'inlineMath', value: 'this', data: {display: true}})
    expect(node.position).toEqual(placeOf(source, '$$ this $$'))
  })

  it('reads display math alone in a paragraph as display inlineMath', () => {
    const paragraph = parse('$$ separate $$').children[0] as Paragraph
    expect(paragraph.type).toBe('paragraph')
    expect(paragraph.children).toHaveLength(1)
    expect(paragraph.children[0]).toMatchObject({type: 'inlineMath', value: 'separate', data: {display: true}})
  })

  it('spans lines when `$$` stands on lines of its own', () => {
    const source = 'Text.\n\n$$\na = b\n$$\n\nMore.'
    const tree = parse(source)
    const [node] = mathNodes(tree)
    expect(node.value).toBe('a = b')
    expect(isDisplay(node)).toBe(true)
    expect(node.position).toEqual({
      start: {line: 3, column: 1, offset: 7},
      end: {line: 5, column: 3, offset: 18}
    })
    expect(tree.children.map((child) => child.type)).toEqual(['paragraph', 'paragraph', 'paragraph'])
  })

  it('keeps a single `$` inside display math', () => {
    expect(mathNodes(parse('$$ a $ b $$')).map((node) => node.value)).toEqual(['a $ b'])
  })

  it('is not confused by a digit after the closing `$$`', () => {
    expect(mathNodes(parse('$$x$$5')).map((node) => [node.value, isDisplay(node)])).toEqual([['x', true]])
  })

  it('keeps a display block inside a list item and a block quote', () => {
    const tree = parse('- item $$\n  a\n  $$\n\n> $$\n> b =\n> c\n> $$')
    expect(mathNodes(tree).map((node) => node.value)).toEqual(['a', 'b =\nc'])
  })

  it('is followed by its label, glued or after a space', () => {
    const source = 'An equation in running text, $$ a + b $${#eq:1} then more.\n\n$$ f(t) = \\sum_k c_k t^k $$ {#eq:eqn1}'
    const [first, second] = parse(source).children as Paragraph[]
    expect(first.children.map((child) => child.type)).toEqual(['text', 'inlineMath', 'attributes', 'text'])
    expect(second.children.map((child) => child.type)).toEqual(['inlineMath', 'text', 'attributes'])
    expect(second.children[0]).toMatchObject({value: 'f(t) = \\sum_k c_k t^k', position: placeOf(source, '$$ f(t) = \\sum_k c_k t^k $$')})
  })
})

/** Display math as a reader finds it: `$$`, anything, `$$`, outside the YAML block. */
function displayMathInSource(source: string, tree: Root) {
  const yaml = tree.children.find((child) => child.type === 'yaml')
  const bodyStart = yaml?.position?.end.offset ?? 0
  return [...source.slice(bodyStart).matchAll(/\$\$([^$]+)\$\$/g)].map((match) => ({
    value: match[1].trim(),
    start: pointAt(source, bodyStart + match.index),
    end: pointAt(source, bodyStart + match.index + match[0].length)
  }))
}

describe('pandoc-crossref equations', {tags: ['corpus']}, () => {
  const bodyOfEquationsTest = ['this', 'for example', 'start', 'separate']
  const files: Array<[string, string[]]> = [
    ...['equations', 'equations-auto', 'equations-tables', 'equations-tables-auto', 'equationNumberLaTeX', 'delim', 'links', 'links-names'].map(
      (name): [string, string[]] => [`test/m2m/${name}/input.md`, [...bodyOfEquationsTest, ...bodyOfEquationsTest]]
    ),
    ['test/m2m/multiple-eqn-same-para/input.md', ['x=y', 'x=y']],
    ['test/m2m/eqnBlockTemplate/input.md', ['\\int_0^x e^x dx']],
    ['test/m2m/eqnInlineTemplate/input.md', ['\\int_0^x e^x dx']],
    ['test/m2m/eqnDisplayTemplate/input.md', ['e^{i\\pi} = -1']],
    ['test/m2m/eqnInlineTableTemplate/input.md', ['e^{i\\pi} = -1']],
    [
      'docs/demo/demo.md',
      ['P_i(x) = \\sum_i a_i x^i', 'a x^2 + b x^2 + c = 0', 'S(x) = \\int_{x_1}^{x_2} a x+b \\  \\mathrm{d}x']
    ]
  ]

  for (const [file, values] of files) {
    it(`reads every equation of ${file} with its value and place`, () => {
      const source = readFileSync(path.join(crossref, file), 'utf8')
      const tree = parse(source)
      const nodes = mathNodes(tree)
      expect(nodes.map((node) => node.value)).toEqual(values)
      expect(nodes.every(isDisplay)).toBe(true)
      expect(nodes.map((node) => ({value: node.value, start: node.position?.start, end: node.position?.end}))).toEqual(
        displayMathInSource(source, tree)
      )
    })

    it(`puts each equation label of ${file} right after its equation`, () => {
      const source = readFileSync(path.join(crossref, file), 'utf8')
      const tree = parse(source)
      let labels = 0
      visit(tree, 'attributes', (node, index, parent) => {
        if (!node.id?.startsWith('eq:') || !parent || index === undefined) return
        labels++
        const before = parent.children[index - 1]
        const owner = before?.type === 'text' && before.value === ' ' ? parent.children[index - 2] : before
        expect(owner?.type).toBe('inlineMath')
        expect(isDisplay(owner as InlineMath)).toBe(true)
      })
      expect(labels).toBe(source.split('{#eq:').length - 1)
      expect(labels).toBeGreaterThan(0)
    })
  }

  it('keeps inline math in an image description in its alt text', () => {
    const tree = parse(readFileSync(path.join(crossref, 'test/m2m/altAttribute/input.md'), 'utf8'))
    let alt = ''
    visit(tree, 'image', (node: Image) => {
      alt = node.alt ?? ''
    })
    expect(alt).toContain('sets \\{\\oplus ,\\Phi ,\\kappa \\}. See footnote')
  })
})

describe('other authors’ manuscripts', {tags: ['corpus']}, () => {
  it('reads posterior probabilities as math and dollar amounts as text (gatekeeping.md)', () => {
    const source = readFileSync(path.join(corpus, 'peers/Dissertation/Writing/4_gatekeeping/gatekeeping.md'), 'utf8')
    const tree = parse(source)
    const nodes = mathNodes(tree)
    expect(nodes).toHaveLength(10)
    for (const node of nodes) {
      expect(node.value).toMatch(/^P\(\\Delta > 0\) = 0\.\d+$/)
      const start = node.position?.start.offset ?? -1
      expect(source.slice(start, node.position?.end.offset)).toBe(`$${node.value}$`)
      expect(node.position?.start).toEqual(pointAt(source, start))
    }
    const prose = toString(tree)
    expect(prose).toContain('It cost over $10,000 and many')
    expect(prose).toContain('provided a $500,000 seed grant')
  })

  it('reads a multi-line aligned display with its label after a space (are_funders_really_responding.md)', () => {
    const source = readFileSync(
      path.join(corpus, 'peers/donors-ngo-restrictions/HEAD/Writing/Manuscript/are_funders_really_responding.md'),
      'utf8'
    )
    const tree = parse(source)
    const displays = mathNodes(tree).filter(isDisplay)
    expect(displays).toHaveLength(2)
    const aligned = displays[0]
    const blockStart = source.indexOf('$$\n\\begin{aligned}')
    const blockEnd = source.indexOf('\\end{aligned}\n$$') + '\\end{aligned}\n$$'.length
    expect(aligned.value).toBe(source.slice(blockStart + 2, blockEnd - 2).trim())
    expect(aligned.value.startsWith('\\begin{aligned}')).toBe(true)
    expect(aligned.position).toEqual({start: pointAt(source, blockStart), end: pointAt(source, blockEnd)})
    const prose = toString(tree)
    expect(prose).toContain('reaching $128.5 billion by 2010')
    expect(prose).not.toContain('$$')
  })
})
