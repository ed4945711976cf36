/**
 * Micromark extension for pandoc's simple and multiline tables (extensions `simple_tables`, `multiline_tables`).
 *
 * ```markdown
 *   Right     Left     Center     Default        ------------------------------
 * -------     ------ ----------   -------        Question          Summary
 *      12     12        123         12           ----------------- ------------
 *     123     123       123        123           Q2.1: About what  Mean: 56.96;
 *                                                percent of your   N=454
 *                                                time?
 *                                                ------------------------------
 * ```
 *
 * Four flow constructs, tried in pandoc's order: a multiline table with header (a dashed line on top), a simple
 * table without header (starts with the column line, ends with a dashed line, one line per row), a simple table
 * with header (a header line above the column line, at least two columns: one would be a setext heading), and a
 * multiline table without header (rows separated by blank lines, ends with a dashed line).
 *
 * The column line (groups of dashes separated by spaces) cuts every other line into cells by display column, so
 * the tokenizer must know it before it reads the header lines above it: a `check` scans ahead to it first. Each
 * content line is tokenized into runs of cell text (tagged with their column) and whitespace. The resolver then
 * builds rows and cells and parses each cell's text, which may span several lines of a multiline row, with one
 * text tokenizer per cell, so that emphasis or links can cross the cell's line breaks and every inline token keeps
 * its real line and column.
 *
 * Differences from pandoc, on purpose: a header may not contain blank lines (pandoc would scan to the next dashed
 * line anywhere in the document); text left of the first column is kept in the first cell (pandoc drops it); a
 * line of exactly three dashes never starts a table (it is a thematic break, a setext underline or YAML); tabs
 * count as one column each up to the next tab stop, measured from where the container's content starts.
 * Micromark's block structure shows in one place: until a table is certain (past the column line of a table with
 * header), a line starting with `> `, `- ` or `1. ` opens a block quote or list and so ends the attempt; a table
 * without header is never certain before its end, so such lines break it.
 */
import {factorySpace} from 'micromark-factory-space'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import {gridTableConstruct} from './grid.ts'
import type {
  Code,
  Construct,
  Effects,
  Event,
  Extension,
  Point,
  State,
  Token,
  TokenizeContext
} from 'micromark-util-types'

/** A column as the dashed column line defines it, in display columns from where the line's content starts. */
export interface PandocTableColumn {
  /** Display column of the first dash. */
  start: number
  /** Number of dashes. */
  dashes: number
  /** Dashes plus the spaces after them (pandoc uses this for relative widths). */
  width: number
}

/** What the resolver learns about a table; read by the mdast handlers. */
export interface PandocTableInfo {
  multiline: boolean
  /** Written without a header row. */
  headless: boolean
  columns: PandocTableColumn[]
  align: Array<'left' | 'right' | 'center' | null>
  /** Relative widths of a multiline table's columns (pandoc's `widthsFromIndices`). */
  columnWidths?: number[]
  /** More cells than the text can hold (see `tableCellsAllowed`): the table is not built. */
  tooLarge?: {rows: number; columns: number}
}

/** The display extent of a content line's non-whitespace text inside one column. */
interface Extent {
  first: number
  end: number
}

interface LineInfo {
  head: boolean
  row: number
  extents: Array<Extent | undefined>
}

interface RunInfo {
  /** Display column where the run starts. */
  visualStart: number
  /** Column index of a text run; `-1` for whitespace. */
  column: number
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    pandocTable: 'pandocTable'
    /** The dashed line above a multiline table or below any table. */
    pandocTableBorder: 'pandocTableBorder'
    /** The dashed line that defines the columns. */
    pandocTableSeparator: 'pandocTableSeparator'
    pandocTableDashes: 'pandocTableDashes'
    /** One source line of header or body text. */
    pandocTableLine: 'pandocTableLine'
    /** A run of non-whitespace text inside one column of a line. */
    pandocTableCellText: 'pandocTableCellText'
    pandocTableRow: 'pandocTableRow'
    pandocTableCell: 'pandocTableCell'
  }

  interface Token {
    _pandocTable?: PandocTableInfo
    _pandocTableLine?: LineInfo
    _pandocTableRun?: RunInfo
  }
}

interface Variant {
  name: string
  multiline: boolean
  headed: boolean
}

function tableConstruct(variant: Variant): Construct {
  const construct: Construct = {
    name: variant.name,
    tokenize(effects, ok, nok) {
      return tokenizePandocTable.call(this, effects, ok, nok, variant, committed)
    },
    resolve: resolvePandocTable
  }
  // The same construct once the table is certain: concrete, so that a row line starting with `> `, `- ` or
  // `1. ` stays table text (as in pandoc) instead of opening a block quote or list.
  const committed: Construct = {...construct, concrete: true}
  return construct
}

export const multilineTableConstruct = tableConstruct({name: 'pandocMultilineTable', multiline: true, headed: true})
export const headlessSimpleTableConstruct = tableConstruct({
  name: 'pandocHeadlessSimpleTable',
  multiline: false,
  headed: false
})
export const simpleTableConstruct = tableConstruct({name: 'pandocSimpleTable', multiline: false, headed: true})
export const headlessMultilineTableConstruct = tableConstruct({
  name: 'pandocHeadlessMultilineTable',
  multiline: true,
  headed: false
})

/**
 * A simple table whose header line is indented four columns or more, under a column line indented three at most:
 * pandoc reads tables before indented code, so this is tried before it (`flowInitial`). The indentation is the
 * table's, and counts in the columns as for any indented table.
 */
export const indentedSimpleTableConstruct: Construct = {
  name: 'pandocIndentedSimpleTable',
  tokenize(effects, ok, nok) {
    const self = this
    return factorySpace(effects, afterIndentation, types.linePrefix)

    function afterIndentation(code: Code): State | undefined {
      if (linePrefixWidth(self) < 4 || code === codes.eof || markdownLineEnding(code)) return nok(code)
      return simpleTableConstruct.tokenize.call(self, effects, ok, nok)(code)
    }
  },
  resolve(events, context) {
    // The indentation comes first; the table after it resolves as any simple table.
    return [...events.slice(0, 2), ...resolvePandocTable(events.slice(2), context)]
  }
}

/**
 * The micromark syntax extension. Constructs starting with a dashed line are keyed on `-` so that they are tried
 * before thematic breaks; the simple table with header starts with any text, so it is keyed on every character.
 */
export function pandocTable(): Extension {
  return {
    flowInitial: {
      [codes.horizontalTab]: indentedSimpleTableConstruct,
      [codes.virtualSpace]: indentedSimpleTableConstruct,
      [codes.space]: indentedSimpleTableConstruct
    },
    flow: {
      [codes.dash]: [multilineTableConstruct, headlessSimpleTableConstruct, headlessMultilineTableConstruct],
      [codes.plusSign]: [gridTableConstruct],
      null: [simpleTableConstruct]
    }
  }
}

const blankLineConstruct: Construct = {tokenize: tokenizeBlankLine, partial: true}
const dashedLineConstruct: Construct = {tokenize: tokenizeDashedLineCheck, partial: true}

function tokenizePandocTable(
  this: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State,
  variant: Variant,
  committed: Construct
): State {
  const self = this
  const columns: PandocTableColumn[] = []
  /** Display column of the next code on the current line. */
  let visual = 0
  let highSurrogate: number | undefined
  let inHead = variant.headed
  let row = -1
  let lineInfo: LineInfo | undefined
  let run: Token | undefined
  let runIsSpace = false
  let runColumn = -1
  /** The column of the current line's text so far (lines are read left to right, so it only moves right). */
  let lineColumn = 0

  const simpleHeaderLayout: Construct = {tokenize: tokenizeSimpleHeaderLayout, partial: true}
  const multilineHeaderLayout: Construct = {tokenize: tokenizeMultilineHeaderLayout, partial: true}
  const recordColumns: Construct = {tokenize: tokenizeRecordColumns, partial: true}
  const nextLineIsRow: Construct = {tokenize: tokenizeNextLineIsRow, partial: true}

  // At the start of a line after the top border, the column line, a body line or a blank line in the body: on by
  // what the line is. A lazy line (one the containers around the table do not continue) ends the attempt.
  // The first header line, and the first row after the column line, are neither blank nor dashed.
  const afterTopBorderLine = byLine({dashed: nok, blank: nok, other: scanHeaderLayout})
  const firstBodyLine = byLine({dashed: nok, blank: nok, other: newRow})
  const simpleBodyLine = byLine({dashed: footer, blank: nok, other: newRow})
  // In a multiline table a line right after a content line continues the row; a blank line ends it.
  const multilineBodyLine = byLine({dashed: footer, blank: blankLine, other: contentLineStart})
  const afterBlankLine = byLine({dashed: footer, blank: blankLine, other: newRow})

  return start

  function byLine(next: {dashed: State; blank: State; other: State}): State {
    const notDashed: State = (code) => effects.check(blankLineConstruct, next.blank, next.other)(code)
    return (code) => (isLazy(self) ? nok(code) : effects.check(dashedLineConstruct, next.dashed, notDashed)(code))
  }

  function start(code: Code): State | undefined {
    // Tables do not interrupt paragraphs, and a dashed line right after a paragraph is a setext underline.
    if (self.interrupt || followsParagraph(self)) return nok(code)
    visual = linePrefixWidth(self)
    effects.enter('pandocTable', {
      _pandocTable: {multiline: variant.multiline, headless: !variant.headed, columns, align: []}
    })
    if (variant.headed && variant.multiline) return topBorder(code)
    if (variant.headed) return effects.check(simpleHeaderLayout, contentLineStart, nok)(code)
    return firstLineSeparator(code)
  }

  // Multiline table with header: dashed top line, header lines, column line.

  function topBorder(code: Code): State | undefined {
    const groups: PandocTableColumn[] = []
    return factoryDashedLine(effects, afterTopBorder, nok, 'pandocTableBorder', visual, groups)(code)

    function afterTopBorder(code: Code): State | undefined {
      if (isYamlFence(groups)) return nok(code)
      if (code === codes.eof) return nok(code)
      return lineEnding(afterTopBorderLine)(code)
    }
  }

  function scanHeaderLayout(code: Code): State | undefined {
    return effects.check(multilineHeaderLayout, contentLineStart, nok)(code)
  }

  function headLineStart(code: Code): State | undefined {
    if (isLazy(self)) return nok(code)
    return effects.check(dashedLineConstruct, separator, contentLineStart)(code)
  }

  // The column line.

  function firstLineSeparator(code: Code): State | undefined {
    return factoryDashedLine(effects, afterFirstLineSeparator, nok, 'pandocTableSeparator', visual, columns)(code)

    function afterFirstLineSeparator(code: Code): State | undefined {
      if (isYamlFence(columns)) return nok(code)
      return afterSeparator(code)
    }
  }

  function separator(code: Code): State | undefined {
    // The columns are known from the header scan; measure this line again only to tokenize it.
    return factoryDashedLine(effects, afterSeparator, nok, 'pandocTableSeparator', visual, [])(code)
  }

  function afterSeparator(code: Code): State | undefined {
    inHead = false
    if (code === codes.eof) return nok(code)
    // Past its column line a table with header is certain (a simple one can then only fail on its next line; a
    // multiline one of two or more columns only if its bottom line is missing): from the next line on, stop
    // containers from piercing it. Tables without header start like a thematic break followed by text, so
    // they never commit.
    if (variant.headed && (!variant.multiline || columns.length > 1)) self.currentConstruct = committed
    return lineEnding(firstBodyLine)(code)
  }

  // Content lines (header and body).

  function newRow(code: Code): State | undefined {
    row++
    return contentLineStart(code)
  }

  function contentLineStart(code: Code): State | undefined {
    lineInfo = {head: inHead, row, extents: []}
    lineColumn = 0
    effects.enter('pandocTableLine', {_pandocTableLine: lineInfo})
    return content(code)
  }

  function content(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) {
      closeRun()
      effects.exit('pandocTableLine')
      return afterContentLine(code)
    }

    const space = markdownSpace(code)
    if (!space) lineColumn = columnAt(columns, visual, lineColumn)
    const column = space ? -1 : lineColumn
    if (run && (space !== runIsSpace || column !== runColumn)) closeRun()
    if (!run) {
      run = effects.enter(space ? types.whitespace : 'pandocTableCellText', {
        _pandocTableRun: {visualStart: visual, column}
      })
      runIsSpace = space
      runColumn = column
    }

    const width = characterWidth(code)
    if (!space && lineInfo) {
      const extent = lineInfo.extents[column]
      if (extent) extent.end = visual + width
      else lineInfo.extents[column] = {first: visual, end: visual + width}
    }
    effects.consume(code)
    visual += width
    return content
  }

  function closeRun(): undefined {
    if (run) effects.exit(run.type)
    run = undefined
  }

  function afterContentLine(code: Code): State | undefined {
    if (inHead) {
      // The header scan saw the column line below, so the input cannot end here.
      if (code === codes.eof) return nok(code)
      return lineEnding(headLineStart)(code)
    }

    if (variant.multiline) {
      if (code === codes.eof) return nok(code)
      return lineEnding(multilineBodyLine)(code)
    }

    if (variant.headed) {
      // A simple table with header ends at a blank line, the end of input, or a dashed line (included).
      if (code === codes.eof) return done(code)
      return effects.check(nextLineIsRow, lineEnding(simpleBodyLine), done)(code)
    }

    // A simple table without header must end with a dashed line.
    if (code === codes.eof) return nok(code)
    return lineEnding(simpleBodyLine)(code)
  }

  function blankLine(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return blankLineWhitespace(code)
    }
    return blankLineEnd(code)
  }

  function blankLineWhitespace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return blankLineWhitespace
    }
    effects.exit(types.whitespace)
    return blankLineEnd(code)
  }

  function blankLineEnd(code: Code): State | undefined {
    // A multiline table must end with a dashed line.
    if (code === codes.eof) return nok(code)
    return lineEnding(afterBlankLine)(code)
  }

  function footer(code: Code): State | undefined {
    return factoryDashedLine(effects, done, nok, 'pandocTableBorder', 0, [])(code)
  }

  function done(code: Code): State | undefined {
    effects.exit('pandocTable')
    return ok(code)
  }

  function lineEnding(next: State): State {
    return function (code) {
      effects.enter(types.lineEnding)
      effects.consume(code)
      effects.exit(types.lineEnding)
      visual = 0
      highSurrogate = undefined
      return next
    }
  }

  function characterWidth(code: Code): number {
    if (code === null || code < 0) return 1
    if (code >= 0xd800 && code <= 0xdbff) {
      highSurrogate = code
      return 0
    }
    if (code >= 0xdc00 && code <= 0xdfff && highSurrogate !== undefined) {
      const codePoint = (highSurrogate - 0xd800) * 0x400 + (code - 0xdc00) + 0x10000
      highSurrogate = undefined
      return codePointWidth(codePoint)
    }
    return codePointWidth(code)
  }

  // Look-ahead scans that learn the columns before the header lines are tokenized.

  /** Simple table: the header line, then a column line of at least two columns. */
  function tokenizeSimpleHeaderLayout(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return headerLine

    function headerLine(code: Code): State | undefined {
      effects.enter('pandocTableLine')
      return headerLineRest(code)
    }

    function headerLineRest(code: Code): State | undefined {
      if (code === codes.eof) return nok(code)
      if (markdownLineEnding(code)) {
        effects.exit('pandocTableLine')
        effects.enter(types.lineEnding)
        effects.consume(code)
        effects.exit(types.lineEnding)
        return columnLine
      }
      effects.consume(code)
      return headerLineRest
    }

    function columnLine(code: Code): State | undefined {
      if (isLazy(self)) return nok(code)
      columns.length = 0
      return factoryDashedLine(effects, afterColumnLine, nok, 'pandocTableSeparator', 0, columns)(code)
    }

    function afterColumnLine(code: Code): State | undefined {
      return columns.length > 1 ? ok(code) : nok(code)
    }
  }

  /** Multiline table: header lines (neither blank nor dashed), then the column line. */
  function tokenizeMultilineHeaderLayout(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return headerLine

    function headerLine(code: Code): State | undefined {
      effects.enter('pandocTableLine')
      return headerLineRest(code)
    }

    function headerLineRest(code: Code): State | undefined {
      if (code === codes.eof) return nok(code)
      if (markdownLineEnding(code)) {
        effects.exit('pandocTableLine')
        effects.enter(types.lineEnding)
        effects.consume(code)
        effects.exit(types.lineEnding)
        return nextLine
      }
      effects.consume(code)
      return headerLineRest
    }

    function nextLine(code: Code): State | undefined {
      if (isLazy(self)) return nok(code)
      columns.length = 0
      return effects.attempt(recordColumns, ok, notColumnLine)(code)
    }

    function notColumnLine(code: Code): State | undefined {
      columns.length = 0
      return effects.check(blankLineConstruct, nok, headerLine)(code)
    }
  }

  function tokenizeRecordColumns(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return factoryDashedLine(effects, ok, nok, 'pandocTableSeparator', 0, columns)
  }

  /** After a row of a simple table with header: is the next line part of the table (a row or the footer)? */
  function tokenizeNextLineIsRow(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    return start

    function start(code: Code): State | undefined {
      effects.enter(types.lineEnding)
      effects.consume(code)
      effects.exit(types.lineEnding)
      return lineStart
    }

    function lineStart(code: Code): State | undefined {
      if (isLazy(self)) return nok(code)
      return effects.check(blankLineConstruct, nok, ok)(code)
    }
  }
}

/**
 * A dashed line: optional indentation (at most three columns), groups of dashes separated by spaces, optional
 * trailing spaces, then the end of the line (not consumed). Pushes each group to `groups`.
 */
function factoryDashedLine(
  effects: Effects,
  ok: State,
  nok: State,
  type: 'pandocTableBorder' | 'pandocTableSeparator',
  startVisual: number,
  groups: PandocTableColumn[]
): State {
  let visual = startVisual
  let group: PandocTableColumn | undefined

  return start

  function start(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.linePrefix)
      return prefix(code)
    }
    return beforeDashes(code)
  }

  function prefix(code: Code): State | undefined {
    if (markdownSpace(code)) {
      if (visual >= 3) return nok(code)
      effects.consume(code)
      visual++
      return prefix
    }
    effects.exit(types.linePrefix)
    return beforeDashes(code)
  }

  function beforeDashes(code: Code): State | undefined {
    if (code !== codes.dash) return nok(code)
    effects.enter(type)
    return groupStart(code)
  }

  function groupStart(code: Code): State | undefined {
    group = {start: visual, dashes: 0, width: 0}
    effects.enter('pandocTableDashes')
    return dashes(code)
  }

  function dashes(code: Code): State | undefined {
    if (code === codes.dash && group) {
      effects.consume(code)
      visual++
      group.dashes++
      return dashes
    }
    effects.exit('pandocTableDashes')
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return spaces(code)
    }
    return groupEnd(code)
  }

  function spaces(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      visual++
      return spaces
    }
    effects.exit(types.whitespace)
    return groupEnd(code)
  }

  function groupEnd(code: Code): State | undefined {
    if (group) {
      group.width = visual - group.start
      groups.push(group)
    }
    if (code === codes.dash) return groupStart(code)
    if (code === codes.eof || markdownLineEnding(code)) {
      effects.exit(type)
      return ok(code)
    }
    return nok(code)
  }
}

function tokenizeDashedLineCheck(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return factoryDashedLine(effects, ok, nok, 'pandocTableBorder', 0, [])
}

/** Only whitespace up to the end of the line (or of the input). */
function tokenizeBlankLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return whitespace(code)
    }
    return end(code)
  }

  function whitespace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return whitespace
    }
    effects.exit(types.whitespace)
    return end(code)
  }

  function end(code: Code): State | undefined {
    return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

export function isLazy(self: TokenizeContext): boolean {
  return Boolean(self.parser.lazy[self.now().line])
}

/**
 * A line of exactly three dashes never starts a table: pandoc reads it as the start of a YAML metadata block
 * first, which our front matter only allows on the first line; elsewhere it keeps its CommonMark meaning
 * (thematic break, or setext underline) rather than opening a one-column table.
 */
function isYamlFence(groups: PandocTableColumn[]): boolean {
  return groups.length === 1 && groups[0].dashes === 3
}

/** Whether the previous flow construct is a paragraph that ended on the previous line. */
export function followsParagraph(self: TokenizeContext): boolean {
  let index = self.events.length
  while (index--) {
    const type = self.events[index][1].type
    if (type !== types.lineEnding && type !== types.linePrefix && type !== types.content) {
      return type === types.paragraph
    }
  }
  return false
}

/** Display width of the indentation the flow tokenizer consumed before the construct started. */
export function linePrefixWidth(self: TokenizeContext): number {
  const last = self.events[self.events.length - 1]
  if (!last || last[0] !== 'exit' || last[1].type !== types.linePrefix) return 0
  if (last[1].end.offset !== self.now().offset) return 0
  let width = 0
  for (const chunk of self.sliceStream(last[1])) width += typeof chunk === 'string' ? chunk.length : 1
  return width
}

/** The last column starting at or before `visual`, found from `from` on (a column at or before it). */
function columnAt(columns: PandocTableColumn[], visual: number, from: number): number {
  let index = from
  while (index + 1 < columns.length && columns[index + 1].start <= visual) index++
  return index
}

const combiningMark = /^[\p{Mn}\p{Me}]$/u

/** Display width of a character, as pandoc measures table columns: combining marks 0, East Asian wide 2. */
export function codePointWidth(codePoint: number): number {
  if (codePoint < 0x300) return 1
  if (combiningMark.test(String.fromCodePoint(codePoint))) return 0
  if (
    (codePoint >= 0x1100 && codePoint <= 0x115f) ||
    (codePoint >= 0x2e80 && codePoint <= 0x303e) ||
    (codePoint >= 0x3041 && codePoint <= 0x33ff) ||
    (codePoint >= 0x3400 && codePoint <= 0x4dbf) ||
    (codePoint >= 0x4e00 && codePoint <= 0x9fff) ||
    (codePoint >= 0xa000 && codePoint <= 0xa4cf) ||
    (codePoint >= 0xac00 && codePoint <= 0xd7a3) ||
    (codePoint >= 0xf900 && codePoint <= 0xfaff) ||
    (codePoint >= 0xfe10 && codePoint <= 0xfe19) ||
    (codePoint >= 0xfe30 && codePoint <= 0xfe6f) ||
    (codePoint >= 0xff00 && codePoint <= 0xff60) ||
    (codePoint >= 0xffe0 && codePoint <= 0xffe6) ||
    (codePoint >= 0x1f300 && codePoint <= 0x1f64f) ||
    (codePoint >= 0x1f900 && codePoint <= 0x1f9ff) ||
    (codePoint >= 0x20000 && codePoint <= 0x3fffd)
  ) {
    return 2
  }
  return 1
}

// Resolving: rows, cells, and the inline content of each cell.

interface ContentLine {
  token: Token
  info: LineInfo
  /** Text and whitespace runs, in order. */
  runs: Token[]
  /** The first and last text run in each column that has text on this line. */
  byColumn: Map<number, {first: Token; last: Token}>
}

interface Piece {
  start: Point
  end: Point
}

function resolvePandocTable(events: Event[], context: TokenizeContext): Event[] {
  const table = events[0][1]
  const info = table._pandocTable
  if (!info) return events

  const lineStarts = new Map<number, number>()
  const lines: ContentLine[] = []
  const lineEndings: Token[] = []
  let current: ContentLine | undefined

  for (const [kind, token] of events) {
    if (kind === 'enter') {
      rememberLineStart(lineStarts, token.start)
      rememberLineStart(lineStarts, token.end)
      const lineInfo = token._pandocTableLine
      if (token.type === 'pandocTableLine' && lineInfo) {
        current = {token, info: lineInfo, runs: [], byColumn: new Map()}
        lines.push(current)
      } else if (current && token._pandocTableRun) {
        current.runs.push(token)
        const column = token._pandocTableRun.column
        if (column >= 0) {
          const known = current.byColumn.get(column)
          if (known) known.last = token
          else current.byColumn.set(column, {first: token, last: token})
        }
      } else if (token.type === types.lineEnding) {
        lineEndings.push(token)
      }
    } else if (token.type === 'pandocTableLine') {
      current = undefined
    }
  }

  const headLines = lines.filter((line) => line.info.head)
  const bodyRows: ContentLine[][] = []
  for (const line of lines) {
    if (line.info.head) continue
    const last = bodyRows[bodyRows.length - 1]
    if (last && last[0].info.row === line.info.row) last.push(line)
    else bodyRows.push([line])
  }

  const alignLines = info.headless ? bodyRows[0].slice(0, 1) : headLines
  info.align = info.columns.map((column, index) =>
    alignmentOf(
      alignLines.map((line) => line.info.extents[index]),
      column
    )
  )
  if (info.multiline) info.columnWidths = relativeWidths(info.columns)

  // mdast reads the first row as the header; `data.headless` says there is none.
  const rows = info.headless ? bodyRows : [headLines, ...bodyRows]

  // The table's own line endings stay, between rows: micromark relies on them to map flow events back to lines.
  const result: Event[] = [['enter', table, context]]
  let nextLineEnding = 0
  if (rows.length * info.columns.length > tableCellsAllowed(table.end.offset - table.start.offset)) {
    info.tooLarge = {rows: rows.length, columns: info.columns.length}
    rows.length = 0
  }
  for (const row of rows) {
    const emptyCell = emptyCellPoints(row[0])
    const cells = info.columns.map((column, index) => resolveCell(row, column, index, context, lineStarts, emptyCell))
    // A row spans its cells (an empty cell sits where its column starts, which may be left of the text).
    const start = cells.map((cell) => cell.token.start).reduce((a, b) => (pointBefore(b, a) ? b : a))
    const end = cells.map((cell) => cell.token.end).reduce((a, b) => (pointBefore(a, b) ? b : a))
    while (nextLineEnding < lineEndings.length && lineEndings[nextLineEnding].start.line < start.line) {
      result.push(['enter', lineEndings[nextLineEnding], context], ['exit', lineEndings[nextLineEnding], context])
      nextLineEnding++
    }
    const rowToken: Token = {type: 'pandocTableRow', start: {...start}, end: {...end}}
    result.push(['enter', rowToken, context])
    for (const cell of cells) {
      result.push(['enter', cell.token, context], ...cell.events, ['exit', cell.token, context])
    }
    result.push(['exit', rowToken, context])
  }
  for (const lineEnding of lineEndings.slice(nextLineEnding)) {
    result.push(['enter', lineEnding, context], ['exit', lineEnding, context])
  }
  result.push(['exit', table, context])
  return result
}

function resolveCell(
  lines: ContentLine[],
  column: PandocTableColumn,
  index: number,
  context: TokenizeContext,
  lineStarts: Map<number, number>,
  emptyCell: (column: PandocTableColumn) => Point
): {token: Token; events: Event[]} {
  const pieces: Piece[] = []
  for (const line of lines) {
    const runs = line.byColumn.get(index)
    if (runs) pieces.push({start: runs.first.start, end: runs.last.end})
  }

  if (pieces.length === 0) {
    const point = emptyCell(column)
    return {token: {type: 'pandocTableCell', start: {...point}, end: {...point}}, events: []}
  }

  return {
    token: {type: 'pandocTableCell', start: {...pieces[0].start}, end: {...pieces[pieces.length - 1].end}},
    events: cellTextChunks(context, pieces, lineStarts)
  }
}

/**
 * A cell's text is one inline stream: its pieces joined by line endings, each piece placed at its real line and
 * column (`defineSkip`), so that emphasis or links may span the cell's lines. Micromark's subtokenizer receives
 * it as linked `chunkText` tokens, one per line, which carry a tokenizer whose events are the cell's inline
 * events: it splits them at line endings and puts each part in its chunk's place. The inline events are only
 * made when the subtokenizer asks for them, after the whole document is read, so that link and image references
 * see definitions that come after the table (as in paragraphs).
 */
function cellTextChunks(context: TokenizeContext, pieces: Piece[], lineStarts: Map<number, number>): Event[] {
  const text = deferredTokenizer(() => tokenizeCellText(context, pieces, lineStarts))
  const events: Event[] = []
  let previous: Token | undefined
  let pieceIndex = 0
  for (let line = pieces[0].start.line; line <= pieces[pieces.length - 1].end.line; line++) {
    // A line where the cell is empty still gets a (zero-width) chunk: every joining line ending starts a chunk.
    const piece = pieces[pieceIndex].start.line === line ? pieces[pieceIndex++] : undefined
    const at = piece ?? {start: pieces[pieceIndex - 1].end, end: pieces[pieceIndex - 1].end}
    const chunk: Token = {
      type: types.chunkText,
      contentType: 'text',
      start: {...at.start},
      end: {...at.end},
      _tokenizer: text,
      previous
    }
    if (previous) previous.next = chunk
    previous = chunk
    events.push(['enter', chunk, context], ['exit', chunk, context])
  }
  return events
}

/**
 * The part of a tokenizer that the subtokenizer uses when a chunk brings its own: `events`, made on first read
 * (by `makeEvents`), so that a cell's text sees the definitions that come after its table.
 */
export function deferredTokenizer(makeEvents: () => Event[]): TokenizeContext {
  let events: Event[] | undefined
  const deferred = {
    get events(): Event[] {
      events ??= makeEvents()
      return events
    },
    set events(value: Event[]) {
      events = value
    }
  }
  return deferred as unknown as TokenizeContext
}

function tokenizeCellText(context: TokenizeContext, pieces: Piece[], lineStarts: Map<number, number>): Event[] {
  const first = pieces[0].start
  const text = context.parser.text({line: first.line, column: first.column, offset: first.offset})
  for (const piece of pieces.slice(1)) text.defineSkip(piece.start)

  let events: Event[] = []
  pieces.forEach((piece, index) => {
    if (index > 0) {
      for (let line = pieces[index - 1].end.line; line < piece.start.line; line++) text.write([codes.lineFeed])
    }
    const stream = context.sliceStream(piece)
    if (index === pieces.length - 1) stream.push(codes.eof)
    events = text.write(stream)
  })

  // The joining line endings are not the source's, so the tokenizer's offsets drift after the first line;
  // recompute them from line and column.
  for (const [, token] of events) {
    fixOffset(token.start, lineStarts)
    fixOffset(token.end, lineStarts)
  }
  return events
}

function pointBefore(a: Point, b: Point): boolean {
  return a.offset < b.offset
}

export function rememberLineStart(lineStarts: Map<number, number>, point: Point | undefined): undefined {
  if (point && !lineStarts.has(point.line)) lineStarts.set(point.line, point.offset - point.column + 1)
}

export function fixOffset(point: Point, lineStarts: Map<number, number>): undefined {
  const lineStart = lineStarts.get(point.line)
  if (lineStart !== undefined) point.offset = lineStart + point.column - 1
}

/**
 * An empty cell sits, zero-width, where its column starts on the row's first line (or where that line ends). Asked
 * for the row's columns from left to right, the search goes on from the run where the last one ended.
 */
function emptyCellPoints(line: ContentLine): (column: PandocTableColumn) => Point {
  let next = 0
  return (column) => {
    for (; next < line.runs.length; next++) {
      const run = line.runs[next]
      const runInfo = run._pandocTableRun
      if (!runInfo) continue
      if (runInfo.visualStart >= column.start) return run.start
      const length = run.end.offset - run.start.offset
      if (run.type === types.whitespace && column.start < runInfo.visualStart + length) {
        const delta = column.start - runInfo.visualStart
        return {...run.start, column: run.start.column + delta, offset: run.start.offset + delta}
      }
    }
    const lastRun = line.runs[line.runs.length - 1]
    return lastRun ? lastRun.end : line.token.end
  }
}

/**
 * The most cells a table of `characters` may have: four per character, or 10,000. A column line can define
 * thousands of columns that every row then has (empty), so that a few kilobytes made millions of cells.
 */
export function tableCellsAllowed(characters: number): number {
  return Math.max(10_000, 4 * characters)
}

/**
 * Pandoc's `alignType`: of the non-empty header lines in a column, the shortest decides; text that starts after
 * the column's first dash is indented (right), text that ends before its last dash is short (left); both: center.
 */
function alignmentOf(extents: Array<Extent | undefined>, column: PandocTableColumn): 'left' | 'right' | 'center' | null {
  let shortest: Extent | undefined
  for (const extent of extents) {
    if (!extent) continue
    if (!shortest || extent.end - column.start < shortest.end - column.start) shortest = extent
  }
  if (!shortest) return null
  const indented = shortest.first > column.start
  const short = shortest.end - column.start < column.dashes
  if (indented && short) return 'center'
  if (indented) return 'right'
  if (short) return 'left'
  return null
}

/** Pandoc's `widthsFromIndices` (72-column reader) followed by the renormalisation in `table`. */
export function relativeWidths(columns: PandocTableColumn[]): number[] {
  if (columns.length === 0) return []
  const lengths = [columns[0].start, ...columns.map((column) => column.width)]
  // The last column's width counts no space after it.
  lengths[lengths.length - 1] += 1
  return widthsFromLengths(lengths)
}

/**
 * Pandoc's `widthsFromIndices` on the lengths it measured (the first is what lies left of the first column),
 * then the renormalisation in `table`.
 */
export function widthsFromLengths(measured: number[]): number[] {
  const lengths = [...measured]
  if (lengths.length >= 2) {
    const last = lengths[lengths.length - 1]
    const beforeLast = lengths[lengths.length - 2]
    if (last < beforeLast && beforeLast - last <= 2) lengths[lengths.length - 1] = beforeLast
  }
  // The quotient is the reader's 72 columns, or the table's full width when it is wider.
  const total = lengths.reduce((sum, length) => sum + length, 0)
  const quotient = Math.max(72, total)
  const fractions = lengths.slice(1).map((length) => length / quotient)
  const sum = fractions.reduce((a, b) => a + b, 0)
  return sum < 1 ? fractions : fractions.map((fraction) => fraction / sum)
}
