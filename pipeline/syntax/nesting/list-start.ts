/**
 * micromark's list item start at `*` or `-` first checks that the rest of the line is not a thematic break
 * (`* * *`), which reads up to the first character that is neither the marker nor a space. On a line of list items
 * opened one inside the other (`- - - - … a`), every item reads the rest of the line again: 10,000 of them took
 * seconds before any limit applied, and 100 (the nesting limit) on a long line still read it 100 times.
 *
 * `linearListStart(list)` is micromark's list construct whose thematic-break check is answered from memory when
 * an earlier item on the same line already read past this marker: the check fails for every marker before the
 * character that made it fail. Where nothing is known, one scan of its own finds that character first.
 */
import {thematicBreak} from 'micromark-core-commonmark'
import {markdownSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

/** On this parse's current line: from `from`, markers `marker` and spaces run up to `end`, where another character stands. */
interface MarkerRun {
  from: number
  end: number
  marker: Code
}

const knownRuns = new WeakMap<TokenizeContext['parser'], MarkerRun>()

export function linearListStart(list: Construct): Construct {
  return {...list, tokenize: tokenizeListStart}

  function tokenizeListStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    return start

    function start(code: Code): State | undefined {
      if (code !== codes.asterisk && code !== codes.dash) return list.tokenize.call(self, effects, ok, nok)(code)
      if (knownNotThematicBreak(self, code)) return listStart(code)
      return effects.check(markerRunConstruct, listStart, listStart)(code)
    }

    function listStart(code: Code): State | undefined {
      if (!knownNotThematicBreak(self, code)) return list.tokenize.call(self, effects, ok, nok)(code)
      // The thematic-break check would fail: go where it would lead.
      const answered: Effects = {...effects, check: (construct, returnOk, returnNok) => (construct === thematicBreak && returnNok ? returnNok : effects.check(construct, returnOk, returnNok))}
      return list.tokenize.call(self, answered, ok, nok)(code)
    }
  }
}

function knownNotThematicBreak(context: TokenizeContext, marker: Code): boolean {
  const run = knownRuns.get(context.parser)
  const offset = context.now().offset
  return run !== undefined && run.marker === marker && run.from <= offset && offset < run.end
}

/** Reads the markers and spaces from here; remembers where they stop when a character other than a line ending stops them. */
const markerRunConstruct: Construct = {tokenize: tokenizeMarkerRun, partial: true}

function tokenizeMarkerRun(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const from = self.now().offset
  let marker: Code = codes.eof
  return start

  function start(code: Code): State | undefined {
    marker = code
    effects.enter('listMarkerRunLookahead' as never)
    return inside(code)
  }

  function inside(code: Code): State | undefined {
    if (code === marker || markdownSpace(code)) {
      effects.consume(code)
      return inside
    }
    effects.exit('listMarkerRunLookahead' as never)
    if (code === codes.eof || code === codes.carriageReturn || code === codes.lineFeed || code === codes.carriageReturnLineFeed) return nok(code)
    knownRuns.set(self.parser, {from, end: self.now().offset, marker})
    return ok(code)
  }
}
