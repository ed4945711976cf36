/**
 * mdast-util-from-markdown handlers turning pandoc table tokens into the standard mdast `table`, `tableRow` and
 * `tableCell` nodes (the shape mdast-util-gfm-table produces). Cells hold the inline content the resolver parsed;
 * a multiline cell's lines are joined by line endings inside its text (soft breaks), hence `canContainEols`.
 * A table without header row says so in `data.headless`; a multiline table carries pandoc's relative column
 * widths in `data.columnWidths` (see `TableData` in ../types.ts).
 */
import type {Table, TableCell, TableRow} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {ParseLimit} from '../types.ts'
import './syntax.ts'

export function pandocTableFromMarkdown(): Extension {
  return {
    canContainEols: ['tableCell'],
    enter: {
      pandocTable: enterTable,
      pandocTableRow: enterRow,
      pandocTableCell: enterCell
    },
    exit: {
      pandocTable: exit,
      pandocTableRow: exit,
      pandocTableCell: exit
    }
  }
}

function enterTable(this: CompileContext, token: Token): undefined {
  const info = token._pandocTable
  if (!info) throw new Error('Expected table information on a `pandocTable` token (the pandoc table syntax extension is missing)')
  if (info.tooLarge) {
    const limit: ParseLimit = {type: 'parseLimit', construct: 'table', ...info.tooLarge, children: []}
    this.enter(limit as never, token)
    return
  }
  const node: Table = {type: 'table', align: [...info.align], children: []}
  if (info.headless || info.columnWidths) {
    node.data = {}
    if (info.headless) node.data.headless = true
    if (info.columnWidths) node.data.columnWidths = [...info.columnWidths]
  }
  this.enter(node, token)
}

function enterRow(this: CompileContext, token: Token): undefined {
  const node: TableRow = {type: 'tableRow', children: []}
  this.enter(node, token)
}

function enterCell(this: CompileContext, token: Token): undefined {
  const node: TableCell = {type: 'tableCell', children: []}
  this.enter(node, token)
}

function exit(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
