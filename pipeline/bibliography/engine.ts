/**
 * citeproc-js behind a small interface: format a document's citation clusters (in document order, so that
 * "ibid." and disambiguation see every citation) and its bibliography, as HTML strings.
 *
 * Building a citeproc-js engine compiles the style (≈1 s for large styles such as APA or Chicago 18th), so
 * engines are kept per style and locale for the life of the process and reset between documents: a rebuild in
 * watch mode, or a second document, pays only for formatting; a rebuild whose citations and bibliography did not
 * change pays for nothing (the last result is kept).
 */
import type {CiteprocBibliographyParams, CiteprocCitation, CiteprocEngine} from 'citeproc'
import {citeproc} from './citeproc-module.ts'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {CslItem} from './csl-item.ts'
import {locatorTermsFrom, type LocatorTerms} from './locator.ts'
import {localeFallback, parsedLocale, type CitationStyle} from './style.ts'

export type {CiteprocCitation, CiteprocCitationItem} from 'citeproc'

export interface FormattedBibliography {
  /** One entry per item, in the style's order; `html` is a `<div class="csl-entry">…</div>`. */
  entries: {id: string; html: string}[]
  hangingIndent: boolean
  /** citeproc-js's `second-field-align` (numeric styles put the number in a margin column). */
  secondFieldAlign: false | 'flush' | 'margin'
  entrySpacing: number
  lineSpacing: number
}

export interface CitationEngine {
  style: CitationStyle
  /** The locale used, e.g. `en-US`. */
  lang: string
  isNoteStyle: boolean
  /** The citation layout's affixes and delimiter, e.g. `(`, `)`, `; ` for author-date styles. */
  layout: {prefix: string; suffix: string; delimiter: string}
  /** Locator label forms of the locale (`p.`, `chap.`, `§`) → locator type. */
  locatorTerms: LocatorTerms
  /**
   * Format the citations in document order (with `uncited` items only in the bibliography). Returns one HTML
   * string per citation, in the same order.
   */
  formatCitations(citations: CiteprocCitation[], uncited?: string[]): string[]
  /** The bibliography of everything formatted by the last `formatCitations`; undefined if the style has none. */
  formatBibliography(): FormattedBibliography | undefined
}

interface PooledEngine {
  engine: CiteprocEngine
  items: Map<string, CslItem>
  /** Whether the document being formatted links DOIs, URLs and titles (`link-bibliography`). */
  linking: {on: boolean}
  locatorTerms: LocatorTerms
  /** The input key of the document whose citations the engine's registry holds. */
  holds?: string
}

/** One document's formatting: its input key, its citations, and its bibliography once made (null: none). */
interface Formatting {
  key: string
  citations: string[]
  bibliography?: FormattedBibliography | null
}

/** What planning needs of a compiled style and locale. */
interface StyleInfo {
  isNoteStyle: boolean
  hasBibliography: boolean
  layout: {prefix: string; suffix: string; delimiter: string}
  locatorTerms: [string, string][]
}

/** Engines per style and locale, for the life of the process. */
const pool = new Map<string, PooledEngine>()
/** The last document formatted per style and locale (in this process). */
const recent = new Map<string, Formatting>()

export interface CreateEngineOptions {
  /** Language tag; default: the style's `default-locale`, else `en-US`. One not shipped falls back (style.ts). */
  locale?: string
  /** Where formatted citations and bibliography are kept between processes (keyed by everything they depend on). */
  cache?: DerivedCache
  /**
   * pandoc's `link-bibliography` (default true): DOIs and URLs printed become links, and an entry whose style prints
   * neither has its title linked to the first of its DOI, PMCID, PMID and URL (the whole entry when it has no title).
   */
  linkBibliography?: boolean
}

/** What the on-disk cache keeps of one document's formatting. */
interface StoredFormatting {
  citations: string[]
  bibliography: FormattedBibliography | null
}

export function createCitationEngine(style: CitationStyle, items: Iterable<CslItem>, options: CreateEngineOptions = {}): CitationEngine {
  // The locale asked for, or what pandoc falls back to when it is not shipped (style.ts reports that).
  const lang = localeFallback(options.locale ?? style.defaultLocale ?? 'en-US').used
  const key = `${lang}\u0000${style.xml}`
  /** The engine for this style and locale, built on first need (compiling a style is the costly part). */
  const pooledEngine = (): PooledEngine => {
    let pooled = pool.get(key)
    if (!pooled) {
      const itemMap = new Map<string, CslItem>()
      const linking = {on: true}
      const sys = {
        // citeproc-js fails inside on a locale it cannot have (an internal error): any other it asks for (a
        // layout's `locale`, a dialect's base) falls back as `lang` does.
        retrieveLocale: (tag: string) => structuredClone(parsedLocale(localeFallback(tag).used)),
        retrieveItem: (id: string) => itemMap.get(id),
        // Marks where the title and the identifiers of a bibliography entry are; `linkEntry` makes the links.
        variableWrapper: (params: {variableNames: string[]; context: string; itemData: Record<string, unknown>}, prePunct: string, text: string, postPunct: string) => {
          const [name] = params.variableNames
          if (!linking.on || params.context !== 'bibliography' || !text) return prePunct + text + postPunct
          if (name === 'title') return prePunct + markTitle(text, String(params.itemData.title ?? '')) + postPunct
          if (identifierVariables.includes(name)) return prePunct + identifierShown + text + postPunct
          return prePunct + text + postPunct
        }
      }
      // citeproc-js edits the style tree while compiling it: give it a copy of the one parsed per process.
      // The locale is forced: the shipped one that `lang` or the style's default-locale comes to.
      const engine = new (citeproc().Engine)(sys, structuredClone(style.parsed), lang, true)
      // Locators arrive parsed (pandoc's rules, locator.ts); citeproc-js would read a label out of them again.
      engine.opt.development_extensions.locator_label_parse = false
      // Labels are read with the locale's own terms and the style's overrides (IEEE's `Ch.` and the usual `chap.`),
      // as pandoc reads them.
      const styleTerms = locatorTermsFrom(engine.locale[engine.opt.lang]?.terms ?? {})
      const localeTerms = locatorTermsFrom(termsOfParsedLocale(parsedLocale(lang)))
      pooled = {engine, items: itemMap, linking, locatorTerms: new Map([...localeTerms, ...styleTerms])}
      pool.set(key, pooled)
    }
    return pooled
  }
  // What planning needs of the engine (affixes, locator terms, whether there is a bibliography) is kept in the
  // derived cache too, so a build whose citations are cached never compiles the style.
  const infoKey = options.cache?.hash(lang, style.xml) ?? ''
  let info = pool.has(key) ? undefined : options.cache?.read<StyleInfo>('citation-style', infoKey)
  if (!info) {
    const {engine, locatorTerms} = pooledEngine()
    const layout = engine.citation.opt
    info = {
      isNoteStyle: engine.opt.xclass === 'note',
      hasBibliography: Boolean(engine.bibliography),
      layout: {prefix: layout.layout_prefix ?? '', suffix: layout.layout_suffix ?? '', delimiter: layout.layout_delimiter ?? '; '},
      locatorTerms: [...locatorTerms]
    }
    options.cache?.write('citation-style', infoKey, info)
  }
  const styleInfo = info
  const itemList = [...items]
  const linkBibliography = options.linkBibliography ?? true
  const itemsKey = JSON.stringify([linkBibliography, itemList])
  const locatorTerms: LocatorTerms = new Map(styleInfo.locatorTerms)
  /** Run citeproc-js on this document's citations, from a fresh registry. */
  const format = (citations: CiteprocCitation[], uncited: string[], inputKey: string): string[] => {
    const engineState = pooledEngine()
    const {engine} = engineState
    // A fresh registry, nothing cited yet (the reset still reads the previous document's items), then this
    // document's items.
    engine.restoreProcessorState([])
    engine.opt.development_extensions.wrap_url_and_doi = linkBibliography
    engineState.linking.on = linkBibliography
    engineState.items.clear()
    for (const item of itemList) engineState.items.set(item.id, item)
    const results = engine.rebuildProcessorState(citations, 'html', uncited)
    const byId = new Map(results.map(([id, , html]) => [id, html]))
    engineState.holds = inputKey
    return citations.map((citation) => cleanCitation(byId.get(citation.citationID) ?? ''))
  }
  let current: {citations: CiteprocCitation[]; uncited: string[]; key: string} | undefined
  const storageKey = (inputKey: string) => options.cache?.hash(lang, style.xml, inputKey) ?? ''

  return {
    style,
    lang,
    isNoteStyle: styleInfo.isNoteStyle,
    layout: styleInfo.layout,
    locatorTerms,
    formatCitations(citations, uncited = []) {
      const inputKey = `${itemsKey}\u0000${JSON.stringify(citations)}\u0000${JSON.stringify(uncited)}`
      current = {citations, uncited, key: inputKey}
      // A rebuild whose citations and bibliography did not change (watch mode, most edits) reuses the last result;
      // a fresh process reads what the last one formatted from the derived cache.
      const remembered = recent.get(key)
      if (remembered?.key === inputKey) return remembered.citations
      const stored = options.cache?.read<StoredFormatting>('citations', storageKey(inputKey))
      if (stored) {
        recent.set(key, {key: inputKey, ...stored})
        return stored.citations
      }
      const html = format(citations, uncited, inputKey)
      recent.set(key, {key: inputKey, citations: html})
      return html
    },
    formatBibliography() {
      if (!styleInfo.hasBibliography || !current) return undefined
      let formatting = recent.get(key)
      if (formatting?.key !== current.key) {
        // Another document was formatted since: format this one again.
        formatting = {key: current.key, citations: format(current.citations, current.uncited, current.key)}
        recent.set(key, formatting)
      }
      if (formatting.bibliography === undefined) {
        const engineState = pooledEngine()
        if (engineState.holds !== current.key) format(current.citations, current.uncited, current.key)
        const made = engineState.engine.makeBibliography()
        formatting.bibliography = made ? bibliographyOf(made, linkBibliography ? engineState.items : undefined) : null
        options.cache?.write('citations', storageKey(current.key), {citations: formatting.citations, bibliography: formatting.bibliography} satisfies StoredFormatting)
      }
      return formatting.bibliography ?? undefined
    }
  }
}

/** citeproc-js's bibliography; with the items (`link-bibliography`), entries linked as pandoc links them. */
function bibliographyOf([params, entries]: [CiteprocBibliographyParams, string[]], linkedItems: ReadonlyMap<string, CslItem> | undefined): FormattedBibliography {
  return {
    entries: entries.map((html, index) => {
      const id = String(params.entry_ids[index]?.[0] ?? '')
      return {id, html: linkedItems ? linkEntry(html.trim(), linkedItems.get(id)) : html.trim()}
    }),
    hangingIndent: Boolean(params.hangingindent),
    secondFieldAlign: params['second-field-align'],
    entrySpacing: params.entryspacing,
    lineSpacing: params.linespacing
  }
}

/** The variables pandoc links (citeproc-js links DOI and URL itself, with `wrap_url_and_doi`). */
const identifierVariables = ['DOI', 'PMCID', 'PMID', 'URL']
/** Private-use marks around a bibliography entry's title and before a printed identifier (see `linkEntry`). */
const titleStart = '\uE020'
const titleEnd = '\uE021'
const identifierShown = '\uE022'

/** Quotation marks a style puts around a title (the locale's terms). */
const quoteMarks = new Set(['“', '”', '‘', '’', '«', '»', '„', '‚', '‹', '›', '「', '」', '『', '』', '"', "'"])

/**
 * The rendered title between the marks, inside its quotation marks (as pandoc links it: “<a>Title</a>,”), leaving
 * out punctuation that the style moved inside them unless the title itself ends with it.
 */
function markTitle(text: string, title: string): string {
  const isQuoteOrSpace = (character: string) => quoteMarks.has(character) || character === ' ' || character === '\u00a0'
  let start = 0
  while (start < text.length && isQuoteOrSpace(text[start])) start++
  let end = text.length
  while (end > start && isQuoteOrSpace(text[end - 1])) end--
  if (end < text.length && end > start && ',.;:!?'.includes(text[end - 1]) && !title.trimEnd().endsWith(text[end - 1])) end--
  if (start === end) return text
  return text.slice(0, start) + titleStart + text.slice(start, end) + titleEnd + text.slice(end)
}

/**
 * pandoc's citeproc with `link-bibliography`: an entry that prints none of its identifiers gets its title linked to
 * the first it has (DOI, PMCID, PMID, URL), or, without a title, the whole entry. The marks are taken out.
 */
function linkEntry(html: string, item: CslItem | undefined): string {
  const url = item && identifierUrl(item)
  const linkTitle = url !== undefined && !html.includes(identifierShown)
  const cleaned = html.replaceAll(identifierShown, '')
  if (!linkTitle) return cleaned.replaceAll(titleStart, '').replaceAll(titleEnd, '')
  const open = `<a href="${url.replace(/&/g, '&#38;').replace(/"/g, '&#34;')}">`
  if (cleaned.includes(titleStart)) return cleaned.replace(titleStart, open).replace(titleEnd, '</a>').replaceAll(titleStart, '').replaceAll(titleEnd, '')
  // No title: the entry's text (after the number column of numeric styles) is the link.
  const inner = /^(<div class="csl-entry">(?:\s*<div class="csl-left-margin">[\s\S]*?<\/div><div class="csl-right-inline">)?)([\s\S]*?)((?:<\/div>\s*)+)$/.exec(cleaned)
  return inner && inner[2].trim() ? `${inner[1]}${open}${inner[2]}</a>${inner[3]}` : cleaned
}

/** pandoc's `identifierToURL` for the first identifier the item has. */
function identifierUrl(item: CslItem): string | undefined {
  const value = (name: string): string | undefined => {
    const field = (item as Record<string, unknown>)[name]
    return typeof field === 'string' && field.trim() ? field.trim() : typeof field === 'number' ? String(field) : undefined
  }
  const prefixed = (prefix: string, text: string) => (text.includes('://') ? text : prefix + text)
  const doi = value('DOI')
  if (doi) return prefixed('https://doi.org/', doi.startsWith('10/') ? doi.slice(3) : doi)
  const pmcid = value('PMCID')
  if (pmcid) return prefixed('https://www.ncbi.nlm.nih.gov/pmc/articles/', pmcid)
  const pmid = value('PMID')
  if (pmid) return prefixed('https://www.ncbi.nlm.nih.gov/pubmed/', pmid)
  const url = value('URL')
  return url ? prefixed('https://', url) : undefined
}

interface XmlJsonNode {
  name: string
  attrs: Record<string, string>
  children: (XmlJsonNode | string)[]
}

/** A parsed locale's `<terms>` as `{page: {long: ['page', 'pages'], short: ['p.', 'pp.']}}`. */
function termsOfParsedLocale(locale: unknown): Record<string, Record<string, string[]>> {
  const result: Record<string, Record<string, string[]>> = {}
  const root = locale as XmlJsonNode | undefined
  const isNode = (child: XmlJsonNode | string): child is XmlJsonNode => typeof child !== 'string'
  const text = (node: XmlJsonNode): string => node.children.map((child) => (isNode(child) ? text(child) : child)).join('')
  for (const terms of root?.children.filter(isNode).filter((child) => child.name === 'terms') ?? []) {
    for (const term of terms.children.filter(isNode)) {
      const forms = (result[term.attrs.name] ??= {})
      const parts = term.children.filter(isNode)
      forms[term.attrs.form ?? 'long'] = parts.length > 0 ? parts.map(text) : [text(term)]
    }
  }
  return result
}

/** citeproc-js's placeholder for a citation that renders nothing (e.g. author-only in a numeric style). */
function cleanCitation(html: string): string {
  return html === '[NO_PRINTED_FORM]' ? '' : html
}
