/**
 * A question asked at an opening mark (a `$`, a title's quote): where does what opens here close? Read ahead from
 * each mark, a text of marks that never close sends every one to the end of the paragraph (quadratic). Here the
 * first question in a text reads it to its end once and `closings` works out the answer for every mark from there
 * on; every later question in that text is answered from those notes.
 */
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

/** For each opening mark (by offset) of a text from `from` on, the offset of the mark that closes it, or -1. */
interface Closings {
  from: number
  closes: Map<number, number>
}

export interface ClosingAhead {
  /** A check at an opening mark: ok when what opens there closes. */
  check: Construct
  /** The offset of the mark closing what opens at `at` (asked after `check` said ok), or -1. */
  closingOffset(context: TokenizeContext, at: number): number
}

/**
 * `closings` gets the codes from the first mark asked about to the end of the text, with each code's offset, and
 * gives the closing offset for every opening mark among them (-1 where none closes).
 */
export function closingAhead(name: string, closings: (text: number[], offsets: number[]) => Map<number, number>): ClosingAhead {
  const known = new WeakMap<TokenizeContext, Closings>()
  const lookahead = `${name}Lookahead` as never
  const closingOffset = (context: TokenizeContext, at: number) => known.get(context)?.closes.get(at) ?? -1

  function tokenizeClosingAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    const at = self.now().offset
    const notes = known.get(self)
    if (notes && notes.from <= at) return answer

    const text: number[] = []
    const offsets: number[] = []
    return start

    function answer(code: Code): State | undefined {
      return closingOffset(self, at) >= 0 ? ok(code) : nok(code)
    }

    function start(code: Code): State | undefined {
      effects.enter(lookahead)
      return read(code)
    }

    function read(code: Code): State | undefined {
      if (code === codes.eof) {
        effects.exit(lookahead)
        known.set(self, {from: at, closes: closings(text, offsets)})
        return answer(code)
      }
      text.push(code)
      offsets.push(self.now().offset)
      effects.consume(code)
      return read
    }
  }

  return {check: {tokenize: tokenizeClosingAhead, partial: true}, closingOffset}
}
