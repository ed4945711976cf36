/**
 * Table captions (pandoc's `table_captions`): a paragraph right before or after a table — only blank lines
 * between — that starts with `Table:` or with `:` not followed by punctuation is the table's caption.
 * The table and its caption become one `figure` node of kind 'table' (see `Figure` in ../syntax/types.ts);
 * a trailing attribute block `{#tbl:x}` gives the figure its identifier. As in pandoc, a caption before the
 * table wins over one after it, and a caption is used by the first table that can take it.
 */
import type {Paragraph, Parent, PhrasingContent, Root, RootContent, Table, Text} from 'mdast'
import type {Point, Position} from 'unist'
import {walk} from '../syntax/walk.ts'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {Attributes, Figure} from '../syntax/types.ts'
import {figureCaption} from '../syntax/figure.ts'

/** `Table:`, or `:` not followed by punctuation (pandoc's `isPunctuation`), then optional whitespace. */
const captionMarker = /^(?:Table:|:(?!\p{P}))[ \t\r\n]*/u

export function tableCaptionsTransform(tree: Root, file: VFile): undefined {
  walk(tree, (node) => {
    const children = (node as Partial<Parent>).children
    if (children?.some((child) => child.type === 'table')) captionTablesIn(node as Parent)
  })
  walk(tree, 'paragraph', (paragraph) => {
    if (captionText(paragraph)?.value.startsWith('Table:')) {
      report(
        file,
        paragraph,
        'This `Table:` caption belongs to no table, so it stays an ordinary paragraph: put it directly before or after its table (only blank lines between), and give each table one caption.',
        'table-caption-without-table',
        'warning'
      )
    }
  })
}

/** remark plugin running `tableCaptionsTransform`. */
export function remarkTableCaptions(): (tree: Root, file: VFile) => undefined {
  return (tree, file) => tableCaptionsTransform(tree, file)
}

function captionTablesIn(parent: Parent): undefined {
  const children = parent.children as RootContent[]
  for (let index = 0; index < children.length; index++) {
    const table = children[index]
    if (table.type !== 'table') continue
    const before = children[index - 1]
    const after = children[index + 1]
    const captionIndex =
      before && isCaption(before) ? index - 1 : after && isCaption(after) ? index + 1 : undefined
    if (captionIndex === undefined) continue
    const figure = tableFigure(table, children[captionIndex] as Paragraph, captionIndex < index)
    const first = Math.min(index, captionIndex)
    children.splice(first, 2, figure)
    index = first
  }
}

function isCaption(node: RootContent): node is Paragraph {
  if (node.type !== 'paragraph') return false
  const text = captionText(node)
  if (!text) return false
  const marker = captionMarker.exec(text.value)
  // Something must follow the marker (pandoc's `inlines1`).
  return marker !== null && (marker[0].length < text.value.length || node.children.length > 1)
}

function captionText(paragraph: Paragraph): Text | undefined {
  const first = paragraph.children[0]
  return first?.type === 'text' && captionMarker.test(first.value) ? first : undefined
}

function tableFigure(table: Table, paragraph: Paragraph, captionFirst: boolean): Figure {
  const caption = [...paragraph.children]
  stripMarker(caption)

  let attributes: Attributes | undefined
  const last = caption[caption.length - 1]
  if (last?.type === 'attributes') {
    attributes = last
    caption.pop()
    trimEnd(caption)
  }

  const sourceFile = table.data?.sourceFile ?? paragraph.data?.sourceFile
  // The caption sits where it was written, before or after the table, and spans its whole paragraph.
  const captionNode = figureCaption(caption, paragraph.position, sourceFile)
  const figure: Figure = {
    type: 'figure',
    kind: 'table',
    children: captionFirst ? [captionNode, table] : [table, captionNode],
    position: union(table.position, paragraph.position)
  }
  if (attributes) {
    figure.attributes = attributes
    if (attributes.id) figure.identifier = attributes.id
  }
  if (sourceFile) figure.data = {sourceFile}
  return figure
}

function stripMarker(caption: PhrasingContent[]): undefined {
  const first = caption[0]
  if (first?.type !== 'text') return
  const marker = captionMarker.exec(first.value)
  if (!marker) return
  const rest = first.value.slice(marker[0].length)
  if (rest === '') {
    caption.shift()
    return
  }
  const text: Text = {...first, value: rest}
  if (first.position) text.position = {start: advance(first.position.start, marker[0]), end: first.position.end}
  caption[0] = text
}

function trimEnd(caption: PhrasingContent[]): undefined {
  const last = caption[caption.length - 1]
  if (last?.type !== 'text') return
  const value = last.value.replace(/[ \t\r\n]+$/, '')
  if (value === '') {
    caption.pop()
    return
  }
  const removed = last.value.slice(value.length)
  const text: Text = {...last, value}
  // Only spaces on the same line move the end exactly; across a line break the old end is kept.
  if (last.position && !/[\r\n]/.test(removed)) {
    text.position = {
      start: last.position.start,
      end: {
        line: last.position.end.line,
        column: last.position.end.column - removed.length,
        offset: last.position.end.offset === undefined ? undefined : last.position.end.offset - removed.length
      }
    }
  }
  caption[caption.length - 1] = text
}

/** The point after `consumed`, text that starts at `point` and is written verbatim in the source. */
function advance(point: Point, consumed: string): Point {
  const lines = consumed.split(/\r\n|\r|\n/)
  const offset = point.offset === undefined ? undefined : point.offset + consumed.length
  if (lines.length === 1) return {line: point.line, column: point.column + consumed.length, offset}
  return {line: point.line + lines.length - 1, column: lines[lines.length - 1].length + 1, offset}
}

function union(a: Position | undefined, b: Position | undefined): Position | undefined {
  if (!a || !b) return a ?? b
  const start = before(a.start, b.start) ? a.start : b.start
  const end = before(a.end, b.end) ? b.end : a.end
  return {start: {...start}, end: {...end}}
}

function before(a: Point, b: Point): boolean {
  return a.line < b.line || (a.line === b.line && a.column < b.column)
}
