/**
 * Micromark extension for the include directive of markdown-pp and pandoc-include: `!INCLUDE "path"` alone on a line.
 *
 * A flow construct at `!`: the upper-case keyword, at least one space or tab, a non-empty path in double quotes,
 * then nothing but optional spaces or tabs up to the end of the line. Anything else (`!INCLUDE path` without quotes,
 * `!INCLUDE "a", 1`, text after the closing quote) is not an include and stays paragraph text, where the include
 * check can point at it. Like markdown-pp, which reads line by line, an include line may directly follow a paragraph
 * line: the construct interrupts paragraphs.
 */
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {factorySpace} from 'micromark-factory-space'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    include: 'include'
    /** `!INCLUDE`. */
    includeKeyword: 'includeKeyword'
    /** A `"` around the path. */
    includePathMarker: 'includePathMarker'
    /** The path between the quotes, as written. */
    includePath: 'includePath'
  }
}

const keyword = '!INCLUDE'

const includeConstruct: Construct = {name: 'include', tokenize: tokenizeInclude}

export function include(): Extension {
  return {flow: {[codes.exclamationMark]: includeConstruct}}
}

function tokenizeInclude(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let keywordIndex = 0

  return start

  /** At `!`, after any indentation (which the flow tokenizer has already taken as a line prefix). */
  function start(code: Code): State | undefined {
    // Four or more spaces make indented code (or a paragraph continuation), never an include.
    const tail = self.events[self.events.length - 1]
    if (
      tail &&
      tail[1].type === types.linePrefix &&
      tail[1].end.offset === self.now().offset &&
      tail[2].sliceSerialize(tail[1], true).length >= constants.tabSize
    ) {
      return nok(code)
    }
    effects.enter('include')
    effects.enter('includeKeyword')
    return inKeyword(code)
  }

  /** In `!INCLUDE`. */
  function inKeyword(code: Code): State | undefined {
    if (code !== keyword.charCodeAt(keywordIndex)) return nok(code)
    effects.consume(code)
    keywordIndex++
    if (keywordIndex < keyword.length) return inKeyword
    effects.exit('includeKeyword')
    return afterKeyword
  }

  /** After the keyword: whitespace is required (`!INCLUDEURL` or `!INCLUDE"x"` are something else). */
  function afterKeyword(code: Code): State | undefined {
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, beforePath, types.whitespace)(code)
  }

  /** At the opening quote. */
  function beforePath(code: Code): State | undefined {
    if (code !== codes.quotationMark) return nok(code)
    effects.enter('includePathMarker')
    effects.consume(code)
    effects.exit('includePathMarker')
    return pathStart
  }

  /** After the opening quote: the path must not be empty. */
  function pathStart(code: Code): State | undefined {
    if (code === codes.quotationMark) return nok(code)
    effects.enter('includePath')
    return inPath(code)
  }

  /** In the path; it ends at the closing quote and may not cross a line ending. */
  function inPath(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)
    if (code === codes.quotationMark) {
      effects.exit('includePath')
      effects.enter('includePathMarker')
      effects.consume(code)
      effects.exit('includePathMarker')
      return afterPath
    }
    effects.consume(code)
    return inPath
  }

  /** After the closing quote: only trailing whitespace may follow. */
  function afterPath(code: Code): State | undefined {
    if (markdownSpace(code)) return factorySpace(effects, atLineEnd, types.whitespace)(code)
    return atLineEnd(code)
  }

  function atLineEnd(code: Code): State | undefined {
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code)
    effects.exit('include')
    return ok(code)
  }
}
