/** Haskell's `isAlphaNum`, which pandoc's reader asks of a character: a letter or digit of any script. */
import {asciiAlphanumeric} from 'micromark-util-character'
import type {Code} from 'micromark-util-types'

const letterOrDigit = /[\p{L}\p{N}]/u

/** Whether a micromark code is a letter or digit (one half of a surrogate pair counts: a letter beyond the BMP). */
export function unicodeAlphanumeric(code: Code): boolean {
  if (code === null || code < 0) return false
  if (code < 128) return asciiAlphanumeric(code)
  return (code >= 0xd800 && code <= 0xdfff) || letterOrDigit.test(String.fromCharCode(code))
}
