/**
 * What counts as a placeholder word, and the author's own patterns from `manuscript.yaml`.
 *
 * Built in: TODO and FIXME in any case; TBD and TK in capitals; runs of two or more capital X or Y (`XX`, `XXX`,
 * `YYY`). Each must stand as a word: no letter, digit or `_` directly before or after it, so `TODOS`, `MYTODO`,
 * `XXL` and `todo_list` are not placeholders, while `XX%` and `(TODO)` are. A run of Y or X that is part of a date
 * format (`YYYY-MM-DD`, `DD/MM/YY`) is not a placeholder either.
 */

export interface WordMatch {
  /** Offset of the first character in the scanned text. */
  index: number
  text: string
  /** The configured pattern that matched (as written), for author patterns; undefined for the built-in words. */
  pattern?: string
}

const wordEnd = '(?![\\p{L}\\p{N}_])'
// The character before a word is checked in code: a leading lookbehind would be tried at every position of the
// text, which made this scan most of the time `check` spends on a long manuscript.
const anyCase = new RegExp(`(?:todo|fixme)${wordEnd}`, 'giu')
const capitals = new RegExp(`(?:TBD|TK|X{2,}|Y{2,})${wordEnd}`, 'gu')
/** A letter, digit or `_` ending the (two code units of) text before a word. */
const wordBefore = /[\p{L}\p{N}_]$/u
/** `YYYY-MM-DD`, `DD.MM.YY`, `MM/DD/YYYY`: a run next to MM or DD through `-`, `/` or `.` is a date format. */
const dateNeighbourBefore = /(?:MM|DD)[-/.]$/
const dateNeighbourAfter = /^[-/.](?:MM|DD)/

/** A pattern as written in the config: `source`, or `/source/flags` to give flags (`i`, `s`, `u`). */
export function compilePattern(written: string): RegExp {
  const literal = /^\/(.+)\/([isu]*)$/s.exec(written)
  const source = literal ? literal[1] : written
  const flags = new Set(['g', ...(literal ? literal[2] : 'u')])
  const pattern = new RegExp(source, [...flags].join(''))
  if (pattern.test('')) throw new SyntaxError('it matches empty text, so it would match everywhere')
  return pattern
}

/** The built-in placeholder words in `text`, in order. */
export function findPlaceholderWords(text: string): WordMatch[] {
  const found: WordMatch[] = []
  for (const expression of [anyCase, capitals]) {
    expression.lastIndex = 0
    for (const match of text.matchAll(expression)) {
      const index = match.index ?? 0
      if (wordBefore.test(text.slice(Math.max(0, index - 2), index))) continue
      if (expression === capitals && isDateFormat(text, index, match[0])) continue
      found.push({index, text: match[0]})
    }
  }
  return found.sort((a, b) => a.index - b.index)
}

function isDateFormat(text: string, index: number, word: string): boolean {
  if (word[0] !== 'Y' && word[0] !== 'X') return false
  return dateNeighbourBefore.test(text.slice(Math.max(0, index - 3), index)) || dateNeighbourAfter.test(text.slice(index + word.length, index + word.length + 3))
}
