/**
 * Where a link or definition title opened at `"`, `'` or `(` closes, as pandoc reads titles: quotes nest, so
 * `"title with "quotes" in it"` is one title. A quote followed by a letter or digit opens a title inside the title;
 * any other closes the innermost one (an escaped quote is text); `(…)` counts balanced parentheses. The opening
 * mark must not be followed by white space.
 *
 * Read from each opening mark, a title whose quotes never balance would send every `](` of a paragraph to its end.
 * Here the first question in a text reads to its end once and answers for every mark in it (the depth walk is the
 * same from wherever it starts: a title closes at the first mark after it where the running count falls below its
 * own, found for all marks at once with a stack); every later question there is answered from the notes.
 */
import {codes} from 'micromark-util-symbol'
import {markdownLineEndingOrSpace} from 'micromark-util-character'
import {closingAhead} from '../shared/closing-ahead.ts'
import {unicodeAlphanumeric} from '../shared/alphanumeric.ts'

/** Where a title opened at a mark closes (see ../shared/closing-ahead.ts). */
export const closingMark = closingAhead('closingMark', closingMarks)

/** For every `"`, `'` and `(` in `text` that may open a title, the offset of its closing mark (or -1). */
function closingMarks(text: number[], offsets: number[]): Map<number, number> {
  const escaped = new Uint8Array(text.length)
  for (let index = 0; index < text.length; index++) {
    if (!escaped[index] && text[index] === codes.backslash && index + 1 < text.length) escaped[index + 1] = 1
  }
  const closes = new Map<number, number>()
  for (const mark of [codes.quotationMark, codes.apostrophe]) {
    closeMarks(text, offsets, escaped, closes, (index) => (text[index] !== mark ? 0 : unicodeAlphanumeric(text[index + 1] ?? null) ? 1 : -1), mark)
  }
  closeMarks(text, offsets, escaped, closes, (index) => (text[index] === codes.leftParenthesis ? 1 : text[index] === codes.rightParenthesis ? -1 : 0), codes.leftParenthesis)
  return closes
}

/**
 * With `step` +1 at a mark that opens a nested title, -1 at one that closes, 0 elsewhere: each `opener` mark closes
 * at the first mark after it where the running count falls below the count just after it.
 */
function closeMarks(text: number[], offsets: number[], escaped: Uint8Array, closes: Map<number, number>, step: (index: number) => number, opener: number): void {
  const marks: number[] = []
  const counts: number[] = []
  let count = 0
  for (let index = 0; index < text.length; index++) {
    if (escaped[index]) continue
    const change = step(index)
    if (change === 0) continue
    count += change
    marks.push(index)
    counts.push(count)
  }
  // A title opened at mark `a` closes at the first mark `b` after it where the steps since `a` sum to -1, that is
  // where counts[b] < counts[a]: the next smaller count, found for every mark by one walk back with a stack.
  const stack: number[] = []
  for (let position = marks.length - 1; position >= 0; position--) {
    const index = marks[position]
    while (stack.length > 0 && counts[stack[stack.length - 1]] >= counts[position]) stack.pop()
    if (text[index] === opener) {
      const next = text[index + 1] ?? null
      const opens = next !== null && !markdownLineEndingOrSpace(next)
      closes.set(offsets[index], opens && stack.length > 0 ? offsets[marks[stack[stack.length - 1]]] : -1)
    }
    stack.push(position)
  }
}
