/**
 * Hyphenation for print. Chromium hyphenates (`hyphens: auto`) only with dictionaries it downloads
 * at run time, which a headless, offline build never has; so the page that is printed gets soft hyphens
 * in its running text from TeX's hyphenation patterns (package `hyphen`), put in while the HTML is made,
 * and Chromium then keeps only those that end a line (softHyphenPass). The HTML file itself
 * stays clean: browsers that show it hyphenate with their own dictionaries.
 */
import type {Element, Root as HastRoot, RootContent as HastRootContent, Text as HastText} from 'hast'
import createHyphenator from 'hyphen'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {pageToHtml} from './document.ts'

interface PatternsModule {
  default: createHyphenator.PatternsDefinition
}

// Static specifiers so that a bundler includes the patterns; one entry per language tag's primary subtag.
const patternLoaders: Record<string, () => Promise<PatternsModule>> = {
  en: () => import('hyphen/patterns/en-us.js'),
  'en-us': () => import('hyphen/patterns/en-us.js'),
  'en-gb': () => import('hyphen/patterns/en-gb.js'),
  de: () => import('hyphen/patterns/de-1996.js'),
  'de-ch': () => import('hyphen/patterns/de-ch-1901.js'),
  fr: () => import('hyphen/patterns/fr.js'),
  es: () => import('hyphen/patterns/es.js'),
  it: () => import('hyphen/patterns/it.js'),
  nl: () => import('hyphen/patterns/nl.js'),
  pt: () => import('hyphen/patterns/pt.js'),
  sv: () => import('hyphen/patterns/sv.js'),
  da: () => import('hyphen/patterns/da.js'),
  nb: () => import('hyphen/patterns/nb.js'),
  fi: () => import('hyphen/patterns/fi.js'),
  pl: () => import('hyphen/patterns/pl.js'),
  cs: () => import('hyphen/patterns/cs.js'),
  ru: () => import('hyphen/patterns/ru.js')
}

const softHyphen = '\u00AD'
/** TeX's defaults for English: at least two letters before a break and three after it. */
const leftMinimum = 2
const rightMinimum = 3

export type Hyphenator = (text: string) => string

function patternLoader(lang: string): (() => Promise<PatternsModule>) | undefined {
  const tag = lang.trim().toLowerCase()
  return patternLoaders[tag] ?? patternLoaders[tag.split('-')[0]]
}

/** Hyphenators made in this process, by pattern loader: a watch session loads and compiles patterns once. */
const hyphenators = new Map<() => Promise<PatternsModule>, Promise<Hyphenator>>()

/** A hyphenator for a BCP 47 language tag, or undefined when no patterns are bundled for it. */
export async function hyphenatorFor(lang: string): Promise<Hyphenator | undefined> {
  const loader = patternLoader(lang)
  if (!loader) return undefined
  let made = hyphenators.get(loader)
  if (!made) {
    made = loader().then(({default: patterns}) => {
      const hyphenateSync = createHyphenator(patterns, {minWordLength: 6}) as createHyphenator.HyphenationFunctionSync
      return (text: string) => respectMinimums(hyphenateSync(text))
    })
    hyphenators.set(loader, made)
  }
  return made
}

/** Drops break points that would leave fewer than two letters before or three after a hyphen. */
function respectMinimums(text: string): string {
  return text.replace(/[\p{L}\p{M}\u00AD]+/gu, (word) => {
    if (!word.includes(softHyphen)) return word
    const parts = word.split(softHyphen)
    while (parts.length > 1 && parts[0].length < leftMinimum) parts.splice(0, 2, parts[0] + parts[1])
    while (parts.length > 1 && parts[parts.length - 1].length < rightMinimum) {
      parts.splice(parts.length - 2, 2, parts[parts.length - 2] + parts[parts.length - 1])
    }
    return parts.join(softHyphen)
  })
}

/** Elements whose text is running text, and elements (with everything in them) whose text is not. */
const blockTags = new Set(['p', 'li', 'dd', 'figcaption', 'blockquote'])
const blockClasses = ['csl-entry']
const excludedTags = new Set(['a', 'code', 'pre', 'kbd', 'samp', 'script', 'style', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'td', 'th'])
const excludedClasses = ['katex', 'math-error', 'section-number', 'caption-label', 'unresolved']
const hyphenatable = /\p{L}{6}/u

function hasClass(element: Element, names: string[]): boolean {
  const className = element.properties.className
  return Array.isArray(className) && className.some((name) => names.includes(String(name)))
}

/**
 * The running text of a page: paragraphs, list items, captions, notes, references and the abstract; not
 * headings, table cells, links, code, math, or the title block's other parts. Only text with a word long
 * enough to break.
 */
export function runningTextNodes(page: HastRoot): HastText[] {
  const found: HastText[] = []
  const walk = (node: HastRoot | HastRootContent, inBlock: boolean) => {
    if (node.type === 'text') {
      if (inBlock && hyphenatable.test(node.value)) found.push(node)
      return
    }
    if (node.type !== 'root' && node.type !== 'element') return
    if (node.type === 'element') {
      if (excludedTags.has(node.tagName) || hasClass(node, excludedClasses)) return
      inBlock ||= blockTags.has(node.tagName) || hasClass(node, blockClasses)
    }
    const titleBlock = node.type === 'element' && hasClass(node, ['title-block'])
    for (const child of node.children) {
      if (titleBlock && child.type === 'element' && !hasClass(child, ['abstract'])) continue
      walk(child, inBlock)
    }
  }
  walk(page, false)
  return found
}

/**
 * Puts soft hyphens into the running text of a page about to be printed (in place). Returns false, leaving the
 * page as it is, when no patterns are bundled for the language. A fresh process finds the whole result in the
 * derived cache when the text did not change, and then loads no patterns at all; a session (watch mode) remembers
 * the last results, so that a rebuild hyphenates only the text that changed (and reads nothing from the cache: what
 * the session remembers is at least what the cache holds).
 */
export async function hyphenateRunningText(page: HastRoot, lang: string, cache?: DerivedCache, session?: ProjectSession): Promise<boolean> {
  return (await hyphenateInPlace(page, lang, cache, session)) !== undefined
}

/** hyphenateRunningText's work: the text nodes changed and what they held before (undefined: no patterns). */
async function hyphenateInPlace(page: HastRoot, lang: string, cache?: DerivedCache, session?: ProjectSession): Promise<{nodes: HastText[]; texts: string[]} | undefined> {
  const loader = patternLoader(lang)
  if (!loader) return undefined
  const nodes = runningTextNodes(page)
  const texts = nodes.map((node) => node.value)
  const key = cache?.hash(lang, ...texts) ?? ''
  const remembered = session?.hyphenated.lang === lang ? session.hyphenated.results : undefined
  const stored = remembered ? undefined : cache?.read<number[][]>('hyphenation', key)
  let results = stored?.length === texts.length ? insertSoftHyphens(texts, stored) : undefined
  if (!results) {
    const known = remembered ?? new Map<string, string>()
    const hyphenate = texts.some((text) => !known.has(text)) ? await hyphenatorFor(lang) : undefined
    const next = new Map<string, string>()
    results = texts.map((text) => {
      const result = known.get(text) ?? hyphenate!(text)
      next.set(text, result)
      return result
    })
    if (session) session.hyphenated = {lang, results: next}
    const breaks = softHyphenOffsets(texts, results)
    if (breaks) cache?.write('hyphenation', key, breaks)
  }
  nodes.forEach((node, index) => {
    node.value = results[index]
  })
  return {nodes, texts}
}

/**
 * Where the hyphenator put soft hyphens into each text: the offsets in the text before which one goes. This is what
 * the derived cache keeps (the texts are its key): numbers, where the hyphenated texts themselves, a soft hyphen in
 * every long word, took a book's save 25 ms to write as the cache's ASCII JSON. Undefined if a result is anything but
 * its text with soft hyphens put in (then nothing is kept).
 */
function softHyphenOffsets(texts: string[], results: string[]): number[][] | undefined {
  const offsets: number[][] = []
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index]
    const result = results[index]
    const at: number[] = []
    let read = 0
    for (let position = 0; position < result.length; position++) {
      if (result[position] === text[read]) read++
      else if (result[position] === softHyphen) at.push(read)
      else return undefined
    }
    if (read !== text.length) return undefined
    offsets.push(at)
  }
  return offsets
}

/** The hyphenated texts again from their offsets (softHyphenOffsets); undefined if an offset is not in its text. */
function insertSoftHyphens(texts: string[], offsets: number[][]): string[] | undefined {
  const results: string[] = []
  for (let index = 0; index < texts.length; index++) {
    const text = texts[index]
    const at = offsets[index]
    if (!Array.isArray(at)) return undefined
    let result = ''
    let from = 0
    for (const offset of at) {
      if (!Number.isInteger(offset) || offset < from || offset > text.length) return undefined
      result += text.slice(from, offset) + softHyphen
      from = offset
    }
    results.push(result + text.slice(from))
  }
  return results
}

/** Where the soft hyphens that end a line are, once read (softHyphenPass). */
export interface SoftHyphenBreaks {
  /**
   * Removes every soft hyphen that ends no line. Returns where an offset in a text node, as it was before, is after
   * the removal (for a pass that read places in the text and cuts there afterwards, footnotes.ts).
   */
  removeUnused(): (node: Node, offset: number) => number
}

/**
 * Reads where Chromium broke the lines of the laid-out page at soft hyphens; `removeUnused` then removes every soft
 * hyphen that did not end a line. Chromium writes soft hyphens into the PDF's text, so leaving the unused ones would
 * put invisible characters inside words and spoil copying and searching. Removing them does not move a line break:
 * Chromium fills lines greedily, so a break never depends on break opportunities it did not take. Reading lays the
 * page out only if it is not laid out already, so it goes where the page is (pdf.ts calls it inside the footnote
 * pass, after that pass's measuring and before its cut); whatever else reads this layout reads it before the removal
 * (a read after it lays the whole page out again). Runs in the page (see pdf.ts, which sends it with the other
 * passes): everything it uses is defined inside it.
 */
export function softHyphenPass(): SoftHyphenBreaks {
  const shy = '\u00AD'
  // The whole document, not only the body: during the footnote pass, the notes are measured in a box beside it.
  // (No filter callback: the page runs no script, so the walker could not call one.)
  const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT)
  const changed: Text[] = []
  while (walker.nextNode()) {
    const node = walker.currentNode as Text
    if (node.data.includes(shy)) changed.push(node)
  }
  const range = document.createRange()
  // The last box of a one-character range: a range that starts where a line wraps also covers
  // the (empty) end of the line before, so its first box and its bounding box are on that line.
  const top = (node: Text, offset: number) => {
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    const boxes = range.getClientRects()
    return boxes.length > 0 ? boxes[boxes.length - 1].top : 0
  }
  // Layout is computed once here (all soft hyphens in place); the removals do not change it.
  const breaksOf = changed.map((node) => {
    const data = node.data
    const breaks = new Set<number>()
    for (const word of data.matchAll(/[^\s]*\u00AD[^\s]*/g)) {
      const start = word.index
      const end = start + word[0].length
      range.setStart(node, start)
      range.setEnd(node, end)
      if (range.getClientRects().length < 2) continue
      for (let index = start + 1; index < end - 1; index++) {
        if (data[index] === shy && data[index - 1] !== shy && data[index + 1] !== shy && top(node, index + 1) > top(node, index - 1) + 1) {
          breaks.add(index)
        }
      }
    }
    return breaks
  })
  return {
    removeUnused() {
      // The offsets removed from each node, in order.
      const removed = new Map<Node, number[]>()
      changed.forEach((node, position) => {
        const data = node.data
        const gone: number[] = []
        // Joined from the slices between the removed hyphens: copied a character at a time, the trenches draft's text
        // took 6 ms instead of 1.
        let result = ''
        let from = 0
        for (let index = data.indexOf(shy); index !== -1; index = data.indexOf(shy, index + 1)) {
          if (breaksOf[position].has(index)) continue
          result += data.slice(from, index)
          from = index + 1
          gone.push(index)
        }
        node.data = result + data.slice(from)
        removed.set(node, gone)
      })
      return (node, offset) => offset - (removed.get(node)?.filter((index) => index < offset).length ?? 0)
    }
  }
}

/**
 * The HTML of the page as printed: `page` with its running text hyphenated. The page is left as it was: a watch
 * session's next page reuses its unchanged blocks (rendered-blocks.ts).
 */
export async function printPageHtml(page: HastRoot, lang: string, cache?: DerivedCache, session?: ProjectSession): Promise<string> {
  const hyphenated = await hyphenateInPlace(page, lang, cache, session)
  const html = pageToHtml(page)
  hyphenated?.nodes.forEach((node, index) => {
    node.value = hyphenated.texts[index]
  })
  return html
}
