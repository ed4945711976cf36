/**
 * Table captions: `Table: …` or `: …` paragraphs next to a table become the caption of a `figure` of kind
 * 'table', with the identifier of a trailing `{#tbl:x}`.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Paragraph, Root, RootContent, Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {remarkAttributes} from '../../pipeline/syntax/attributes/index.ts'
import {remarkPandocTable} from '../../pipeline/syntax/pandoc-table/index.ts'
import type {Figure} from '../../pipeline/syntax/types.ts'
import {remarkTableCaptions, tableCaptionsTransform} from '../../pipeline/transforms/table-captions.ts'
import {corpus} from '../support/project.ts'
import {captionOf} from '../../pipeline/syntax/figure.ts'


const table = 'a   b\n--- ---\n1   2\n'

/** Parse (with or without the attributes syntax) and run the transform. */
function captioned(source: string, {attributes = true} = {}): {tree: Root; file: VFile} {
  const processor = unified().use(remarkParse).use(remarkPandocTable)
  if (attributes) processor.use(remarkAttributes)
  const tree = processor.parse(source) as Root
  const file = new VFile({path: 'doc.md', value: source})
  tableCaptionsTransform(tree, file)
  return {tree, file}
}

function figureOf(tree: Root): Figure {
  const figure = tree.children.find((node): node is Figure => node.type === 'figure')
  expect(figure).toBeDefined()
  return figure!
}

describe('table captions', () => {
  it('takes a `Table:` caption after the table, with the identifier of its attributes', () => {
    const {tree} = captioned(`${table}\nTable: Survey responses {#tbl:what-do}\n`)
    expect(tree.children.map((node) => node.type)).toEqual(['figure'])
    const figure = figureOf(tree)
    expect(figure).toMatchObject({kind: 'table', identifier: 'tbl:what-do', children: [{type: 'table'}, {type: 'figureCaption'}]})
    expect(captionOf(figure)!.children).toEqual([
      {
        type: 'text',
        value: 'Survey responses',
        position: {start: {line: 5, column: 8, offset: 28}, end: {line: 5, column: 24, offset: 44}}
      }
    ])
    expect(figure.attributes).toMatchObject({type: 'attributes', id: 'tbl:what-do', classes: []})
  })

  it('takes a `:` caption before the table', () => {
    const {tree} = captioned(`: My table {#tbl:mytable}\n\n${table}`)
    const figure = figureOf(tree)
    expect(tree.children).toHaveLength(1)
    expect(figure.identifier).toBe('tbl:mytable')
    expect(toString({type: 'paragraph', children: captionOf(figure)!.children})).toBe('My table')
    expect(captionOf(figure)!.children[0].position?.start).toEqual({line: 1, column: 3, offset: 2})
  })

  it('spans table and caption', () => {
    const after = figureOf(captioned(`${table}\nTable: After\n`).tree)
    expect(after.position).toEqual({start: {line: 1, column: 1, offset: 0}, end: {line: 5, column: 13, offset: 33}})
    const before = figureOf(captioned(`Table: Before\n\n${table}`).tree)
    expect(before.position).toEqual({start: {line: 1, column: 1, offset: 0}, end: {line: 5, column: 6, offset: 34}})
  })

  it('keeps emphasis and citation-like text of the caption as they are', () => {
    const {tree} = captioned(`${table}\nTable: Responses *by region* [@a] {#tbl:x}\n`)
    const figure = figureOf(tree)
    expect(captionOf(figure)!.children.map((node) => node.type)).toEqual(['text', 'emphasis', 'text'])
    expect(captionOf(figure)!.children[0]).toMatchObject({value: 'Responses '})
    expect(captionOf(figure)!.children[2]).toMatchObject({value: ' [@a]'})
    expect(figure.identifier).toBe('tbl:x')
  })

  it('does not guess an identifier from text that only looks like attributes', () => {
    const {tree} = captioned(`${table}\nTable: Responses {#tbl:x}\n`, {attributes: false})
    const figure = figureOf(tree)
    expect(figure.identifier).toBeUndefined()
    expect(figure.attributes).toBeUndefined()
    expect(captionOf(figure)!.children).toMatchObject([{type: 'text', value: 'Responses {#tbl:x}'}])
  })

  it('keeps attributes without identifier on the figure, and the caption without them', () => {
    const figure = figureOf(captioned(`${table}\n: table {.foo bar="baz"}\n`).tree)
    expect(figure.identifier).toBeUndefined()
    expect(figure.attributes).toMatchObject({classes: ['foo'], attributes: {bar: 'baz'}})
    expect(captionOf(figure)!.children).toMatchObject([{type: 'text', value: 'table'}])
  })

  it('leaves tables without caption, and other paragraphs, alone', () => {
    const {tree, file} = captioned(`${table}\nTables: are not captions\n\n:: nor this\n\n${table}`)
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph', 'paragraph', 'table'])
    expect(file.messages).toEqual([])
  })

  it('gives each caption to one table, as pandoc reads them: a caption before a table first', () => {
    // `Second` is after the first table, but that one already has a caption; it goes to the next table.
    const {tree, file} = captioned(`Table: First\n\n${table}\nTable: Second\n\n${table}\nTable: Third\n`)
    expect(tree.children.map((node: RootContent) => node.type)).toEqual(['figure', 'figure', 'paragraph'])
    const [first, second, stray] = tree.children as [Figure, Figure, Paragraph]
    expect(toString({type: 'paragraph', children: captionOf(first)!.children})).toBe('First')
    expect(toString({type: 'paragraph', children: captionOf(second)!.children})).toBe('Second')
    expect(toString(stray)).toBe('Table: Third')
    // A `Table:` paragraph left over is most likely a mistake.
    expect(file.messages.map((message) => [message.ruleId, message.line, message.fatal])).toEqual([
      ['table-caption-without-table', 13, false]
    ])
  })

  it('takes a caption after a table when the next table has none before it', () => {
    const {tree} = captioned(`${table}\nTable: After the first\n\n${table}`)
    expect(tree.children.map((node: RootContent) => node.type)).toEqual(['figure', 'table'])
  })

  it('works inside containers and through the plugin', () => {
    const processor = unified().use(remarkParse).use(remarkPandocTable).use(remarkTableCaptions)
    const source = `> ${table.trim().split('\n').join('\n> ')}\n>\n> : Quoted\n`
    const tree = processor.runSync(processor.parse(source), new VFile(source)) as Root
    const quote = tree.children[0] as {children: RootContent[]}
    expect(quote.children).toMatchObject([{type: 'figure', kind: 'table', children: [{type: 'table'}, {type: 'figureCaption', children: [{type: 'text', value: 'Quoted'}]}]}])
  })

  it('captions the first user’s pander table', {tags: ['corpus']}, () => {
    const source = readFileSync(path.join(corpus, 'trenches/expected/tables/summary_what_do.md'), 'utf8')
    const {tree} = captioned(source)
    expect(tree.children.map((node) => node.type)).toEqual(['figure'])
    const figure = figureOf(tree)
    expect(figure.identifier).toBe('tbl:what-do')
    expect(toString({type: 'paragraph', children: captionOf(figure)!.children})).toBe(
      'Summary of survey responses related to anti-TIP NGO activities'
    )
    const [captioned_table] = figure.children as [Table]
    expect(captioned_table.children).toHaveLength(6)
    expect(figure.position).toMatchObject({start: {line: 2, column: 1}, end: {line: 37, column: 85}})
  })
})
