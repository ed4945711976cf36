/**
 * Pandoc's `smart` extension, by pandoc's rules: straight quotes become curly, `---` an em dash, `--` an en dash,
 * `...` an ellipsis, and the space after an abbreviation such as `Mr.` or `Dr.` a non-breaking space.
 *
 * Quotes are paired over the whole text of a block (so `"*word*"` pairs across nodes) the way pandoc's reader pairs
 * them, left to right: a `"` closes the innermost open double quote, else opens one when a non-space follows (else
 * it is `”`); a `'` closes the innermost open single quote when no letter or digit follows, else opens one when it
 * is not inside a word and a non-space follows, else it is an apostrophe `’`. A quote never closed is `“` or `’`.
 * Code, math, citations and notes stand in as one mark that is neither a letter nor a space (so `difference,"^[…]`
 * closes its quote before the note), raw HTML tags as nothing; a note's own text is paired apart. A link's text is
 * paired inside the quotes around the link, as in pandoc: it cannot close a quote opened before the link.
 */
import type {Node, Parent, Root, Text} from 'mdast'
import {TextMemo} from '../syntax/text-memo.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {smartCharacters} from '../syntax/literal-escapes/index.ts'
import {SKIP, walk} from '../syntax/walk.ts'

const blocks = new Set(['paragraph', 'heading', 'tableCell', 'figureCaption'])
/** Code, math, an image: a word that is not text. */
const otherInline = '\uE000'
/** A citation: an abbreviation's space before it stays a space (as pandoc 2.17 does; before a note it does not). */
const citation = '\uE001'
const linkStart = '\uE002'
const linkEnd = '\uE003'
/** Nodes whose text is paired apart from the text around them. */
const ownText = new Set(['inlineNote', 'footnoteDefinition'])
const links = new Set(['link', 'linkReference'])

/** pandoc's default abbreviations (its data file `abbreviations`) that a non-breaking space follows. */
const abbreviations = new Set(
  ('aet. aetat. al. Apr. Aug. bk. Bros. c. Capt. cf. ch. chap. chs. Co. col. Corp. cp. d. Dec. Dr. e.g. ed. eds. esp. f. fasc. Feb. ff. fig. fl. ' +
    'fol. fols. Fr. Gen. Gov. Hon. i.e. ill. Inc. incl. Jan. Jr. Jul. Jun. Ltd. M.A. M.D. Mar. Mr. Mrs. Ms. n. n.b. nn. No. Nov. Oct. p. Ph.D. ' +
    'pp. Pres. Prof. pt. q.v. Rep. Rev. s.v. s.vv. saec. sec. Sen. Sep. Sept. Sgt. Sr. St. univ. viz. vol. vs.').split(' ')
)

// Each character is replaced by one, so each node's slice stays where it was.
const educateText = (text: string): string => nonBreakingAfterAbbreviations(curlyQuotes(text))

/** `session` keeps the educated texts for the next build (watch mode re-educates only what changed). */
export function smartPunctuationTransform(tree: Root, session?: ProjectSession): void {
  const educated = session?.educatedText ?? new TextMemo<string>()
  walk(tree, (node) => {
    if (blocks.has(node.type)) {
      educate((node as Parent).children, educated)
      return SKIP
    }
    return undefined
  })
}

function educate(children: readonly Node[], educated: TextMemo<string>): void {
  const texts: Text[] = []
  let joined = ''
  const collect = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        texts.push(node as Text)
        joined += withLiteralsHidden(node as Text)
      } else if (ownText.has(node.type)) {
        // A note's text starts afresh; in the surrounding text it stands where its mark is.
        educate((node as Parent).children, educated)
        joined += otherInline
      } else if (links.has(node.type)) {
        joined += linkStart
        collect((node as Parent).children)
        joined += linkEnd
      } else if ('children' in node && node.type !== 'citation' && node.type !== 'crossReference') {
        collect((node as Parent).children)
      } else {
        // A citation's prefixes and suffixes are educated apart, as pandoc reads them (`pp. 93--101` → "93–101").
        if (node.type === 'citation') for (const item of (node as Parent).children as Parent[]) for (const affix of item.children as Parent[]) educate(affix.children, educated)
        joined += standIn(node)
      }
    }
  }
  collect(children)
  if (!/["'.-]/.test(joined)) return
  const result = educated.get(joined, educateText)
  let offset = 0
  let textIndex = 0
  const assign = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        const text = texts[textIndex++]
        const length = text.value.length
        text.value = withLiteralsShown(dashesAndEllipses(result.slice(offset, offset + length)), text)
        offset += length
      } else if (ownText.has(node.type)) {
        offset += 1
      } else if (links.has(node.type)) {
        offset += 1
        assign((node as Parent).children)
        offset += 1
      } else if ('children' in node && node.type !== 'citation' && node.type !== 'crossReference') {
        assign((node as Parent).children)
      } else {
        offset += standIn(node).length
      }
    }
  }
  // Nothing to change: no quote paired, no abbreviation's space, no dash or ellipsis, no escaped character to restore.
  if (result === joined && !joined.includes('--') && !joined.includes('...') && !joined.includes(literal)) return
  if (result.length === joined.length) assign(children)
}

/** Stands for a character written escaped (`\\"`): neither a letter nor a space, and never changed. */
const literal = '\uE004'

/** The text's value with its escaped quotes, periods and hyphens (see syntax/literal-escapes) hidden. */
function withLiteralsHidden(text: Text): string {
  const offsets = text.data?.literal
  if (!offsets) return text.value
  return text.value.split('').map((character, index) => (offsets.includes(index) && smartCharacters.has(character) ? literal : character)).join('')
}

/** The escaped characters back in place of their stand-ins, in order. */
function withLiteralsShown(value: string, text: Text): string {
  if (!value.includes(literal)) return value
  const escaped = (text.data?.literal ?? []).map((at) => text.value.charAt(at))
  let next = 0
  return value.replace(new RegExp(literal, 'g'), () => escaped[next++] ?? '')
}

/** What a node without text of its own counts as: a tag is invisible (`<em>"x"</em>`), a line break a line ending. */
function standIn(node: Node): string {
  if (node.type === 'html') return ''
  if (node.type === 'break') return '\n'
  if (node.type === 'citation' || node.type === 'crossReference') return citation
  return otherInline
}

const letterOrDigit = /[\p{L}\p{N}]/u
const space = /[ \t\n\r]/

interface OpenQuote {
  mark: '"' | "'"
  at: number
}

/** The characters curlyQuotes acts on: quotes, and the marks of a link's text. */
const quoteOrLinkMark = /["'\uE002\uE003]/g

/** Curly quotes for the straight ones of `text` (same length), paired as pandoc's reader pairs them. */
export function curlyQuotes(text: string): string {
  // Most paragraphs have no quote to pair (they reach here for a period or a hyphen).
  if (!text.includes('"') && !text.includes("'")) return text
  // Where each quote is, and what it becomes (decided when it closes, or at the end): the text between is copied
  // in slices, not a character at a time.
  const quotes: number[] = []
  const curly = new Map<number, string>()
  const open: OpenQuote[] = []
  /** Where each link's text begins in `open`: quotes opened before it cannot close inside it. */
  const linkScopes: number[] = []
  const scopeStart = () => linkScopes[linkScopes.length - 1] ?? 0
  const unclosed = (quote: OpenQuote) => {
    curly.set(quote.at, quote.mark === '"' ? '\u201C' : '\u2019')
  }
  quoteOrLinkMark.lastIndex = 0
  for (let match = quoteOrLinkMark.exec(text); match !== null; match = quoteOrLinkMark.exec(text)) {
    const index = match.index
    const character = match[0]
    if (character === linkStart) {
      linkScopes.push(open.length)
      continue
    }
    if (character === linkEnd) {
      const start = linkScopes.pop() ?? 0
      while (open.length > start) unclosed(open.pop()!)
      continue
    }
    quotes.push(index)
    const innermost = open[open.length - 1]
    const closable = innermost !== undefined && open.length > scopeStart() && index > innermost.at + 1
    const next = text[index + 1]
    const nonSpaceFollows = next !== undefined && next !== linkEnd && !space.test(next)
    if (character === '"') {
      if (innermost?.mark === '"' && closable) {
        curly.set(innermost.at, '\u201C')
        curly.set(index, '\u201D')
        open.pop()
      } else if (innermost?.mark !== '"' && nonSpaceFollows) {
        open.push({mark: '"', at: index})
      } else {
        curly.set(index, '\u201D')
      }
    } else {
      const previous = text[index - 1]
      const afterWord = previous !== undefined && (letterOrDigit.test(previous) || previous === '.')
      if (innermost?.mark === "'" && closable && !(next !== undefined && letterOrDigit.test(next))) {
        curly.set(innermost.at, '\u2018')
        curly.set(index, '\u2019')
        open.pop()
      } else if (innermost?.mark !== "'" && !afterWord && nonSpaceFollows) {
        open.push({mark: "'", at: index})
      } else {
        curly.set(index, '\u2019')
      }
    }
  }
  while (open.length > 0) unclosed(open.pop()!)
  let result = ''
  let copied = 0
  for (const at of quotes) {
    result += text.slice(copied, at) + curly.get(at)!
    copied = at + 1
  }
  return result + text.slice(copied)
}

/** The longest of the abbreviations (`aetat.`): a longer word is none of them. */
const longestAbbreviation = Math.max(...[...abbreviations].map((word) => word.length))
const letterDigitOrPeriod = /[\p{L}\p{N}.]/u

/**
 * `Mr. Smith`: the space after a known abbreviation is non-breaking, unless a citation follows. As the expression
 * `/(?<![\p{L}\p{N}.])([\p{L}\p{N}.]*\.)[ \t](?=[ \t]*[^ \t\n\r\uE001])/gu` would find them (a whole run of
 * letters, digits and periods ending in a period, then a space or tab, then more text that is not a citation), but
 * looking only behind each `. `: the abbreviations are short words of ASCII letters, so most runs are ruled out by
 * their length or by a character outside ASCII.
 */
function nonBreakingAfterAbbreviations(text: string): string {
  let result: string | undefined
  let copied = 0
  for (let period = text.indexOf('.'); period !== -1; period = text.indexOf('.', period + 1)) {
    const after = text.charCodeAt(period + 1)
    if (after !== 0x20 && after !== 0x09) continue
    let start = period
    while (start > 0 && period - start < longestAbbreviation && isAsciiLetterDigitOrPeriod(text.charCodeAt(start - 1))) start--
    // A longer run, or one that goes on with a letter or digit outside ASCII (a whole code point), is no abbreviation.
    if (start > 0 && letterDigitOrPeriod.test(String.fromCodePoint(codePointBefore(text, start)))) continue
    if (!abbreviations.has(text.slice(start, period + 1)) || !textFollows(text, period + 2)) continue
    result = (result ?? '') + text.slice(copied, period + 1) + '\u00A0'
    copied = period + 2
  }
  return result === undefined ? text : result + text.slice(copied)
}

function isAsciiLetterDigitOrPeriod(code: number): boolean {
  return (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2e
}

/** The code point that ends just before `index` (a surrogate pair read whole). */
function codePointBefore(text: string, index: number): number {
  const low = text.charCodeAt(index - 1)
  if (low >= 0xdc00 && low <= 0xdfff && index >= 2) {
    const high = text.charCodeAt(index - 2)
    if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(index - 2)!
  }
  return low
}

/** After spaces and tabs from `index`, a character that is no line ending and no citation. */
function textFollows(text: string, index: number): boolean {
  let at = index
  while (at < text.length && (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09)) at++
  if (at >= text.length) return false
  const code = text.charCodeAt(at)
  return code !== 0x0a && code !== 0x0d && code !== 0xe001
}

function dashesAndEllipses(value: string): string {
  if (!value.includes('--') && !value.includes('...')) return value
  return value.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026')
}
