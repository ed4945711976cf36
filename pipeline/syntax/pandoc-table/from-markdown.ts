/**
 * mdast-util-from-markdown handlers turning pandoc table tokens into the standard mdast `table`, `tableRow` and
 * `tableCell` nodes (the shape mdast-util-gfm-table produces). Cells hold the inline content the resolver parsed;
 * a multiline cell's lines are joined by line endings inside its text (soft breaks), hence `canContainEols`.
 * A table without header row says so in `data.headless`; a multiline table carries pandoc's relative column
 * widths in `data.columnWidths` (see `TableData` in ../types.ts).
 */
import type {Parent, RootContent, Table, TableCell, TableRow} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {ParseLimit} from '../types.ts'
import './syntax.ts'
import './grid.ts'

export function pandocTableFromMarkdown(): Extension {
  return {
    canContainEols: ['tableCell'],
    enter: {
      pandocTable: enterTable,
      pandocTableRow: enterRow,
      pandocTableCell: enterCell,
      pandocGridTableCell: enterCell
    },
    exit: {
      pandocTable: exit,
      pandocTableRow: exit,
      pandocTableCell: exit,
      pandocGridTableCell: exitGridCell
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

/**
 * A grid table cell holds blocks. As pandoc (`compactify`), a cell whose last block is its only paragraph shows
 * that paragraph's text without a paragraph around it.
 */
function exitGridCell(this: CompileContext, token: Token): undefined {
  const cell = this.stack[this.stack.length - 1] as unknown as Parent
  const blocks = cell.children as Array<RootContent>
  const last = blocks[blocks.length - 1]
  if (last?.type === 'paragraph' && blocks.filter((block) => block.type === 'paragraph').length === 1) {
    blocks.splice(blocks.length - 1, 1, ...last.children)
  }
  this.exit(token)
}

function exit(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
