/**
 * Words as a journal counts them, from the page the reader gets (citations as rendered, cross-references as
 * "Figure 2"): a word is a run of non-space characters, as in Word, so "(Ostrom 1990, 45)" is three words and a
 * word split by markup ("*re*-use") is one.
 *
 * Parts counted apart: the body (text, headings and notes, each note in the section that calls it), the abstract,
 * captions, tables and the reference list; the total adds them up. Not counted: the title block other than the
 * abstract, labels the page adds ("Abstract", "Notes"), note marks and back-links, text for screen readers only.
 * An equation counts as one word, wherever it stands ("$x$," is one word); raw HTML counts as the text it shows.
 */
import type {Element, ElementContent, Root as HastRoot, RootContent as HastRootContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'

export const wordCountParts = ['body', 'notes', 'abstract', 'captions', 'tables', 'references'] as const
/** `notes` is the part of `body` that is in notes. */
export type WordCountPart = (typeof wordCountParts)[number]
export type WordCounts = Record<WordCountPart, number>

export interface SectionWordCount {
  /** The top-level heading's text; '' for what comes before the first heading. */
  title: string
  words: WordCounts
}

export interface WordCount {
  words: WordCounts
  /** body + abstract + captions + tables + references. */
  total: number
  /** Per top-level section, in document order. */
  sections: SectionWordCount[]
}

/** Elements inside which text runs on: anything else starts and ends a word. */
const inlineElements = new Set(['a', 'abbr', 'b', 'bdi', 'bdo', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'i', 'ins', 'kbd', 'mark', 'q', 's', 'samp', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u', 'var'])
/** Stands for an equation in the running text: one word, glued to punctuation next to it. */
const equationMark = '\u2200'

type Counted = Exclude<WordCountPart, 'notes'> | 'note'

export function countWordsOfPage(page: HastRoot): WordCount {
  const main = findElement(page, (element) => element.tagName === 'main')
  const header = findElement(page, (element) => hasClass(element, 'title-block'))
  const sections: SectionWordCount[] = [{title: '', words: emptyCounts()}]
  const totals = emptyCounts()
  const topDepth = main ? topHeadingDepth(main) : 1
  /** Note id → the section of its first call. */
  const noteSection = new Map<string, number>()

  // Whether the text so far ends inside a word (a word may run across texts: `<em>un</em>done`).
  let inWord = false
  /** Counts the words that start in `text`, in its part and section, as the page's text goes on. */
  const push = (text: string, part: Counted, section: number) => {
    if (text === '') return
    const words = wordsStartingIn(text, inWord)
    inWord = !isSpace(text.charCodeAt(text.length - 1))
    if (words === 0) return
    for (const name of part === 'note' ? notesParts : [part]) {
      totals[name] += words
      // The abstract stands before the sections, in none of them.
      if (name !== 'abstract') sections[section].words[name] += words
    }
  }
  const visit = (node: HastRootContent | ElementContent, part: Counted, section: () => number): void => {
    if (node.type === 'text') {
      push(node.value, part, section())
      return
    }
    if (node.type === 'raw') {
      // KaTeX's markup (one equation), or raw HTML the author wrote, counted as the reader sees it.
      if (node.value.includes('class="katex')) push(node.value.includes('katex-display') ? ` ${equationMark} ` : equationMark, part, section())
      else for (const child of fromHtml(node.value, {fragment: true}).children) visit(child, part, section)
      return
    }
    if (node.type !== 'element') return
    if (isSkipped(node)) return
    if (hasClass(node, 'katex') || hasClass(node, 'math-error')) {
      push(hasClass(node, 'katex-display') || node.tagName === 'div' ? ` ${equationMark} ` : equationMark, part, section())
      return
    }
    const footnoteTarget = node.tagName === 'a' && node.properties.dataFootnoteRef !== undefined ? String(node.properties.href ?? '').replace(/^#/, '') : undefined
    if (footnoteTarget !== undefined) {
      if (!noteSection.has(footnoteTarget)) noteSection.set(footnoteTarget, section())
      return
    }
    const inner: Counted = part === 'body' && node.tagName === 'figcaption' ? 'captions' : part === 'body' && node.tagName === 'table' ? 'tables' : part === 'body' && isReferenceList(node) ? 'references' : part
    const block = !inlineElements.has(node.tagName)
    if (block) push(' ', inner, section())
    for (const child of node.children) visit(child, inner, section)
    if (block) push(' ', inner, section())
  }

  if (header) {
    const abstract = findElement(header, (element) => hasClass(element, 'abstract'))
    if (abstract) for (const child of abstract.children) visit(child, 'abstract', () => 0)
  }
  if (main) {
    let current = 0
    const children = main.children
    children.forEach((child, index) => {
      if (child.type === 'element' && hasClass(child, 'footnotes')) return
      if (child.type === 'element' && isHeading(child) === topDepth) {
        sections.push({title: textOf(child).trim(), words: emptyCounts()})
        current = sections.length - 1
      }
      // The heading just above the reference list belongs to it.
      const part: Counted = child.type === 'element' && isHeading(child) && isReferenceList(nextElement(children, index)) ? 'references' : 'body'
      visit(child, part, () => current)
    })
    const footnotes = findElement(main, (element) => hasClass(element, 'footnotes'))
    for (const item of footnotes ? listItems(footnotes) : []) {
      const section = noteSection.get(String(item.properties.id ?? '')) ?? sections.length - 1
      push(' ', 'note', section)
      visit(item, 'note', () => section)
      push(' ', 'note', section)
    }
  }

  const shown = sections.filter((section, index) => index > 0 || Object.values(section.words).some((count) => count > 0))
  return {words: totals, total: totals.body + totals.abstract + totals.captions + totals.tables + totals.references, sections: shown}
}

const notesParts: WordCountPart[] = ['body', 'notes']

/**
 * How many words (runs of non-space characters, as `\S+` matches them) start in `text`; one at its very start
 * only when the text before did not end inside a word. Linear, and without a match object per word.
 */
function wordsStartingIn(text: string, inWord: boolean): number {
  let words = 0
  let previousIsSpace = !inWord
  for (let index = 0; index < text.length; index++) {
    const space = isSpace(text.charCodeAt(index))
    if (!space && previousIsSpace) words++
    previousIsSpace = space
  }
  return words
}

/** Whether a UTF-16 code unit is one of the characters `\s` matches (a surrogate is never one). */
function isSpace(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d)
  if (code < 0xa0) return false
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff
}

function emptyCounts(): WordCounts {
  return {body: 0, notes: 0, abstract: 0, captions: 0, tables: 0, references: 0}
}

function isSkipped(element: Element): boolean {
  if (hasClass(element, 'sr-only') || hasClass(element, 'abstract-title') || hasClass(element, 'footnotes-title')) return true
  if (element.properties.dataFootnoteBackref !== undefined || String(element.properties.ariaHidden) === 'true') return true
  return element.tagName === 'style' || element.tagName === 'script' || element.tagName === 'template'
}

function isReferenceList(node: ElementContent | HastRootContent | undefined): boolean {
  return node?.type === 'element' && (node.properties.id === 'refs' || hasClass(node, 'csl-bib-body'))
}

function isHeading(element: Element): number | undefined {
  const match = /^h([1-6])$/.exec(element.tagName)
  return match ? Number(match[1]) : undefined
}

function topHeadingDepth(main: Element): number {
  let depth = 6
  for (const child of main.children) if (child.type === 'element' && !hasClass(child, 'footnotes')) depth = Math.min(depth, isHeading(child) ?? 6)
  return depth
}

function nextElement(children: ElementContent[], index: number): Element | undefined {
  for (let next = index + 1; next < children.length; next++) {
    const child = children[next]
    if (child.type === 'element') return child
    if (child.type === 'text' && child.value.trim()) return undefined
  }
  return undefined
}

function listItems(footnotes: Element): Element[] {
  const items: Element[] = []
  const collect = (element: Element) => {
    for (const child of element.children) {
      if (child.type !== 'element') continue
      if (child.tagName === 'li') items.push(child)
      else collect(child)
    }
  }
  collect(footnotes)
  return items
}

function hasClass(element: Element, name: string): boolean {
  const className = element.properties.className
  return Array.isArray(className) && className.some((value) => String(value) === name)
}

function findElement(node: HastRoot | Element, test: (element: Element) => boolean): Element | undefined {
  for (const child of node.children) {
    if (child.type !== 'element') continue
    if (test(child)) return child
    const found = findElement(child, test)
    if (found) return found
  }
  return undefined
}

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  return node.type === 'element' && !isSkipped(node) ? node.children.map(textOf).join('') : ''
}
