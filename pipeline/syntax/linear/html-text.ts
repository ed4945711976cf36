/**
 * micromark's inline HTML, told first when its kind cannot close: a comment (`<!--`), a processing instruction
 * (`<?`), a CDATA section (`<![CDATA[`) or a declaration (`<!DOCTYPE`) reads on to its terminator (`-->`, `?>`,
 * `]]>`, `>`), to the end of the paragraph when there is none, and a paragraph of thousands of unclosed `<!--`
 * read its rest once for each (quadratic). Once one of a kind has read to the end of its text unclosed, no later
 * one of that kind in the same text can close: it fails at once. Same tokens, same result.
 */
import {htmlText} from 'micromark-core-commonmark'
import {asciiAlpha} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

type Kind = 'comment' | 'instruction' | 'cdata' | 'declaration'

/** The kinds that have read to the end of a text unclosed, by text tokenizer. */
const unclosedKinds = new WeakMap<TokenizeContext, Set<Kind>>()

export const linearHtmlText: Construct = {...htmlText, name: 'linearHtmlText', tokenize: tokenizeLinearHtmlText}

function tokenizeLinearHtmlText(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let kind: Kind | undefined
  const kindAhead: Construct = {tokenize: tokenizeKindAhead, partial: true}
  return effects.check(kindAhead, decide, decide)

  function decide(code: Code): State | undefined {
    if (kind && unclosedKinds.get(self)?.has(kind)) return nok(code)
    return htmlText.tokenize.call(self, effects, ok, failed)(code)
  }

  function failed(code: Code): State | undefined {
    if (code === codes.eof && kind) {
      const kinds = unclosedKinds.get(self) ?? new Set<Kind>()
      kinds.add(kind)
      unclosedKinds.set(self, kinds)
    }
    return nok(code)
  }

  /** Reads `<`, then `?`, or `!` and the character that tells a comment, a CDATA section or a declaration. */
  function tokenizeKindAhead(this: TokenizeContext, effects: Effects, ok: State): State {
    return start

    function start(code: Code): State | undefined {
      effects.enter('htmlTextKindLookahead' as never)
      effects.consume(code)
      return afterLessThan
    }

    function afterLessThan(code: Code): State | undefined {
      if (code === codes.questionMark) kind = 'instruction'
      if (code !== codes.exclamationMark) return done(code)
      effects.consume(code)
      return afterExclamationMark
    }

    function afterExclamationMark(code: Code): State | undefined {
      if (code === codes.dash) kind = 'comment'
      else if (code === codes.leftSquareBracket) kind = 'cdata'
      else if (asciiAlpha(code)) kind = 'declaration'
      return done(code)
    }

    function done(code: Code): State | undefined {
      effects.exit('htmlTextKindLookahead' as never)
      return ok(code)
    }
  }
}
