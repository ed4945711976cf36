/**
 * Micromark extension for pandoc attribute blocks: `{#id .class key=value key="quoted value" -}`, and pandoc's raw
 * attribute `{=format}` (alone between the braces), which sends the code before it to that output format only.
 *
 * An inline (text) construct at `{`. It only succeeds when everything between the braces is a
 * whitespace-separated list of at least one attribute, so prose such as `{Stuff here.}` or an empty
 * `{}` stays text. Whether the block belongs to an image, math, a heading or a caption is decided by a
 * later transform; this construct only parses.
 *
 * An unquoted value runs to the next space or `}` and may hold a `{`, where another block is looked for when this
 * one fails: `{b={b={b=…` read the rest of the line once per `{`. Everything after an unquoted value's end is the
 * same for every block that reaches it, so when a block fails, the runs of its unquoted values are noted, and a
 * block whose value starts inside one of them fails at once.
 */
import {asciiAlpha, asciiAlphanumeric, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    attributes: 'attributes'
    /** `{` or `}`. */
    attributesMarker: 'attributesMarker'
    attributesIdMarker: 'attributesIdMarker'
    attributesId: 'attributesId'
    attributesClassMarker: 'attributesClassMarker'
    attributesClass: 'attributesClass'
    /** `-`, pandoc's shorthand for `.unnumbered`. */
    attributesUnnumberedMarker: 'attributesUnnumberedMarker'
    /** `key=value` as a whole. */
    attributesKeyValue: 'attributesKeyValue'
    attributesKey: 'attributesKey'
    /** `=`. */
    attributesValueMarker: 'attributesValueMarker'
    /** `"` or `'` around a quoted value. */
    attributesValueQuote: 'attributesValueQuote'
    /** The value, without quotes (backslash escapes still in it). */
    attributesValue: 'attributesValue'
    /** `=` of a raw attribute `{=html}`. */
    attributesRawFormatMarker: 'attributesRawFormatMarker'
    /** `html` in `{=html}`: the only output format the code before it goes to. */
    attributesRawFormat: 'attributesRawFormat'
  }
}

const leftCurlyBrace = 123 // `{`
const rightCurlyBrace = 125 // `}`
const numberSign = 35 // `#`
const dot = 46 // `.`
const dash = 45 // `-`
const underscore = 95 // `_`
const colon = 58 // `:`
const equalsTo = 61 // `=`
const quotationMark = 34 // `"`
const apostrophe = 39 // `'`
const backslash = 92 // `\`

const unicodeLetterOrNumber = /^[\p{L}\p{N}]$/u
const unicodeLetter = /^\p{L}$/u

/** A character of an identifier, class or key after the first: letters, digits, `_ - : .`. */
function isIdentifierCharacter(code: Code): boolean {
  if (code === null || code < 0) return false
  if (asciiAlphanumeric(code) || code === underscore || code === dash || code === colon || code === dot) return true
  return code > 127 && unicodeLetterOrNumber.test(String.fromCodePoint(code))
}

/** The first character of a key (pandoc's `identifier` starts with a letter). */
function isKeyStart(code: Code): boolean {
  if (code === null || code < 0) return false
  if (asciiAlpha(code) || code === underscore) return true
  return code > 127 && unicodeLetter.test(String.fromCodePoint(code))
}

function isWhitespace(code: Code): boolean {
  return markdownSpace(code) || markdownLineEnding(code)
}

export const attributesConstruct: Construct = {name: 'attributes', tokenize: tokenizeAttributes}

/** Per text: the unquoted values (start and end offsets, in order) of blocks that failed. */
const failedValues = new WeakMap<TokenizeContext, Array<[number, number]>>()

function inFailedValue(context: TokenizeContext, offset: number): boolean {
  const values = failedValues.get(context)
  if (!values) return false
  let low = 0
  let high = values.length - 1
  while (low <= high) {
    const middle = (low + high) >>> 1
    const [start, end] = values[middle]
    if (offset < start) high = middle - 1
    else if (offset >= end) low = middle + 1
    else return true
  }
  return false
}

function noteFailedValues(context: TokenizeContext, values: Array<[number, number]>): void {
  let known = failedValues.get(context)
  if (!known) failedValues.set(context, (known = []))
  for (const value of values) {
    // Kept in order: a value behind the last noted one was noted already, or is in text read before.
    if (known.length === 0 || value[0] >= known[known.length - 1][1]) known.push(value)
  }
}

/** The micromark syntax extension: register with `micromark({extensions: [attributes()]})`. */
export function attributes(): Extension {
  return {text: {[leftCurlyBrace]: attributesConstruct}}
}

function tokenizeAttributes(this: TokenizeContext, effects: Effects, ok: State, failed: State): State {
  const self = this
  let attributeCount = 0
  let quote: Code = null
  /** The unquoted values read, with where each started; the last one's end is where it is now. */
  const values: Array<[number, number]> = []

  return start

  function nok(code: Code): State | undefined {
    const last = values[values.length - 1]
    if (last && last[1] < 0) last[1] = self.now().offset + 1
    noteFailedValues(self, values)
    return failed(code)
  }

  function start(code: Code): State | undefined {
    if (code !== leftCurlyBrace) return nok(code)
    effects.enter('attributes')
    effects.enter('attributesMarker')
    effects.consume(code)
    effects.exit('attributesMarker')
    return beforeAttribute
  }

  /** After `{` or after whitespace: an attribute, more whitespace, or `}`. */
  function beforeAttribute(code: Code): State | undefined {
    if (code === rightCurlyBrace) {
      // `{}` (or only whitespace) is prose, not an attribute block.
      return attributeCount === 0 ? nok(code) : close(code)
    }
    if (markdownSpace(code)) {
      effects.enter('whitespace')
      return whitespace(code)
    }
    if (markdownLineEnding(code)) {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return beforeAttribute
    }
    if (code === equalsTo && attributeCount === 0) return rawFormatMarker(code)
    if (code === numberSign) return marker(code, 'attributesIdMarker', 'attributesId')
    if (code === dot) return marker(code, 'attributesClassMarker', 'attributesClass')
    if (code === dash) {
      effects.enter('attributesUnnumberedMarker')
      effects.consume(code)
      effects.exit('attributesUnnumberedMarker')
      return afterAttribute
    }
    if (isKeyStart(code)) {
      effects.enter('attributesKeyValue')
      effects.enter('attributesKey')
      effects.consume(code)
      return key
    }
    return nok(code)
  }

  /** `{=html}`: `=`, a format name, then only the closing brace (spaces allowed). */
  function rawFormatMarker(code: Code): State | undefined {
    effects.enter('attributesRawFormatMarker')
    effects.consume(code)
    effects.exit('attributesRawFormatMarker')
    return rawFormatStart
  }

  function rawFormatStart(code: Code): State | undefined {
    if (!isIdentifierCharacter(code)) return nok(code)
    effects.enter('attributesRawFormat')
    effects.consume(code)
    return rawFormat
  }

  function rawFormat(code: Code): State | undefined {
    if (isIdentifierCharacter(code)) {
      effects.consume(code)
      return rawFormat
    }
    effects.exit('attributesRawFormat')
    return rawFormatEnd(code)
  }

  function rawFormatEnd(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter('whitespace')
      return rawFormatSpace(code)
    }
    if (code !== rightCurlyBrace) return nok(code)
    attributeCount++
    return close(code)
  }

  function rawFormatSpace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return rawFormatSpace
    }
    effects.exit('whitespace')
    return rawFormatEnd(code)
  }

  function whitespace(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return whitespace
    }
    effects.exit('whitespace')
    return beforeAttribute(code)
  }

  /** `#` or `.`, which must be followed by at least one identifier character. */
  function marker(
    code: Code,
    markerType: 'attributesIdMarker' | 'attributesClassMarker',
    nameType: 'attributesId' | 'attributesClass'
  ): State | undefined {
    effects.enter(markerType)
    effects.consume(code)
    effects.exit(markerType)
    return nameStart

    function nameStart(code: Code): State | undefined {
      if (!isIdentifierCharacter(code)) return nok(code)
      effects.enter(nameType)
      effects.consume(code)
      return name
    }

    function name(code: Code): State | undefined {
      if (isIdentifierCharacter(code)) {
        effects.consume(code)
        return name
      }
      effects.exit(nameType)
      return afterAttribute(code)
    }
  }

  function key(code: Code): State | undefined {
    if (isIdentifierCharacter(code)) {
      effects.consume(code)
      return key
    }
    // A bare word (`{Stuff here.}`) is not an attribute.
    if (code !== equalsTo) return nok(code)
    effects.exit('attributesKey')
    effects.enter('attributesValueMarker')
    effects.consume(code)
    effects.exit('attributesValueMarker')
    return valueStart
  }

  function valueStart(code: Code): State | undefined {
    if (code === quotationMark || code === apostrophe) {
      quote = code
      effects.enter('attributesValueQuote')
      effects.consume(code)
      effects.exit('attributesValueQuote')
      return quotedStart
    }
    // An unquoted value must not be empty (`{key=}` is prose).
    if (code === null || code === rightCurlyBrace || isWhitespace(code)) return nok(code)
    if (inFailedValue(self, self.now().offset)) return failed(code)
    values.push([self.now().offset, -1])
    effects.enter('attributesValue')
    effects.consume(code)
    return unquoted
  }

  function unquoted(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === rightCurlyBrace || isWhitespace(code)) {
      values[values.length - 1][1] = self.now().offset
      effects.exit('attributesValue')
      effects.exit('attributesKeyValue')
      return afterAttribute(code)
    }
    effects.consume(code)
    return unquoted
  }

  function quotedStart(code: Code): State | undefined {
    if (code === quote) return quotedEnd(code)
    // Quoted values stay on one line so that an unclosed quote cannot swallow a paragraph.
    if (code === null || markdownLineEnding(code)) return nok(code)
    effects.enter('attributesValue')
    return quoted(code)
  }

  function quoted(code: Code): State | undefined {
    if (code === null || markdownLineEnding(code)) return nok(code)
    if (code === quote) {
      effects.exit('attributesValue')
      return quotedEnd(code)
    }
    effects.consume(code)
    return code === backslash ? quotedEscape : quoted
  }

  function quotedEscape(code: Code): State | undefined {
    if (code === quote || code === backslash) {
      effects.consume(code)
      return quoted
    }
    return quoted(code)
  }

  function quotedEnd(code: Code): State | undefined {
    effects.enter('attributesValueQuote')
    effects.consume(code)
    effects.exit('attributesValueQuote')
    effects.exit('attributesKeyValue')
    return afterAttribute
  }

  /** An attribute must be followed by whitespace or `}` (`{#a#b}`, `{-x}` are prose). */
  function afterAttribute(code: Code): State | undefined {
    attributeCount++
    if (code === rightCurlyBrace) return close(code)
    if (isWhitespace(code)) return beforeAttribute(code)
    return nok(code)
  }

  function close(code: Code): State | undefined {
    effects.enter('attributesMarker')
    effects.consume(code)
    effects.exit('attributesMarker')
    effects.exit('attributes')
    return ok
  }
}
