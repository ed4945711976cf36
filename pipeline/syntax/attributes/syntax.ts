/**
 * Micromark extension for pandoc attribute blocks: `{#id .class key=value key="quoted value" -}`.
 *
 * An inline (text) construct at `{`. It only succeeds when everything between the braces is a
 * whitespace-separated list of at least one attribute, so prose such as `{Stuff here.}` or an empty
 * `{}` stays text. Whether the block belongs to an image, math, a heading or a caption is decided by a
 * later transform; this construct only parses.
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

/** The micromark syntax extension: register with `micromark({extensions: [attributes()]})`. */
export function attributes(): Extension {
  return {text: {[leftCurlyBrace]: attributesConstruct}}
}

function tokenizeAttributes(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let attributeCount = 0
  let quote: Code = null

  return start

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
    effects.enter('attributesValue')
    effects.consume(code)
    return unquoted
  }

  function unquoted(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === rightCurlyBrace || isWhitespace(code)) {
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
