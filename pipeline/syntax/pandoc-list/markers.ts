/**
 * Pandoc's ordered list markers (`fancy_lists`, `startnum`, `example_lists`): what a marker's value (`3`, `c`, `iv`,
 * `#`, `@label`) means, given its delimiter and, for a later item, the style its list already has. The tokenizer
 * (./syntax.ts) reads the value and delimiter; this module only classifies what it read.
 *
 * As pandoc decides it: digits are decimal; `#` is the default style (and continues a list of any style); `@` with
 * an optional label is an example; a single `i`/`I` is a roman one, any other single letter alphabetic (`c` is 3,
 * `v` is 22), several letters a roman numeral (`iv`, `XII`). Later items must be of the list's style: in a roman
 * list `v` is 5, in an alphabetic one `ii` is not an item.
 */

/** pandoc's ListNumberStyle. */
export type ListNumberStyle = 'default' | 'example' | 'decimal' | 'lowerRoman' | 'upperRoman' | 'lowerAlpha' | 'upperAlpha'
/** pandoc's ListNumberDelim: `#.` is the default delimiter, `1.` a period, `1)` one parenthesis, `(1)` two. */
export type ListNumberDelimiter = 'default' | 'period' | 'oneParen' | 'twoParens'

export interface ListMarker {
  style: ListNumberStyle
  delimiter: ListNumberDelimiter
  /** The number the marker stands for (1 for `#` and for every example: examples are numbered later). */
  number: number
  /** An example's label (`good` in `(@good)`), empty for `(@)`. */
  exampleLabel?: string
}

/** Letters a marker value may have (roman numerals are the longest: `mmmdccclxxxviii`). */
export const maxLetterValueSize = 16
/** Digits a decimal marker may have (micromark's limit: larger numbers are not exact). */
export const maxDigitValueSize = 9

/**
 * The marker a value and delimiter character make, or undefined where they make none. `opened` is true for `(1)`.
 * `listStyle`/`listDelimiter` are those of the list the item would continue (undefined for a new list).
 */
export function classifyMarker(value: string, opened: boolean, closing: '.' | ')', listStyle?: ListNumberStyle, listDelimiter?: ListNumberDelimiter): ListMarker | undefined {
  if (opened && closing !== ')') return undefined
  const delimiter: ListNumberDelimiter = opened ? 'twoParens' : closing === ')' ? 'oneParen' : 'period'
  const marker = listStyle === undefined ? newListMarker(value, delimiter) : continuingMarker(value, delimiter, listStyle)
  if (!marker) return undefined
  if (listDelimiter !== undefined && delimiterOf(listDelimiter) !== delimiterOf(marker.delimiter)) return undefined
  return marker
}

/** `#.` has the default delimiter, which is a period. */
function delimiterOf(delimiter: ListNumberDelimiter): ListNumberDelimiter {
  return delimiter === 'default' ? 'period' : delimiter
}

function newListMarker(value: string, delimiter: ListNumberDelimiter): ListMarker | undefined {
  if (value === '#') return {style: 'default', delimiter: delimiter === 'period' ? 'default' : delimiter, number: 1}
  if (value.startsWith('@')) return {style: 'example', delimiter, number: 1, exampleLabel: value.slice(1)}
  if (isDigits(value)) return {style: 'decimal', delimiter, number: Number.parseInt(value, 10)}
  if (value === 'i') return {style: 'lowerRoman', delimiter, number: 1}
  if (value === 'I') return {style: 'upperRoman', delimiter, number: 1}
  if (/^[a-z]$/.test(value)) return {style: 'lowerAlpha', delimiter, number: value.charCodeAt(0) - 96}
  if (/^[A-Z]$/.test(value)) return {style: 'upperAlpha', delimiter, number: value.charCodeAt(0) - 64}
  const lower = romanValue(value, false)
  if (lower !== undefined) return {style: 'lowerRoman', delimiter, number: lower}
  const upper = romanValue(value, true)
  if (upper !== undefined) return {style: 'upperRoman', delimiter, number: upper}
  return undefined
}

function continuingMarker(value: string, delimiter: ListNumberDelimiter, style: ListNumberStyle): ListMarker | undefined {
  // `#` continues a list of any style.
  if (value === '#') return {style, delimiter, number: 1}
  switch (style) {
    case 'default':
    case 'decimal':
      return isDigits(value) ? {style, delimiter, number: Number.parseInt(value, 10)} : undefined
    case 'example':
      return value.startsWith('@') ? {style, delimiter, number: 1, exampleLabel: value.slice(1)} : undefined
    case 'lowerAlpha':
      return /^[a-z]$/.test(value) ? {style, delimiter, number: value.charCodeAt(0) - 96} : undefined
    case 'upperAlpha':
      return /^[A-Z]$/.test(value) ? {style, delimiter, number: value.charCodeAt(0) - 64} : undefined
    case 'lowerRoman':
    case 'upperRoman': {
      const number = romanValue(value, style === 'upperRoman')
      return number === undefined ? undefined : {style, delimiter, number}
    }
  }
}

function isDigits(value: string): boolean {
  return value.length > 0 && /^[0-9]+$/.test(value)
}

/**
 * The value of a roman numeral written in one case, read as pandoc reads one: thousands, then hundreds (`cm`, `d`,
 * `cd`, `c`…), tens and ones, each group optional; undefined unless the whole value is read and is not zero.
 */
export function romanValue(value: string, upper: boolean): number | undefined {
  const text = upper ? value : value.toUpperCase()
  if (upper ? text !== value : value !== value.toLowerCase()) return undefined
  let index = 0
  let total = 0
  const take = (numeral: string, amount: number): boolean => {
    if (!text.startsWith(numeral, index)) return false
    index += numeral.length
    total += amount
    return true
  }
  const many = (numeral: string, amount: number): void => {
    while (take(numeral, amount));
  }
  many('M', 1000)
  take('CM', 900)
  take('D', 500)
  take('CD', 400)
  many('C', 100)
  take('XC', 90)
  take('L', 50)
  take('XL', 40)
  many('X', 10)
  take('IX', 9)
  take('V', 5)
  take('IV', 4)
  many('I', 1)
  return index === text.length && total > 0 ? total : undefined
}

/**
 * pandoc reads `B. Russell` and `I. Kant` as a name, not a list item: after a capital letter (or a one-letter
 * roman numeral: I, V, X, L, C, D, M) and a period, a list item needs two spaces (or nothing else on the line).
 */
export function needsTwoSpaces(marker: ListMarker): boolean {
  if (marker.delimiter !== 'period') return false
  return marker.style === 'upperAlpha' || (marker.style === 'upperRoman' && [1, 5, 10, 50, 100, 500, 1000].includes(marker.number))
}

/** The value written for number `number` in `style` (`c`, `iv`, `3`), as a marker in Markdown. */
export function markerValue(style: ListNumberStyle, number: number): string {
  switch (style) {
    case 'lowerAlpha':
    case 'upperAlpha': {
      const letter = String.fromCharCode(96 + (((number - 1) % 26) + 26) % 26 + 1)
      return style === 'upperAlpha' ? letter.toUpperCase() : letter
    }
    case 'lowerRoman':
    case 'upperRoman': {
      const roman = toRoman(number)
      return style === 'lowerRoman' ? roman.toLowerCase() : roman
    }
    case 'default':
      return '#'
    case 'example':
      return '@'
    case 'decimal':
      return String(number)
  }
}

function toRoman(number: number): string {
  const numerals: Array<[string, number]> = [['M', 1000], ['CM', 900], ['D', 500], ['CD', 400], ['C', 100], ['XC', 90], ['L', 50], ['XL', 40], ['X', 10], ['IX', 9], ['V', 5], ['IV', 4], ['I', 1]]
  let rest = Math.max(1, Math.min(number, 3999))
  let result = ''
  for (const [numeral, amount] of numerals) {
    while (rest >= amount) {
      result += numeral
      rest -= amount
    }
  }
  return result
}
