/**
 * Micromark extension for the include directive of markdown-pp and pandoc-include: `!INCLUDE "path"` alone on a line.
 *
 * A flow construct at `!`: the keyword, then the rest of the line. The forms markdown-pp reads (`!INCLUDE "path"`
 * and `!INCLUDE 'path'`, upper case, the path non-empty, nothing after it) are includes; so is every other line
 * that starts with the keyword in any case (`!include path`, `!INCLUDE ""`, `!INCLUDE "a.md", 1`, `!INCLUDEURL
 * "…"`): those become include nodes that say what is wrong (see from-markdown.ts), so that an include line that is
 * not understood is reported at its place instead of printing as text. Like markdown-pp, which reads line by line,
 * an include line may directly follow a paragraph line: the construct interrupts paragraphs.
 */
import {asciiAlpha, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {factorySpace} from 'micromark-factory-space'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    include: 'include'
    /** `!INCLUDE` (or `!include`, `!INCLUDEURL`: any case). */
    includeKeyword: 'includeKeyword'
    /** The rest of the line after the keyword and its spaces, as written: `"path"` when it is well formed. */
    includeArgument: 'includeArgument'
  }
}

/** The words after `!` that make an include line, in lower case: markdown-pp's `!INCLUDE` and `!INCLUDEURL`. */
const keywords = new Set(['include', 'includeurl'])
const longestKeyword = Math.max(...[...keywords].map((word) => word.length))

const includeConstruct: Construct = {name: 'include', tokenize: tokenizeInclude}

export function include(): Extension {
  return {flow: {[codes.exclamationMark]: includeConstruct}}
}

function tokenizeInclude(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let word = ''

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
    effects.consume(code)
    return inKeyword
  }

  /** In the word after `!`: an include keyword in any case, else not an include (`!TOC`, `!Important`). */
  function inKeyword(code: Code): State | undefined {
    if (code !== codes.eof && asciiAlpha(code) && word.length < longestKeyword) {
      word += String.fromCharCode(code).toLowerCase()
      effects.consume(code)
      return inKeyword
    }
    if (!keywords.has(word) || (code !== codes.eof && asciiAlpha(code))) return nok(code)
    effects.exit('includeKeyword')
    return afterKeyword(code)
  }

  /** After the keyword: spaces, then the argument up to the end of the line. */
  function afterKeyword(code: Code): State | undefined {
    if (markdownSpace(code)) return factorySpace(effects, beforeArgument, types.whitespace)(code)
    return beforeArgument(code)
  }

  function beforeArgument(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return atLineEnd(code)
    effects.enter('includeArgument')
    return inArgument(code)
  }

  function inArgument(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) {
      effects.exit('includeArgument')
      return atLineEnd(code)
    }
    effects.consume(code)
    return inArgument
  }

  function atLineEnd(code: Code): State | undefined {
    effects.exit('include')
    return ok(code)
  }
}
