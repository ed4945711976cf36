/**
 * Micromark extension for autolinks as pandoc reads them, replacing CommonMark's (`autolink`):
 *
 * - `<scheme:…>` as in CommonMark (a scheme of 2 to 32 characters, then anything but white space, `<` and `>`);
 * - `<mailbox@domain…>` as pandoc's e-mail addresses: words of letters, digits (of any script: `<测@foo.测.baz>`)
 *   and `!"#$%&'*+-/=?^_{|}~;`, each starting with a letter or digit and joined by single dots, then `@`, a letter,
 *   digit or `-`, and anything but white space, `<` and `>` up to `>`;
 * - in both, character references are decoded (`<http://g&ouml;&ouml;gle.com>` is göögle.com) and a backslash is a
 *   backslash, as in pandoc.
 *
 * The tokens are CommonMark's (`autolink`, `autolinkMarker`, `autolinkProtocol` or `autolinkEmail`), holding `data`
 * and `characterReference` tokens. A scan stops at the next `<`, so a paragraph of `<` without `>` stays linear.
 */
import {characterReference} from 'micromark-core-commonmark'
import {asciiAlpha, asciiAlphanumeric, asciiControl, markdownLineEndingOrSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {unicodeAlphanumeric} from '../shared/alphanumeric.ts'

export const pandocAutolinkConstruct: Construct = {name: 'pandocAutolink', tokenize: tokenizeAutolink}

/** The micromark syntax extension: register with `micromark({extensions: [pandocAutolink()]})`. */
export function pandocAutolink(): Extension {
  return {text: {[codes.lessThan]: pandocAutolinkConstruct}, disable: {null: ['autolink']}}
}

const emailPunctuation = new Set([...'!"#$%&\'*+-/=?^_{|}~;'].map((character) => character.charCodeAt(0)))
function tokenizeAutolink(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let kind: 'autolinkProtocol' | 'autolinkEmail' = 'autolinkProtocol'
  return start

  function start(code: Code): State | undefined {
    if (code !== codes.lessThan) return nok(code)
    effects.enter('autolink')
    effects.enter('autolinkMarker')
    effects.consume(code)
    effects.exit('autolinkMarker')
    return open
  }

  function open(code: Code): State | undefined {
    if (asciiAlpha(code)) return effects.check(schemeAhead, protocol, mailbox)(code)
    return mailbox(code)
  }

  /** A scheme and `:` follow: the URL runs to `>`. */
  function protocol(code: Code): State | undefined {
    kind = 'autolinkProtocol'
    effects.enter(kind)
    return rest(code)
  }

  function mailbox(code: Code): State | undefined {
    kind = 'autolinkEmail'
    if (!unicodeAlphanumeric(code)) return nok(code)
    effects.enter(kind)
    effects.enter('data')
    effects.consume(code)
    return mailboxWord
  }

  function mailboxWord(code: Code): State | undefined {
    if (unicodeAlphanumeric(code) || (code !== null && emailPunctuation.has(code))) {
      effects.consume(code)
      return mailboxWord
    }
    if (code === codes.dot) {
      effects.consume(code)
      return mailboxWordStart
    }
    if (code === codes.atSign) {
      effects.consume(code)
      return domainStart
    }
    return nok(code)
  }

  function mailboxWordStart(code: Code): State | undefined {
    if (!unicodeAlphanumeric(code)) return nok(code)
    effects.consume(code)
    return mailboxWord
  }

  function domainStart(code: Code): State | undefined {
    if (!unicodeAlphanumeric(code) && code !== codes.dash) return nok(code)
    effects.consume(code)
    return restData
  }

  /** After the scheme or the domain's first character: anything but white space, `<`, `>` and controls, to `>`. */
  function rest(code: Code): State | undefined {
    if (code === codes.greaterThan) return close(code)
    if (code === codes.ampersand) return effects.attempt(characterReference, rest, ampersand)(code)
    if (code === null || code === codes.lessThan || markdownLineEndingOrSpace(code) || asciiControl(code)) return nok(code)
    effects.enter('data')
    return restData(code)
  }

  function restData(code: Code): State | undefined {
    if (code === null || code === codes.greaterThan || code === codes.ampersand || code === codes.lessThan || markdownLineEndingOrSpace(code) || asciiControl(code)) {
      effects.exit('data')
      return rest(code)
    }
    effects.consume(code)
    return restData
  }

  /** A `&` that starts no character reference is itself. */
  function ampersand(code: Code): State | undefined {
    effects.enter('data')
    effects.consume(code)
    return restData
  }

  function close(code: Code): State | undefined {
    effects.exit(kind)
    effects.enter('autolinkMarker')
    effects.consume(code)
    effects.exit('autolinkMarker')
    effects.exit('autolink')
    return ok
  }
}

/** A URL scheme ahead: 2 to 32 letters, digits, `+`, `-`, `.` starting with a letter, then `:` (CommonMark). */
const schemeAhead: Construct = {tokenize: tokenizeSchemeAhead, partial: true}

function tokenizeSchemeAhead(effects: Effects, ok: State, nok: State): State {
  let size = 0
  return (code) => {
    effects.enter('autolinkSchemeLookahead' as never)
    return scheme(code)
  }

  function scheme(code: Code): State | undefined {
    if (code === codes.colon && size >= 2) {
      effects.exit('autolinkSchemeLookahead' as never)
      return ok(code)
    }
    if ((code === codes.plusSign || code === codes.dash || code === codes.dot || asciiAlphanumeric(code)) && size < 32) {
      size++
      effects.consume(code)
      return scheme
    }
    return nok(code)
  }
}
