/**
 * Where inline math opened at a `$` closes, as pandoc reads it: the first `$` after it that is neither escaped
 * (`\$`) nor inside a `\text{…}` group whose braces balance (`$x = \text{the $n$th root}$` is one formula); the math
 * fails when that `$` follows whitespace or precedes a digit, or when there is none.
 *
 * Asked by reading ahead from each `$`, a `\text{` whose braces never balance, or a `$` inside a group, would send
 * every `$` to the end of the paragraph (`$\text{$}` repeated is quadratic). Here the first question in a text reads
 * to its end once and works out the answer for every `$` in it (backslash pairs and brace matches are the same from
 * wherever a reading starts, since it starts after a `$`); every later question there is answered from the notes.
 */
import {codes} from 'micromark-util-symbol'
import {asciiDigit, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {closingAhead} from '../shared/closing-ahead.ts'

/** Where inline math opened at a `$` closes (see ../shared/closing-ahead.ts). */
export const closingDollar = closingAhead('closingDollar', closingDollars)

const fail = -1

/** For every `$` in `text`, the offset where inline math opened there closes (or -1), in one pass each way. */
function closingDollars(text: number[], offsets: number[]): Map<number, number> {
  const size = text.length
  const whitespace = (index: number) => markdownSpace(text[index]) || markdownLineEnding(text[index])

  // Which characters a backslash escapes, and which `}` closes each `{` (skipping escaped braces).
  const escaped = new Uint8Array(size)
  const braceMatch = new Int32Array(size).fill(fail)
  const open: number[] = []
  for (let index = 0; index < size; index++) {
    if (escaped[index]) continue
    const code = text[index]
    if (code === codes.backslash) {
      if (index + 1 < size) escaped[index + 1] = 1
    } else if (code === codes.leftCurlyBrace) open.push(index)
    else if (code === codes.rightCurlyBrace && open.length > 0) braceMatch[open.pop()!] = index
  }

  // From each index, read as math content: the first `$` not escaped nor inside a balanced `\text{…}`, or -1.
  const nextDollar = new Int32Array(size + 1).fill(fail)
  for (let index = size - 1; index >= 0; index--) {
    const code = text[index]
    if (code === codes.dollarSign) nextDollar[index] = index
    else if (code !== codes.backslash) nextDollar[index] = nextDollar[index + 1]
    else if (index + 1 >= size) nextDollar[index] = fail
    else {
      const group = startsTextGroup(text, index) ? braceMatch[index + 5] : fail
      const resume = group === fail ? index + 2 : group + 1
      nextDollar[index] = resume >= size ? fail : nextDollar[resume]
    }
  }

  const closes = new Map<number, number>()
  for (let index = 0; index < size; index++) {
    if (text[index] !== codes.dollarSign) continue
    let close = index + 1 < size && !whitespace(index + 1) && text[index + 1] !== codes.dollarSign ? nextDollar[index + 1] : fail
    // The closing `$` follows no (unescaped) whitespace and precedes no digit.
    if (close !== fail && whitespace(close - 1) && !escaped[close - 1]) close = fail
    if (close !== fail && close + 1 < size && asciiDigit(text[close + 1])) close = fail
    closes.set(offsets[index], close === fail ? fail : offsets[close])
  }
  return closes
}

const textGroup = [codes.backslash, codes.lowercaseT, codes.lowercaseE, codes.lowercaseX, codes.lowercaseT, codes.leftCurlyBrace]

/** Whether `\text{` starts at `index`. */
function startsTextGroup(text: number[], index: number): boolean {
  for (let offset = 0; offset < textGroup.length; offset++) if (text[index + offset] !== textGroup[offset]) return false
  return true
}
