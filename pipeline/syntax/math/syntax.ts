/**
 * Micromark extension for pandoc's `tex_math_dollars`: two text constructs at `$`, display tried first:
 *
 * - inline `$...$`: the opening `$` is followed by a non-space, the closing `$` is preceded by a
 *   non-space and not followed by a digit (so `$20 and $30` and `costs $5` stay text);
 *   inside, `\` escapes the next character (`\$` does not close), and a `$` inside `\text{…}` does not close
 *   (found in linear time by ./closing-dollar.ts);
 * - display `$$...$$` anywhere in a paragraph, possibly spanning lines (pandoc's DisplayMath):
 *   everything up to the next `$$`.
 *
 * Unlike micromark-extension-math there is no `$$` fenced flow form: a `$$` block on its own lines is
 * a paragraph holding display math, which a later transform may lay out as a block. Because it lives
 * in a paragraph, a line inside it that CommonMark reads as a block start (`+ x`, `# x`, `> x`) ends it.
 * A `\$` in prose is a character escape, handled by CommonMark before this construct sees it.
 */
import {markdownLineEnding} from 'micromark-util-character'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {closingDollar} from './closing-dollar.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** `$...$`. */
    pandocMathInline: 'pandocMathInline'
    /** `$$...$$`. */
    pandocMathDisplay: 'pandocMathDisplay'
    /** `$` or `$$`. */
    pandocMathMarker: 'pandocMathMarker'
    /** TeX source between the markers (line endings are separate `lineEnding` tokens). */
    pandocMathData: 'pandocMathData'
  }
}

const dollarSign = 36 // `$`

/** `$$...$$`, tried first, as pandoc does. */
export const displayMathConstruct: Construct = {
  name: 'pandocMathDisplay',
  tokenize: tokenizeDisplayMath,
  previous: notAfterDollar
}

/** `$...$`. */
export const inlineMathConstruct: Construct = {
  name: 'pandocMathInline',
  tokenize: tokenizeInlineMath,
  previous: notAfterDollar
}

/** The micromark syntax extension: register with `micromark({extensions: [pandocMath()]})`. */
export function pandocMath(): Extension {
  return {text: {[dollarSign]: [displayMathConstruct, inlineMathConstruct]}}
}

/**
 * Math never starts in the middle of a run of `$` (`$$$`), but may start right after an escaped `\$`
 * or right after other math (`$a$$b$` is two formulas, as in pandoc).
 */
function notAfterDollar(this: TokenizeContext, code: Code): boolean {
  if (code !== dollarSign) return true
  const tail = this.events[this.events.length - 1]
  if (tail === undefined) return false
  const type = tail[1].type
  return type === 'characterEscape' || type === 'pandocMathInline' || type === 'pandocMathDisplay'
}

/** `$$` closing display math, tried where a `$` appears inside it. */
const displayClose: Construct = {partial: true, tokenize: tokenizeDisplayClose}

function tokenizeDisplayClose(effects: Effects, ok: State, nok: State): State {
  return first

  function first(code: Code): State | undefined {
    if (code !== dollarSign) return nok(code)
    effects.enter('pandocMathMarker')
    effects.consume(code)
    return second
  }

  function second(code: Code): State | undefined {
    if (code !== dollarSign) return nok(code)
    effects.consume(code)
    effects.exit('pandocMathMarker')
    return ok
  }
}

function tokenizeInlineMath(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  /** The offset of the closing `$` (see ./closing-dollar.ts: escapes, `\text{…}` groups, pandoc's conditions). */
  let close = -1

  return start

  function start(code: Code): State | undefined {
    if (code !== dollarSign) return nok(code)
    return effects.check(closingDollar.check, open, nok)(code)
  }

  function open(code: Code): State | undefined {
    close = closingDollar.closingOffset(self, self.now().offset)
    effects.enter('pandocMathInline')
    effects.enter('pandocMathMarker')
    effects.consume(code)
    effects.exit('pandocMathMarker')
    return between
  }

  function between(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return between
    }
    if (code === dollarSign && self.now().offset === close) {
      effects.enter('pandocMathMarker')
      effects.consume(code)
      effects.exit('pandocMathMarker')
      effects.exit('pandocMathInline')
      return ok
    }
    effects.enter('pandocMathData')
    return data(code)
  }

  function data(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code) || (code === dollarSign && self.now().offset === close)) {
      effects.exit('pandocMathData')
      return between(code)
    }
    effects.consume(code)
    return data
  }
}

function tokenizeDisplayMath(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (code !== dollarSign) return nok(code)
    effects.enter('pandocMathDisplay')
    effects.enter('pandocMathMarker')
    effects.consume(code)
    return secondOpeningDollar
  }

  function secondOpeningDollar(code: Code): State | undefined {
    if (code !== dollarSign) return nok(code)
    effects.consume(code)
    effects.exit('pandocMathMarker')
    return afterOpen
  }

  function afterOpen(code: Code): State | undefined {
    // `$$$` is neither form; `$$$$` is empty.
    if (code === null || code === dollarSign) return nok(code)
    return between(code)
  }

  function between(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (markdownLineEnding(code)) {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return between
    }
    if (code === dollarSign) return effects.attempt(displayClose, afterClose, loneDollar)(code)
    effects.enter('pandocMathData')
    return data(code)
  }

  function data(code: Code): State | undefined {
    if (code === null || code === dollarSign || markdownLineEnding(code)) {
      effects.exit('pandocMathData')
      return between(code)
    }
    effects.consume(code)
    return data
  }

  /** A single `$` inside display math is TeX. */
  function loneDollar(code: Code): State | undefined {
    effects.enter('pandocMathData')
    effects.consume(code)
    return data
  }

  function afterClose(code: Code): State | undefined {
    effects.exit('pandocMathDisplay')
    return ok(code)
  }
}
