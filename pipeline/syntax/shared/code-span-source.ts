/**
 * Constructs that scan raw source for their closing `]` (bracketed citations, inline notes) read a code span as one
 * unit, as pandoc does: a bracket inside code does not count.
 */
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'
import {codes} from 'micromark-util-symbol'

/**
 * The state to go to at a backtick. It consumes, with `consume` (into the caller's open token), either a whole
 * code span, when a closing run of the same length follows before the paragraph ends, or else the backtick run
 * alone as literal text; then it goes on in `after`.
 */
export function codeSpanSource(effects: Effects, consume: (code: Code) => void, after: State, nok: State): State {
  let openingSize = 0
  let closingSize = 0
  return (code) => {
    openingSize = 0
    return effects.check(codeSpanAhead, opening, plainRun)(code)
  }

  /** A backtick run that opens no code span. */
  function plainRun(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      consume(code)
      return plainRun
    }
    return after(code)
  }

  function opening(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      openingSize++
      consume(code)
      return opening
    }
    return inside(code)
  }

  function inside(code: Code): State | undefined {
    // The lookahead found the closing run, so the end of the paragraph cannot come first.
    if (code === codes.eof) return nok(code)
    if (code === codes.graveAccent) {
      closingSize = 0
      return closing(code)
    }
    consume(code)
    return inside
  }

  /** A backtick run inside the code span: the end when it is as long as the opening run. */
  function closing(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      closingSize++
      consume(code)
      return closing
    }
    return closingSize === openingSize ? after(code) : inside(code)
  }
}

/** Is there a closing backtick run as long as the opening one before the paragraph ends? */
const codeSpanAhead: Construct = {tokenize: tokenizeCodeSpanAhead, partial: true}

function tokenizeCodeSpanAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let openingSize = 0
  let runSize = 0
  return start

  function start(code: Code): State | undefined {
    effects.enter('codeSpanLookahead' as never)
    return opening(code)
  }

  function opening(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      openingSize++
      effects.consume(code)
      return opening
    }
    return between(code)
  }

  function between(code: Code): State | undefined {
    if (code === codes.eof) return nok(code)
    if (code === codes.graveAccent) {
      runSize = 0
      return run(code)
    }
    effects.consume(code)
    return between
  }

  function run(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      runSize++
      effects.consume(code)
      return run
    }
    if (runSize === openingSize) {
      effects.exit('codeSpanLookahead' as never)
      return ok(code)
    }
    return between(code)
  }
}
