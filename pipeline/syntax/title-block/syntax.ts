/**
 * pandoc's title block (`pandoc_title_block`): up to three lines starting with `%` on a file's first lines: the
 * title, the authors, the date.
 *
 *     % The title, which may
 *       go on over indented lines
 *     % Ann Author; Bob Author
 *       Carol Author
 *     % 2 March 2021
 *
 * A line left empty after its `%` sets nothing. Authors are separated by `;` or by continuation lines (a line
 * starting with a space). The title continues on such lines too; the date does not. Each value is a token of its
 * own (`titleBlockTitle`, `titleBlockAuthor`, `titleBlockDate`), so every author keeps its place.
 */
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    titleBlock: 'titleBlock'
    titleBlockLine: 'titleBlockLine'
    titleBlockMarker: 'titleBlockMarker'
    titleBlockSeparator: 'titleBlockSeparator'
    titleBlockTitle: 'titleBlockTitle'
    titleBlockAuthor: 'titleBlockAuthor'
    titleBlockDate: 'titleBlockDate'
  }
}

const fields = ['titleBlockTitle', 'titleBlockAuthor', 'titleBlockDate'] as const

const titleBlockConstruct: Construct = {name: 'titleBlock', tokenize: tokenizeTitleBlock, concrete: true}
const continuationLine: Construct = {tokenize: tokenizeContinuationLine, partial: true}
const nextFieldLine: Construct = {tokenize: tokenizeNextFieldLine, partial: true}

export function titleBlock(): Extension {
  return {flow: {[codes.percentSign]: [titleBlockConstruct]}}
}

function tokenizeTitleBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let field = 0
  return start

  function start(code: Code): State | undefined {
    const place = self.now()
    if (place.line !== 1 || place.column !== 1 || code !== codes.percentSign) return nok(code)
    effects.enter('titleBlock')
    return lineStart(code)
  }

  /** At a line's `%`. */
  function lineStart(code: Code): State | undefined {
    effects.enter('titleBlockLine')
    effects.enter('titleBlockMarker')
    effects.consume(code)
    effects.exit('titleBlockMarker')
    return spaces
  }

  function spaces(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return spacesInside(code)
    }
    return valueStart(code)
  }

  function spacesInside(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return spacesInside
    }
    effects.exit(types.whitespace)
    return valueStart(code)
  }

  function valueStart(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return lineEnd(code)
    effects.enter(fields[field])
    return value(code)
  }

  function value(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) {
      effects.exit(fields[field])
      return lineEnd(code)
    }
    if (code === codes.semicolon && fields[field] === 'titleBlockAuthor') {
      effects.exit(fields[field])
      effects.enter('titleBlockSeparator')
      effects.consume(code)
      effects.exit('titleBlockSeparator')
      return spaces
    }
    effects.consume(code)
    return value
  }

  /** At the end of a line: the field goes on over a continuation line, or the next `%` line follows, or the block ends. */
  function lineEnd(code: Code): State | undefined {
    if (code === codes.eof) return done(code)
    if (fields[field] !== 'titleBlockDate') return effects.check(continuationLine, continuation, nextLine)(code)
    return nextLine(code)
  }

  function continuation(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return spaces
  }

  function nextLine(code: Code): State | undefined {
    if (field === fields.length - 1) return done(code)
    return effects.check(nextFieldLine, nextField, done)(code)
  }

  function nextField(code: Code): State | undefined {
    effects.exit('titleBlockLine')
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    field++
    return lineStart
  }

  function done(code: Code): State | undefined {
    effects.exit('titleBlockLine')
    effects.exit('titleBlock')
    return ok(code)
  }
}

/** At a line ending: the next line starts with a space or tab and holds more than spaces. */
function tokenizeContinuationLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return indent
  }

  function indent(code: Code): State | undefined {
    if (!markdownSpace(code)) return nok(code)
    effects.enter(types.whitespace)
    return inside(code)
  }

  function inside(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return inside
    }
    effects.exit(types.whitespace)
    return code !== codes.eof && !markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/** At a line ending: the next line starts with `%`. */
function tokenizeNextFieldLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return (next: Code) => (next === codes.percentSign ? ok(next) : nok(next))
  }
}
