/**
 * Tables (pipe, simple, multiline, grid and generated ones) as Word tables: the header row repeats on every page,
 * each column keeps its alignment, relative widths (multiline and grid tables) become column widths, and rules above,
 * below and under the header frame it as in the PDF.
 */
import {AlignmentType, BorderStyle, Paragraph, Table, TableCell, TableRow, WidthType, type IBorderOptions} from 'docx'
import type {AlignType, Table as MdastTable} from 'mdast'
import type {DocxContext} from './context.ts'
import {inlines} from './inlines.ts'

const rule: IBorderOptions = {style: BorderStyle.SINGLE, size: 8, color: '000000'}
const none: IBorderOptions = {style: BorderStyle.NONE, size: 0, color: 'auto'}

const alignments: Record<NonNullable<AlignType>, (typeof AlignmentType)[keyof typeof AlignmentType]> = {
  left: AlignmentType.LEFT,
  right: AlignmentType.RIGHT,
  center: AlignmentType.CENTER
}

export function table(node: MdastTable, context: DocxContext): Table {
  const headerEmpty = node.children[0]?.children.every((cell) => cell.children.length === 0) ?? false
  const rows = headerEmpty && !node.data?.headless ? node.children.slice(1) : node.children
  const hasHeader = !node.data?.headless && !headerEmpty
  const columns = Math.max(1, ...rows.map((row) => row.children.length))
  const widths = node.data?.columnWidths
  const columnWidths = widths && widths.length === columns ? widths.map((width) => Math.round(width * context.textWidth)) : Array.from({length: columns}, () => Math.floor(context.textWidth / columns))
  const last = rows.length - 1
  return new Table({
    width: {size: columnWidths.reduce((sum, width) => sum + width, 0), type: WidthType.DXA},
    columnWidths,
    borders: {top: rule, bottom: rule, left: none, right: none, insideHorizontal: none, insideVertical: none},
    rows: rows.map(
      (row, rowIndex) =>
        new TableRow({
          tableHeader: hasHeader && rowIndex === 0,
          cantSplit: true,
          children: Array.from({length: columns}, (_, columnIndex) => {
            const cell = row.children[columnIndex]
            const header = hasHeader && rowIndex === 0
            return new TableCell({
              width: {size: columnWidths[columnIndex], type: WidthType.DXA},
              borders: header ? {bottom: rule} : rowIndex === last ? {bottom: rule} : undefined,
              children: [
                new Paragraph({
                  style: 'Compact',
                  alignment: alignments[node.align?.[columnIndex] ?? 'left'] ?? AlignmentType.LEFT,
                  keepNext: header,
                  children: cell ? inlines(cell.children, context, header ? {bold: true} : {}) : []
                })
              ]
            })
          })
        })
    )
  })
}
