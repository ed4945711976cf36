/**
 * Hyphenation for print. Chromium hyphenates (`hyphens: auto`) only with dictionaries it downloads
 * at run time, which a headless, offline build never has; so before printing, the page's running text
 * gets soft hyphens from TeX's hyphenation patterns (package `hyphen`). The HTML file itself stays
 * clean: browsers that show it hyphenate with their own dictionaries.
 */
import createHyphenator from 'hyphen'
import type {Page} from 'puppeteer-core'

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

/** A hyphenator for a BCP 47 language tag, or undefined when no patterns are bundled for it. */
export async function hyphenatorFor(lang: string): Promise<Hyphenator | undefined> {
  const tag = lang.trim().toLowerCase()
  const loader = patternLoaders[tag] ?? patternLoaders[tag.split('-')[0]]
  if (!loader) return undefined
  const {default: patterns} = await loader()
  const hyphenateSync = createHyphenator(patterns, {minWordLength: 6}) as createHyphenator.HyphenationFunctionSync
  return (text) => respectMinimums(hyphenateSync(text))
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

declare global {
  interface Window {
    manuscriptHyphenationNodes?: Text[]
  }
}

/**
 * Adds soft hyphens to the running text of the loaded page (paragraphs, list items, captions, notes,
 * references, the abstract; not headings, table cells, links, code or math), lets Chromium break the
 * lines, then removes every soft hyphen that did not end a line. Chromium writes soft hyphens into the
 * PDF's text, so leaving the unused ones would put invisible characters inside words and spoil copying
 * and searching. Removing them does not move a line break: Chromium fills lines greedily, so a break
 * never depends on break opportunities it did not take. Returns how many words were hyphenated at a line end.
 */
export async function hyphenatePage(page: Page, hyphenate: Hyphenator): Promise<number> {
  const texts = await page.evaluate(() => {
    const blocks = 'p, li, dd, figcaption, blockquote, .csl-entry'
    const excluded =
      'a, code, pre, kbd, samp, script, style, .katex, .math-error, h1, h2, h3, h4, h5, h6, td, th, ' +
      '.title-block > :not(.abstract), .section-number, .caption-label, .unresolved'
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
    const nodes: Text[] = []
    while (walker.nextNode()) {
      const node = walker.currentNode as Text
      const parent = node.parentElement
      if (!parent || !parent.closest(blocks) || parent.closest(excluded)) continue
      if (!/\p{L}{6}/u.test(node.data)) continue
      nodes.push(node)
    }
    window.manuscriptHyphenationNodes = nodes
    return nodes.map((node) => node.data)
  })
  const hyphenated = texts.map((text) => {
    const result = hyphenate(text)
    return result === text ? null : result
  })
  return page.evaluate((values: Array<string | null>) => {
    const shy = '\u00AD'
    const nodes = window.manuscriptHyphenationNodes ?? []
    delete window.manuscriptHyphenationNodes
    const changed: Text[] = []
    values.forEach((value, index) => {
      if (value !== null && nodes[index]) {
        nodes[index].data = value
        changed.push(nodes[index])
      }
    })
    const range = document.createRange()
    // The last box of a one-character range: a range that starts where a line wraps also covers
    // the (empty) end of the line before, so its first box and its bounding box are on that line.
    const top = (node: Text, offset: number) => {
      range.setStart(node, offset)
      range.setEnd(node, offset + 1)
      const boxes = range.getClientRects()
      return boxes.length > 0 ? boxes[boxes.length - 1].top : 0
    }
    let lineEnds = 0
    // Layout is computed once here (all soft hyphens in place); the removals below do not change it.
    const kept = changed.map((node) => {
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
      lineEnds += breaks.size
      let result = ''
      for (let index = 0; index < data.length; index++) {
        if (data[index] !== shy || breaks.has(index)) result += data[index]
      }
      return result
    })
    changed.forEach((node, index) => {
      node.data = kept[index]
    })
    return lineEnds
  }, hyphenated)
}
