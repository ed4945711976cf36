/**
 * Pandoc line blocks (`line_blocks`): lines starting with `|` and a space keep their line breaks and their leading
 * spaces, as in verse or addresses. A line starting with a space continues the line before it; `|` alone is an
 * empty line.
 *
 *     | The limerick packs laughs anatomical
 *     |     Into space that is quite economical.
 *
 * A flow construct tried after pipe tables (`| a | b |` over a `|---|` line stays a table, as pandoc decides),
 * which does not interrupt a paragraph. Each line is a `lineBlockLine` of a marker, the spaces after it
 * (`lineBlockIndent`) and inline text, whose chunks are linked across continuation lines as a paragraph's are.
 */
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, Token, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    lineBlock: 'lineBlock'
    lineBlockLine: 'lineBlockLine'
    lineBlockMarker: 'lineBlockMarker'
    lineBlockIndent: 'lineBlockIndent'
  }
}

const lineBlockConstruct: Construct = {name: 'lineBlock', tokenize: tokenizeLineBlock}
const nonLazyLine: Construct = {tokenize: tokenizeNonLazyLine, partial: true}
const continuationLine: Construct = {tokenize: tokenizeContinuationLine, partial: true}

export function lineBlock(): Extension {
  // Under `null`, after the pipe table registered there, which micromark then tries first.
  return {flow: {null: [{...lineBlockConstruct, add: 'after'}]}}
}

function tokenizeLineBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let previousChunk: Token | undefined
  return start

  function start(code: Code): State | undefined {
    // Only at the start of a line (no indentation), and never in the middle of a paragraph.
    if (code !== codes.verticalBar || self.interrupt || indented(self)) return nok(code)
    effects.enter('lineBlock')
    return lineStart(code)
  }

  function lineStart(code: Code): State | undefined {
    if (code !== codes.verticalBar) return nok(code)
    effects.enter('lineBlockLine')
    effects.enter('lineBlockMarker')
    effects.consume(code)
    return afterBar
  }

  function afterBar(code: Code): State | undefined {
    if (code === codes.space) {
      effects.consume(code)
      effects.exit('lineBlockMarker')
      return indentStart
    }
    effects.exit('lineBlockMarker')
    if (markdownLineEnding(code) || code === codes.eof) return lineEnd(code)
    return nok(code)
  }

  function indentStart(code: Code): State | undefined {
    if (!markdownSpace(code)) return textStart(code)
    effects.enter('lineBlockIndent')
    return indent(code)
  }

  function indent(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return indent
    }
    effects.exit('lineBlockIndent')
    return textStart(code)
  }

  function textStart(code: Code): State | undefined {
    if (markdownLineEnding(code) || code === codes.eof) return lineEnd(code)
    previousChunk = undefined
    return chunkStart(code)
  }

  function chunkStart(code: Code): State | undefined {
    const chunk = effects.enter(types.chunkText, {contentType: constants.contentTypeText, previous: previousChunk})
    if (previousChunk) previousChunk.next = chunk
    previousChunk = chunk
    return text(code)
  }

  function text(code: Code): State | undefined {
    if (code === codes.eof) {
      effects.exit(types.chunkText)
      return lineEnd(code)
    }
    if (markdownLineEnding(code)) return effects.check(continuationLine, continuation, textEnd)(code)
    effects.consume(code)
    return text
  }

  // The line ending goes into the chunk, as in a paragraph; the next line's first space is left out of it.
  function continuation(code: Code): State | undefined {
    effects.consume(code)
    effects.exit(types.chunkText)
    effects.enter(types.linePrefix)
    return continuationSpace
  }

  function continuationSpace(code: Code): State | undefined {
    effects.consume(code)
    effects.exit(types.linePrefix)
    return chunkStart
  }

  function textEnd(code: Code): State | undefined {
    effects.exit(types.chunkText)
    return lineEnd(code)
  }

  function lineEnd(code: Code): State | undefined {
    effects.exit('lineBlockLine')
    if (code === codes.eof) return end(code)
    return effects.check(nextLine, nextLineStart, end)(code)
  }

  function nextLineStart(code: Code): State | undefined {
    effects.enter(types.lineEnding)
    effects.consume(code)
    effects.exit(types.lineEnding)
    return lineStart
  }

  function end(code: Code): State | undefined {
    effects.exit('lineBlock')
    return ok(code)
  }
}

/** The next line belongs to this container (is not lazy) and starts with `|` and a space, or is `|` alone. */
const nextLine: Construct = {tokenize: tokenizeNextLine, partial: true}

function tokenizeNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return effects.attempt(nonLazyLine, bar, nok)

  function bar(code: Code): State | undefined {
    if (code !== codes.verticalBar) return nok(code)
    effects.enter('lineBlockMarker')
    effects.consume(code)
    return afterBar
  }

  function afterBar(code: Code): State | undefined {
    return code === codes.space || markdownLineEnding(code) || code === codes.eof ? ok(code) : nok(code)
  }
}

/** A line ending, then a line of this container that starts with a space and has more than spaces. */
function tokenizeContinuationLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return effects.attempt(nonLazyLine, space, nok)

  function space(code: Code): State | undefined {
    if (code !== codes.space) return nok(code)
    effects.enter(types.linePrefix)
    return spaces(code)
  }

  function spaces(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return spaces
    }
    effects.exit(types.linePrefix)
    return markdownLineEnding(code) || code === codes.eof ? nok(code) : ok(code)
  }
}

function tokenizeNonLazyLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
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

/** The flow tokenizer read indentation before this construct (a line block starts at the start of its line). */
function indented(context: TokenizeContext): boolean {
  const last = context.events[context.events.length - 1]
  return last !== undefined && last[1].type === types.linePrefix && last[1].end.line === context.now().line
}
