/**
 * citeproc-js behind a small interface: format a document's citation clusters (in document order, so that
 * "ibid." and disambiguation see every citation) and its bibliography, as HTML strings.
 *
 * Building a citeproc-js engine compiles the style (≈1 s for large styles such as APA or Chicago 18th), so
 * engines are kept per style and locale by the project session (ProjectSession) and reset between documents: a
 * rebuild in watch mode, or a second document, pays only for formatting; a rebuild whose citations and bibliography
 * did not change pays for nothing (the last result is kept).
 */
import type {CiteprocBibliographyParams, CiteprocCitation, CiteprocEngine} from 'citeproc'
import {citeproc} from './citeproc-module.ts'
import type {DerivedCache} from '../graph/derived-cache.ts'
import {ProjectSession} from '../graph/project-session.ts'
import type {CslItem} from './csl-item.ts'
import {locatorTermsFrom, type LocatorTerms} from './locator.ts'
import {localeFallback, parsedLocale, type CitationStyle, type StyleMemo} from './style.ts'

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
  /**
   * Keys of the cites citeproc-js wrapped (see `linkedCitation`), by the number in their wrapper mark; null where
   * citeproc-js lost the key (it does for some cites, such as "ibid." with a locator).
   */
  wrappedKeys: (string | null)[]
  locatorTerms: LocatorTerms
  /** The input key of the document whose citations the engine's registry holds. */
  holds?: FormattingKey
}

/** One document's formatting: its input key, its citations, and its bibliography once made (null: none). */
export interface Formatting {
  key: FormattingKey
  citations: string[]
  bibliography?: FormattedBibliography | null
}

/** What planning needs of a compiled style and locale. */
export interface StyleInfo {
  isNoteStyle: boolean
  hasBibliography: boolean
  layout: {prefix: string; suffix: string; delimiter: string}
  locatorTerms: [string, string][]
}

/**
 * Everything a formatting depends on besides the style and locale: the items, as JSON (a book's shared bibliography
 * makes it megabytes, kept as one string per loaded list of items, so that comparing it is comparing one string
 * with itself), and the citations and settings.
 */
export interface FormattingKey {
  items: string
  rest: string
}

function sameKey(a: FormattingKey | undefined, b: FormattingKey): boolean {
  return a !== undefined && a.items === b.items && a.rest === b.rest
}

/** One document's citations to format, with everything the result depends on (`inputKey` names it all). */
export interface FormatRequest {
  lang: string
  items: CslItem[]
  citations: CiteprocCitation[]
  uncited: string[]
  linkBibliography: boolean
  linkCitations: boolean
  inputKey: FormattingKey
}

/** Where citeproc-js engines live and format (`createLocalCiteprocHost`: in this thread, kept by the session). */
export interface CiteprocHost {
  /** Whether an engine for this style and locale is built already (then its info costs nothing). */
  has(style: CitationStyle, lang: string): boolean
  styleInfo(style: CitationStyle, lang: string): StyleInfo
  format(style: CitationStyle, request: FormatRequest): string[]
  bibliography(style: CitationStyle, request: FormatRequest): FormattedBibliography | null
}

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
  /** Each cite links to its bibliography entry `#ref-<key>` (pandoc's `link-citations`); author-only citations do not. */
  linkCitations?: boolean
  /** Keeps the engines and the last formatting between builds of the project; default: this engine's own. */
  session?: ProjectSession
}

/** What the on-disk cache keeps of one document's formatting. */
interface StoredFormatting {
  citations: string[]
  bibliography: FormattedBibliography | null
}

/** The locale a document is formatted in: the one asked for, or what pandoc falls back to (style.ts reports that). */
export function engineLocale(style: CitationStyle, locale: string | undefined): string {
  return localeFallback(locale ?? style.defaultLocale ?? 'en-US').used
}

export function createCitationEngine(style: CitationStyle, items: Iterable<CslItem>, options: CreateEngineOptions = {}): CitationEngine {
  const session = options.session ?? new ProjectSession()
  const host = (session.citeprocHost ??= createLocalCiteprocHost(session.citationStyles))
  const recent = session.citationFormatting
  const lang = engineLocale(style, options.locale)
  const key = `${lang}\u0000${style.xml}`
  // What planning needs of the engine (affixes, locator terms, whether there is a bibliography) is kept in the
  // derived cache too, so a build whose citations are cached never compiles the style.
  const infoKey = options.cache?.hash(lang, style.xml) ?? ''
  let info = host.has(style, lang) ? undefined : options.cache?.read<StyleInfo>('citation-style', infoKey)
  if (!info) {
    info = host.styleInfo(style, lang)
    options.cache?.write('citation-style', infoKey, info)
  }
  const styleInfo = info
  const itemList = [...items]
  const linkBibliography = options.linkBibliography ?? true
  const linkCitations = options.linkCitations ?? false
  // A loaded bibliography's items are frozen (load.ts): their JSON is made once per list.
  const itemsKey = Object.isFrozen(items) ? (session.citationItemsJson.get(items) ?? session.citationItemsJson.set(items, JSON.stringify(itemList)).get(items)!) : JSON.stringify(itemList)
  const locatorTerms: LocatorTerms = new Map(styleInfo.locatorTerms)
  let current: FormatRequest | undefined
  const storageKey = (inputKey: FormattingKey) => options.cache?.hash(lang, style.xml, inputKey.items, inputKey.rest) ?? ''
  const linking = linkCitations ? '\u0000links' : ''

  return {
    style,
    lang,
    isNoteStyle: styleInfo.isNoteStyle,
    layout: styleInfo.layout,
    locatorTerms,
    formatCitations(citations, uncited = []) {
      const inputKey = {items: itemsKey, rest: `${linkBibliography}\u0000${JSON.stringify(citations)}\u0000${JSON.stringify(uncited)}${linking}`}
      current = {lang, items: itemList, citations, uncited, linkBibliography, linkCitations, inputKey}
      // A rebuild whose citations and bibliography did not change (watch mode, most edits) reuses the last result;
      // a fresh process reads what the last one formatted from the derived cache.
      const remembered = recent.get(key)
      if (sameKey(remembered?.key, inputKey)) return remembered!.citations
      const stored = options.cache?.read<StoredFormatting>('citations', storageKey(inputKey))
      if (stored) {
        recent.set(key, {key: inputKey, ...stored})
        return stored.citations
      }
      const html = host.format(style, current)
      recent.set(key, {key: inputKey, citations: html})
      return html
    },
    formatBibliography() {
      if (!styleInfo.hasBibliography || !current) return undefined
      let formatting = recent.get(key)
      if (!formatting || !sameKey(formatting.key, current.inputKey)) {
        // Another document was formatted since: format this one again.
        formatting = {key: current.inputKey, citations: host.format(style, current)}
        recent.set(key, formatting)
      }
      if (formatting.bibliography === undefined) {
        formatting.bibliography = host.bibliography(style, current)
        options.cache?.write('citations', storageKey(current.inputKey), {citations: formatting.citations, bibliography: formatting.bibliography} satisfies StoredFormatting)
      }
      return formatting.bibliography ?? undefined
    }
  }
}

/**
 * Engines in this thread, per style and locale, for the life of the host (a project session): compiling a style is
 * the costly part, so an engine is reset between documents rather than built again.
 */
export function createLocalCiteprocHost(memo: StyleMemo = {styles: new Map(), locales: new Map()}): CiteprocHost {
  const pool = new Map<string, PooledEngine>()
  /** The engine for this style and locale, built on first need. */
  const pooledEngine = (style: CitationStyle, lang: string): PooledEngine => {
    const key = `${lang}\u0000${style.xml}`
    let pooled = pool.get(key)
    if (!pooled) {
      pooled = buildEngine(style, lang, memo)
      pool.set(key, pooled)
    }
    return pooled
  }
  /** Run citeproc-js on this document's citations, from a fresh registry. */
  const format = (style: CitationStyle, request: FormatRequest): string[] => {
    const engineState = pooledEngine(style, request.lang)
    const {engine} = engineState
    const {linkBibliography, linkCitations, uncited} = request
    // A fresh registry, nothing cited yet (the reset still reads the previous document's items), then this
    // document's items.
    engine.restoreProcessorState([])
    engine.opt.development_extensions.wrap_url_and_doi = linkBibliography
    engineState.linking.on = linkBibliography
    engineState.items.clear()
    // `system_id` is what citeproc-js's cite wrapper (for links) asks of an item.
    for (const item of request.items) engineState.items.set(item.id, linkCitations ? {...item, system_id: item.id} : item)
    const citations = request.citations.map((citation) => sortedAsPandoc(engine, citation))
    const wrapped = linkCitations ? formatWrapped(engineState, citations, uncited) : undefined
    const results = engine.rebuildProcessorState(citations, 'html', uncited)
    const byId = new Map(results.map(([id, , html]) => [id, html]))
    engineState.holds = request.inputKey
    const layoutPrefix = engine.citation.opt.layout_prefix ?? ''
    return citations.map((citation, index) => {
      const html = cleanCitation(byId.get(citation.citationID) ?? '')
      if (!wrapped || citation.properties.mode === 'author-only') return html
      return linkedCitation(html, wrapped[index], engineState.wrappedKeys, citation.citationItems.map((item) => item.id), layoutPrefix)
    })
  }
  return {
    has: (style, lang) => pool.has(`${lang}\u0000${style.xml}`),
    styleInfo(style, lang) {
      const {engine, locatorTerms} = pooledEngine(style, lang)
      const layout = engine.citation.opt
      return {
        isNoteStyle: engine.opt.xclass === 'note',
        hasBibliography: Boolean(engine.bibliography),
        layout: {prefix: layout.layout_prefix ?? '', suffix: layout.layout_suffix ?? '', delimiter: layout.layout_delimiter ?? '; '},
        locatorTerms: [...locatorTerms]
      }
    },
    format,
    bibliography(style, request) {
      const engineState = pooledEngine(style, request.lang)
      if (!sameKey(engineState.holds, request.inputKey)) format(style, request)
      const made = engineState.engine.makeBibliography()
      return made ? bibliographyOf(made, request.linkBibliography ? engineState.items : undefined) : null
    }
  }
}

/** A citeproc-js engine for a style and locale (`lang`, a shipped one: see engineLocale). */
function buildEngine(style: CitationStyle, lang: string, memo: StyleMemo): PooledEngine {
  const itemMap = new Map<string, CslItem>()
  const linking = {on: true}
  const wrappedKeys: (string | null)[] = []
  const sys = {
    // citeproc-js fails inside on a locale it cannot have (an internal error): any other it asks for (a
    // layout's `locale`, a dialect's base) falls back as `lang` does.
    retrieveLocale: (tag: string) => structuredClone(parsedLocale(localeFallback(tag).used, memo)),
    retrieveItem: (id: string) => itemMap.get(id),
    // Marks where the title and the identifiers of a bibliography entry are; `linkEntry` makes the links.
    variableWrapper: (params: {variableNames: string[]; context: string; itemData: Record<string, unknown>}, prePunct: string, text: string, postPunct: string) => {
      const [name] = params.variableNames
      if (!linking.on || params.context !== 'bibliography' || !text) return prePunct + text + postPunct
      if (name === 'title') return prePunct + markTitle(text, String(params.itemData.title ?? '')) + postPunct
      if (identifierVariables.includes(name)) return prePunct + identifierShown + text + postPunct
      return prePunct + text + postPunct
    },
    // Used only while citations are formatted for links (`apply_citation_wrapper`): marks each cite.
    wrapCitationEntry: (html: string, id: string | null) => {
      wrappedKeys.push(id ?? null)
      return `${citeStart}${wrappedKeys.length - 1}${citeKeyEnd}${html}${citeEnd}`
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
  const localeTerms = locatorTermsFrom(termsOfParsedLocale(parsedLocale(lang, memo)))
  return {engine, items: itemMap, linking, wrappedKeys, locatorTerms: new Map([...localeTerms, ...styleTerms])}
}

// Links to bibliography entries. citeproc-js wraps each cite (`sys.wrapCitationEntry`, with
// `apply_citation_wrapper`), but then leaves out the citation layout's affixes (the parentheses of "(Doe 2005)") and
// puts each cite's own prefix and suffix inside the wrapper. So the citations are formatted twice: with the wrapper,
// each cite's prefix and suffix marked, and as usual; the wrappers are then carried over into the usual text.

const citeStart = '\uE010'
const citeKeyEnd = '\uE011'
const citeEnd = '\uE012'
const prefixEnd = '\uE013'
const suffixStart = '\uE014'

/** The citations formatted with each cite wrapped in marks (`citeStart` n `citeKeyEnd` … `citeEnd`). */
function formatWrapped(engineState: PooledEngine, citations: CiteprocCitation[], uncited: string[]): string[] {
  const {engine} = engineState
  const CSL = citeproc()
  // The marks go after the space citeproc-js would add after a prefix (before one it adds before a suffix).
  const marked = citations.map((citation) => ({
    ...citation,
    citationItems: citation.citationItems.map((item) => ({
      ...item,
      ...(item.prefix ? {prefix: CSL.checkPrefixSpaceAppend(undefined, item.prefix) + prefixEnd} : {}),
      ...(item.suffix ? {suffix: suffixStart + CSL.checkSuffixSpacePrepend(undefined, item.suffix)} : {})
    }))
  }))
  engineState.wrappedKeys.length = 0
  engine.opt.development_extensions.apply_citation_wrapper = true
  try {
    engine.restoreProcessorState([])
    const results = engine.rebuildProcessorState(marked, 'html', uncited)
    const byId = new Map(results.map(([id, , html]) => [id, html]))
    return marked.map((citation) => byId.get(citation.citationID) ?? '')
  } finally {
    engine.opt.development_extensions.apply_citation_wrapper = false
  }
}

/**
 * `html` (the citation as citeproc-js formats it) with each cite linked to `#ref-<key>`, the links placed where
 * `wrapped` has them: `html` is `wrapped` without its marks plus the layout's affixes, which may have changed the
 * text next to them (a period moved into quotes), so the two are matched from both ends.
 */
function linkedCitation(html: string, wrapped: string, keys: readonly (string | null)[], citationKeys: string[], layoutPrefix: string): string {
  const marks: {at: number; mark: string}[] = []
  let bare = ''
  for (const part of wrapped.split(/(\uE010\d+\uE011|[\uE012\uE013\uE014])/)) {
    if (/^[\uE010-\uE014]/.test(part)) marks.push({at: bare.length, mark: part})
    else bare += part
  }
  if (marks.length === 0) return html
  let head = 0
  while (head < bare.length && head < html.length && bare[head] === html[head]) head++
  // The layout's prefix (an opening parenthesis) comes before the first link.
  const prefix = escapeText(layoutPrefix)
  const inserted = prefix && html.startsWith(prefix, head) ? prefix.length : 0
  let tail = 0
  while (tail < bare.length - head && tail < html.length - head - inserted && bare[bare.length - 1 - tail] === html[html.length - 1 - tail]) tail++
  const bareMiddle = bare.length - head - tail
  const htmlMiddle = html.length - head - inserted - tail
  /** Where a mark at `at` in the bare text goes in `html`: a link opens after the layout's prefix, closes before its suffix. */
  const place = (at: number, opens: boolean): number => {
    if (at < head) return at
    if (at === head) return opens ? head + inserted : head
    if (at > bare.length - tail) return at + html.length - bare.length
    if (at === bare.length - tail) return opens ? html.length - tail : head + inserted + Math.min(bareMiddle, htmlMiddle)
    return head + inserted + Math.min(at - head, htmlMiddle)
  }
  let result = ''
  let from = 0
  for (const {at, mark} of marks) {
    const to = Math.max(from, safePlace(html, place(at, mark !== citeEnd && mark !== suffixStart)))
    result += html.slice(from, to) + mark
    from = to
  }
  result += html.slice(from)
  // A cite whose key citeproc-js lost is the first of the citation's keys not linked yet.
  const linked = new Set(marks.flatMap(({mark}) => (mark.startsWith(citeStart) ? [keys[Number(mark.slice(1, -1))]] : [])))
  const unlinked = citationKeys.filter((key) => !linked.has(key))
  const keyOf = (index: number): string => keys[index] ?? unlinked.shift() ?? ''
  return balancedCites(result)
    .replace(/\uE010(\d+)\uE011((?:(?!\uE012)[^])*?\uE013)?((?:(?!\uE012)[^])*?)(\uE014(?:(?!\uE012)[^])*)?\uE012/g, (_all, index: string, before: string | undefined, body: string, after: string | undefined) => {
      const link = body.trim() ? `<a href="#ref-${escapeAttribute(keyOf(Number(index)))}">${body}</a>` : body
      return (before ?? '') + link + (after ?? '')
    })
    .replace(/\uE010\d+\uE011|[\uE010-\uE014]/g, '')
}

/**
 * citeproc-js may open a cite's wrapper inside formatting that the cite begins with (`<i>` mark `Title</i>, 30`
 * mark): tags next to the marks that the cite closes or opens go inside it, so that the link nests.
 */
function balancedCites(text: string): string {
  return text.replace(/((?:<[a-z][^>]*>)*)(\uE010\d+\uE011)([^\uE012]*)\uE012((?:<\/[a-z]+>)*)/g, (_all, opens: string, start: string, body: string, closes: string) => {
    let unopened = 0
    let unclosed = 0
    for (const [tag] of body.matchAll(/<\/?[a-z][^>]*>/g)) {
      if (tag.startsWith('</')) {
        if (unclosed > 0) unclosed--
        else unopened++
      } else if (!tag.endsWith('/>')) unclosed++
    }
    const openTags = opens.match(/<[a-z][^>]*>/g) ?? []
    const closeTags = closes.match(/<\/[a-z]+>/g) ?? []
    const inward = Math.min(unopened, openTags.length)
    const outward = Math.min(unclosed, closeTags.length)
    return (
      openTags.slice(0, openTags.length - inward).join('') + start + openTags.slice(openTags.length - inward).join('') + body +
      closeTags.slice(0, outward).join('') + citeEnd + closeTags.slice(outward).join('')
    )
  })
}

/** A place in HTML text moved out of a tag or character reference it falls in. */
function safePlace(html: string, at: number): number {
  const open = html.lastIndexOf('<', at - 1)
  if (open !== -1 && html.indexOf('>', open) >= at) return html.indexOf('>', open) + 1
  const amp = html.lastIndexOf('&', at - 1)
  if (amp !== -1 && /^&[#\w]*$/.test(html.slice(amp, at)) && html.indexOf(';', amp) >= at) return html.indexOf(';', amp) + 1
  return at
}

function escapeText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')
}

/**
 * A style that sorts the cites of a citation: pandoc sorts them only within runs that a prefix or suffix does not
 * break (a cite with a suffix ends a run, one with a prefix starts one), so `[@zoe; @roe; see @doe]` keeps "see Doe"
 * last; citeproc-js sorts them all. Such citations are sorted here by citeproc-js's own keys and passed unsorted.
 */
function sortedAsPandoc(engine: CiteprocEngine, citation: CiteprocCitation): CiteprocCitation {
  const items = citation.citationItems
  if (items.length < 2 || !items.some((item) => item.prefix || item.suffix) || !engine.citation_sort?.tokens.length || engine.opt.citation_number_sort) return citation
  const CSL = citeproc()
  try {
    const keyed = items.map((item): [unknown, {sortkeys: unknown}] => [item, {sortkeys: CSL.getSortKeys.call(engine, engine.retrieveItem(item.id), 'citation_sort')}])
    const runs: (typeof keyed)[] = []
    for (const entry of keyed) {
      const run = runs[runs.length - 1]
      const first = run?.[0][0] as CiteprocCitation['citationItems'][number] | undefined
      if (run && first && !first.suffix && !(entry[0] as CiteprocCitation['citationItems'][number]).prefix) run.push(entry)
      else runs.push([entry])
    }
    const sorted = runs.flatMap((run) => [...run].sort(engine.citation.srt.compareCompositeKeys).map(([item]) => item as CiteprocCitation['citationItems'][number]))
    return {...citation, citationItems: sorted, properties: {...citation.properties, unsorted: true}}
  } catch {
    return citation
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
