/**
 * Whether a backtick run opens a code span: a run of the same length must follow before the text ends. Asked
 * by reading ahead, that costs a read to the end of the paragraph for every run that has no partner, and runs of
 * growing length (`` ` `` then ``` `` ``` then ```` ``` ````…) have none: micromark's own code spans, and the
 * constructs that skip code spans while they look for a closing bracket, took time growing as the paragraph's
 * length to the power 1.5, or squared.
 *
 * Here the first question in a text reads to its end once and notes every run's place and length; every later
 * question there is answered from the notes. `closingRunOnLine` asks the same about the rest of the line (a pipe
 * table's row), reading each line once.
 */
import {markdownLineEnding} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'

/** The backtick runs of a text (or line) from `from` to its end `to`, in order, and the start of the last run of each length. */
interface BacktickRuns {
  from: number
  to: number
  starts: number[]
  lengths: number[]
  lastStarts: Map<number, number>
}

const knownRuns = new WeakMap<TokenizeContext, BacktickRuns>()
const knownLineRuns = new WeakMap<TokenizeContext, BacktickRuns>()

/** A check at the first backtick of a run: ok when a run of the same length follows before the text ends. */
export const closingRunAhead: Construct = {tokenize: closingRunTokenizer(knownRuns, false), partial: true}

/** A check at the first backtick of a run: ok when a run of the same length follows before the line ends. */
export const closingRunOnLine: Construct = {tokenize: closingRunTokenizer(knownLineRuns, true), partial: true}

function closingRunTokenizer(notes: WeakMap<TokenizeContext, BacktickRuns>, lineOnly: boolean) {
  return function tokenizeClosingRun(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    const at = self.now().offset
    const known = notes.get(self)
    if (known && known.from <= at && at < known.to) return answer(known)

    const starts: number[] = []
    const lengths: number[] = []
    const lastStarts = new Map<number, number>()
    let runStart = 0
    let runSize = 0
    return start

    function answer(runs: BacktickRuns): State {
      return (code) => (hasClosingRun(runs, at) ? ok(code) : nok(code))
    }

    function start(code: Code): State | undefined {
      effects.enter('backtickRunsLookahead' as never)
      return between(code)
    }

    function between(code: Code): State | undefined {
      if (code === codes.eof || (lineOnly && markdownLineEnding(code))) {
        effects.exit('backtickRunsLookahead' as never)
        const runs: BacktickRuns = {from: at, to: self.now().offset, starts, lengths, lastStarts}
        notes.set(self, runs)
        return answer(runs)(code)
      }
      if (code === codes.graveAccent) {
        runStart = self.now().offset
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
      starts.push(runStart)
      lengths.push(runSize)
      lastStarts.set(runSize, runStart)
      return between(code)
    }
  }
}

/**
 * Whether a run as long as the one from `at` to the end of its run starts after it. (`at` may be inside a run: after
 * an escaped backtick, a code span opens with the backticks left.)
 */
function hasClosingRun(runs: BacktickRuns, at: number): boolean {
  let low = 0
  let high = runs.starts.length - 1
  while (low < high) {
    const middle = (low + high + 1) >>> 1
    if (runs.starts[middle] <= at) low = middle
    else high = middle - 1
  }
  const start = runs.starts[low]
  if (start === undefined || start > at || at >= start + runs.lengths[low]) return false
  const length = start + runs.lengths[low] - at
  return (runs.lastStarts.get(length) ?? start) > start
}
