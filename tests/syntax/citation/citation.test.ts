import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Nodes, Root} from 'mdast'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import remarkParse from 'remark-parse'
import {unified, type Processor} from 'unified'
import type {Point, Position} from 'unist'
import {SKIP, visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {remarkCitation} from '../../../pipeline/syntax/citation/index.ts'
import {remarkPandocMath} from '../../../pipeline/syntax/math/index.ts'
import {remarkInlineNote} from '../../../pipeline/syntax/inline-note/index.ts'
import type {Citation, CitationItem, CitationPrefix, CitationSuffix} from '../../../pipeline/syntax/types.ts'
import {corpus} from '../../support/project.ts'


const citationOnly = unified().use(remarkParse).use(remarkCitation)
const withMath = unified().use(remarkParse).use(remarkPandocMath).use(remarkCitation)

/** GFM footnotes as the project registers them (`remarkPandoc` adds them before citations), plus inline notes. */
function remarkGfmFootnote(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gfmFootnote())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown())
}
const withNotes = unified().use(remarkParse).use(remarkGfmFootnote).use(remarkInlineNote).use(remarkCitation)
const withNotesCitationFirst = unified().use(remarkParse).use(remarkCitation).use(remarkGfmFootnote)

/** The source last parsed, which affix nodes are positions in. */
let parsedSource = ''

function parse(markdown: string, processor: Processor<Root> = citationOnly as never): Root {
  parsedSource = markdown
  return processor.parse(markdown) as Root
}

function citations(tree: Nodes): Citation[] {
  const found: Citation[] = []
  visit(tree, 'citation', (node) => {
    found.push(node)
  })
  return found
}

function onlyCitation(markdown: string, processor?: Processor<Root>): Citation {
  const found = citations(parse(markdown, processor))
  expect(found, `citations in ${JSON.stringify(markdown)}`).toHaveLength(1)
  return found[0]!
}

/** An item's key and mode, and its prefix and suffix as written (the source their nodes span). */
interface ItemShape {
  key: string
  mode: CitationItem['mode']
  prefix: string
  suffix: string
}

function shape(item: CitationItem): ItemShape {
  return {key: item.key, mode: item.mode, prefix: written(item.children[0]), suffix: written(item.children[1])}
}

/**
 * An affix as written: its text nodes' values (without the `> ` of block-quote lines) and the source the other nodes
 * span, in order.
 */
function written(affix: CitationPrefix | CitationSuffix): string {
  return affix.children
    .map((node) => {
      if (node.type === 'text') return node.value
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      return start === undefined || end === undefined ? '' : parsedSource.slice(start, end)
    })
    .join('')
}

/** The point where the `occurrence`-th `needle` starts in `source` (or ends, with `end`), counted independently of the parser. */
function locate(source: string, needle: string, {occurrence = 1, end = false} = {}): Point {
  let offset = -1
  for (let found = 0; found < occurrence; found++) {
    offset = source.indexOf(needle, offset + 1)
    if (offset === -1) throw new Error(`${JSON.stringify(needle)} occurs fewer than ${occurrence} times`)
  }
  if (end) offset += needle.length
  const before = source.slice(0, offset)
  const line = before.split('\n').length
  const column = offset - (before.lastIndexOf('\n') + 1) + 1
  return {line, column, offset}
}

function spanOf(source: string, needle: string, occurrence = 1): Position {
  return {start: locate(source, needle, {occurrence}), end: locate(source, needle, {occurrence, end: true})}
}

/** The text outside citations. */
function textOf(tree: Root): string {
  const values: string[] = []
  visit(tree, (node) => {
    if (node.type === 'citation') return SKIP
    if (node.type === 'text') values.push(node.value)
  })
  return values.join('')
}

describe('prefixes and suffixes as phrasing', () => {
  it('parses emphasis, math, links and escapes in them, with positions', () => {
    const source = '[see *this* $x$ @a, p. 3 and [the map](m.png)]'
    const [prefix, suffix] = onlyCitation(source, withMath as never).children[0]!.children
    expect(prefix.children.map((node) => node.type)).toEqual(['text', 'emphasis', 'text', 'inlineMath'])
    expect(suffix.children.map((node) => node.type)).toEqual(['text', 'link'])
    const link = suffix.children[1]!
    expect(link.position).toEqual(spanOf(source, '[the map](m.png)'))
    expect(prefix.children[0]).toMatchObject({type: 'text', value: 'see ', position: {start: locate(source, 'see')}})
  })

  it('leaves out white space at the ends, keeping positions on the text', () => {
    const source = '[see \n @a ,  p. 3  ]'
    const [prefix, suffix] = onlyCitation(source).children[0]!.children
    expect(prefix.children).toMatchObject([{type: 'text', value: 'see', position: spanOf(source, 'see')}])
    expect(suffix.children).toMatchObject([{type: 'text', value: ',  p. 3', position: spanOf(source, ',  p. 3')}])
  })

  it('reads a key inside a suffix as a citation of its own, as pandoc does', () => {
    const source = '[@a, quoting @b] and @c [p. 3, citing [@d]]'
    const [outer, narrative] = citations(parse(source)).filter((citation) => ['a', 'c'].includes(citation.children[0]!.key))
    const quoting = outer!.children[0]!.children[1].children
    expect(quoting.map((node) => node.type)).toEqual(['text', 'citation'])
    const inner = quoting[1] as Citation
    expect(inner.children.map(shape)).toEqual([{key: 'b', mode: 'author-in-text', prefix: '', suffix: ''}])
    expect(inner.children[0]!.keyPosition).toEqual(spanOf(source, '@b'))
    // `@c [p. 3, citing [@d]]`: the brackets hold a locator with a bracketed citation in it.
    expect(narrative!.children.map(shape)).toEqual([{key: 'c', mode: 'author-in-text', prefix: '', suffix: 'p. 3, citing [@d]'}])
    expect(citations(narrative!).map((citation) => citation.children[0]!.key)).toEqual(['c', 'd'])
  })
})

describe('bracketed citations', () => {
  it('reads several keys separated by `;`', () => {
    const source = 'as others found [@Osei:2018; @Lindqvist:2003].'
    const citation = onlyCitation(source)
    expect(citation.bracketed).toBe(true)
    expect(citation.children.map(shape)).toEqual([
      {key: 'Osei:2018', mode: 'normal', prefix: '', suffix: ''},
      {key: 'Lindqvist:2003', mode: 'normal', prefix: '', suffix: ''}
    ])
    expect(citation.position).toEqual(spanOf(source, '[@Osei:2018; @Lindqvist:2003]'))
    expect(citation.children[0]!.keyPosition).toEqual(spanOf(source, '@Osei:2018'))
    expect(citation.children[1]!.keyPosition).toEqual(spanOf(source, '@Lindqvist:2003'))
  })

  it('keeps the comma of a locator suffix and leaves trailing text outside', () => {
    const tree = parse('the court" [@Haddad:2011, 153].')
    const [citation] = citations(tree)
    expect(citation!.children.map(shape)).toEqual([{key: 'Haddad:2011', mode: 'normal', prefix: '', suffix: ', 153'}])
    expect(textOf(tree)).toBe('the court" .')
  })

  it('gives each item its own suffix', () => {
    const citation = onlyCitation('[@Brandt:2016, chapter 5; @Moreau:2009]')
    expect(citation.children.map(shape)).toEqual([
      {key: 'Brandt:2016', mode: 'normal', prefix: '', suffix: ', chapter 5'},
      {key: 'Moreau:2009', mode: 'normal', prefix: '', suffix: ''}
    ])
  })

  it('reads prefixes and suffixes around keys', () => {
    const source = '[see @a, pp. 33-35; also @b chap. 1]'
    const citation = onlyCitation(source)
    expect(citation.children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see', suffix: ', pp. 33-35'},
      {key: 'b', mode: 'normal', prefix: 'also', suffix: 'chap. 1'}
    ])
    expect(citation.children[1]!.keyPosition).toEqual(spanOf(source, '@b'))
  })

  it('keeps Markdown in prefixes and suffixes as raw source', () => {
    const citation = onlyCitation('Emphasis inside [*compare* @smith p. **12**].')
    expect(citation.children.map(shape)).toEqual([{key: 'smith', mode: 'normal', prefix: '*compare*', suffix: 'p. **12**'}])
  })

  it('suppresses the author with `-@` and includes the `-` in the item position', () => {
    const source = 'in her words" [-@Haddad:2011, 88].'
    const citation = onlyCitation(source)
    expect(citation.children.map(shape)).toEqual([
      {key: 'Haddad:2011', mode: 'suppress-author', prefix: '', suffix: ', 88'}
    ])
    expect(citation.children[0]!.keyPosition).toEqual(spanOf(source, '-@Haddad:2011'))
  })

  it('reads cross-reference labels as citations', () => {
    expect(onlyCitation('[@fig:a; @fig:b]').children.map((item) => item.key)).toEqual(['fig:a', 'fig:b'])
    expect(onlyCitation('As the map shows [@fig:offices], 40%').children.map((item) => item.key)).toEqual(['fig:offices'])
    expect(onlyCitation('[Equation @eq:0; @eq:3]').children.map(shape)).toEqual([
      {key: 'eq:0', mode: 'normal', prefix: 'Equation', suffix: ''},
      {key: 'eq:3', mode: 'normal', prefix: '', suffix: ''}
    ])
  })

  it('needs no space after `;`', () => {
    expect(onlyCitation('[@item1;@item2]').children.map((item) => item.key)).toEqual(['item1', 'item2'])
  })

  it('accepts a `;` inside a prefix unless a key follows it directly', () => {
    expect(onlyCitation('[see; also @a]').children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see; also', suffix: ''}
    ])
    // Pandoc's prefix parser stops before `; @a` and then finds no key: the brackets are not a citation.
    const citation = onlyCitation('[see; @a]')
    expect(citation.bracketed).toBe(false)
    expect(citation.children.map(shape)).toEqual([{key: 'a', mode: 'author-in-text', prefix: '', suffix: ''}])
  })

  it('fails when an item after `;` has no key', () => {
    const tree = parse('[@a;]')
    const [citation] = citations(tree)
    expect(citation!.bracketed).toBe(false)
    expect(textOf(tree)).toBe('[;]')
  })

  it('skips nested brackets, code spans and escapes in prefixes and suffixes', () => {
    expect(onlyCitation('[see [link](http://x.org/a;b) @a, p. 3]').children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see [link](http://x.org/a;b)', suffix: ', p. 3'}
    ])
    expect(onlyCitation('[see `@x;]` @a]').children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see `@x;]`', suffix: ''}
    ])
    expect(onlyCitation('[@a, p. 3 \\] and \\; more]').children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: '', suffix: ', p. 3 ] and ; more'}
    ])
    expect(onlyCitation('[see <http://x.org/@b> @a]').children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see <http://x.org/@b>', suffix: ''}
    ])
  })

  it('reads `![@key]` as `!` and a citation, like pandoc (an image label may not start with `@`)', () => {
    const source = 'Wow![@legras_michel_2010]'
    const tree = parse(source)
    const [citation] = citations(tree)
    expect(citation!.children.map((item) => item.key)).toEqual(['legras_michel_2010'])
    expect(citation!.position).toEqual(spanOf(source, '[@legras_michel_2010]'))
    expect(textOf(tree)).toBe('Wow!')
  })
})

describe('narrative citations', () => {
  it('reads a bare key as author-in-text', () => {
    const source = 'review. @Osei:2018 gives a careful review'
    const tree = parse(source)
    const citation = citations(tree)[0]!
    expect(citation.bracketed).toBe(false)
    expect(citation.children.map(shape)).toEqual([
      {key: 'Osei:2018', mode: 'author-in-text', prefix: '', suffix: ''}
    ])
    expect(citation.position).toEqual(spanOf(source, '@Osei:2018'))
    expect(citation.children[0]!.keyPosition).toEqual(spanOf(source, '@Osei:2018'))
    expect(textOf(tree)).toBe('review.  gives a careful review')
  })

  it('leaves trailing punctuation out of the key', () => {
    const tree = parse('As @Osei:2018. argues, and @Foo_bar.baz, and @a--b.')
    expect(citations(tree).map((citation) => citation.children[0]!.key)).toEqual(['Osei:2018', 'Foo_bar.baz', 'a'])
    expect(textOf(tree)).toBe('As . argues, and , and --b.')
  })

  it('takes a following bracket as the locator of the key', () => {
    const source = '@a [p. 33] says'
    const citation = onlyCitation(source)
    expect(citation.bracketed).toBe(false)
    expect(citation.children.map(shape)).toEqual([{key: 'a', mode: 'author-in-text', prefix: '', suffix: 'p. 33'}])
    expect(citation.position).toEqual(spanOf(source, '@a [p. 33]'))
    expect(citation.children[0]!.keyPosition).toEqual(spanOf(source, '@a'))
  })

  it('takes following bracketed keys as further items of the same citation', () => {
    const source = '@smith [-@jones p. 30; compare @пример4] also notes.'
    const citation = onlyCitation(source)
    expect(citation.bracketed).toBe(false)
    expect(citation.children.map(shape)).toEqual([
      {key: 'smith', mode: 'author-in-text', prefix: '', suffix: ''},
      {key: 'jones', mode: 'suppress-author', prefix: '', suffix: 'p. 30'},
      {key: 'пример4', mode: 'normal', prefix: 'compare', suffix: ''}
    ])
    expect(citation.position).toEqual(spanOf(source, '@smith [-@jones p. 30; compare @пример4]'))
    expect(citation.children.map((item) => item.keyPosition)).toEqual([
      spanOf(source, '@smith'),
      spanOf(source, '-@jones'),
      spanOf(source, '@пример4')
    ])
  })

  it('reads a locator followed by further keys', () => {
    expect(onlyCitation('@a [p. 33; @b]').children.map(shape)).toEqual([
      {key: 'a', mode: 'author-in-text', prefix: '', suffix: 'p. 33'},
      {key: 'b', mode: 'normal', prefix: '', suffix: ''}
    ])
  })

  it('accepts the bracket after a line break', () => {
    const source = 'As @a\n[p. 33] says'
    const citation = onlyCitation(source)
    expect(shape(citation.children[0]!).suffix).toBe('p. 33')
    expect(citation.position).toEqual({start: locate(source, '@a'), end: locate(source, ']', {end: true})})
  })

  it('leaves a following link or defined reference alone', () => {
    const link = parse('@a [p. 33](http://x.org) says')
    expect(citations(link).map((citation) => citation.children.map(shape))).toEqual([
      [{key: 'a', mode: 'author-in-text', prefix: '', suffix: ''}]
    ])
    expect(citations(link)[0]!.position).toEqual(spanOf('@a [p. 33](http://x.org) says', '@a'))
    const links: string[] = []
    visit(link, 'link', (node) => {
      links.push(node.url)
    })
    expect(links).toEqual(['http://x.org'])

    const reference = parse('@a [p. 33]\n\n[p. 33]: http://x.org')
    expect(shape(citations(reference)[0]!.children[0]!).suffix).toBe('')
    let references = 0
    visit(reference, 'linkReference', () => {
      references++
    })
    expect(references).toBe(1)
  })

  it('leaves a following footnote call alone', () => {
    const tree = parse('@a [^1]\n\n[^1]: Note.', withNotes as never)
    expect(citations(tree)[0]!.children.map(shape)).toEqual([{key: 'a', mode: 'author-in-text', prefix: '', suffix: ''}])
    let calls = 0
    visit(tree, 'footnoteReference', () => {
      calls++
    })
    expect(calls).toBe(1)
  })
})

describe('keys', () => {
  it('reads Unicode letters', () => {
    expect(onlyCitation('[@пункт3]').children[0]!.key).toBe('пункт3')
  })

  it('reads keys starting with a digit or `_` and internal punctuation', () => {
    expect(onlyCitation('[@2019report]').children[0]!.key).toBe('2019report')
    expect(onlyCitation('[@_x]').children[0]!.key).toBe('_x')
    expect(onlyCitation('[@rpt-07-114:2007]').children[0]!.key).toBe('rpt-07-114:2007')
    expect(onlyCitation('[@a.b#c$d%e&f+g?h<i>j~k/l]').children[0]!.key).toBe('a.b#c$d%e&f+g?h<i>j~k/l')
  })

  it('reads the brace form with any non-space characters', () => {
    const source = '@{https://example.org/paper?id=Q7xYz2} and [see @{a b}]'
    const tree = parse(source)
    const found = citations(tree)
    expect(found.map((citation) => citation.children.map((item) => item.key))).toEqual([
      ['https://example.org/paper?id=Q7xYz2']
    ])
    expect(found[0]!.children[0]!.keyPosition).toEqual(spanOf(source, '@{https://example.org/paper?id=Q7xYz2}'))
    expect(onlyCitation('[@{Doe{2020}}, p. 3]').children.map(shape)).toEqual([
      {key: 'Doe{2020}', mode: 'normal', prefix: '', suffix: ', p. 3'}
    ])
  })

  it('keeps `:` and `/` before `/` in a bare URL key, and stops at other punctuation', () => {
    const tree = parse('@https://example.org/paper?id=Q7xYz2')
    expect(citations(tree)[0]!.children[0]!.key).toBe('https://example.org/paper?id')
    expect(textOf(tree)).toBe('=Q7xYz2')
  })

  it('reads a key after an opening parenthesis', () => {
    expect(onlyCitation('(@citation').children[0]!.key).toBe('citation')
  })

  it('does not read e-mail addresses or escaped `@` as citations', () => {
    for (const source of [
      'ana.lopez@example.edu',
      'email: ana.lopez&#x40;example.edu',
      'mail [me@x.com](mailto:me@x.com)',
      '<me@x.com>',
      'write to me@x.com.',
      '\\@notakey',
      'x.@a',
      '`[@a]`'
    ]) {
      expect(citations(parse(source)), source).toEqual([])
    }
    const tree = parse('ana.lopez@example.edu and ben.okoro&#x40;example.edu')
    expect(textOf(tree)).toBe('ana.lopez@example.edu and ben.okoro@example.edu')
  })
})

describe('brackets that are not citations', () => {
  it('leaves links, images, references and plain brackets alone', () => {
    const tree = parse('[a](b) ![x](y) [text] [ref] [text @ foo] [see the docs](https://x.org/@user)\n\n[ref]: /r')
    expect(citations(tree)).toEqual([])
    const types: string[] = []
    visit(tree, ['link', 'image', 'linkReference'], (node) => {
      types.push(node.type)
    })
    expect(types).toEqual(['link', 'image', 'linkReference', 'link'])
    expect(textOf(tree)).toContain('[text]')
    expect(textOf(tree)).toContain('[text @ foo]')
  })

  it('leaves task list markers alone', () => {
    const tree = parse('- [ ] todo\n- [x] done')
    expect(citations(tree)).toEqual([])
    expect(textOf(tree)).toBe('[ ] todo[x] done')
  })

  it('leaves footnote calls and definitions alone, whichever extension comes first', () => {
    for (const processor of [withNotes, withNotesCitationFirst]) {
      const tree = parse('Text[^1] and [@a].\n\n[^1]: Note with [-@b, 3].', processor as never)
      const kinds: string[] = []
      visit(tree, ['footnoteReference', 'footnoteDefinition', 'citation'], (node) => {
        kinds.push(node.type)
      })
      expect(kinds).toEqual(['footnoteReference', 'citation', 'footnoteDefinition', 'citation'])
      expect(citations(tree).map((citation) => citation.children.map(shape))).toEqual([
        [{key: 'a', mode: 'normal', prefix: '', suffix: ''}],
        [{key: 'b', mode: 'suppress-author', prefix: '', suffix: ', 3'}]
      ])
    }
  })

  it('reads a citation nested in the text of a link', () => {
    const tree = parse('[the study [@a]](http://x.org)')
    let linkCitations = 0
    visit(tree, 'link', (link) => {
      linkCitations += citations(link).length
    })
    expect(linkCitations).toBe(1)
  })

  it('reads `[@a](url)` as a link holding the citation, as pandoc does', () => {
    const tree = parse('[@a](url)')
    let linked = 0
    visit(tree, 'link', (link) => {
      linked += citations(link).length
    })
    expect(linked).toBe(1)
    expect(citations(tree)[0]!.children[0]!.key).toBe('a')
    expect(textOf(tree)).not.toContain('(url)')
  })
})

describe('positions across lines and containers', () => {
  it('spans a line break inside brackets', () => {
    const source = 'Some text [see @a, pp.\n33-35; also\n@b chap. 1] end.'
    const citation = onlyCitation(source)
    expect(citation.children.map(shape)).toEqual([
      {key: 'a', mode: 'normal', prefix: 'see', suffix: ', pp.\n33-35'},
      {key: 'b', mode: 'normal', prefix: 'also', suffix: 'chap. 1'}
    ])
    expect(citation.position).toEqual(spanOf(source, '[see @a, pp.\n33-35; also\n@b chap. 1]'))
    expect(citation.children[1]!.keyPosition).toEqual({start: {line: 3, column: 1, offset: 35}, end: {line: 3, column: 3, offset: 37}})
  })

  it('spans several line breaks in one prefix or suffix, as hard-wrapped text does', () => {
    const source = 'As argued [see\nthe\nwork of @a, p.\n3\n$$\nand more] here.'
    const citation = onlyCitation(source)
    expect(citation.children.map(shape)).toEqual([{key: 'a', mode: 'normal', prefix: 'see\nthe\nwork of', suffix: ', p.\n3\n$$\nand more'}])
    expect(citation.children[0]!.keyPosition).toEqual(spanOf(source, '@a'))
    expect(citation.position).toEqual(spanOf(source, '[see\nthe\nwork of @a, p.\n3\n$$\nand more]'))
  })

  it('keeps columns right in block quotes and list items', () => {
    const quote = '> [see\n> also @a, p.\n> 3]'
    const quoted = onlyCitation(quote)
    expect(quoted.children.map(shape)).toEqual([{key: 'a', mode: 'normal', prefix: 'see\nalso', suffix: ', p.\n3'}])
    expect(quoted.children[0]!.keyPosition).toEqual(spanOf(quote, '@a'))
    expect(quoted.position).toEqual({start: locate(quote, '['), end: locate(quote, ']', {end: true})})

    const list = '- first\n- as @b\n  [p. 4] says'
    const listed = onlyCitation(list)
    expect(listed.children.map(shape)).toEqual([{key: 'b', mode: 'author-in-text', prefix: '', suffix: 'p. 4'}])
    expect(listed.position).toEqual({start: locate(list, '@b'), end: locate(list, ']', {end: true})})
    expect(listed.position!.end).toMatchObject({line: 3, column: 9})
  })

  it('keeps positions inside inline notes', () => {
    const source =
      'records.^[Haddad calls it "a slow drift" [-@Haddad:2011, 88]. @Osei:2018 gives a review.] Later'
    const tree = parse(source, withNotes as never)
    let inNote: Citation[] = []
    visit(tree, 'inlineNote', (note) => {
      inNote = citations(note)
    })
    expect(inNote.map((citation) => ({bracketed: citation.bracketed, items: citation.children.map(shape)}))).toEqual([
      {bracketed: true, items: [{key: 'Haddad:2011', mode: 'suppress-author', prefix: '', suffix: ', 88'}]},
      {bracketed: false, items: [{key: 'Osei:2018', mode: 'author-in-text', prefix: '', suffix: ''}]}
    ])
    expect(inNote[0]!.position).toEqual(spanOf(source, '[-@Haddad:2011, 88]'))
    expect(inNote[0]!.children[0]!.keyPosition).toEqual(spanOf(source, '-@Haddad:2011'))
    expect(inNote[1]!.position).toEqual(spanOf(source, '@Osei:2018'))
  })

  it('does not take an inline note for a citation when inline notes are not parsed', () => {
    const source = 'x^[see @a]'
    const tree = parse(source)
    const found = citations(tree)
    expect(found.map((citation) => citation.bracketed)).toEqual([false])
    expect(found[0]!.position).toEqual(spanOf(source, '@a'))
  })
})

describe('the trenches draft', {tags: ['corpus']}, () => {
  let source: string
  let lines: string[]
  beforeAll(() => {
    source = readFileSync(path.join(corpus, 'trenches/manuscript/manuscript.md'), 'utf8')
    lines = source.split('\n')
  })

  /**
   * Every `@key` pandoc reads as a citation in this draft, found with a plain scan of the text: `-`? `@`, not after
   * a letter, digit or `.`, then a key with single internal punctuation. The draft has no code spans, escaped `@`
   * or e-mail addresses written with a bare `@`, so the scan needs nothing more.
   */
  function scanKeys(): string[] {
    const keyPattern = /(?<![\p{L}\p{N}.])-?@([\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*)/gu
    const found: string[] = []
    lines.forEach((line, index) => {
      for (const match of line.matchAll(keyPattern)) {
        found.push(`${index + 1}:${match.index! + 1} ${match[1]}`)
      }
    })
    return found
  }

  function parsedKeys(tree: Root): string[] {
    return citations(tree).flatMap((citation) =>
      citation.children.map((item) => `${item.keyPosition.start.line}:${item.keyPosition.start.column} ${item.key}`)
    )
  }

  function findItem(tree: Root, key: string, line: number): {citation: Citation; item: CitationItem} {
    for (const citation of citations(tree)) {
      for (const item of citation.children) {
        if (item.key === key && item.keyPosition.start.line === line) return {citation, item}
      }
    }
    throw new Error(`no item ${key} on line ${line}`)
  }

  it('finds every citation key, at its line and column, with and without note syntax', () => {
    const expected = scanKeys()
    // 48 by hand: 25 keys on line 17 (seven of them in two inline notes), 3 on line 33, 4 on line 95, two each on
    // lines 45 and 49, one each on eleven other lines.
    expect(expected).toHaveLength(48)
    expect(parsedKeys(parse(source))).toEqual(expected)
    expect(parsedKeys(parse(source, withNotes as never))).toEqual(expected)
  })

  it('reads known citations of the draft with their shapes and positions', () => {
    const tree = parse(source, withNotes as never)

    const foerster = findItem(tree, 'Foerster:2009', 17)
    expect(foerster.citation.children.map(shape)).toEqual([{key: 'Foerster:2009', mode: 'normal', prefix: '', suffix: ', 153'}])
    // Hand-checked in the draft: `[@Foerster:2009, 153]` takes columns 1298 to 1318 of line 17.
    expect(foerster.citation.position!.start).toMatchObject({line: 17, column: 1298})
    expect(foerster.citation.position!.end).toMatchObject({line: 17, column: 1319})
    expect(foerster.item.keyPosition).toMatchObject({start: {line: 17, column: 1299}, end: {line: 17, column: 1313}})

    const chuang = findItem(tree, 'Chuang:2014', 17)
    expect(chuang.citation.children.length).toBe(5)
    const suppressed = citations(tree).find((citation) => citation.children[0]!.mode === 'suppress-author')!
    expect(suppressed.children.map(shape)).toEqual([{key: 'Chuang:2014', mode: 'suppress-author', prefix: '', suffix: ', 611'}])
    // `[-@Chuang:2014, 611]` (columns 2524 to 2543) sits in an inline note; `@Gallagher:2011` follows at 2546.
    expect(suppressed.position).toMatchObject({start: {line: 17, column: 2524}, end: {line: 17, column: 2544}})

    const gallagher = findItem(tree, 'Gallagher:2011', 17)
    expect(gallagher.citation.bracketed).toBe(false)
    expect(gallagher.item.mode).toBe('author-in-text')
    expect(gallagher.citation.position).toMatchObject({start: {line: 17, column: 2546}, end: {line: 17, column: 2561}})

    const efrat = findItem(tree, 'Efrat:2012', 33)
    expect(efrat.citation.children.map(shape)).toEqual([
      {key: 'Efrat:2012', mode: 'normal', prefix: '', suffix: ', chapter 5'},
      {key: 'DeStefano:2007', mode: 'normal', prefix: '', suffix: ''}
    ])
    expect(findItem(tree, 'usg-pl-106-386:2000', 33).item.keyPosition.start.column).toBe(
      lines[32]!.indexOf('@usg-pl-106-386:2000') + 1
    )
    expect(findItem(tree, 'fig:locations', 71).citation.position!.start).toMatchObject({line: 71, column: 106})
    expect(findItem(tree, 'tbl:importance_stats_country', 165).item.key).toBe('tbl:importance_stats_country')
  })

  it('takes no e-mail address for a citation', () => {
    const tree = parse(source, withNotes as never)
    const keys = citations(tree).flatMap((citation) => citation.children.map((item) => item.key))
    expect(keys.filter((key) => key.includes('duke'))).toEqual([])
    expect(citations(tree).filter((citation) => citation.position!.start.line <= 13)).toEqual([])
    expect(textOf(tree)).toContain('andrew.heiss@duke.edu')
  })
})

/** A value of Haskell's `show` output, as pandoc's native format writes it. */
type NativeValue =
  | {kind: 'constructor'; name: string; args: NativeValue[]; fields?: Record<string, NativeValue>}
  | {kind: 'list'; items: NativeValue[]}
  | {kind: 'tuple'; items: NativeValue[]}
  | {kind: 'string'; value: string}
  | {kind: 'number'; value: number}

/** Parse pandoc's native output (Haskell `show` syntax), enough for `Cite` and its neighbours. */
function parseNative(text: string): NativeValue {
  const tokens = text.match(/"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?|[A-Za-z_][\w']*|[[\](){},=]/g) ?? []
  let index = 0
  const peek = (): string | undefined => tokens[index]
  const next = (): string => {
    const token = tokens[index++]
    if (token === undefined) throw new Error('native: unexpected end')
    return token
  }
  const expectToken = (token: string): void => {
    const found = next()
    if (found !== token) throw new Error(`native: expected ${token}, found ${found}`)
  }

  function sequence(close: string): NativeValue[] {
    const items: NativeValue[] = []
    while (peek() !== close) {
      items.push(expression())
      if (peek() === ',') next()
    }
    next()
    return items
  }

  function atom(): NativeValue {
    const token = next()
    if (token === '[') return {kind: 'list', items: sequence(']')}
    if (token === '(') {
      const items = sequence(')')
      return items.length === 1 ? items[0]! : {kind: 'tuple', items}
    }
    if (token.startsWith('"')) return {kind: 'string', value: decodeHaskellString(token.slice(1, -1))}
    if (/^-?\d/.test(token)) return {kind: 'number', value: Number(token)}
    if (/^[A-Z]/.test(token)) {
      if (peek() === '{') {
        next()
        const fields: Record<string, NativeValue> = {}
        while (peek() !== '}') {
          const name = next()
          expectToken('=')
          fields[name] = expression()
          if (peek() === ',') next()
        }
        next()
        return {kind: 'constructor', name: token, args: [], fields}
      }
      return {kind: 'constructor', name: token, args: []}
    }
    throw new Error(`native: unexpected ${token}`)
  }

  function expression(): NativeValue {
    const head = atom()
    if (head.kind !== 'constructor' || head.fields) return head
    while (peek() !== undefined && ![',', ']', ')', '}'].includes(peek()!)) head.args.push(atom())
    return head
  }

  return expression()
}

function decodeHaskellString(body: string): string {
  return body.replace(/\\(\d+|&|.)/g, (_, escape: string) => {
    if (escape === '&') return ''
    if (/^\d+$/.test(escape)) return String.fromCodePoint(Number(escape))
    return ({n: '\n', t: '\t'} as Record<string, string>)[escape] ?? escape
  })
}

/** Pandoc inlines back to Markdown-ish source, to compare with our raw prefixes and suffixes. */
function nativeInlinesToSource(value: NativeValue | undefined): string {
  if (value?.kind !== 'list') throw new Error('native: expected a list of inlines')
  return value.items
    .map((inline) => {
      if (inline.kind !== 'constructor') throw new Error('native: expected an inline')
      switch (inline.name) {
        case 'Str':
          return (inline.args[0] as {value: string}).value
        case 'Space':
        case 'SoftBreak':
          return ' '
        case 'Emph':
          return `*${nativeInlinesToSource(inline.args[0])}*`
        case 'Strong':
          return `**${nativeInlinesToSource(inline.args[0])}**`
        default:
          throw new Error(`native: no source form for ${inline.name}`)
      }
    })
    .join('')
}

function normalizeSource(value: string): string {
  return value.replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim()
}

const nativeModes: Record<string, CitationItem['mode']> = {
  NormalCitation: 'normal',
  AuthorInText: 'author-in-text',
  SuppressAuthor: 'suppress-author'
}

/** The `Cite` elements of a native document in reading order (notes in place), each as its items' shapes. */
function nativeCitations(native: string): Array<Array<ItemShape>> {
  const groups: Array<Array<ItemShape>> = []
  function walk(value: NativeValue): void {
    if (value.kind === 'list' || value.kind === 'tuple') value.items.forEach(walk)
    if (value.kind !== 'constructor') return
    if (value.name === 'Cite') {
      const list = value.args[0]
      if (list?.kind !== 'list') throw new Error('native: Cite without citations')
      groups.push(
        list.items.map((citation) => {
          const fields = (citation as {fields: Record<string, NativeValue>}).fields
          return {
            key: (fields.citationId as {value: string}).value,
            mode: nativeModes[(fields.citationMode as {name: string}).name]!,
            prefix: normalizeSource(nativeInlinesToSource(fields.citationPrefix)),
            suffix: normalizeSource(nativeInlinesToSource(fields.citationSuffix))
          }
        })
      )
      return
    }
    value.args.forEach(walk)
  }
  walk(parseNative(native))
  return groups
}

function childrenOf(node: Nodes): Nodes[] {
  return 'children' in node ? ((node.children ?? []) as Nodes[]) : []
}

/** Our citations in reading order, with footnote definitions read where they are called (as pandoc places notes). */
function ourCitations(tree: Root): Array<Array<ItemShape>> {
  const definitions = new Map<string, Nodes>()
  visit(tree, 'footnoteDefinition', (definition) => {
    definitions.set(definition.identifier, definition)
  })
  const groups: Array<Array<ItemShape>> = []
  function walk(node: Nodes): void {
    if (node.type === 'footnoteDefinition') return
    if (node.type === 'citation') {
      groups.push(
        node.children.map((item) => {
          const {prefix, suffix} = shape(item)
          return {...shape(item), prefix: normalizeSource(prefix), suffix: normalizeSource(suffix)}
        })
      )
      return
    }
    if (node.type === 'footnoteReference') {
      const definition = definitions.get(node.identifier)
      if (definition) childrenOf(definition).forEach(walk)
      return
    }
    childrenOf(node).forEach(walk)
  }
  walk(tree)
  return groups
}

describe('pandoc test cases', {tags: ['corpus']}, () => {
  const pandocTests = path.join(corpus, 'peers/pandoc/test')

  it('reads markdown-citations.txt as markdown-citations.native lists', () => {
    const markdown = readFileSync(path.join(pandocTests, 'markdown-citations.txt'), 'utf8')
    const expected = nativeCitations(readFileSync(path.join(pandocTests, 'markdown-citations.native'), 'utf8'))
    expect(expected.length).toBe(16)
    expect(ourCitations(parse(markdown, withNotes as never))).toEqual(expected)
  })

  /** `% pandoc -t native` cases of pandoc's command tests: the input between the command and `^D`, then the output. */
  function nativeCases(file: string): Array<{input: string; output: string}> {
    const text = readFileSync(path.join(pandocTests, 'command', file), 'utf8')
    const cases: Array<{input: string; output: string}> = []
    for (const block of text.split(/^```\s*$/m)) {
      const match = /^\n?% pandoc -t native\n([\s\S]*?)\^D\n([\s\S]*)$/.exec(block)
      if (match) cases.push({input: match[1]!, output: match[2]!})
    }
    return cases
  }

  for (const file of ['5099.md', '6026.md', '8254.md', 'cite-in-inline-note.md', 'citeproc-author-in-text-suffix.md']) {
    it(`reads the native cases of command/${file} as pandoc does`, () => {
      const cases = nativeCases(file).filter((testCase) => testCase.output.includes('Cite'))
      expect(cases.length).toBeGreaterThan(0)
      for (const testCase of cases) {
        expect(ourCitations(parse(testCase.input, withNotes as never)), testCase.input).toEqual(
          nativeCitations(testCase.output)
        )
      }
    })
  }
})

describe('images whose alt text cites', () => {
  it('reads `![@fig:a](x.png)` as an image, as pandoc tries images first', async () => {
    const {unified} = await import('unified')
    const remarkParse = (await import('remark-parse')).default
    const {remarkCitation} = await import('../../../pipeline/syntax/citation/index.ts')
    const tree = unified().use(remarkParse).use(remarkCitation).parse('![@fig:a](x.png) and ![@b]') as import('mdast').Root
    const paragraph = tree.children[0] as import('mdast').Paragraph
    expect(paragraph.children.map((node) => node.type)).toEqual(['image', 'text', 'citation'])
    expect(paragraph.children[1]).toMatchObject({type: 'text', value: ' and !'})
    // The alt source keeps the citation; the figures transform re-parses it for the caption.
    expect(paragraph.children[0]).toMatchObject({type: 'image', url: 'x.png', position: {start: {offset: 0}, end: {offset: 16}}})
  })
})
