/**
 * In a pipe table, a code span protects `|`, as in pandoc: `` | `a|b` | c | `` has two cells, the first holding the
 * code `a|b`. micromark-extension-gfm-table splits a row at every `|` not escaped (GFM asks for `\|` inside code);
 * here its row tokenizer runs as it is, except that at a backtick run inside a cell whose closing run of the same
 * length follows on the same line, the whole code span is consumed into the cell's data, so its `|` divides nothing.
 * The cell's text is then read as any text is, and the span is a code span there.
 */
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {closingRunOnLine} from '../shared/backtick-runs.ts'
import {headRowGated} from './header-gate.ts'

/** gfmTable() with code spans read as one unit inside cells, its header row tried only above a possible delimiter row (./header-gate.ts). */
export function pipeTableWithCodeSpans(extension: Extension): Extension {
  // micromark-extension-gfm-table registers its one construct at any character (`null`).
  const table = extension.flow?.null as Construct | undefined
  if (!table || Array.isArray(table)) return extension
  return {...extension, flow: {...extension.flow, null: headRowGated({...table, tokenize: codeSpansKept(table)})}}
}

function codeSpansKept(table: Construct) {
  return function tokenizeTableKeepingCodeSpans(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    /** Whether the table tokenizer has a cell's `data` open, and whether the last character it took there was `\`. */
    let inData = false
    let afterBackslash = false
    let done = false
    let openingSize = 0
    let closingSize = 0

    const watched: Effects = {
      ...effects,
      enter(type, fields) {
        if (type === 'data') inData = true
        return effects.enter(type, fields)
      },
      exit(type) {
        if (type === 'data') inData = false
        return effects.exit(type)
      },
      consume(code) {
        afterBackslash = code === codes.backslash && !afterBackslash
        effects.consume(code)
      }
    }
    const finish =
      (next: State): State =>
      (code) => {
        done = true
        return next(code)
      }
    return wrap(table.tokenize.call(this, watched, finish(ok), finish(nok)))

    /** The table's state, except at a backtick in a cell: there a code span closed on the line is taken whole. */
    function wrap(state: State): State {
      return (code) => {
        if (done) return state(code)
        if (code === codes.graveAccent && !(inData && afterBackslash)) {
          return effects.check(closingRunOnLine, codeSpan(state), plain(state))(code)
        }
        const next = state(code)
        return next && !done ? wrap(next) : (next as State)
      }
    }

    /** A backtick run that opens no span: the table's own states take it, all of it (a run is never split). */
    function plain(state: State): State {
      return (code) => {
        if (code !== codes.graveAccent) return wrap(state)(code)
        const next = state(code)
        return next && !done ? plain(next) : (next as State)
      }
    }

    function codeSpan(state: State): State {
      let resume = state
      openingSize = 0
      return first

      /** A cell's first backtick: the table's states open the cell's data with it. */
      function first(code: Code): State | undefined {
        if (inData) return opening(code)
        const next = state(code)
        if (!next || done) return next
        if (!inData) return plain(next)
        resume = next
        openingSize = 1
        return opening
      }

      function opening(code: Code): State | undefined {
        if (code === codes.graveAccent) {
          openingSize++
          watched.consume(code)
          return opening
        }
        return inside(code)
      }

      function inside(code: Code): State | undefined {
        // The lookahead found the closing run on this line.
        if (code === codes.eof || code === codes.carriageReturn || code === codes.lineFeed || code === codes.carriageReturnLineFeed) return wrap(resume)(code)
        if (code === codes.graveAccent) {
          closingSize = 0
          return closing(code)
        }
        watched.consume(code)
        return inside
      }

      function closing(code: Code): State | undefined {
        if (code === codes.graveAccent) {
          closingSize++
          watched.consume(code)
          return closing
        }
        afterBackslash = false
        return closingSize === openingSize ? wrap(resume)(code) : inside(code)
      }
    }
  }
}
