/**
 * Locators read from a citation's suffix as pandoc reads them (`, 153` → page 153; `p. 30`; `pp. 33-35`;
 * `chap. 3`; `§108`; `{ss IV div 4}` between braces; `pp. 33, 35-37, and nowhere else` → pages `33, 35-37`
 * with the rest kept as suffix). Labels are the locale's terms for the locator types (long, short and symbol
 * forms, singular and plural), so `chap.`, `chapter`, `chapters` and `§` all work in English.
 *
 * The suffix is split into tokens (each white-space and punctuation character alone, except `:`), then:
 * - `{label text}`: an explicit locator, the label optional (page by default);
 * - otherwise a label followed by locator words, or locator words that contain a digit (page implied).
 *   A locator word is a page sequence (`123`, `12A`, `xvii`, `33-44`, `1.2.3`) possibly wrapped in or followed
 *   by bracketed parts (`34(1)(a)`, `[17]`); words are joined by `,`/`;` and spaces. Words after a label need a
 *   digit or a roman numeral; words with an implied label need a digit.
 * What does not parse stays suffix; a suffix that starts with neither white space nor punctuation then gets
 * a leading ", " (pandoc's rule), so `[@a xi]`... becomes "…, xi".
 */

export interface ParsedLocator {
  /** CSL locator type (`page`, `chapter`, `section`…), or undefined when the suffix holds no locator. */
  label?: string
  /** The locator text, trimmed (`33, 35-37`); may be empty for `{}`. */
  locator?: string
  /** Number of characters of the input the locator used (the rest is the suffix). */
  consumed: number
  /** A ", " to put before the remaining suffix (pandoc adds one to a suffix that is plain text). */
  addComma: boolean
}

/** The CSL locator types pandoc recognises, in priority order (a form shared by two types goes to the first). */
export const locatorTypes = [
  'book', 'chapter', 'column', 'figure', 'folio', 'issue', 'line', 'note', 'opus', 'page', 'number-of-pages',
  'paragraph', 'part', 'section', 'sub verbo', 'sub-verbo', 'verse', 'volume'
] as const

/** Case-folded label form (`pp.`, `chapter`, `§`) → locator type. */
export type LocatorTerms = ReadonlyMap<string, string>

type Result<T> = {value: T; next: number} | undefined
type WordResult = Result<{digitLike: boolean; text: string}>

const isPunctuation = (char: string): boolean => /^\p{P}$/u.test(char)
const isWhiteSpace = (char: string): boolean => /^\s$/u.test(char)
const isLocatorPunctuation = (char: string): boolean => isPunctuation(char) && char !== '-' && char !== '\u2013' && char !== ':'
const isLocatorSeparator = (char: string): boolean => char === ',' || char === ';'
const romanNumeral = /^M*(?:CM)?D?(?:CD)?C*(?:XC)?L?(?:XL)?X*(?:IX)?V?(?:IV)?I*$/

export function parseLocator(suffix: string, terms: LocatorTerms): ParsedLocator {
  const tokens = tokenize(suffix)
  const parser = new LocatorParser(tokens, terms)
  const offsets: number[] = [0]
  for (const token of tokens) offsets.push(offsets[offsets.length - 1] + token.length)
  const parsed = parser.parse()
  if (!parsed) return {consumed: 0, addComma: needsComma(suffix)}
  const {label, locator, next} = parsed
  if (!label && !locator) return {consumed: offsets[next], addComma: needsComma(suffix.slice(offsets[next]))}
  return {label, locator: locator.trim(), consumed: offsets[next], addComma: false}
}

/** pandoc puts ", " before a suffix that starts with neither white space nor punctuation. */
function needsComma(text: string): boolean {
  if (text === '') return false
  const first = text[0]
  return !(isPunctuation(first) || first === ' ' || first === '\t' || first === '\n')
}

function tokenize(text: string): string[] {
  const tokens: string[] = []
  let word = ''
  for (const char of text) {
    if (isWhiteSpace(char) || (isPunctuation(char) && char !== ':')) {
      if (word) tokens.push(word)
      word = ''
      tokens.push(char)
    } else {
      word += char
    }
  }
  if (word) tokens.push(word)
  return tokens
}

class LocatorParser {
  constructor(
    private readonly tokens: string[],
    private readonly terms: LocatorTerms
  ) {}

  parse(): {label: string; locator: string; next: number} | undefined {
    let index = 0
    if (this.isChar(index, (char) => char === ',')) index++
    if (this.isSpace(index)) index++
    const found = this.delimited(index) ?? this.integrated(index)
    return found && {label: found.value.label, locator: found.value.locator, next: found.next}
  }

  private isChar(index: number, test: (char: string) => boolean): boolean {
    const token = this.tokens[index]
    return token !== undefined && [...token].length === 1 && test(token)
  }

  private isSpace(index: number): boolean {
    const token = this.tokens[index]
    return token !== undefined && isWhiteSpace(token[0])
  }

  /** `{label locator}` with balanced `{}`/`[]` inside. */
  private delimited(start: number): Result<{label: string; locator: string}> {
    if (!this.isChar(start, (char) => char === '{')) return undefined
    let index = start + 1
    while (this.isSpace(index)) index++
    const label = this.label(index, (at) => (at < this.tokens.length ? at + 1 : undefined))
    let labelName = 'page'
    if (label) {
      labelName = label.value
      index = label.next
    }
    let locator = ''
    for (;;) {
      const group = this.balanced(index, [['{', '}'], ['[', ']']], (at) => (at < this.tokens.length ? {value: {digitLike: true, text: this.tokens[at]}, next: at + 1} : undefined))
      if (!group) break
      locator += group.value.text
      index = group.next
    }
    if (!this.isChar(index, (char) => char === '}')) return undefined
    return {value: {label: labelName, locator}, next: index + 1}
  }

  /** A label then words that need a digit or roman numeral, or (no label) words that need a digit. */
  private integrated(start: number): Result<{label: string; locator: string}> {
    const explicit = this.label(start, (at) => this.requireRomansOrDigits(this.word(at, true))?.next)
    let label = 'page'
    let implicit = true
    let index = start
    if (explicit) {
      label = explicit.value
      implicit = false
      index = explicit.next
    } else if (!this.requireDigits(this.word(start, true))) {
      return undefined
    }
    const check = (result: WordResult): Result<string> => (implicit ? this.requireDigits(result) : this.requireRomansOrDigits(result))
    const first = check(this.word(index, !implicit))
    if (!first) return undefined
    let locator = first.value
    index = first.next
    for (let more = check(this.word(index, false)); more; more = check(this.word(index, false))) {
      locator += more.value
      index = more.next
    }
    return {value: {label, locator}, next: index}
  }

  private requireDigits(result: WordResult): Result<string> {
    return result && /\d/.test(result.value.text) ? {value: result.value.text, next: result.next} : undefined
  }

  private requireRomansOrDigits(result: WordResult): Result<string> {
    return result && result.value.digitLike ? {value: result.value.text, next: result.next} : undefined
  }

  /**
   * The longest run of tokens from `start` that is a locator term, given that what follows it must satisfy
   * `followedBy` (which returns where that follower ends, or undefined). Grows one token at a time, then up to
   * the next place the follower parses, as pandoc's parser does.
   */
  private label(start: number, followedBy: (at: number) => number | undefined, accumulated = ''): Result<string> {
    if (start >= this.tokens.length) return undefined
    let next = start + 1
    while (followedBy(next) === undefined) {
      if (next >= this.tokens.length) return undefined
      next++
    }
    const text = accumulated + this.tokens.slice(start, next).join('')
    const type = this.terms.get(text.trim().toLowerCase())
    const longer = this.label(next, followedBy, text)
    if (longer) return longer
    return type ? {value: type, next} : undefined
  }

  /** One locator word: an optional separator (not for the first word), an optional space, bracketed page sequences. */
  private word(start: number, isFirst: boolean): WordResult {
    let index = start
    let prefix = ''
    if (!isFirst && this.isChar(index, isLocatorSeparator)) {
      prefix += this.tokens[index]
      index++
    }
    if (this.isSpace(index)) {
      prefix += ' '
      index++
    }
    const body = this.balanced(index, [['(', ')'], ['[', ']'], ['{', '}']], (at) => this.pageSequence(at))
    return body && {value: {digitLike: body.value.digitLike, text: prefix + body.value.text}, next: body.next}
  }

  /** One or more of: `inner` (not starting at a bracket), or `open inner? close`. */
  private balanced(start: number, pairs: [string, string][], inner: (at: number) => WordResult): WordResult {
    const isBracket = (at: number): boolean => this.isChar(at, (char) => pairs.some(([open, close]) => char === open || char === close))
    const unbracketed = (at: number): WordResult => (isBracket(at) ? undefined : inner(at))
    const one = (at: number): WordResult => {
      for (const [open, close] of pairs) {
        if (!this.isChar(at, (char) => char === open)) continue
        const middle = unbracketed(at + 1)
        const after = middle ? middle.next : at + 1
        if (!this.isChar(after, (char) => char === close)) return undefined
        return {value: {digitLike: middle?.value.digitLike ?? false, text: open + (middle?.value.text ?? '') + close}, next: after + 1}
      }
      return unbracketed(at)
    }
    let result = one(start)
    if (!result) return undefined
    for (let more = one(result.next); more; more = one(more.next)) {
      result = {value: {digitLike: result.value.digitLike || more.value.digitLike, text: result.value.text + more.value.text}, next: more.next}
    }
    return result
  }

  /** `1`, `1.2.3`, `.2` (a trailing `.` is left out). */
  private pageSequence(start: number): WordResult {
    const withPeriod = (at: number): WordResult => {
      if (!this.isChar(at, (char) => char === '.')) return undefined
      const unit = this.pageUnit(at + 1)
      return unit && {value: {digitLike: unit.value.digitLike, text: '.' + unit.value.text}, next: unit.next}
    }
    let result = this.pageUnit(start)
    if (!result) return withPeriod(start)
    for (let more = withPeriod(result.next); more; more = withPeriod(more.next)) {
      result = {value: {digitLike: result.value.digitLike || more.value.digitLike, text: result.value.text + more.value.text}, next: more.next}
    }
    return result
  }

  /** A roman numeral token, or a run of tokens that are neither white space nor locator punctuation. */
  private pageUnit(start: number): WordResult {
    const token = this.tokens[start]
    if (token === undefined) return undefined
    if (!isWhiteSpace(token[0]) && !isPunctuation(token) && token !== '' && romanNumeral.test(token.toUpperCase())) {
      return {value: {digitLike: true, text: token}, next: start + 1}
    }
    let index = start
    let text = ''
    while (index < this.tokens.length && !this.isSpace(index) && !this.isChar(index, isLocatorPunctuation)) {
      text += this.tokens[index]
      index++
    }
    return index === start ? undefined : {value: {digitLike: /\d/.test(text), text}, next: index}
  }
}

/**
 * Label forms → locator type, from a locale's terms as citeproc-js holds them
 * (`terms.page = {long: ['page', 'pages'], short: ['p.', 'pp.']}`).
 */
export function locatorTermsFrom(terms: Record<string, Record<string, string | string[]> | undefined>): Map<string, string> {
  const map = new Map<string, string>()
  for (const type of locatorTypes) {
    const forms = terms[type]
    if (!forms) continue
    for (const value of Object.values(forms)) {
      for (const form of Array.isArray(value) ? value : [value]) {
        const key = form.trim().toLowerCase()
        if (key && !map.has(key)) map.set(key, type === 'sub-verbo' ? 'sub verbo' : type)
      }
    }
  }
  return map
}
