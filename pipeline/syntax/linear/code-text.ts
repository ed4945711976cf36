/**
 * micromark's code span, asking first whether its closing run exists (see ../shared/backtick-runs.ts): a run
 * without partner then fails at once instead of reading to the end of the paragraph. Same tokens, same result.
 */
import {codeText} from 'micromark-core-commonmark'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'
import {closingRunAhead} from '../shared/backtick-runs.ts'

export const linearCodeText: Construct = {...codeText, name: 'linearCodeText', tokenize: tokenizeLinearCodeText}

function tokenizeLinearCodeText(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return effects.check(closingRunAhead, codeSpan, nok)

  function codeSpan(code: Code): State | undefined {
    return codeText.tokenize.call(self, effects, ok, nok)(code)
  }
}
