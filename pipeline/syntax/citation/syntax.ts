/**
 * Micromark extension for pandoc citations (pandoc manual, "Citation syntax"; grammar of pandoc's Markdown reader:
 * `normalCite`, `textualCite`, `bareloc`, `citeKey`).
 *
 * - Bracketed, at `[`: `[see @a, pp. 33-35; also -@b chap. 1]`. One or more `;`-separated items, each with an
 *   optional prefix, exactly one key, an optional suffix. If the brackets do not hold that, the construct fails and
 *   the `[` is left to links, footnote calls and plain text.
 * - Narrative, at `@`: `@a`, optionally followed (after spaces and at most one line ending) by brackets that hold
 *   either further items (`@a [-@b p. 30; see also @c]`) or a locator for the key itself, possibly followed by
 *   further items (`@a [p. 33]`, `@a [p. 33; @b]`).
 * - At `!`: `![@a]` is `!` followed by a citation, as in pandoc, where an image label may not start with `@`.
 *
 * A key is `@` (after `-` to suppress the author) followed by a letter, digit, `_` or `*` (pandoc's `@*`, every
 * entry, in `nocite`), then letters, digits, `_` and single internal punctuation out of `:.#$%&-+?<>~/` (trailing
 * punctuation is not part of the key), or `@{…}` with balanced braces and no white space. A key may not follow a
 * letter, digit or `.` (pandoc's `notAfterString`), so that e-mail addresses stay text.
 *
 * Prefixes and suffixes (tokens `citationPrefix`, `citationSuffix`) hold text content (linked `chunkText` tokens,
 * one per line, as micromark's own labels do), which micromark parses with the text constructs afterwards: emphasis,
 * math, links and a narrative citation inside a suffix (`[@a, quoting @b]`, as pandoc reads it) become nodes. While
 * the brackets are scanned, nested brackets, code spans, backslash escapes and autolinks are skipped over as a whole,
 * so a `;`, `]` or `@` in them does not end an item.
 *
 * Brackets holding more than `citationBracketsLimit` other `[` (escaped ones and those in code aside) are not a
 * citation. A citation is looked for at every `[` that is not already inside one, and reads on to its closing `]`;
 * without a limit, 32,000 `[` read the paragraph's rest 32,000 times (44 s). With it, a character is read from at
 * most the last `citationBracketsLimit` + 1 brackets before it, three times each at most.
 */
import {asciiPunctuation, markdownLineEnding, markdownLineEndingOrSpace, markdownSpace} from 'micromark-util-character'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {codeSpanSource} from '../shared/code-span-source.ts'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, Point, State, Token, TokenizeContext} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** The whole citation: `[…]`, `@key`, or `@key […]`. */
    citation: 'citation'
    /** `[`, `]` and the `;` between items. */
    citationMarker: 'citationMarker'
    /** White space (and at most one line ending) between a narrative key and its brackets. */
    citationSpace: 'citationSpace'
    /** Raw source before a key inside brackets, up to the key. */
    citationPrefix: 'citationPrefix'
    /** Raw source after a key (or the locator of a narrative key), up to the next `;` or `]`. */
    citationSuffix: 'citationSuffix'
    /** `-@key`, `@key` or `@{key}`; its position is the item's position. */
    citationKey: 'citationKey'
    /** The `-` of `-@key`. */
    citationKeySuppressMarker: 'citationKeySuppressMarker'
    /** The `@`. */
    citationKeyMarker: 'citationKeyMarker'
    /** The braces of `@{key}`. */
    citationKeyBraceMarker: 'citationKeyBraceMarker'
    /** The key itself, without `@` and braces. */
    citationKeyValue: 'citationKeyValue'
    /** Only ever inside a lookahead check; never reaches the event stream. */
    citationLookahead: 'citationLookahead'
  }
}

/** How many other `[` a citation's brackets may hold (links in a locator, say): far more than any citation has. */
export const citationBracketsLimit = 16

/** `[…]` at `[`. Before the link and footnote-call constructs, as pandoc tries citations before links. */
const bracketedCitation: Construct = {name: 'citation', tokenize: tokenizeBracketedCitation, add: 'before'}

/** `@key` with optional brackets after it. */
const narrativeCitation: Construct = {name: 'narrativeCitation', tokenize: tokenizeNarrativeCitation, previous: mayPrecedeKey}

/** `![@key]`: the `!` as plain text, then a bracketed citation. Before the image construct. */
const citationAfterExclamationMark: Construct = {
  name: 'citationAfterExclamationMark',
  tokenize: tokenizeCitationAfterExclamationMark,
  add: 'before'
}

const key: Construct = {tokenize: tokenizeKey, partial: true}
/** A punctuation character that belongs to a key because a key character (or `/` after `:` or `/`) follows. */
const internalPunctuation: Construct = {tokenize: tokenizeInternalPunctuation, partial: true}
/** `;`, white space, then a key: ends a prefix, which makes the citation fail (pandoc's `prefix`). */
const separatedKeyAhead: Construct = {tokenize: tokenizeSeparatedKeyAhead, partial: true}
const autolinkAhead: Construct = {tokenize: tokenizeAutolinkAhead, partial: true}
/** `@a [-@b; @c]`: brackets after a narrative key holding further items. */
const narrativeFurtherItems: Construct = {tokenize: tokenizeNarrativeFurtherItems, partial: true}
/** `@a [p. 33]`, `@a [p. 33; @b]`: brackets after a narrative key starting with its locator. */
const narrativeLocator: Construct = {tokenize: tokenizeNarrativeLocator, partial: true}

export function citationSyntax(): Extension {
  return {
    text: {
      [codes.leftSquareBracket]: bracketedCitation,
      [codes.atSign]: narrativeCitation,
      [codes.exclamationMark]: citationAfterExclamationMark
    }
  }
}

/** How the brackets of one construct are read. */
interface BracketsOptions {
  /** The brackets start with the locator (suffix) of the narrative key before them, not with a new item. */
  startWithSuffix: boolean
  /** After a narrative key: fail when the bracket text is a defined link reference (then it is a link). */
  yieldToDefinedReference: boolean
  /** Fail when `[` or `(` follows the closing `]` (pandoc's `bareloc`: that is a link). */
  yieldToFollowingLink: boolean
  /**
   * Fail when `(` or `{` follows the closing `]`: `[@a](url)` is a link and `[@a]{.class}` a span, each holding the
   * citation (see the citations transform), as in pandoc.
   */
  yieldToLinkOrSpan?: boolean
  /** The first item must start right after `[` with `@` (`![@key]`). */
  requireKeyFirst: boolean
}

function tokenizeBracketedCitation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  // `^[` opens an inline note, never a citation.
  if (this.previous === codes.caret) return nok
  const brackets = createBracketsTokenizer(this, effects, closeCitation, nok, {
    startWithSuffix: false,
    yieldToDefinedReference: false,
    yieldToFollowingLink: false,
    yieldToLinkOrSpan: true,
    requireKeyFirst: false
  })
  return start

  function start(code: Code): State | undefined {
    effects.enter('citation')
    return brackets(code)
  }

  function closeCitation(code: Code): State | undefined {
    effects.exit('citation')
    return ok(code)
  }
}

function tokenizeCitationAfterExclamationMark(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  // pandoc tries images before citations: `![@fig:a](x.png)` is an image whose alt text cites.
  const brackets = createBracketsTokenizer(this, effects, closeCitation, nok, {
    startWithSuffix: false,
    yieldToDefinedReference: false,
    yieldToFollowingLink: true,
    requireKeyFirst: true
  })
  return start

  /** At `!`. */
  function start(code: Code): State | undefined {
    effects.enter('data')
    effects.consume(code)
    effects.exit('data')
    return atBracket
  }

  function atBracket(code: Code): State | undefined {
    if (code !== codes.leftSquareBracket) return nok(code)
    effects.enter('citation')
    return brackets(code)
  }

  function closeCitation(code: Code): State | undefined {
    effects.exit('citation')
    return ok(code)
  }
}

function tokenizeNarrativeCitation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const context = this
  return start

  /** At `@`. */
  function start(code: Code): State | undefined {
    if (!mayPrecedeKey.call(context, context.previous)) return nok(code)
    effects.enter('citation')
    return effects.attempt(key, afterKey, nok)(code)
  }

  function afterKey(code: Code): State | undefined {
    return effects.attempt([narrativeFurtherItems, narrativeLocator], end, end)(code)
  }

  function end(code: Code): State | undefined {
    effects.exit('citation')
    return ok(code)
  }
}

function tokenizeNarrativeFurtherItems(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return createSpaceThenBrackets(
    effects,
    nok,
    createBracketsTokenizer(this, effects, ok, nok, {
      startWithSuffix: false,
      yieldToDefinedReference: true,
      yieldToFollowingLink: false,
      requireKeyFirst: false
    })
  )
}

function tokenizeNarrativeLocator(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return createSpaceThenBrackets(
    effects,
    nok,
    createBracketsTokenizer(this, effects, ok, nok, {
      startWithSuffix: true,
      yieldToDefinedReference: true,
      yieldToFollowingLink: true,
      requireKeyFirst: false
    })
  )
}

/** Pandoc's `spnl` (spaces, at most one line ending, spaces) before the `[` after a narrative key. */
function createSpaceThenBrackets(effects: Effects, nok: State, brackets: State): State {
  let sawLineEnding = false
  let spaceOpen = false
  return space

  function space(code: Code): State | undefined {
    if (markdownSpace(code) || (markdownLineEnding(code) && !sawLineEnding)) {
      if (markdownLineEnding(code)) sawLineEnding = true
      if (!spaceOpen) {
        effects.enter('citationSpace')
        spaceOpen = true
      }
      effects.consume(code)
      return space
    }
    if (spaceOpen) effects.exit('citationSpace')
    if (code !== codes.leftSquareBracket) return nok(code)
    return brackets(code)
  }
}

/** The bracketed part of a citation, from `[` to `]`: items separated by `;`. The caller owns the `citation` token. */
function createBracketsTokenizer(
  context: TokenizeContext,
  effects: Effects,
  ok: State,
  nok: State,
  options: BracketsOptions
): State {
  /** Which part of an item the source being read belongs to. */
  let segment: 'prefix' | 'suffix' = options.startWithSuffix ? 'suffix' : 'prefix'
  let segmentOpen = false
  /** The open `chunkText` of the segment being read, and the one before it (chunks of one segment are linked). */
  let chunk: Token | undefined
  let previousChunk: Token | undefined
  /** Depth of `[…]` nested in a prefix or suffix (a link's text, say), where `;`, `]` and keys do not count. */
  let nestedBrackets = 0
  /** Depth of `(…)` right after a nested `]`: a link destination. */
  let destinationParentheses = 0
  /** Where the text inside the brackets starts, to compare it with link definitions. */
  let contentStart: Point | undefined
  /** Other `[` read so far (see `citationBracketsLimit`). */
  let otherBrackets = 0
  const codeSpan = codeSpanSource(effects, consumeSource, inside, nok)

  return open

  /** At `[`. */
  function open(code: Code): State | undefined {
    effects.enter('citationMarker')
    effects.consume(code)
    effects.exit('citationMarker')
    contentStart = context.now()
    return afterOpen
  }

  function afterOpen(code: Code): State | undefined {
    // `[^id]` is a footnote call.
    if (code === codes.caret) return nok(code)
    if (options.requireKeyFirst && code !== codes.atSign) return nok(code)
    return inside(code)
  }

  /** Anywhere between the brackets. */
  function inside(code: Code): State | undefined {
    // The paragraph ended before the brackets closed.
    if (code === codes.eof) return nok(code)

    if (code === codes.backslash) {
      consumeSource(code)
      return afterBackslash
    }
    if (code === codes.graveAccent) {
      return codeSpan(code)
    }
    if (code === codes.lessThan) {
      return effects.check(autolinkAhead, autolink, plain)(code)
    }
    if (code === codes.leftSquareBracket && ++otherBrackets > citationBracketsLimit) return nok(code)

    if (destinationParentheses > 0) {
      if (code === codes.leftParenthesis) destinationParentheses++
      if (code === codes.rightParenthesis) destinationParentheses--
      return plain(code)
    }

    if (nestedBrackets > 0) {
      if (code === codes.leftSquareBracket) nestedBrackets++
      if (code === codes.rightSquareBracket) {
        nestedBrackets--
        if (nestedBrackets === 0) {
          consumeSource(code)
          return afterNestedBrackets
        }
      }
      return plain(code)
    }

    if (code === codes.leftSquareBracket) {
      nestedBrackets++
      return plain(code)
    }

    if (segment === 'prefix') {
      // A `]` before any key: these brackets are not a citation.
      if (code === codes.rightSquareBracket) return nok(code)
      if (code === codes.atSign || code === codes.dash) {
        return effects.check(key, atKey, plain)(code)
      }
      if (code === codes.semicolon) {
        return effects.check(separatedKeyAhead, nok, plain)(code)
      }
      return plain(code)
    }

    if (code === codes.semicolon) return separator(code)
    if (code === codes.rightSquareBracket) return close(code)
    return plain(code)
  }

  /** Consume one code of prefix or suffix source and go on. */
  function plain(code: Code): State | undefined {
    consumeSource(code)
    return inside
  }

  function afterBackslash(code: Code): State | undefined {
    if (asciiPunctuation(code)) return plain(code)
    return inside(code)
  }

  function afterNestedBrackets(code: Code): State | undefined {
    if (code === codes.leftParenthesis) {
      destinationParentheses = 1
      return plain(code)
    }
    return inside(code)
  }

  /** In `<…>`, which the lookahead found closed on this line. */
  function autolink(code: Code): State | undefined {
    if (code === codes.leftSquareBracket && ++otherBrackets > citationBracketsLimit) return nok(code)
    consumeSource(code)
    return code === codes.greaterThan ? inside : autolink
  }

  /** At the `-` or `@` of a key that the lookahead accepted. */
  function atKey(code: Code): State | undefined {
    closeSegment()
    return effects.attempt(key, afterKey, nok)(code)
  }

  function afterKey(code: Code): State | undefined {
    segment = 'suffix'
    return inside(code)
  }

  /** At `;` after a suffix: the next item starts. */
  function separator(code: Code): State | undefined {
    closeSegment()
    effects.enter('citationMarker')
    effects.consume(code)
    effects.exit('citationMarker')
    segment = 'prefix'
    return inside
  }

  /** At the closing `]`. */
  function close(code: Code): State | undefined {
    closeSegment()
    if (options.yieldToDefinedReference && contentStart) {
      const label = context.sliceSerialize({start: contentStart, end: context.now()})
      if (context.parser.defined.includes(normalizeIdentifier(label))) return nok(code)
    }
    effects.enter('citationMarker')
    effects.consume(code)
    effects.exit('citationMarker')
    return options.yieldToFollowingLink ? afterClose : options.yieldToLinkOrSpan ? beforeLinkOrSpan : ok
  }

  function beforeLinkOrSpan(code: Code): State | undefined {
    if (code === codes.leftParenthesis || code === codes.leftCurlyBrace) return nok(code)
    return ok(code)
  }

  function afterClose(code: Code): State | undefined {
    if (code === codes.leftSquareBracket || code === codes.leftParenthesis) return nok(code)
    return ok(code)
  }

  /**
   * One chunk of text content per line, ending with its line ending: micromark hands a paragraph's text over line by
   * line and divides the events between the lines again where a token ends on a later line than it starts.
   */
  function consumeSource(code: Code): void {
    if (!segmentOpen) {
      effects.enter(segment === 'prefix' ? 'citationPrefix' : 'citationSuffix')
      segmentOpen = true
    }
    if (!chunk) {
      chunk = effects.enter('chunkText', {contentType: 'text', previous: previousChunk})
      if (previousChunk) previousChunk.next = chunk
    }
    effects.consume(code)
    if (markdownLineEnding(code)) closeChunk()
  }

  function closeChunk(): void {
    if (!chunk) return
    effects.exit('chunkText')
    previousChunk = chunk
    chunk = undefined
  }

  function closeSegment(): void {
    if (!segmentOpen) return
    closeChunk()
    previousChunk = undefined
    effects.exit(segment === 'prefix' ? 'citationPrefix' : 'citationSuffix')
    segmentOpen = false
  }
}

/** `-@key`, `@key`, `@{key}` (pandoc's `citeKey`). */
function tokenizeKey(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const context = this
  let braceDepth = 0
  let valueOpen = false
  return start

  /** At `-` or `@`. */
  function start(code: Code): State | undefined {
    if (!mayPrecedeKey.call(context, context.previous)) return nok(code)
    effects.enter('citationKey')
    if (code === codes.dash) {
      effects.enter('citationKeySuppressMarker')
      effects.consume(code)
      effects.exit('citationKeySuppressMarker')
      return atSign
    }
    return atSign(code)
  }

  function atSign(code: Code): State | undefined {
    if (code !== codes.atSign) return nok(code)
    effects.enter('citationKeyMarker')
    effects.consume(code)
    effects.exit('citationKeyMarker')
    return first
  }

  function first(code: Code): State | undefined {
    if (code === codes.leftCurlyBrace) {
      effects.enter('citationKeyBraceMarker')
      effects.consume(code)
      effects.exit('citationKeyBraceMarker')
      return braced
    }
    // pandoc's `simpleCiteIdentifier`: a key may also start with `*`, for `nocite: '@*'` (every entry).
    if (!isKeyCharacter(code) && code !== codes.asterisk) return nok(code)
    effects.enter('citationKeyValue')
    effects.consume(code)
    return rest
  }

  function rest(code: Code): State | undefined {
    if (isKeyCharacter(code)) {
      effects.consume(code)
      return rest
    }
    if (isKeyPunctuation(code)) return effects.attempt(internalPunctuation, rest, end)(code)
    return end(code)
  }

  function end(code: Code): State | undefined {
    effects.exit('citationKeyValue')
    effects.exit('citationKey')
    return ok(code)
  }

  /** Inside `@{…}`: anything but white space, with balanced braces. */
  function braced(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEndingOrSpace(code)) return nok(code)
    if (code === codes.rightCurlyBrace) {
      if (braceDepth === 0) {
        // `@{}` names no key.
        if (!valueOpen) return nok(code)
        effects.exit('citationKeyValue')
        effects.enter('citationKeyBraceMarker')
        effects.consume(code)
        effects.exit('citationKeyBraceMarker')
        effects.exit('citationKey')
        return ok
      }
      braceDepth--
    }
    if (code === codes.leftCurlyBrace) braceDepth++
    if (!valueOpen) {
      effects.enter('citationKeyValue')
      valueOpen = true
    }
    effects.consume(code)
    return braced
  }
}

function tokenizeInternalPunctuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let punctuation: Code = null
  return start

  function start(code: Code): State | undefined {
    punctuation = code
    effects.consume(code)
    return after
  }

  function after(code: Code): State | undefined {
    if (isKeyCharacter(code)) return ok(code)
    // `@https://example.org/x`: `:` and `/` stay in the key before a `/`.
    if ((punctuation === codes.colon || punctuation === codes.slash) && code === codes.slash) return ok(code)
    return nok(code)
  }
}

function tokenizeSeparatedKeyAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let sawLineEnding = false
  return start

  /** At `;`. */
  function start(code: Code): State | undefined {
    effects.enter('citationLookahead')
    effects.consume(code)
    return space
  }

  function space(code: Code): State | undefined {
    if (markdownSpace(code) || (markdownLineEnding(code) && !sawLineEnding)) {
      if (markdownLineEnding(code)) sawLineEnding = true
      effects.consume(code)
      return space
    }
    effects.exit('citationLookahead')
    if (code !== codes.atSign && code !== codes.dash) return nok(code)
    return effects.attempt(key, ok, nok)(code)
  }
}

/** `<…>` closed on the same line with no white space inside: an autolink or a simple HTML tag. */
function tokenizeAutolinkAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let size = 0
  return start

  function start(code: Code): State | undefined {
    effects.enter('citationLookahead')
    effects.consume(code)
    return inside
  }

  function inside(code: Code): State | undefined {
    if (code === codes.greaterThan && size > 0) {
      effects.consume(code)
      effects.exit('citationLookahead')
      return ok
    }
    if (code === codes.eof || code === codes.lessThan || code === codes.greaterThan || markdownLineEndingOrSpace(code)) {
      return nok(code)
    }
    size++
    effects.consume(code)
    return inside
  }
}

/**
 * May a key start after this character? Not after a letter, digit or `.` (pandoc's `notAfterString`), so that
 * `andrew.heiss@duke.edu` stays text.
 */
function mayPrecedeKey(this: TokenizeContext, code: Code): boolean {
  return code === codes.eof || code < 0 || !(code === codes.dot || isAlphanumeric(code))
}

/** Letters, digits and `_` (Haskell's `isAlphaNum`, which is Unicode-aware, plus `_`). */
function isKeyCharacter(code: Code): boolean {
  return code !== null && code >= 0 && (code === codes.underscore || isAlphanumeric(code))
}

const keyPunctuation = new Set<number>([
  codes.colon,
  codes.dot,
  codes.numberSign,
  codes.dollarSign,
  codes.percentSign,
  codes.ampersand,
  codes.dash,
  codes.plusSign,
  codes.questionMark,
  codes.lessThan,
  codes.greaterThan,
  codes.tilde,
  codes.slash
])

function isKeyPunctuation(code: Code): boolean {
  return code !== null && keyPunctuation.has(code)
}

const unicodeAlphanumeric = /^[\p{L}\p{N}]$/u

function isAlphanumeric(code: number): boolean {
  if (code < 128) {
    return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122)
  }
  // micromark hands over UTF-16 code units: take a surrogate (half of a letter outside the BMP, most likely) as a
  // letter, since the pair cannot be seen from one half.
  if (code >= 0xd800 && code <= 0xdfff) return true
  return unicodeAlphanumeric.test(String.fromCharCode(code))
}
