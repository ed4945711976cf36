/**
 * pandoc's `escaped_line_breaks` at the end of a paragraph or heading: a `\` that is the last character of the
 * text is a hard line break (pandoc writes `nice line<br />`), where CommonMark keeps it as a backslash (micromark's
 * own hard break needs a line ending after the `\`, and the text of a paragraph ends before its last one). The
 * token is micromark's `hardBreakEscape`, so mdast-util-from-markdown makes the `break` node as for any other.
 */
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State} from 'micromark-util-types'

const escapedBreakAtEnd: Construct = {name: 'escapedBreakAtEnd', tokenize: tokenizeEscapedBreakAtEnd}

export function escapedBreak(): Extension {
  return {text: {[codes.backslash]: escapedBreakAtEnd}}
}

function tokenizeEscapedBreakAtEnd(effects: Effects, ok: State, nok: State): State {
  return start

  /** At `\`. */
  function start(code: Code): State | undefined {
    effects.enter('hardBreakEscape')
    effects.consume(code)
    return atEnd
  }

  /** Only the end of the text makes it a break; anything else is micromark's escape or a plain backslash. */
  function atEnd(code: Code): State | undefined {
    if (code !== codes.eof) return nok(code)
    effects.exit('hardBreakEscape')
    return ok(code)
  }
}
