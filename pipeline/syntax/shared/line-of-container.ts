/**
 * A line ending, then the start of a line that the containers around the construct continue (not a lazy line):
 * where a block may go on to its next line. Partial: ok at the next line's first code.
 */
import {markdownLineEnding} from 'micromark-util-character'
import {types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

export const lineOfContainer: Construct = {tokenize: tokenizeLineOfContainer, partial: true}

function tokenizeLineOfContainer(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start

  function start(code: Code): State | undefined {
    if (!markdownLineEnding(code)) return nok(code)
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return lineStart
  }

  function lineStart(code: Code): State | undefined {
    return self.parser.lazy[self.now().line] ? nok(code) : ok(code)
  }
}
