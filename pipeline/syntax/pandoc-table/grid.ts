/**
 * Micromark extension for pandoc's grid tables (extension `grid_tables`, pandoc 2.17: no row or column spans).
 *
 * ```markdown
 * +---------+------------------+
 * | Model   | Notes            |
 * +:========+=================:+
 * | A       | - one            |
 * |         | - two            |
 * +---------+------------------+
 * ```
 *
 * The top border's `+` marks fix the columns (by display column, East Asian wide characters counting two); every
 * line of a row starts with `|` and is cut at those columns, whether or not a `|` stands there, as pandoc does. A
 * border of `=` after the first row makes that row the header (its colons give the alignments); without one the
 * table is headless and the top border's colons align it. A row may be left without a closing border.
 *
 * A cell is Markdown parsed as blocks: the resolver gives each cell one nested document tokenizer, written the
 * cell's piece of each line (one leading space dropped when every line has one, trailing `|` and whitespace
 * dropped) with line endings between, each piece placed at its real line and column (`defineSkip`), so that every
 * node inside a cell has its position in the author's file. As for the inline cells of simple tables, the nested
 * events are made only when micromark's subtokenizer asks for them, after the whole document is read.
 *
 * Differences from pandoc, on purpose: the table starts at the left edge of its container (pandoc does not
 * indent grid tables either), and a header separator with the same number of columns as the top border but other
 * `+` positions cuts the body rows at its own positions, the header lines at the top border's.
 */
import {postprocess} from 'micromark'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, Point, State, Token, TokenizeContext} from 'micromark-util-types'
import {
  codePointWidth,
  deferredTokenizer,
  fixOffset,
  followsParagraph,
  isLazy,
  linePrefixWidth,
  rememberLineStart,
  tableCellsAllowed,
  widthsFromLengths,
  type PandocTableInfo
} from './syntax.ts'

type Alignment = 'left' | 'right' | 'center' | null

/** One column of a border line. */
interface GridPart {
  align: Alignment
  /** Dashes (or `=`) and colons. */
  length: number
  /** Display column of the `+` that closes the part, counted from the line's first `+`. */
  boundary: number
}

interface GridBorderInfo {
  fill: '-' | '=' | undefined
  parts: GridPart[]
}

/** A line's text inside one column, as pandoc cuts it. */
interface GridSegment {
  /** Where the column's text starts on this line. */
  start: Point
  /** After the first character, when that is a space (pandoc may drop one leading space). */
  afterLeadingSpace?: Point
  /** The first non-whitespace character (header lines are trimmed). */
  firstNonSpace?: Point
  /** End of the text without trailing `|` and whitespace; none when nothing is left. */
  end?: Point
}

interface GridLineInfo {
  start: Point
  end: Point
  segments: GridSegment[]
}

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    pandocGridTableBorder: 'pandocGridTableBorder'
    /** One `|` line of a row. */
    pandocGridTableLine: 'pandocGridTableLine'
    /** A cell whose content is blocks. */
    pandocGridTableCell: 'pandocGridTableCell'
  }

  interface Token {
    _pandocGridBorder?: GridBorderInfo
    _pandocGridLine?: GridLineInfo
  }
}

export const gridTableConstruct: Construct = {name: 'pandocGridTable', tokenize: tokenizeGridTable, resolve: resolveGridTable}

function tokenizeGridTable(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let parts: GridPart[] = []
  let topCount = 0
  let headerSeen = false
  let separatorSeen = false
  let contentLines = 0
  let previousWasContent = false
  const continuation: Construct = {tokenize: tokenizeContinuation, partial: true}

  // The `|` line being read.
  let line: GridLineInfo | undefined
  let segment: GridSegment | undefined
  let visual = 0
  let highSurrogate: number | undefined
  let lastNonSpaceEnd: Point | undefined
  let endBeforeBars: Point | undefined
  let previousWasBar = false
  let lastNonSpaceWasBar = false

  return start

  function start(code: Code): State | undefined {
    // Grid tables do not interrupt paragraphs, and start at the container's left edge.
    if (code !== codes.plusSign || self.interrupt || followsParagraph(self) || linePrefixWidth(self) > 0) return nok(code)
    const info: PandocTableInfo = {multiline: false, headless: true, columns: [], align: []}
    effects.enter('pandocTable', {_pandocTable: info})
    const border: GridBorderInfo = {fill: undefined, parts: []}
    effects.enter('pandocGridTableBorder', {_pandocGridBorder: border})
    return factoryGridBorder(effects, afterTopBorder, nok, border, '-')(code)

    function afterTopBorder(code: Code): State | undefined {
      effects.exit('pandocGridTableBorder')
      parts = border.parts
      topCount = parts.length
      return afterLine(code)
    }
  }

  function afterLine(code: Code): State | undefined {
    if (code === codes.eof) return end(code)
    return effects.check(continuation, nextLine, end)(code)
  }

  function nextLine(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return lineStart
  }

  function lineStart(code: Code): State | undefined {
    if (code === codes.verticalBar) return contentLine(code)
    const border: GridBorderInfo = {fill: undefined, parts: []}
    effects.enter('pandocGridTableBorder', {_pandocGridBorder: border})
    return factoryGridBorder(effects, afterBorder, nok, border, '-=')(code)

    function afterBorder(code: Code): State | undefined {
      effects.exit('pandocGridTableBorder')
      previousWasContent = false
      if (border.fill === '=') {
        headerSeen = true
        parts = border.parts
      } else {
        separatorSeen = true
      }
      return afterLine(code)
    }
  }

  function contentLine(code: Code): State | undefined {
    line = {start: self.now(), end: self.now(), segments: []}
    effects.enter('pandocGridTableLine', {_pandocGridLine: line})
    effects.consume(code)
    visual = 1
    highSurrogate = undefined
    openSegment()
    return lineContent
  }

  function lineContent(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) {
      // Columns the line does not reach are empty; the resolver fills them in (or refuses a table too large).
      closeSegment(false)
      line!.end = self.now()
      effects.exit('pandocGridTableLine')
      contentLines++
      previousWasContent = true
      return afterLine(code)
    }
    const at = visual
    // A character belongs to the first column whose closing `+` is at or right of it; the last column takes the rest.
    while (line!.segments.length < parts.length - 1 && at > parts[line!.segments.length].boundary) {
      closeSegment(true)
      openSegment()
    }
    const before = self.now()
    effects.consume(code)
    visual += characterWidth(code)
    const after = self.now()
    if (segment!.afterLeadingSpace === undefined && before.offset === segment!.start.offset && code === codes.space) {
      segment!.afterLeadingSpace = after
    }
    if (markdownSpace(code)) {
      previousWasBar = false
      return lineContent
    }
    segment!.firstNonSpace ??= before
    if (code === codes.verticalBar) {
      if (!previousWasBar) endBeforeBars = lastNonSpaceEnd
      previousWasBar = true
      lastNonSpaceWasBar = true
    } else {
      previousWasBar = false
      lastNonSpaceWasBar = false
    }
    lastNonSpaceEnd = after
    return lineContent
  }

  function openSegment(): undefined {
    segment = {start: self.now()}
    lastNonSpaceEnd = undefined
    endBeforeBars = undefined
    previousWasBar = false
    lastNonSpaceWasBar = false
  }

  /** pandoc drops trailing `|` then whitespace; at the line's end, trailing whitespace first (`trimr`). */
  function closeSegment(atBoundary: boolean): undefined {
    const endsInBars = atBoundary ? previousWasBar : lastNonSpaceWasBar
    segment!.end = endsInBars ? endBeforeBars : lastNonSpaceEnd
    line!.segments.push(segment!)
  }

  function end(code: Code): State | undefined {
    if (contentLines === 0) return nok(code)
    effects.exit('pandocTable')
    return ok(code)
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

  /**
   * Does the next line go on with the table: a `|` line, a row separator after a `|` line, or (once) the header
   * separator after the first row, with as many columns as the top border?
   */
  function tokenizeContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const border: GridBorderInfo = {fill: undefined, parts: []}
    return start

    function start(code: Code): State | undefined {
      effects.enter(types.lineEnding)
      effects.consume(code)
      effects.exit(types.lineEnding)
      return lineStart
    }

    function lineStart(code: Code): State | undefined {
      if (isLazy(self)) return nok(code)
      if (code === codes.verticalBar) return ok(code)
      if (!previousWasContent) return nok(code)
      effects.enter('pandocGridTableBorder')
      return factoryGridBorder(effects, afterBorder, nok, border, '-=')(code)
    }

    function afterBorder(code: Code): State | undefined {
      effects.exit('pandocGridTableBorder')
      if (border.fill === '-') return ok(code)
      const headerAllowed = !headerSeen && !separatorSeen && border.parts.length === topCount
      return headerAllowed ? ok(code) : nok(code)
    }
  }
}

/**
 * A border line: `+`, then columns of `-` (or `=`, one kind per line, from `fills`) with optional colons at
 * either end, each closed by `+`, then optional whitespace up to the end of the line (not consumed).
 */
function factoryGridBorder(effects: Effects, ok: State, nok: State, border: GridBorderInfo, fills: string): State {
  let visual = 0
  let fill: number | undefined
  let leftColon = false
  let rightColon = false
  let length = 0
  return start

  function start(code: Code): State | undefined {
    if (code !== codes.plusSign) return nok(code)
    effects.consume(code)
    visual = 1
    return partStart
  }

  function partStart(code: Code): State | undefined {
    leftColon = code === codes.colon
    rightColon = false
    length = 0
    if (leftColon) {
      take(code)
      return fillStart
    }
    return fillStart(code)
  }

  function fillStart(code: Code): State | undefined {
    if (fill === undefined) {
      if (code === codes.dash && fills.includes('-')) {
        fill = codes.dash
        border.fill = '-'
      } else if (code === codes.equalsTo && fills.includes('=')) {
        fill = codes.equalsTo
        border.fill = '='
      } else {
        return nok(code)
      }
    }
    if (code !== fill) return nok(code)
    take(code)
    return fillRest
  }

  function fillRest(code: Code): State | undefined {
    if (code === fill) {
      take(code)
      return fillRest
    }
    if (code === codes.colon) {
      rightColon = true
      take(code)
      return closing
    }
    return closing(code)
  }

  function closing(code: Code): State | undefined {
    if (code !== codes.plusSign) return nok(code)
    const align: Alignment = leftColon ? (rightColon ? 'center' : 'left') : rightColon ? 'right' : null
    border.parts.push({align, length, boundary: visual})
    effects.consume(code)
    visual++
    return afterPlus
  }

  function afterPlus(code: Code): State | undefined {
    if (code === codes.colon || code === fill) return partStart(code)
    return trailing(code)
  }

  function trailing(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return trailing
    }
    return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code)
  }

  function take(code: Code): undefined {
    effects.consume(code)
    visual++
    length++
  }
}

// Resolving: rows, cells, and the blocks in each cell.

interface Piece {
  start: Point
  end: Point
}

interface GridRow {
  lines: GridLineInfo[]
  head: boolean
}

function resolveGridTable(events: Event[], context: TokenizeContext): Event[] {
  const table = events[0][1]
  const info = table._pandocTable
  if (!info) return events

  const lineStarts = new Map<number, number>()
  const rows: GridRow[] = []
  const lineEndings: Token[] = []
  let top: GridBorderInfo | undefined
  let header: GridBorderInfo | undefined
  let row: GridRow | undefined

  for (const [kind, token] of events) {
    if (kind !== 'enter') continue
    rememberLineStart(lineStarts, token.start)
    if (token._pandocGridLine) {
      if (!row) rows.push((row = {lines: [], head: false}))
      row.lines.push(token._pandocGridLine)
    } else if (token._pandocGridBorder) {
      if (!top) {
        top = token._pandocGridBorder
      } else if (token._pandocGridBorder.fill === '=') {
        header = token._pandocGridBorder
        if (row) row.head = true
      }
      row = undefined
    } else if (token.type === types.lineEnding) {
      lineEndings.push(token)
    }
  }
  if (!top) return events

  const layout = header ?? top
  info.headless = !header
  info.align = layout.parts.map((part) => part.align)
  info.columns = layout.parts.map((part, index) => ({
    start: index === 0 ? 1 : layout.parts[index - 1].boundary + 1,
    dashes: part.length,
    width: part.length + 1
  }))
  info.columnWidths = widthsFromLengths([0, ...layout.parts.map((part) => part.length + 1)])

  // Each line of each cell becomes a piece of a nested document: bound them like the cells of other tables.
  const pieces = rows.reduce((sum, each) => sum + each.lines.length * layout.parts.length, 0)
  if (pieces > tableCellsAllowed(table.end.offset - table.start.offset)) {
    // Counted in lines: each line of a row is a line of each of its cells.
    info.tooLarge = {rows: rows.reduce((sum, each) => sum + each.lines.length, 0), columns: layout.parts.length}
    rows.length = 0
  }

  const result: Event[] = [['enter', table, context]]
  let nextLineEnding = 0
  for (const each of rows) {
    const first = each.lines[0]
    const last = each.lines[each.lines.length - 1]
    while (nextLineEnding < lineEndings.length && lineEndings[nextLineEnding].start.line < first.start.line) {
      result.push(['enter', lineEndings[nextLineEnding], context], ['exit', lineEndings[nextLineEnding], context])
      nextLineEnding++
    }
    const rowToken: Token = {type: 'pandocTableRow', start: {...first.start}, end: {...last.end}}
    result.push(['enter', rowToken, context])
    for (let column = 0; column < layout.parts.length; column++) {
      result.push(...gridCell(each, column, context, lineStarts))
    }
    result.push(['exit', rowToken, context])
  }
  for (const lineEnding of lineEndings.slice(nextLineEnding)) {
    result.push(['enter', lineEnding, context], ['exit', lineEnding, context])
  }
  result.push(['exit', table, context])
  return result
}

function gridCell(row: GridRow, column: number, context: TokenizeContext, lineStarts: Map<number, number>): Event[] {
  const segments = row.lines.map((line): GridSegment => line.segments[column] ?? {start: line.end})
  const start = segments[0].start
  if (segments.every((segment) => !segment.end)) {
    // Zero-width: an empty cell spanning lines would look like a line ending to the subtokenizer.
    const cell: Token = {type: 'pandocGridTableCell', start: {...start}, end: {...start}}
    return [
      ['enter', cell, context],
      ['exit', cell, context]
    ]
  }
  // pandoc trims header lines; body lines lose one leading space when all of them start with one (or are empty).
  const dropSpace = segments.every((segment) => !segment.end || segment.afterLeadingSpace)
  // Lines without text after the last with text add nothing, and would leave the subtokenizer an empty last part.
  let lines = segments.length
  while (!segments[lines - 1].end) lines--
  const pieces: Piece[] = segments.slice(0, lines).map((segment) => {
    if (!segment.end) return {start: segment.start, end: segment.start}
    const from = row.head ? segment.firstNonSpace! : dropSpace ? segment.afterLeadingSpace! : segment.start
    return {start: from, end: segment.end}
  })
  const cell: Token = {type: 'pandocGridTableCell', start: {...pieces[0].start}, end: {...pieces[lines - 1].end}}

  const document = deferredTokenizer(() => tokenizeCellBlocks(context, pieces, lineStarts))
  const events: Event[] = [['enter', cell, context]]
  let previous: Token | undefined
  for (const piece of pieces) {
    const chunk: Token = {
      type: types.chunkText,
      contentType: 'text',
      start: {...piece.start},
      end: {...piece.end},
      _tokenizer: document,
      previous
    }
    if (previous) previous.next = chunk
    previous = chunk
    events.push(['enter', chunk, context], ['exit', chunk, context])
  }
  events.push(['exit', cell, context])
  return events
}

/**
 * The cell's pieces as one document, one line each, each at its real line and column. The subtokenizer splits the
 * events at the line endings, one per joined line, and puts each part in its line's chunk.
 */
function tokenizeCellBlocks(context: TokenizeContext, pieces: Piece[], lineStarts: Map<number, number>): Event[] {
  const first = pieces[0].start
  const document = context.parser.document({line: first.line, column: first.column, offset: first.offset})
  for (const piece of pieces.slice(1)) document.defineSkip(piece.start)
  // The nested document marks its lines lazy or not in the parser's shared table: keep the outer document's marks.
  const lazy = pieces.map((piece) => context.parser.lazy[piece.start.line])

  let events: Event[] = []
  pieces.forEach((piece, index) => {
    if (index > 0) document.write([codes.lineFeed])
    const stream = piece.end.offset > piece.start.offset ? context.sliceStream(piece) : []
    if (index === pieces.length - 1) stream.push(codes.eof)
    events = document.write(stream)
  })
  events = postprocess(events)
  pieces.forEach((piece, index) => {
    context.parser.lazy[piece.start.line] = lazy[index]
  })

  let depth = 0
  for (const event of events) {
    const token = event[1]
    // The joining line endings are not the source's, so offsets drift after the first line: recompute them.
    fixOffset(token.start, lineStarts)
    fixOffset(token.end, lineStarts)
    // A line ending between the cell's blocks is not text of the cell (mdast would make it a text node there).
    if (depth === 0 && token.type === types.lineEnding) token.type = types.lineEndingBlank
    if (token.type !== types.lineEndingBlank && token.type !== types.lineEnding) depth += event[0] === 'enter' ? 1 : -1
  }
  return events
}
