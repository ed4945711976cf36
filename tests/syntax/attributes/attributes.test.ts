import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'
import type {Heading, Nodes, Paragraph, Root} from 'mdast'
import {frontmatter, type Options as FrontmatterOptions} from 'micromark-extension-frontmatter'
import {frontmatterFromMarkdown} from 'mdast-util-frontmatter'
import {toString} from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {remarkAttributes} from '../../../pipeline/syntax/attributes/index.ts'
import {remarkPandocMath} from '../../../pipeline/syntax/math/index.ts'
import type {Attributes} from '../../../pipeline/syntax/types.ts'
import {corpus} from '../../support/project.ts'

const crossref = path.join(corpus, 'peers/pandoc-crossref')

// Pandoc metadata blocks close with `---` or `...`; registered here so that YAML is not read as prose.
// `...` is tried first: listing-captions-ids closes with `...` and has a `---` rule further down.
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

function attributeNodes(tree: Root): Attributes[] {
  const found: Attributes[] = []
  visit(tree, 'attributes', (node) => {
    found.push(node)
  })
  return found
}

function only(source: string): Attributes {
  const found = attributeNodes(parse(source))
  expect(found).toHaveLength(1)
  return found[0]
}

/** Line and column of an offset, counted independently of micromark. */
function pointAt(source: string, offset: number) {
  const before = source.slice(0, offset)
  const line = before.split('\n').length
  return {line, column: offset - (before.lastIndexOf('\n') + 1) + 1, offset}
}

describe('attribute block shapes', () => {
  it('reads an identifier with a crossref prefix', () => {
    const node = only('![Map](map.png){#fig:locations}')
    expect(node).toMatchObject({type: 'attributes', value: '#fig:locations', id: 'fig:locations', classes: [], attributes: {}})
  })

  it('reads identifier and classes together', () => {
    expect(only('# Intro {#sec:intro .unnumbered}')).toMatchObject({id: 'sec:intro', classes: ['unnumbered']})
  })

  it('reads `{-}` as the class `unnumbered`', () => {
    const node = only('# Appendix {-}')
    expect(node.classes).toEqual(['unnumbered'])
    expect(node.id).toBeUndefined()
    expect(node.value).toBe('-')
  })

  it('accepts identifiers with letters, digits, `_ - : .`', () => {
    expect(only('x {#tbl:what-do}').id).toBe('tbl:what-do')
    expect(only('x {#fig:fig_s1.v2}').id).toBe('fig:fig_s1.v2')
    expect(only('x {#eq:0}').id).toBe('eq:0')
    expect(only('x {#fig:1}').id).toBe('fig:1')
  })

  it('reads unquoted, double-quoted, single-quoted and empty values', () => {
    expect(only('![a](b.png){width=50%}').attributes).toEqual({width: '50%'})
    expect(only('![a](b.png){#fig:one alt="Two circles that overlap in the middle"}')).toMatchObject({
      id: 'fig:one',
      attributes: {alt: 'Two circles that overlap in the middle'}
    })
    expect(only("x {title='a b'}").attributes).toEqual({title: 'a b'})
    expect(only('## Subsection {label=""}').attributes).toEqual({label: ''})
    expect(only('x {k="say \\"hi\\""}').attributes).toEqual({k: 'say "hi"'})
  })

  it('treats `id=` and `class=` like pandoc does', () => {
    const node = only('x {.a id=main class="b c" data-x=1}')
    expect(node.id).toBe('main')
    expect(node.classes).toEqual(['a', 'b', 'c'])
    expect(node.attributes).toEqual({'data-x': '1'})
  })

  it('keeps the raw source between the braces as `value`', () => {
    expect(only('x { #a   .b  k=v }').value).toBe(' #a   .b  k=v ')
  })

  it('accepts an attribute list continued on the next line', () => {
    const source = 'x {#fig:a\n.wide}'
    const node = only(source)
    expect(node).toMatchObject({id: 'fig:a', classes: ['wide']})
    expect(node.position?.start).toEqual(pointAt(source, 2))
    expect(node.position?.end).toEqual(pointAt(source, source.length))
  })
})

describe('braces that are prose stay text', () => {
  for (const source of [
    '{Numbers go here.}',
    '{Did the ministry ever answer?}',
    'faulted for {XXX, then YYY}.',
    'an empty {} here',
    'a blank { } here',
    'unclosed {#fig:x here',
    'unclosed at the end {#fig:x',
    'unclosed quote {k="v}',
    'no value {key=}',
    'empty marker {#} and {.}',
    'glued {#a#b} and {-x} and {.a.b,}',
    'raw attribute with more {=html .a}',
    'a set $\\{1, 2\\}$ and {1, 2}'
  ]) {
    it(`keeps ${JSON.stringify(source)} as text`, () => {
      const tree = parse(source)
      expect(attributeNodes(tree)).toEqual([])
      const paragraph = tree.children[0] as Paragraph
      // The text a reader sees is unchanged (math keeps its own node).
      expect(paragraph.children.some((child) => child.type === 'text' && child.value.includes('{'))).toBe(true)
    })
  }

  it('reads a raw attribute {=html} as the format alone', () => {
    expect(attributeNodes(parse('`<b>x</b>`{=html}')).map((node) => [node.rawFormat, node.classes, node.value])).toEqual([['html', [], '=html']])
  })

  it('does not read a blank line as separating attributes', () => {
    const tree = parse('x {#fig:a\n\n.b}')
    expect(attributeNodes(tree)).toEqual([])
    expect(tree.children).toHaveLength(2)
  })
})

describe('where attribute blocks appear', () => {
  it('follows an image directly, with exact positions', () => {
    const source = 'Text.\n\n![A map](figures/map.pdf){#fig:map}\n'
    const tree = parse(source)
    const paragraph = tree.children[1] as Paragraph
    expect(paragraph.children.map((child) => child.type)).toEqual(['image', 'attributes'])
    const node = paragraph.children[1] as Attributes
    const start = source.indexOf('{#fig:map}')
    expect(node.position).toEqual({
      start: {line: 3, column: 26, offset: start},
      end: {line: 3, column: 36, offset: start + '{#fig:map}'.length}
    })
    expect(pointAt(source, start)).toEqual(node.position?.start)
  })

  it('follows display math with and without a space', () => {
    const glued = parse('$$ x $${#eq:0}').children[0] as Paragraph
    expect(glued.children.map((child) => child.type)).toEqual(['inlineMath', 'attributes'])
    const spaced = parse('$$ x $$ {#eq:0}').children[0] as Paragraph
    expect(spaced.children.map((child) => child.type)).toEqual(['inlineMath', 'text', 'attributes'])
    expect(spaced.children[2]).toMatchObject({
      id: 'eq:0',
      position: {start: {line: 1, column: 9, offset: 8}, end: {line: 1, column: 16, offset: 15}}
    })
  })

  it('is the last child of an ATX heading', () => {
    const source = '# Part 1. Results {#sec:part1}\n\n## Effect sizes  {#sec:effect-sizes}\n\n# Unnumbered part. {-}\n'
    const headings = parse(source).children as Heading[]
    for (const heading of headings) {
      expect(heading.type).toBe('heading')
      expect(heading.children.at(-1)?.type).toBe('attributes')
    }
    expect(headings.map((heading) => (heading.children.at(-1) as Attributes).value)).toEqual([
      '#sec:part1',
      '#sec:effect-sizes',
      '-'
    ])
    expect(toString(headings[0].children[0])).toBe('Part 1. Results ')
    const second = headings[1].children.at(-1) as Attributes
    expect(second.position?.start).toEqual(pointAt(source, source.indexOf('{#sec:effect-sizes}')))
  })

  it('is the last child of an ATX heading that has a closing sequence', () => {
    const heading = parse('## Title {#sec:a} ##').children[0] as Heading
    expect(heading.children.map((child) => child.type)).toEqual(['text', 'attributes'])
  })

  it('works in setext headings', () => {
    const source = 'Methods {#sec:methods}\n=======\n\nResults {.unnumbered}\n-------\n'
    const headings = parse(source).children as Heading[]
    expect(headings.map((heading) => [heading.type, heading.depth])).toEqual([
      ['heading', 1],
      ['heading', 2]
    ])
    expect(headings[0].children.at(-1)).toMatchObject({
      type: 'attributes',
      id: 'sec:methods',
      position: {start: {line: 1, column: 9, offset: 8}, end: {line: 1, column: 23, offset: 22}}
    })
    expect(headings[1].children.at(-1)).toMatchObject({type: 'attributes', classes: ['unnumbered']})
  })

  it('ends a table caption paragraph', () => {
    for (const source of [': Response rates {#tbl:rates}', 'Table: Staff per office {#tbl:staff}']) {
      const paragraph = parse(source).children[0] as Paragraph
      const last = paragraph.children.at(-1) as Attributes
      expect(last.type).toBe('attributes')
      expect(last.position?.end.offset).toBe(source.length)
    }
  })
})

describe('braces in code, raw HTML, math and metadata', () => {
  it('stay part of them: only the label after the image is an attribute block', () => {
    const source = [
      '---',
      'title: A {#not-a-label} title',
      '...',
      '',
      '```{.python #listing}',
      'settings = {#fig:no}',
      '```',
      '',
      'Inline `code {#fig:no}`, math $x^{#}$ and <span title="{#fig:no}">HTML</span>.',
      '',
      '<div id="panel">{#fig:no}',
      '</div>',
      '',
      '![Map](map.png){#fig:map}'
    ].join('\n')
    const tree = parse(source)
    expect(attributeNodes(tree).map((node) => [node.id, node.position?.start])).toEqual([['fig:map', pointAt(source, source.indexOf('{#fig:map}'))]])
    expect(tree.children.map((node) => node.type)).toEqual(['yaml', 'code', 'paragraph', 'html', 'paragraph'])
    expect(tree.children[1]).toMatchObject({type: 'code', value: 'settings = {#fig:no}'})
  })
})

/** Everything a reader would take for an attribute block: `{` then `#`, `.`, `-` or `key=`, up to `}`. */
const attributeLike = /\{(?=[#.]|-[\s}]|[A-Za-z_][\w:.-]*=)[^{}\n]*\}/g

/** Node types whose text is not Markdown inline content, so braces inside them are not attributes. */
const opaqueTypes = new Set(['yaml', 'code', 'html', 'inlineCode', 'inlineMath'])

function opaqueRanges(tree: Root): Array<[number, number]> {
  const ranges: Array<[number, number]> = []
  visit(tree, (node: Nodes) => {
    if (opaqueTypes.has(node.type) && node.position) {
      ranges.push([node.position.start.offset ?? 0, node.position.end.offset ?? 0])
    }
  })
  return ranges
}

function corpusInputs(): string[] {
  const m2m = path.join(crossref, 'test/m2m')
  return [
    ...readdirSync(m2m)
      .sort()
      .map((name) => path.join(m2m, name, 'input.md')),
    path.join(crossref, 'docs/demo/demo.md')
  ]
}

describe('pandoc-crossref corpus', {tags: ['corpus']}, () => {
  it('recognises every attribute block outside code, HTML, math and metadata, at its exact place', () => {
    let total = 0
    for (const file of corpusInputs()) {
      const source = readFileSync(file, 'utf8')
      const tree = parse(source)
      const opaque = opaqueRanges(tree)
      const expected = [...source.matchAll(attributeLike)]
        .filter((match) => !opaque.some(([start, end]) => match.index >= start && match.index < end))
        .map((match) => ({
          value: match[0].slice(1, -1),
          start: pointAt(source, match.index),
          end: pointAt(source, match.index + match[0].length)
        }))
      const found = attributeNodes(tree).map((node) => ({
        value: node.value,
        start: node.position?.start,
        end: node.position?.end
      }))
      expect(found, path.relative(corpus, file)).toEqual(expected)
      total += found.length
    }
    // Counted with grep and by eye: 280 brace groups look like attributes; 19 are in ``` info strings, 1 in a
    // code span (demo.md) and 17 in the first lines of `<div>` HTML blocks, which CommonMark keeps as raw HTML.
    expect(total).toBe(243)
  })

  it('reads the demo document’s labels onto images, math and headings', () => {
    const tree = parse(readFileSync(path.join(crossref, 'docs/demo/demo.md'), 'utf8'))
    const labels: Array<[string, string]> = []
    visit(tree, 'attributes', (node, index, parent) => {
      // The node before, skipping a separating space: what a later transform attaches the label to.
      let previous = parent && index !== undefined ? parent.children[index - 1] : undefined
      if (previous?.type === 'text' && previous.value.trim() === '' && parent && index !== undefined) {
        previous = parent.children[index - 2]
      }
      const owner = parent?.type === 'heading' ? 'heading' : (previous?.type ?? 'none')
      labels.push([node.id ?? node.classes.join(' ') ?? '', owner])
    })
    expect(labels).toEqual([
      ['fig:figure0', 'image'],
      ['sec:sec1', 'heading'],
      ['fig:figure1', 'image'],
      ['fig:figure2', 'image'],
      ['fig:figure3', 'image'],
      // In the `<div>` after a blank line, so Markdown again.
      ['fig:subfigureB', 'image'],
      ['sec:sec2', 'heading'],
      ['eq:eqn1', 'inlineMath'],
      ['eq:quadr', 'inlineMath'],
      ['tbl:table1', 'text'],
      ['sec:caption-attr', 'heading'],
      ['sec:table-capts', 'heading'],
      ['unnumbered', 'heading'],
      ['eq:eqn2', 'inlineMath'],
      ['', 'heading'],
      ['sec:custlabs', 'heading']
    ])
  })
})

describe('first user’s manuscript', {tags: ['corpus']}, () => {
  let source: string
  beforeAll(() => {
    source = readFileSync(path.join(corpus, 'trenches/manuscript/manuscript.md'), 'utf8')
  })

  it('reads the five figure labels, each right after its image', () => {
    const labels: string[] = []
    visit(parse(source), 'attributes', (node, index, parent) => {
      expect(parent && index !== undefined ? parent.children[index - 1]?.type : undefined).toBe('image')
      expect(node.position?.start).toEqual(pointAt(source, source.indexOf(`{${node.value}}`)))
      labels.push(node.id ?? '')
    })
    expect(labels).toEqual([
      'fig:locations',
      'fig:activities',
      'fig:embassies',
      'fig:avg_importance',
      'fig:avg_positivity'
    ])
  })

  it('keeps the author’s bracketed notes to self as text', () => {
    const texts: string[] = []
    visit(parse(source), 'text', (node) => {
      texts.push(node.value)
    })
    const prose = texts.join('')
    for (const note of ['{Stuff here.}', '{Has your government improved?}', '{XXX and for YYY}']) {
      expect(prose).toContain(note)
    }
  })
})
