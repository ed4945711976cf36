/**
 * A pipe table starts with a line of any text (its header row), so micromark tries it at the start of every block
 * and at every line of a paragraph, and micromark-extension-gfm-table reads that whole line cell by cell (for a
 * paragraph written on one line, the whole paragraph, with a state wrapped per character by ./pipe-code-spans.ts)
 * before the second line settles it. A header row needs a second line that starts, after spaces, with `|`, `:` or
 * `-` (its delimiter row). This check reads the first line once, as one token, and lets the table be tried only when
 * the second line can be a delimiter row: a cheap "no" for every other line, the same result. A body row (the line
 * after a table's head or row) is tried as before.
 */
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

/** micromark-extension-gfm-table's construct, its header row tried only where the next line could be a delimiter row. */
export function headRowGated(table: Construct): Construct {
  const tokenize = table.tokenize
  return {
    ...table,
    tokenize(effects, ok, nok) {
      const self = this
      const tableTokenizer = () => tokenize.call(self, effects, ok, nok)
      if (continuesTable(self)) return tableTokenizer()
      return (code) => effects.check(nextLineMayHoldDelimiterRow, (next) => tableTokenizer()(next), nok)(code)
    }
  }
}

/** Whether the table construct would read a body row here: the last flow event before line endings and indentation is a table head or row (as micromark-extension-gfm-table decides). */
function continuesTable(self: TokenizeContext): boolean {
  let index = self.events.length
  while (index--) {
    const type = self.events[index][1].type
    if (type !== types.lineEnding && type !== types.linePrefix) return type === 'tableHead' || type === 'tableRow'
  }
  return false
}

const nextLineMayHoldDelimiterRow: Construct = {tokenize: tokenizeNextLineMayHoldDelimiterRow, partial: true}

function tokenizeNextLineMayHoldDelimiterRow(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    // A blank first line is left to the table to judge.
    if (code === codes.eof || markdownLineEnding(code)) return ok(code)
    // Entered as the table's own head would be: a definition on the next line looks back for its term as the start
    // of a paragraph or of a table head (../definition-list/syntax.ts), and sees the line as before.
    effects.enter('tableHead')
    return firstLine(code)
  }

  function firstLine(code: Code): State | undefined {
    // A table needs a second line.
    if (code === codes.eof) return nok(code)
    if (markdownLineEnding(code)) {
      effects.exit('tableHead')
      effects.enter(types.lineEnding)
      effects.consume(code)
      effects.exit(types.lineEnding)
      return secondLine
    }
    effects.consume(code)
    return firstLine
  }

  function secondLine(code: Code): State | undefined {
    if (!markdownSpace(code)) return mayOpenDelimiterRow(code) ? ok(code) : nok(code)
    effects.enter(types.whitespace)
    return indentation(code)
  }

  function indentation(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return indentation
    }
    effects.exit(types.whitespace)
    return mayOpenDelimiterRow(code) ? ok(code) : nok(code)
  }
}

/** The characters a delimiter row starts with (after its indentation). */
function mayOpenDelimiterRow(code: Code): boolean {
  return code === codes.dash || code === codes.verticalBar || code === codes.colon
}
