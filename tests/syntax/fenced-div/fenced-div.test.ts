import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Image, Nodes, Paragraph, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import rehypeStringify from 'rehype-stringify'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {cslItemsFromData} from '../../../pipeline/bibliography/csl-item.ts'
import {remarkFencedDiv} from '../../../pipeline/syntax/fenced-div/index.ts'
import {remarkPandocTable} from '../../../pipeline/syntax/pandoc-table/index.ts'
import {parseMarkdown} from '../../../pipeline/syntax/parse.ts'
import type {Div} from '../../../pipeline/syntax/types.ts'
import {citationsTransform} from '../../../pipeline/transforms/citations.ts'
import {corpus} from '../../support/project.ts'
import {span} from '../../support/positions.ts'

const crossrefCases = path.join(corpus, 'peers/pandoc-crossref/test/m2m')

const parser = unified().use(remarkParse).use(remarkFencedDiv).use(remarkPandocTable)

function parse(doc: string): Root {
  return parser.parse(doc) as Root
}

function divs(tree: Nodes): Div[] {
  const found: Div[] = []
  visit(tree, 'div', (node) => {
    found.push(node)
  })
  return found
}

/** The block structure: `div#id.class(paragraph, list(listItem(paragraph)))`. */
function outline(node: Nodes): string {
  let label: string = node.type
  if (node.type === 'div') label += (node.identifier ? `#${node.identifier}` : '') + node.classes.map((name) => `.${name}`).join('')
  if (node.type === 'paragraph' || node.type === 'heading' || !('children' in node)) return label
  return `${label}(${(node.children as Nodes[]).map(outline).join(', ')})`
}

function blocks(tree: Root): string {
  return tree.children.map(outline).join(', ')
}

function render(doc: string): string {
  return String(unified().use(remarkParse).use(remarkFencedDiv).use(remarkRehype).use(rehypeStringify).processSync(doc))
}

describe('fenced div: opening and closing fences', () => {
  it('makes a div node from an attribute block, with the position of both fences', () => {
    const tree = parse('::: {#note-1 .note .wide key=val}\nSome *text*.\n:::\n\nAfter.')
    expect(blocks(tree)).toBe('div#note-1.note.wide(paragraph), paragraph')
    const [div] = divs(tree)
    expect(div).toMatchObject({identifier: 'note-1', classes: ['note', 'wide'], attributes: {key: 'val'}})
    expect(span(div.position)).toBe('1:1(0)-3:4(50)')
    expect(span(div.children[0].position)).toBe('2:1(34)-2:13(46)')
    expect(div.data).toMatchObject({
      id: 'note-1',
      hName: 'div',
      hProperties: {id: 'note-1', className: ['note', 'wide'], 'data-key': 'val'}
    })
  })

  it('renders as <div> with id, class and attributes through remark-rehype, without a handler', () => {
    expect(render('::: {#a .b lang=de key="x y"}\nText.\n:::')).toBe('<div id="a" class="b" lang="de" data-key="x y"><p>Text.</p></div>')
  })

  it('takes a bare word as a class, and allows colons after the attributes', () => {
    expect(divs(parse('::: warning\nCareful.\n:::'))[0]).toMatchObject({classes: ['warning'], attributes: {}})
    expect(divs(parse('::: warning :::\nCareful.\n:::'))[0].classes).toEqual(['warning'])
    const refs = divs(parse('::: {#refs} :::\n:::'))[0]
    expect(refs).toMatchObject({identifier: 'refs', classes: [], children: [], data: {id: 'refs'}})
    expect(span(refs.position)).toBe('1:1(0)-2:4(19)')
    // Fences need not match in length; `{}` is an empty attribute block, as in pandoc.
    const tree = parse('::::::{}::::::::::\nx\n::::')
    expect(blocks(tree)).toBe('div(paragraph)')
    expect(divs(tree)[0].data?.hProperties).toEqual({})
  })

  it('keeps lines that are not fences as text', () => {
    expect(blocks(parse(':::\nText.'))).toBe('paragraph')
    expect(toString(parse(':::\nText.'))).toBe(':::\nText.')
    expect(blocks(parse('::: two words\nText.\n:::'))).toBe('paragraph')
    expect(blocks(parse('::: {.a b}\nText.\n:::'))).toBe('paragraph')
    expect(blocks(parse(':: a\nText.'))).toBe('paragraph')
    // An opening fence is one line: an attribute block may not continue on the next.
    expect(blocks(parse('::: {#a\n.b}\nText.\n:::'))).toBe('paragraph')
    // Four spaces make indented code.
    expect(blocks(parse('    ::: a\nText.'))).toBe('code, paragraph')
  })

  it('allows up to three spaces before either fence', () => {
    const tree = parse('   ::: a\n   Text.\n  :::')
    expect(blocks(tree)).toBe('div.a(paragraph)')
    expect(span(divs(tree)[0].position)).toBe('1:4(3)-3:6(23)')
  })

  it('does not let an opening fence interrupt a paragraph, but a closing fence ends one', () => {
    expect(blocks(parse('Text.\n::: a\nMore.\n:::'))).toBe('paragraph')
    const tree = parse('::: a\nOne\ntwo.\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.a(paragraph), paragraph')
    expect(toString(divs(tree)[0])).toBe('One\ntwo.')
  })
})

describe('fenced div: nesting', () => {
  it('closes the innermost div first', () => {
    const sidebar = parse('::::: {#aside .box}\nFirst paragraph.\n\nSecond one.\n:::::')
    expect(blocks(sidebar)).toBe('div#aside.box(paragraph, paragraph)')
    const tree = parse('::: Box ::::::\nAn outer box.\n\n::: Inner\nA box within the box.\n:::\n::::::::::::::')
    expect(blocks(tree)).toBe('div.Box(paragraph, div.Inner(paragraph))')
    const [outer, inner] = divs(tree)
    expect(span(inner.position)).toBe('4:1(30)-6:4(65)')
    expect(span(outer.position)).toBe('1:1(0)-7:15(80)')
  })

  it('gives a bare `:::` to the innermost open div, whatever its length', () => {
    const tree = parse('::: a\n::: b\nInner.\n:::\nOuter.\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.a(div.b(paragraph), paragraph), paragraph')
  })

  it('closes a div in a list item with a fence indented into the item, and the outer one at the margin', () => {
    const tree = parse('::: outer\n- Item.\n\n  ::: inner\n  Text.\n  :::\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.outer(list(listItem(paragraph, div.inner(paragraph)))), paragraph')
    const [outer, inner] = divs(tree)
    expect(span(inner.position)).toBe('4:3(21)-6:6(44)')
    expect(span(outer.position)).toBe('1:1(0)-7:4(48)')
  })

  it('closes the outer div at a fence on the margin, ending a list item whose div is still open', () => {
    const tree = parse('::: outer\n- Item.\n\n  ::: inner\n  Text.\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.outer(list(listItem(paragraph, div.inner(paragraph)))), paragraph')
  })

  it('reads nested divs as pandoc writes a bibliography (pandoc test)', {tags: ['corpus']}, () => {
    const test = readFileSync(path.join(corpus, 'peers/pandoc/test/command/pandoc-citeproc-64.md'), 'utf8')
    const output = test.slice(test.indexOf('^D\n') + 3, test.lastIndexOf('```'))
    const tree = parse(output)
    expect(tree.children).toHaveLength(1)
    const [refs, ...entries] = divs(tree)
    expect(refs).toMatchObject({
      identifier: 'refs',
      classes: ['references', 'csl-bib-body', 'hanging-indent'],
      attributes: {'entry-spacing': '0'}
    })
    expect(refs.data?.hProperties).toMatchObject({'data-entry-spacing': '0'})
    expect(entries.map((entry) => [entry.identifier, entry.classes])).toEqual([
      ['ref-item2', ['csl-entry']],
      ['ref-item1', ['csl-entry']],
      ['ref-пункт3', ['csl-entry']]
    ])
    expect(refs.children).toEqual(entries)
    expect(toString(entries[1])).toBe('---------. First Book. Cambridge: Cambridge University Press, 2005.')
  })
})

describe('fenced div: unclosed', () => {
  it('runs to the end of the document and ends with its last block', () => {
    const tree = parse('Before.\n\n::: note\nOne.\n\nTwo.\n')
    expect(blocks(tree)).toBe('paragraph, div.note(paragraph, paragraph)')
    expect(span(divs(tree)[0].position)).toBe('3:1(9)-6:5(28)')
  })

  it('ends at its opening fence when it is empty', () => {
    expect(span(divs(parse('::: {#refs}'))[0].position)).toBe('1:1(0)-1:12(11)')
  })

  it('ends with the block quote or list item it is in', () => {
    const quoted = parse('> ::: note\n> Text.\n\nAfter.')
    expect(blocks(quoted)).toBe('blockquote(div.note(paragraph)), paragraph')
    expect(span(divs(quoted)[0].position)).toBe('1:3(2)-2:8(18)')
    expect(blocks(parse('- ::: note\n  Text.\n- Next.'))).toBe('list(listItem(div.note(paragraph)), listItem(paragraph))')
  })
})

describe('fenced div: content', () => {
  it('holds lists, and a tight list stays tight', () => {
    const tree = parse('::: a\n- one\n- two\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.a(list(listItem(paragraph), listItem(paragraph))), paragraph')
    const list = divs(tree)[0].children[0]
    expect(list).toMatchObject({type: 'list', spread: false, children: [{spread: false}, {spread: false}]})
    expect(span(list.position)).toBe('2:1(6)-3:6(17)')
  })

  it('holds pipe tables and pandoc simple tables, which a closing fence ends', () => {
    const pipe = parse('::: a\n| x | y |\n|---|---|\n| 1 | 2 |\n:::')
    expect(blocks(pipe)).toBe('div.a(table(tableRow(tableCell(text), tableCell(text)), tableRow(tableCell(text), tableCell(text))))')
    const simple = parse('::: a\n  x    y\n ---  ---\n  1    2\n:::\nAfter.')
    expect(blocks(simple)).toBe('div.a(table(tableRow(tableCell(text), tableCell(text)), tableRow(tableCell(text), tableCell(text)))), paragraph')
    expect(span(divs(simple)[0].position)).toBe('1:1(0)-5:4(37)')
  })

  it('keeps a fence inside fenced code or an HTML comment as content', () => {
    const tree = parse('::: a\n```\n:::\n```\n:::\nAfter.')
    expect(blocks(tree)).toBe('div.a(code), paragraph')
    expect(divs(tree)[0].children[0]).toMatchObject({type: 'code', value: ':::'})
    const comment = parse('::: a\n<!--\n::: old\n:::\n-->\n:::\nAfter.')
    expect(blocks(comment)).toBe('div.a(html), paragraph')
    expect(divs(comment)[0].children[0]).toMatchObject({type: 'html', value: '<!--\n::: old\n:::\n-->'})
    // An HTML block that a blank line would end is ended by the fence.
    expect(blocks(parse('::: a\n<p>Raw.</p>\n:::\nAfter.'))).toBe('div.a(html), paragraph')
  })

  it('holds headings, block quotes and other divs', () => {
    const tree = parse('::: a\n# Title\n\n> Quote.\n\n::: b\nInner.\n:::\n:::')
    expect(blocks(tree)).toBe('div.a(heading, blockquote(paragraph), div.b(paragraph))')
  })
})

describe('fenced div: inside other containers', () => {
  it('sits in a list item without making the list loose', () => {
    // With the whole syntax: whether a list is loose is decided by pandoc's rule (pipeline/syntax/pandoc-list).
    const tree = parseMarkdown('- ::: note\n  Text.\n  :::\n- Next.', 'manuscript.md')
    expect(blocks(tree)).toBe('list(listItem(div.note(paragraph)), listItem(paragraph))')
    expect(tree.children[0]).toMatchObject({spread: false, children: [{spread: false}, {spread: false}]})
    expect(span(divs(tree)[0].position)).toBe('1:3(2)-3:6(24)')
    // A blank line after a paragraph of the item's own still makes the list loose.
    const loose = parseMarkdown('- Item.\n\n  ::: note\n  Text.\n  :::\n- Next.', 'manuscript.md')
    expect(loose.children[0]).toMatchObject({spread: true, children: [{spread: true}, {spread: true}]})
  })

  it('sits in a block quote, which ends with the closing fence', () => {
    const tree = parse('> ::: note\n> Quote.\n> :::\n\nOut.')
    expect(blocks(tree)).toBe('blockquote(div.note(paragraph)), paragraph')
    expect(span(divs(tree)[0].position)).toBe('1:3(2)-3:6(25)')
    expect(span(tree.children[0].position)).toBe('1:1(0)-3:6(25)')
  })

  it('does not start on a lazy line of a paragraph in a block quote', () => {
    expect(blocks(parse('> Text.\n::: a\n:::'))).toBe('blockquote(paragraph)')
  })
})

describe('native div `<div …>`', () => {
  it('makes a div node from HTML attributes', () => {
    const tree = parse('<div id="x" class="a b" title=\'t &amp; u\' data-n=1>\n\nText.\n\n</div>\nAfter.')
    expect(blocks(tree)).toBe('div#x.a.b(paragraph), paragraph')
    const [div] = divs(tree)
    expect(div.attributes).toEqual({title: 't & u', 'data-n': '1'})
    expect(div.data?.hProperties).toEqual({id: 'x', className: ['a', 'b'], title: 't & u', 'data-n': '1'})
    expect(span(div.position)).toBe('1:1(0)-5:7(66)')
  })

  it('gives an unclosed <div> back as raw HTML followed by its content, as pandoc does', () => {
    const tree = parse('<div class="a">\nText.\n\nMore.')
    expect(blocks(tree)).toBe('html, paragraph, paragraph')
    expect(tree.children[0]).toMatchObject({type: 'html', value: '<div class="a">'})
    expect(span(tree.children[0].position)).toBe('1:1(0)-1:16(15)')
  })

  it('holds a paragraph that starts on the line after `<div …>` and one that ends on the line before `</div>`, as pandoc does', () => {
    const source = 'Two panels follow.\n\n<div id="fig:panels">\n![Left](a.png){#fig:left}\n![Right](b.png)\n\nBoth panels.\n</div>\n\nAfter.'
    const tree = parse(source)
    expect(blocks(tree)).toBe('paragraph, div#fig:panels(paragraph, paragraph), paragraph')
    const [div] = divs(tree)
    const images = (div.children[0] as Paragraph).children.filter((child): child is Image => child.type === 'image')
    expect(images.map((image) => image.url)).toEqual(['a.png', 'b.png'])
    expect(toString(div.children[1])).toBe('Both panels.')
    expect(div.position?.start.offset).toBe(source.indexOf('<div'))
    expect(div.position?.end.offset).toBe(source.indexOf('</div>') + '</div>'.length)
  })

  it('leaves a <div> with content on its own line as raw HTML', () => {
    expect(blocks(parse('<div>Text.</div>'))).toBe('html')
  })
})

describe('fenced div: through the real parser', () => {
  it('receives the bibliography in `::: {#refs}`', () => {
    const markdown = 'As shown by @doe.\n\n# References\n\n::: {#refs}\n:::\n\nAppendix.'
    const tree = parseMarkdown(markdown, 'manuscript.md')
    const {items} = cslItemsFromData([
      {id: 'doe', type: 'book', author: [{family: 'Doe', given: 'Jane'}], title: 'A Book', publisher: 'Press', issued: {'date-parts': [[2001]]}}
    ])
    citationsTransform(tree, new VFile({path: 'manuscript.md', value: markdown}), {items})
    expect(blocks(tree)).toBe('paragraph, heading, div#refs(bibliography), paragraph')
    const [refs] = divs(tree)
    expect(refs.data).toMatchObject({id: 'refs', hName: 'div', sourceFile: 'manuscript.md'})
    expect(span(refs.position)).toBe('5:1(33)-6:4(48)')
  })
})

describe('fenced div: corpus', {tags: ['corpus']}, () => {
  it('reads pandoc-crossref divTable: three table divs, each a table and its caption', () => {
    const tree = parseMarkdown(readFileSync(path.join(crossrefCases, 'divTable/input.md'), 'utf8'), 'input.md')
    const found = divs(tree)
    expect(found.map((div) => div.identifier)).toEqual(['tbl:table1', 'tbl:table_with_id', 'tbl:table2'])
    for (const div of found) expect(div.children.map((child) => child.type)).toEqual(['table', 'paragraph'])
    // The caption paragraph (`: table {.foo bar="baz"}`) is the table-captions transform's to attach.
    expect(found.map((div) => toString(div.children[1]))).toEqual([': table .foo bar="baz"', ': table #quux', ': table (no attributes)'])
    expect(span(found[0].position)).toBe('3:1(98)-11:4(193)')
    // The last table is not in a div.
    expect(tree.children.filter((child) => child.type === 'table')).toHaveLength(1)
  })

  it('reads pandoc-crossref label-precedence: a table div with a key=value attribute', () => {
    const tree = parseMarkdown(readFileSync(path.join(crossrefCases, 'label-precedence/input.md'), 'utf8'), 'input.md')
    const [div] = divs(tree)
    expect(div).toMatchObject({identifier: 'tbl:table', attributes: {label: 'T'}})
    expect(div.children.map((child) => child.type)).toEqual(['table', 'paragraph'])
  })

  for (const name of ['subfigures', 'subfigures-ccsDelim', 'subfigures-columns', 'subfigures-grid']) {
    it(`reads pandoc-crossref ${name}: two native divs of images with a caption`, () => {
      const tree = parseMarkdown(readFileSync(path.join(crossrefCases, name, 'input.md'), 'utf8'), 'input.md')
      const found = divs(tree)
      expect(found.map((div) => div.identifier)).toEqual(['fig:subfigures', 'fig:subfigures2'])
      for (const div of found) {
        expect(div.children.every((child) => child.type === 'paragraph')).toBe(true)
        const images = div.children.flatMap((paragraph) => (paragraph as Paragraph).children.filter((child): child is Image => child.type === 'image'))
        expect(images.map((image) => image.url)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9].map((number) => `fig${number}.png`))
        expect(toString(div.children.at(-1))).toBe('Caption')
      }
      expect(found[0].children).toHaveLength(4)
      expect(found[1].children).toHaveLength(10)
    })
  }

  it('reads pandoc-crossref subfigures-one-row: a native div right after a paragraph line', () => {
    const tree = parseMarkdown(readFileSync(path.join(crossrefCases, 'subfigures-one-row/input.md'), 'utf8'), 'input.md')
    const [div] = divs(tree)
    expect(div.identifier).toBe('fig:latex')
    expect(div.children.map((child) => child.type)).toEqual(['paragraph', 'paragraph'])
    const images = (div.children[0] as Paragraph).children.filter((child): child is Image => child.type === 'image')
    expect(images.map((image) => image.alt)).toEqual(['cool caption', 'cooler caption'])
    expect(toString(div.children[1])).toBe('Copies of the LaTeX logo')
    expect(span(div.position)).toBe('5:1(96)-10:7(277)')
  })
})
