/**
 * micromark joins adjacent `data` tokens at the end of a paragraph, with one splice in the middle of its events for
 * each run: a paragraph where many brackets or other marks fail to be anything (`[a][b]` repeated) took time
 * quadratic in its length. Here a mark that every construct failed on is taken as data by this construct, last in
 * line, with the text after it up to the next mark, and joined at once to the data before it, at the end of the
 * events where that costs nothing: micromark then finds nothing left to join. The tree is the same.
 */
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, Extension, State, TokenizeContext} from 'micromark-util-types'

/**
 * Last at each mark. `previous` answers no, so that this construct never makes a mark a place to try constructs
 * (micromark tries a mark's constructs when one of them may start after the character before); once they are
 * tried, it is tried too.
 */
const joinedData: Construct = {name: 'joinedData', tokenize: tokenizeJoinedData, resolveTo: joinTrailingData, previous: () => false, add: 'after'}

/** The mark, and the text after it up to the next place micromark would try constructs at (as its own data does). */
function tokenizeJoinedData(this: TokenizeContext, effects: Effects, ok: State): State {
  const self = this
  const constructs = self.parser.constructs.text
  return start

  function start(code: Code): State | undefined {
    effects.enter('data')
    effects.consume(code)
    return rest
  }

  function rest(code: Code): State | undefined {
    if (atBreak(code)) {
      effects.exit('data')
      return ok(code)
    }
    effects.consume(code)
    return rest
  }

  /** micromark's own test (initialize/text.js). */
  function atBreak(code: Code): boolean {
    if (code === codes.eof) return true
    const list = constructs[code]
    for (const item of Array.isArray(list) ? list : list ? [list] : []) {
      if (!item.previous || item.previous.call(self, self.previous)) return true
    }
    return false
  }
}

function joinTrailingData(events: Event[]): Event[] {
  let start = events.length
  while (start >= 2 && events[start - 2][0] === 'enter' && events[start - 2][1].type === 'data' && events[start - 1][1] === events[start - 2][1]) start -= 2
  if (events.length - start > 2) {
    events[start][1].end = events[events.length - 1][1].end
    events.length = start + 2
  }
  return events
}

/** Every character that starts a text construct, core's and ours. */
const marks = [
  codes.exclamationMark,
  codes.dollarSign,
  codes.ampersand,
  codes.asterisk,
  codes.lessThan,
  codes.atSign,
  codes.leftSquareBracket,
  codes.backslash,
  codes.rightSquareBracket,
  codes.caret,
  codes.underscore,
  codes.graveAccent,
  codes.leftCurlyBrace,
  codes.tilde
]

/** Register after every other text construct. */
export function joinedDataExtension(): Extension {
  return {text: Object.fromEntries(marks.map((code) => [code, joinedData]))}
}
