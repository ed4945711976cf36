/**
 * A table model as Markdown, through mdast and remark-stringify: a pipe table, then the caption paragraph
 * `Table: caption {#tbl:label}`. Text cells are escaped by the serializer, numbers formatted by their column as R
 * would print them, charts written as inline SVG (raw HTML, which passes through to the HTML and the PDF).
 */
import type {AlignType, Html, Paragraph, PhrasingContent, Root, Table, TableCell as CellNode, TableRow} from 'mdast'
import {gfmTableToMarkdown} from 'mdast-util-gfm-table'
import type {Options as StringifyOptions} from 'mdast-util-to-markdown'
import remarkStringify from 'remark-stringify'
import {unified, type Processor} from 'unified'
import type {Attributes} from '../syntax/types.ts'
import {barChartSvg, isBarChart} from './chart.ts'
import {formatFixed, formatSignificant} from './format.ts'
import type {Alignment, TableCell, TableColumn, TableModel} from './model.ts'

/** The table and its caption as mdast. */
export function tableTree(model: TableModel): Root {
  const alignments = model.columns.map((column, index) => column.align ?? defaultAlignment(model, index))
  const headerRow: TableRow = {type: 'tableRow', children: model.columns.map((column) => textCell(column.header))}
  const bodyRows: TableRow[] = model.rows.map((row) => ({
    type: 'tableRow',
    children: row.map((cell, index) => cellNode(cell, model.columns[index]))
  }))
  const table: Table = {type: 'table', align: alignments as AlignType[], children: [headerRow, ...bodyRows]}
  const attributes: Attributes = {type: 'attributes', value: `#${model.label}`, id: model.label, classes: [], attributes: {}}
  const caption: Paragraph = {type: 'paragraph', children: [{type: 'text', value: `Table: ${oneLine(model.caption)} `}, attributes]}
  return {type: 'root', children: [table, caption]}
}

/** The Markdown of the table and its caption. */
export function tableMarkdown(model: TableModel): string {
  return serializer.stringify(tableTree(model))
}

const stringifyOptions: StringifyOptions = {
  handlers: {
    // The caption's `{#tbl:label}` is written as is; as text it would be escaped.
    attributes: (node: Attributes) => `{${node.value}}`
  }
}

/** Pipe tables without padding the columns to one width: chart cells are long. */
function remarkPipeTables(this: Processor): undefined {
  const data = this.data()
  ;(data.toMarkdownExtensions ??= []).push(gfmTableToMarkdown({tablePipeAlign: false}))
}

const serializer = unified().use(remarkStringify, stringifyOptions).use(remarkPipeTables).freeze()

function cellNode(cell: TableCell, column: TableColumn): CellNode {
  if (isBarChart(cell)) {
    const chart: Html = {type: 'html', value: barChartSvg(cell)}
    return {type: 'tableCell', children: [chart as PhrasingContent]}
  }
  return textCell(formatCell(cell, column))
}

/** A cell's text: numbers with the column's decimals, or 7 significant digits; null as empty; NaN as NA. */
export function formatCell(cell: Exclude<TableCell, object> | null, column: TableColumn): string {
  if (cell === null) return ''
  if (typeof cell === 'number') return column.digits === undefined ? formatSignificant(cell) : formatFixed(cell, column.digits)
  return cell
}

function textCell(text: string): CellNode {
  const value = oneLine(text)
  return {type: 'tableCell', children: value ? [{type: 'text', value}] : []}
}

/** A pipe-table cell and the caption line hold one line of text. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

function defaultAlignment(model: TableModel, column: number): Alignment {
  const cells = model.rows.map((row) => row[column]).filter((cell) => cell !== null)
  return cells.length > 0 && cells.every((cell) => typeof cell === 'number') ? 'right' : 'left'
}
