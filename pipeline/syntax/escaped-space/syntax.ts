/**
 * Micromark extension for pandoc's escaped space (extension `escaped_line_breaks`' sibling, part of every pandoc
 * Markdown): `\ ` is a non-breaking space, as in `x^a\ b^` or `Mr.\ Smith`. CommonMark leaves `\ ` as written.
 */
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** `\ `. */
    escapedSpace: 'escapedSpace'
  }
}

export const escapedSpaceConstruct: Construct = {name: 'escapedSpace', tokenize: tokenizeEscapedSpace}

export function escapedSpace(): Extension {
  return {text: {[codes.backslash]: escapedSpaceConstruct}}
}

function tokenizeEscapedSpace(effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('escapedSpace')
    effects.consume(code)
    return space
  }

  function space(code: Code): State | undefined {
    if (code !== codes.space) return nok(code)
    effects.consume(code)
    effects.exit('escapedSpace')
    return ok
  }
}
