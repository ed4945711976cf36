/**
 * Pandoc's ordered list items (`fancy_lists`, `startnum`, `example_lists`): `1.`, `1)`, `(1)`, `a.`, `A)`, `(iv)`,
 * `IX.`, `#.` and examples `(@)`, `(@label)`, `@.`. A list keeps the style and delimiter of its first item: an item
 * of another style or delimiter ends it and starts a new list, as pandoc's "consecutive lists" do; `#` continues a
 * list of any style. `B. Russell` is no list item (after a capital letter and a period pandoc wants two spaces).
 *
 * `fancyListStart(list)` is micromark's list construct (`list`, or one that calls it) whose item start reads these
 * markers; bullet items (`*`, `+`, `-`) are left to `list`. It keeps micromark's container state (`type`, `size`,
 * `initialBlankLine`), so micromark's list continuation serves both, and its tokens are micromark's: a
 * `listItemPrefix` holding `listItemMarker` (the `(` and the delimiter), `listItemValue` (`iv`, `@label`) and
 * `listItemPrefixWhitespace`. The value token carries what it means (`_listMarker`), for the from-markdown layer.
 */
import {asciiAlpha, asciiAlphanumeric, asciiDigit, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {blankLine} from 'micromark-core-commonmark'
import {factorySpace} from 'micromark-factory-space'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'
import {classifyMarker, maxDigitValueSize, maxLetterValueSize, needsTwoSpaces, type ListMarker, type ListNumberDelimiter, type ListNumberStyle} from './markers.ts'

declare module 'micromark-util-types' {
  interface Token {
    /** On a `listItemValue` token of an ordered item: the style, delimiter and number its marker stands for. */
    _listMarker?: ListMarker
  }
  interface ContainerState {
    /** An ordered list's style and delimiter, from its first item. */
    _listStyle?: ListNumberStyle
    _listDelimiter?: ListNumberDelimiter
  }
}

/** The first characters an ordered list marker can start with, besides digits. */
export const fancyListStartCodes: number[] = [codes.leftParenthesis, codes.numberSign, codes.atSign, ...letterCodes()]

function letterCodes(): number[] {
  const result: number[] = []
  for (let code = codes.uppercaseA; code <= codes.uppercaseZ; code++) result.push(code)
  for (let code = codes.lowercaseA; code <= codes.lowercaseZ; code++) result.push(code)
  return result
}

const prefixWhitespace: Construct = {tokenize: tokenizePrefixWhitespace, partial: true}
const twoSpaces: Construct = {tokenize: tokenizeTwoSpaces, partial: true}
const pageNumber: Construct = {tokenize: tokenizePageNumber, partial: true}

export function fancyListStart(list: Construct): Construct {
  return {...list, tokenize: tokenizeFancyListStart}

  function tokenizeFancyListStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    const bulletOrOrdered = list.tokenize.call(self, effects, ok, nok)
    const tail = self.events[self.events.length - 1]
    const initialSize = tail && tail[1].type === types.linePrefix ? tail[2].sliceSerialize(tail[1], true).length : 0
    let value = ''
    let opened = false
    let marker: ListMarker | undefined
    return start

    function start(code: Code): State | undefined {
      const state = self.containerState!
      if (code === codes.asterisk || code === codes.plusSign || code === codes.dash) {
        // Any bullet continues a bullet list (`- a` then `* b` is one list), as in pandoc.
        if (state.type === types.listUnordered) state.marker = code
        return bulletOrOrdered(code)
      }
      if (state.type && state.type !== types.listOrdered) return nok(code)
      if (code !== codes.leftParenthesis && !asciiDigit(code) && !asciiAlpha(code) && code !== codes.numberSign && code !== codes.atSign) return nok(code)
      if (!state.type) {
        state.type = types.listOrdered
        effects.enter(types.listOrdered, {_container: true})
      }
      effects.enter(types.listItemPrefix)
      if (code === codes.leftParenthesis) {
        opened = true
        effects.enter(types.listItemMarker)
        effects.consume(code)
        effects.exit(types.listItemMarker)
        return valueStart
      }
      return valueStart(code)
    }

    function valueStart(code: Code): State | undefined {
      if (!asciiAlphanumeric(code) && code !== codes.numberSign && code !== codes.atSign) return nok(code)
      effects.enter(types.listItemValue)
      value = String.fromCharCode(code as number)
      effects.consume(code)
      if (code === codes.numberSign) return valueEnd
      if (code === codes.atSign) return exampleLabel
      return asciiDigit(code) ? digits : letters
    }

    function digits(code: Code): State | undefined {
      if (asciiDigit(code) && value.length < maxDigitValueSize) {
        value += String.fromCharCode(code as number)
        effects.consume(code)
        return digits
      }
      return valueEnd(code)
    }

    function letters(code: Code): State | undefined {
      if (asciiAlpha(code) && value.length < maxLetterValueSize) {
        value += String.fromCharCode(code as number)
        effects.consume(code)
        return letters
      }
      return valueEnd(code)
    }

    // An example's label: letters and digits, joined by single `-` or `_`.
    function exampleLabel(code: Code): State | undefined {
      if (asciiAlphanumeric(code)) {
        value += String.fromCharCode(code as number)
        effects.consume(code)
        return exampleLabel
      }
      if ((code === codes.dash || code === codes.underscore) && value.length > 1) {
        value += String.fromCharCode(code as number)
        effects.consume(code)
        return exampleLabelJoined
      }
      return valueEnd(code)
    }

    function exampleLabelJoined(code: Code): State | undefined {
      return asciiAlphanumeric(code) ? exampleLabel(code) : nok(code)
    }

    function valueEnd(code: Code): State | undefined {
      if (code !== codes.dot && code !== codes.rightParenthesis) return nok(code)
      const state = self.containerState!
      marker = classifyMarker(value, opened, code === codes.dot ? '.' : ')', state._listStyle, state._listDelimiter)
      // Unlike CommonMark, a sublist right under its item's first line may start at any number, as in pandoc (a list
      // interrupts no paragraph outside list items: ./interrupt.ts).
      if (!marker) return nok(code)
      const token = effects.exit(types.listItemValue)
      token._listMarker = marker
      effects.enter(types.listItemMarker)
      effects.consume(code)
      effects.exit(types.listItemMarker)
      if (value === 'p' && code === codes.dot && !opened) return effects.check(pageNumber, nok, afterMarker)
      return afterMarker
    }

    function afterMarker(code: Code): State | undefined {
      if (needsTwoSpaces(marker!) && markdownSpace(code)) return effects.check(twoSpaces, afterCheckedSpaces, nok)(code)
      return afterCheckedSpaces(code)
    }

    function afterCheckedSpaces(code: Code): State | undefined {
      return effects.check(blankLine, self.interrupt ? nok : onBlank, effects.attempt(prefixWhitespace, endOfPrefix, otherPrefix))(code)
    }

    function onBlank(code: Code): State | undefined {
      self.containerState!.initialBlankLine = true
      return endOfPrefix(code, 1)
    }

    // Five or more spaces: the item starts with indented code, one space belongs to the marker.
    function otherPrefix(code: Code): State | undefined {
      if (!markdownSpace(code)) return nok(code)
      effects.enter(types.listItemPrefixWhitespace)
      effects.consume(code)
      effects.exit(types.listItemPrefixWhitespace)
      return endOfPrefix
    }

    function endOfPrefix(code: Code, blank = 0): State | undefined {
      const state = self.containerState!
      const prefixSize = self.sliceSerialize(effects.exit(types.listItemPrefix), true).length
      state.size = initialSize + blank + prefixSize
      // Examples follow pandoc's four-space rule: four spaces continue an item, however long its marker.
      if (marker!.style === 'example') state.size = Math.min(state.size, initialSize + 4)
      state._listStyle ??= marker!.style
      state._listDelimiter ??= marker!.delimiter
      state.marker ??= marker!.delimiter === 'oneParen' || marker!.delimiter === 'twoParens' ? codes.rightParenthesis : codes.dot
      return ok(code)
    }
  }
}

/** One to four spaces after a marker, then content (micromark's rule for the space after a list marker). */
function tokenizePrefixWhitespace(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return factorySpace(effects, afterPrefix, types.listItemPrefixWhitespace, constants.tabSize + 1)

  function afterPrefix(code: Code): State | undefined {
    const tail = self.events[self.events.length - 1]
    return !markdownSpace(code) && tail && tail[1].type === types.listItemPrefixWhitespace ? ok(code) : nok(code)
  }
}

/** A space, then another space or the end of the line. */
function tokenizeTwoSpaces(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (code === codes.horizontalTab) return ok(code)
    effects.enter('listItemTwoSpacesLookahead' as never)
    effects.consume(code)
    return second
  }

  function second(code: Code): State | undefined {
    effects.exit('listItemTwoSpacesLookahead' as never)
    return markdownSpace(code) || markdownLineEnding(code) || code === codes.eof ? ok(code) : nok(code)
  }
}

/** After `p.`: a space and a digit, a page number (`p. 33`) rather than a list item, as pandoc reads it. */
function tokenizePageNumber(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (!markdownSpace(code)) return nok(code)
    effects.enter('listItemPageNumberLookahead' as never)
    effects.consume(code)
    return digit
  }

  function digit(code: Code): State | undefined {
    effects.exit('listItemPageNumberLookahead' as never)
    return asciiDigit(code) ? ok(code) : nok(code)
  }
}
