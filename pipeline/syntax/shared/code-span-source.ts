/**
 * Constructs that scan raw source for their closing `]` (bracketed citations, inline notes) read a code span as one
 * unit, as pandoc does: a bracket inside code does not count.
 */
import type {Code, Effects, State} from 'micromark-util-types'
import {codes} from 'micromark-util-symbol'
import {closingRunAhead} from './backtick-runs.ts'

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
    return effects.check(closingRunAhead, opening, plainRun)(code)
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
