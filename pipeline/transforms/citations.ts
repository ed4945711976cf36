/**
 * Citations transform: format every `citation` node with citeproc-js and append the bibliography.
 *
 * Citations are formatted in reading order, a footnote's citations at the place of its reference (as pandoc does),
 * so that "ibid.", "subsequent" forms and disambiguation follow what the reader sees. Each citation node keeps its
 * type and items and gains `data.hName`/`hProperties`/`hChildren` (a `<span class="citation">` holding citeproc's
 * HTML as hast), which the renderer emits as is.
 *
 * - `@a` (author in text) is the author alone followed by the rest of the citation with the author suppressed
 *   (`Doe (2005, 30)`), made from a citeproc `author-only` citation followed by the main one, as pandoc does.
 * - Locators come from the suffix the way pandoc reads them (see bibliography/locator.ts).
 * - Prefixes and suffixes are the phrasing parsed with the paragraph: emphasis and strong emphasis are kept, a
 *   citation inside one (`[@a, quoting @b]`) is formatted in its place, other markup is read as its text.
 * - Styles that collapse cites group the cites of one author together (CSL cite grouping, which citeproc-js
 *   leaves out and pandoc does).
 * - Note styles: a citation in the main text becomes a footnote (after following punctuation unless
 *   `notesAfterPunctuation` is false, without the space before it, its first letter capitalised); a citation already
 *   in a note is set in parentheses without the closing period, unless it opens the note (then it stays as it is) or
 *   is author-in-text (the period stays where the sentence ends there).
 * - A citation that citeproc sets wholly in superscript (AMA) is placed like a note mark: no space before it, and
 *   after the following punctuation only when `notesAfterPunctuation` is true (pandoc's default for in-text styles
 *   is false).
 * - `linkCitations`: each cite links to `#ref-<key>` (see engine.ts), the author of an author-in-text citation not.
 * - Unknown keys render as **key?** (class `citation-unknown`) and are reported with the nearest known key.
 * - The bibliography goes into the `#refs` div (`::: {#refs}`, `<div id="refs">`), else at the end of the document,
 *   under a heading only where the author wrote none (see `placeBibliography`), as a
 *   `<div class="references csl-bib-body">` whose entries have ids `ref-<key>`.
 */
import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {FootnoteDefinition, FootnoteReference, Heading, Nodes, Paragraph, Parent, PhrasingContent, Root, RootContent, Text} from 'mdast'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {closest, distance} from 'fastest-levenshtein'
import type {Data, Node, Position} from 'unist'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {report} from '../diagnostics/report.ts'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {CitationHast} from './citation-hast.ts'
import {createCitationEngine, type CiteprocCitation, type CiteprocCitationItem, type CitationEngine} from '../bibliography/engine.ts'
import type {CslItem} from '../bibliography/csl-item.ts'
import {originOf, type BibliographyEntryOrigin} from '../bibliography/load.ts'
import {parseLocator} from '../bibliography/locator.ts'
import {builtInCitationStyle, CitationStyleError, prepareCitationStyle, type CitationStyle} from '../bibliography/style.ts'
import type {Citation, CitationItem, Div, HeadingData} from '../syntax/types.ts'
import type {NociteKey} from './front-matter.ts'

export interface CitationsOptions {
  /** The bibliography's items (from `loadBibliography`). */
  items: CslItem[]
  /** The same items by key, when the caller has them (the loaded bibliography's `byId`); else made from `items`. */
  itemsById?: ReadonlyMap<string, CslItem>
  /** A prepared style, or CSL XML text; default Chicago author-date. */
  style?: CitationStyle | string
  /** Language tag for terms and dates (`en-US`, `de-DE`); default the style's, else `en-US`. */
  locale?: string
  /** The author's `reference-section-title`: the bibliography's heading unless the author wrote one before it. */
  referenceSectionTitle?: string
  /** The heading of a bibliography at the end of the document when it has neither (default: none, as in pandoc). */
  defaultReferenceSectionTitle?: string
  /** The bibliography file's name, for messages ("add it to references.bib"). */
  bibliographyFile?: string
  /** Keys to list in the bibliography without citing them (pandoc's `nocite`); `*` lists every item. */
  nocite?: NociteKey[]
  /** pandoc's `link-bibliography` (default true): DOIs and URLs as links, else the title linked to them. */
  linkBibliography?: boolean
  /** Format citations but add no bibliography (pandoc's `suppress-bibliography`). */
  suppressBibliography?: boolean
  /** Link each cite to its bibliography entry `#ref-<key>` (pandoc's `link-citations`). */
  linkCitations?: boolean
  /**
   * Put a note mark, or a superscript citation, after the punctuation that follows it (pandoc's
   * `notes-after-punctuation`); default: yes for note styles, no for superscript in-text styles, as in pandoc.
   */
  notesAfterPunctuation?: boolean
  /** Keeps formatted citations between processes. */
  cache?: DerivedCache
  /**
   * What a next build of the project reuses: the citation engines and the last formatting (in the CLI, where they
   * run) and the citations' HTML parsed to hast.
   */
  session?: ProjectSession
}

export interface CitationStats {
  /** Citation nodes formatted. */
  citations: number
  /** Distinct works cited (known keys). */
  works: number
  /** Keys cited but not in the bibliography, in order of first use. */
  unknownKeys: string[]
  /** Entries listed in the bibliography. */
  bibliographyEntries: number
  /** Time spent in this transform (engine, formatting, hast). */
  milliseconds: number
}

/** The reference list node: a `<div class="references csl-bib-body">` made from citeproc's bibliography. */
export interface BibliographyNode extends Node {
  type: 'bibliography'
  data: Data & {hName: 'div'; hProperties: {id?: string; className: string[]}; hChildren: ElementContent[]}
}

interface Occurrence {
  node: Citation
  /** For a citation written inside another's prefix or suffix: the marker that stands for it in that affix. */
  marker?: string
  /** The list the citation is in (its parent's children). */
  siblings: unknown[]
  /** Number of the note the citation is in; 0 in the main text. For note styles, the note it becomes. */
  noteNumber: number
  /** A citation of the main text that a note style turns into a footnote. */
  becomesNote: boolean
  /** The citation opens a note whose only block is a paragraph (pandoc sets it as is there, not in parentheses). */
  opensNote?: boolean
}

interface Rendering {
  /** Main citation, as HTML. */
  html: string
  /** Author part of an author-in-text citation, as HTML; '' when there is none. */
  authorHtml: string
}

const unknownClass = 'citation-unknown'
/** Stands for a no-break space of a prefix or suffix (`fol.&nbsp;9r`), which citeproc-js would make a space. */
const keptNoBreakSpace = '\uE004'
/** Put after the last cite of a citation inside a note (note styles); never left in the output. */
const endOfCite = '\u2063'

export function citationsTransform(tree: Root, file: VFile, options: CitationsOptions): CitationStats {
  const started = performance.now()
  const stats: CitationStats = {citations: 0, works: 0, unknownKeys: [], bibliographyEntries: 0, milliseconds: 0}
  const nocite = options.nocite ?? []
  const style = resolveStyle(options.style, file)
  const occurrences = collectCitations(tree, style.isNoteStyle)
  const itemsById = itemsByIdOf(options)
  const keys = reportCitationKeys(occurrences, file, {items: options.items, itemsById, bibliographyFile: options.bibliographyFile, nocite, session: options.session})
  if (occurrences.length === 0 && nocite.length === 0) {
    stats.milliseconds = performance.now() - started
    return stats
  }

  const citeprocCitations: CiteprocCitation[] = []
  const uncited = listedKeys(nocite, options.items).filter((key) => itemsById.has(key))
  let engine: CitationEngine
  let plans: Plan[]
  let formatted: string[]
  try {
    engine = createCitationEngine(style, options.items, {locale: options.locale, cache: options.cache, linkBibliography: options.linkBibliography, linkCitations: options.linkCitations, session: options.session})
    const markers = new Map(occurrences.flatMap((occurrence) => (occurrence.marker ? [[occurrence.node, occurrence.marker] as const] : [])))
    plans = occurrences.map((occurrence, index) => {
      const plan = planCitation(occurrence, index, engine, itemsById, markers)
      // citeproc-js counts an author-only citation as a first mention: in a note style, where "first" decides
      // between the full and the short note, the main citation has to come first.
      const ordered = engine.isNoteStyle ? [plan.main, plan.author] : [plan.author, plan.main]
      for (const citation of ordered) if (citation) citeprocCitations.push(citation)
      return plan
    })
    formatted = engine.formatCitations(citeprocCitations, uncited)
  } catch (error) {
    // citeproc-js compiles the style lazily and fails inside on styles it cannot use; the style is at fault.
    reportStyleFailure(file, style, error, 'citations')
    stats.milliseconds = performance.now() - started
    return stats
  }
  const htmlById = new Map(citeprocCitations.map((citation, index) => [citation.citationID, formatted[index].replaceAll(keptNoBreakSpace, '\u00A0')]))

  const noteDefinitions: FootnoteDefinition[] = []
  const noteIdentifiers = engine.isNoteStyle ? new NoteIdentifiers(tree) : undefined
  const renderingOf = (index: number): Rendering => {
    const plan = plans[index]
    const main = dropClosingSuffix(plan.main ? (htmlById.get(plan.main.citationID) ?? '') : '', engine, keepsClosingPeriod(occurrences[index]))
    // An author alone, as pandoc sets it: without the space a style puts after the author (`Doe&#160;2000`).
    const author = plan.author ? (htmlById.get(plan.author.citationID) ?? '').replace(/(?:\s|&#160;|&nbsp;)+((?:<\/[a-z]+>)*)$/u, '$1') : ''
    return {html: withUnknown(main, plan.unknown, engine, options.linkCitations === true), authorHtml: author}
  }
  const hast = new CitationHast(options.session?.citationHast, options.cache)
  // Citations inside an affix first, innermost (last in reading order) first: their hast replaces their markers.
  const nested = new Map<string, ElementContent>()
  for (let index = occurrences.length - 1; index >= 0; index--) {
    const occurrence = occurrences[index]
    if (occurrence.marker) nested.set(occurrence.marker, nestedCitation(occurrence.node, renderingOf(index), nested, hast))
  }
  const placing: Placing = {engine, hast, identifiers: noteIdentifiers, notes: noteDefinitions, nested, notesAfterPunctuation: options.notesAfterPunctuation ?? engine.isNoteStyle}
  occurrences.forEach((occurrence, index) => {
    if (!occurrence.marker) placeCitation(occurrence, renderingOf(index), placing)
  })
  tree.children.push(...noteDefinitions)

  stats.citations = occurrences.length
  stats.works = keys.cited.size
  stats.unknownKeys = keys.unknown
  if (!options.suppressBibliography) {
    try {
      stats.bibliographyEntries = placeBibliography(tree, engine, {explicit: options.referenceSectionTitle, fallback: options.defaultReferenceSectionTitle}, hast)
    } catch (error) {
      // citeproc-js can fail inside on what a style asks of an entry (a term the locale lacks, say).
      reportStyleFailure(file, style, error, 'the bibliography')
    }
  }
  hast.save()
  stats.milliseconds = performance.now() - started
  return stats
}

/** citeproc-js failed inside on this style: the style is at fault, and the message says so at the style. */
function reportStyleFailure(file: VFile, style: CitationStyle, error: unknown, what: string): void {
  const reason = error instanceof Error ? error.message : String(error)
  report(file, undefined, `citeproc-js cannot format ${what} with the style ${style.name} (${reason}). Fix the CSL file, or remove \`csl\` to use Chicago author-date.`, 'citation-style', 'error', {sourceFile: style.name.includes('/') || style.name.endsWith('.csl') ? style.name : undefined, place: {line: 1, column: 1}})
}

export interface CitationKeysOptions {
  /** The bibliography's items. */
  items: CslItem[]
  /** The same items by key, when the caller has them (a loaded bibliography's `byId`); else made from `items`. */
  itemsById?: ReadonlyMap<string, CslItem>
  /** The bibliography file's name, for messages. */
  bibliographyFile?: string
  /** Keys listed without being cited (pandoc's `nocite`); `*` lists every item. They count as used. */
  nocite?: NociteKey[]
  /** The project session: keeps the last build's reports of unused entries (thousands for a shared `.bib`). */
  session?: ProjectSession
}

export interface CitationKeys {
  /** Known keys cited, in reading order of first use. */
  cited: Set<string>
  /** Keys cited but not in the bibliography, in reading order of first use. */
  unknown: string[]
}

/**
 * Check the cited keys against the bibliography without formatting anything (no citeproc): each cited key missing
 * from it is reported where it is cited, with the nearest known key (`unknown-citation-key`, warning), and each
 * entry neither cited nor in `nocite` is reported as info (`unused-bibliography-entry`). `check` runs it alone;
 * `citationsTransform` runs it first, so a build reports each problem once. Run after the crossref transform
 * (`@fig:x` is a cross-reference, not a key).
 */
export function citationKeysTransform(tree: Root, file: VFile, options: CitationKeysOptions): CitationKeys {
  return reportCitationKeys(collectCitations(tree, false), file, options)
}

/** The items by key: the caller's map (a shared .bib's 5,000 entries are not mapped again), else one made here. */
function itemsByIdOf(options: Pick<CitationKeysOptions, 'items' | 'itemsById'>): ReadonlyMap<string, CslItem> {
  return options.itemsById ?? new Map(options.items.map((item) => [item.id, item]))
}

function reportCitationKeys(occurrences: Occurrence[], file: VFile, options: CitationKeysOptions): CitationKeys {
  const itemsById = itemsByIdOf(options)
  const cited = new Set<string>()
  const unknown = new Set<string>()
  for (const {node} of occurrences) {
    for (const item of node.children) {
      if (itemsById.has(item.key)) cited.add(item.key)
      else {
        reportUnknownKey(file, node, item, itemsById, options.bibliographyFile)
        unknown.add(item.key)
      }
    }
  }
  const nocite = options.nocite ?? []
  for (const listed of nocite) {
    if (listed.key !== '*' && !itemsById.has(listed.key)) reportUnknownNociteKey(file, listed, itemsById, options.bibliographyFile)
  }
  reportUnused(file, options.items, new Set([...cited, ...listedKeys(nocite, options.items)]), options.bibliographyFile, options.session?.unusedEntryReports)
  return {cited, unknown: [...unknown]}
}

/** The keys `nocite` lists: every item's for `@*`. */
function listedKeys(nocite: NociteKey[], items: CslItem[]): string[] {
  return nocite.some((listed) => listed.key === '*') ? items.map((item) => item.id) : nocite.map((listed) => listed.key)
}

/** Format citations and add the bibliography (see `citationsTransform`). */
export function remarkCitations(options: CitationsOptions) {
  return (tree: Root, file: VFile): void => {
    citationsTransform(tree, file, options)
  }
}

function resolveStyle(style: CitationStyle | string | undefined, file: VFile): CitationStyle {
  if (style === undefined) return builtInCitationStyle()
  if (typeof style !== 'string') return style
  try {
    return prepareCitationStyle(style, 'the `csl` file')
  } catch (error) {
    if (!(error instanceof CitationStyleError)) throw error
    report(file, undefined, `Cannot use the citation style: ${error.message}. Fix the CSL file or remove \`csl\` to use Chicago author-date; it is used meanwhile.`, 'citation-style', 'error')
    return builtInCitationStyle()
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Reading order

/**
 * Citations in reading order: a footnote's content is read where it is referenced (its first reference), inline
 * notes where they stand; notes never referenced come last. Notes are numbered in that order, and in a note
 * style each citation of the main text takes the next number too.
 */
function collectCitations(tree: Root, isNoteStyle: boolean): Occurrence[] {
  const definitions = new Map<string, FootnoteDefinition>()
  for (const child of tree.children) {
    if (child.type === 'footnoteDefinition') definitions.set(comparableIdentifier(child.identifier), child)
  }
  const read = new Set<FootnoteDefinition>()
  const occurrences: Occurrence[] = []
  let noteCount = 0

  let markerCount = 0
  // Citations in a citation's prefixes and suffixes are read after it, in its note, and formatted into it.
  const collectInAffixes = (node: Citation, noteNumber: number): void => {
    for (const item of node.children) {
      for (const affix of item.children) {
        for (const inner of affix.children) {
          if ((inner.type as string) !== 'citation') continue
          const innerNode = inner as unknown as Citation
          occurrences.push({node: innerNode, siblings: affix.children, noteNumber, becomesNote: false, marker: `\uE000${++markerCount}\uE001`})
          collectInAffixes(innerNode, noteNumber)
        }
      }
    }
  }
  const walk = (siblings: Nodes[], noteNumber: number): void => {
    for (const child of siblings) {
      if (child.type === 'footnoteDefinition') continue
      if (child.type === 'footnoteReference') {
        const definition = definitions.get(comparableIdentifier(child.identifier))
        if (definition && !read.has(definition)) {
          read.add(definition)
          walkNote(definition.children, ++noteCount)
        }
      } else if ((child.type as string) === 'citation') {
        const node = child as unknown as Citation
        const becomesNote = isNoteStyle && noteNumber === 0
        const occurrence: Occurrence = {node, siblings, noteNumber: becomesNote ? ++noteCount : noteNumber, becomesNote}
        occurrences.push(occurrence)
        collectInAffixes(node, occurrence.noteNumber)
      } else if (child.type === 'link' || (child.type as string) === 'span') {
        readLabelAsCitation(child as Parent)
        for (const list of childLists(child)) walk(list, noteNumber)
      } else if ((child.type as string) === 'inlineNote') {
        walkNote([{type: 'paragraph', children: (child as unknown as Parent).children as PhrasingContent[]}], ++noteCount, (child as unknown as Parent).children as Nodes[])
      } else {
        for (const list of childLists(child)) walk(list, noteNumber)
      }
    }
  }
  /** A note's content (`blocks`; an inline note's `phrasing` stands as one paragraph): which citation opens it. */
  const walkNote = (blocks: Nodes[], noteNumber: number, phrasing?: Nodes[]): void => {
    const first = occurrences.length
    walk(phrasing ?? blocks, noteNumber)
    const opening = blocks.length === 1 && blocks[0].type === 'paragraph' ? blocks[0].children[0] : undefined
    const occurrence = occurrences[first]
    if (occurrence && (occurrence.node as unknown) === opening) occurrence.opensNote = true
  }
  walk(tree.children, 0)
  for (const definition of definitions.values()) {
    if (!read.has(definition)) walkNote(definition.children, ++noteCount)
  }
  return occurrences
}

/**
 * `[@a](url)` and `[@a]{.class}`: pandoc reads the brackets as a citation, in the link or span; the syntax leaves
 * them to the link and span (whose text `@a` reads as a narrative citation), and here the citation becomes the
 * bracketed one it was written as.
 */
function readLabelAsCitation(parent: Parent): void {
  const [only] = parent.children
  if (parent.children.length !== 1 || (only.type as string) !== 'citation') return
  const citation = only as unknown as Citation
  const [item] = citation.children
  if (citation.bracketed || citation.children.length !== 1 || item.mode !== 'author-in-text' || item.children[1].children.length > 0) return
  citation.bracketed = true
  item.mode = 'normal'
}

/** The list of content a node holds (a figure's caption is one of its children). */
function childLists(node: Nodes): Nodes[][] {
  return 'children' in node && Array.isArray(node.children) ? [node.children as Nodes[]] : []
}

function comparableIdentifier(identifier: string): string {
  return normalizeIdentifier(identifier).toLowerCase()
}

// ---------------------------------------------------------------------------------------------------------------
// citeproc input

interface Plan {
  main?: CiteprocCitation
  /** For author-in-text: the author alone (citeproc `author-only`), set before `main`. */
  author?: CiteprocCitation
  unknown: string[]
}

/** The marker standing for each citation written inside another's prefix or suffix. */
type AffixMarkers = ReadonlyMap<Citation, string>

function planCitation(occurrence: Occurrence, index: number, engine: CitationEngine, itemsById: ReadonlyMap<string, CslItem>, markers: AffixMarkers): Plan {
  const {node, noteNumber} = occurrence
  const known = groupByAuthor(
    node.children.filter((item) => itemsById.has(item.key)),
    engine.style.groupsCites,
    itemsById
  )
  const unknown = node.children.filter((item) => !itemsById.has(item.key)).map((item) => item.key)
  if (known.length === 0) return {unknown}
  const inExistingNote = noteNumber > 0 && !occurrence.becomesNote
  // In a note, a note style prints the whole citation (the author is part of it); elsewhere `@a` splits.
  const authorInText = known[0].mode === 'author-in-text' && !(engine.isNoteStyle && inExistingNote)
  const citationItems = known.map((item) => citeprocItem(item, engine, markers))
  if (authorInText) citationItems[0]['suppress-author'] = true
  if (engine.isNoteStyle && inExistingNote) {
    // Mark the end of the last cite, so that the layout's closing period can be dropped (see `dropClosingSuffix`).
    const last = citationItems[citationItems.length - 1]
    last.suffix = (last.suffix ?? '') + endOfCite
  }
  const main: CiteprocCitation = {citationID: `citation-${index}`, citationItems, properties: {noteIndex: noteNumber}}
  if (!authorInText) return {main, unknown}
  const author: CiteprocCitation = {
    citationID: `citation-${index}-author`,
    citationItems: [{id: known[0].key, 'author-only': true}],
    // In a note style the author stands in the text: as an in-text citation (note 0) it leaves the notes' own
    // sequence alone, where it would keep the next note from being "ibid." (citeproc-js counts positions per sequence).
    properties: {noteIndex: engine.isNoteStyle ? 0 : noteNumber, mode: 'author-only'}
  }
  return {main, author, unknown}
}

/**
 * With cite grouping (`collapse`), cites by the same authors go together, in the place of the first of them
 * (CSL's cite grouping, which pandoc's citeproc does and citeproc-js leaves out): `[@a2005; @b; @a2006]` reads
 * "(A 2005, 2006; B)".
 */
function groupByAuthor(items: CitationItem[], groupsCites: boolean, itemsById: ReadonlyMap<string, CslItem>): CitationItem[] {
  if (!groupsCites || items.length < 3) return items
  const groups = new Map<string, CitationItem[]>()
  for (const item of items) {
    const key = authorKey(itemsById.get(item.key)) ?? `\u0000${item.key}`
    const group = groups.get(key)
    if (group) group.push(item)
    else groups.set(key, [item])
  }
  return [...groups.values()].flat()
}

function authorKey(item: CslItem | undefined): string | undefined {
  const names = item?.author ?? item?.editor ?? item?.translator
  if (!Array.isArray(names) || names.length === 0) return undefined
  return JSON.stringify(names.map((name: Record<string, unknown>) => [name.family, name.given, name.literal]))
}

function citeprocItem(item: CitationItem, engine: CitationEngine, markers: AffixMarkers): CiteprocCitationItem {
  const result: CiteprocCitationItem = {id: item.key}
  if (item.mode === 'suppress-author') result['suppress-author'] = true
  const [prefix, suffix] = item.children
  if (prefix.children.length > 0) result.prefix = affixHtml(affixSegments(prefix.children, markers))
  if (suffix.children.length > 0) {
    const segments = affixSegments(suffix.children, markers)
    // The suffix arrives trimmed. In `[@a and more]`, `[@a {12}]` or `@a [ and more]` white space separated it from
    // the key or the bracket, in `[@a, p. 3]` a comma did, and in `@a [p. 3]` it opened the brackets: pandoc's
    // locator rules see the difference (no ", " before a suffix that followed white space).
    if (startedWithSpace(suffix)) segments.unshift({text: ' ', marks: []})
    const parsed = parseLocator(segments.map((segment) => segment.text).join(''), engine.locatorTerms)
    if (parsed.label !== undefined) {
      result.label = parsed.label
      result.locator = parsed.locator
    }
    const rest = (parsed.addComma ? ', ' : '') + affixHtml(sliceSegments(segments, parsed.consumed))
    if (rest.trim()) result.suffix = rest
  }
  return result
}

/** The affix's source began with white space (the syntax trims it, and its node keeps the untrimmed place). */
function startedWithSpace(affix: Parent): boolean {
  const start = affix.position?.start.offset
  const first = affix.children[0]?.position?.start.offset
  return start !== undefined && first !== undefined && first > start
}

interface Segment {
  text: string
  /** citeproc-js's inline markup around the text, outermost first (`i`, `b`). */
  marks: string[]
}

/**
 * An affix's phrasing → text runs with their emphasis. Other markup counts as its text (math as its TeX, a link as its
 * text); a citation inside is its marker, replaced by the formatted citation afterwards.
 */
function affixSegments(children: PhrasingContent[], markers: AffixMarkers): Segment[] {
  const segments: Segment[] = []
  const visitNode = (node: Nodes, marks: string[]): void => {
    switch (node.type as string) {
      case 'text':
      case 'inlineCode':
      case 'inlineMath':
      case 'html':
        // Line endings and runs of spaces as one space; a no-break space stays.
        segments.push({text: (node as Text).value.replace(/[ \t\r\n]+/g, ' '), marks})
        return
      case 'emphasis':
        for (const child of (node as Parent).children) visitNode(child as Nodes, [...marks, 'i'])
        return
      case 'strong':
        for (const child of (node as Parent).children) visitNode(child as Nodes, [...marks, 'b'])
        return
      case 'break':
        segments.push({text: ' ', marks})
        return
      case 'citation':
        segments.push({text: markers.get(node as unknown as Citation) ?? '', marks})
        return
      default:
        if ('children' in node) for (const child of (node as Parent).children) visitNode(child as Nodes, marks)
    }
  }
  for (const child of children) visitNode(child, [])
  return segments
}

function sliceSegments(segments: Segment[], from: number): Segment[] {
  const result: Segment[] = []
  let offset = 0
  for (const segment of segments) {
    const end = offset + segment.text.length
    if (end > from) result.push(offset >= from ? segment : {text: segment.text.slice(from - offset), marks: segment.marks})
    offset = end
  }
  return result
}

/** The affix as citeproc-js reads it: text (it escapes `&` and `<` itself) with `<i>`/`<b>` markup. */
function affixHtml(segments: Segment[]): string {
  return segments
    .map(({text, marks}) => marks.map((mark) => `<${mark}>`).join('') + text.replaceAll('\u00A0', keptNoBreakSpace) + [...marks].reverse().map((mark) => `</${mark}>`).join(''))
    .join('')
}

// ---------------------------------------------------------------------------------------------------------------
// Output

/**
 * Unknown keys in the cluster, shown as **key?**, inside the layout's affixes when the citation has them; with
 * `linked`, each links to where its entry would be, as in pandoc.
 */
function withUnknown(html: string, unknown: string[], engine: CitationEngine, linked: boolean): string {
  if (unknown.length === 0) return html
  const marker = (key: string): string => {
    const strong = `<strong>${escapeHtml(key)}?</strong>`
    return `<span class="${unknownClass}">${linked ? `<a href="#ref-${escapeHtml(key).replace(/"/g, '&quot;')}">${strong}</a>` : strong}</span>`
  }
  const markers = unknown.map(marker).join(escapeHtml(engine.layout.delimiter))
  const {prefix, suffix, delimiter} = engine.layout
  // A note style's note holds the marker alone (pandoc shows no closing period there).
  if (!html) return engine.isNoteStyle ? markers : escapeHtml(prefix) + markers + escapeHtml(suffix)
  const escapedSuffix = escapeHtml(suffix)
  if (escapedSuffix && html.endsWith(escapedSuffix)) return html.slice(0, -escapedSuffix.length) + escapeHtml(delimiter) + markers + escapedSuffix
  return html + escapeHtml(delimiter) + markers
}

/**
 * A citation inside a note, in a note style, is part of the note's sentence: the layout's closing suffix (the
 * period of "Doe, *Book*, 12.") is dropped there, as pandoc does, unless `keep`. The end-of-cite mark put after the
 * last cite shows where the layout suffix starts (after citeproc-js has moved punctuation into quotes).
 */
function dropClosingSuffix(html: string, engine: CitationEngine, keep: boolean): string {
  const at = html.lastIndexOf(endOfCite)
  if (at === -1) return html
  if (keep) return html.replaceAll(endOfCite, '')
  const after = html.slice(at + endOfCite.length)
  const suffix = escapeHtml(engine.layout.suffix)
  const rest = suffix && after.startsWith(suffix) ? after.slice(suffix.length) : after
  return (html.slice(0, at) + rest).replaceAll(endOfCite, '')
}

/**
 * pandoc keeps the closing period of a citation in a note (note styles) where the citation opens the note, and
 * where an author-in-text citation ends the sentence (nothing or a capital letter follows it).
 */
function keepsClosingPeriod(occurrence: Occurrence): boolean {
  if (occurrence.node.children[0]?.mode !== 'author-in-text') return occurrence.opensNote === true
  const siblings = occurrence.siblings as PhrasingContent[]
  for (const next of siblings.slice(siblings.indexOf(occurrence.node as unknown as PhrasingContent) + 1)) {
    if (next.type !== 'text') return false
    const text = next.value.trimStart()
    if (text) return /^\p{Lu}/u.test(text)
  }
  return true
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function renderCitation(node: Citation, children: ElementContent[]): void {
  node.data = {
    ...node.data,
    hName: 'span',
    hProperties: {className: ['citation'], dataCites: node.children.map((item) => item.key).join(' ')},
    hChildren: children
  }
}

/** A citation inside another's affix, as the hast that replaces its marker there. */
function nestedCitation(node: Citation, rendering: Rendering, nested: ReadonlyMap<string, ElementContent>, hast: CitationHast): ElementContent {
  const main = withNested(hast.of(rendering.html), nested)
  const author = withNested(hast.of(rendering.authorHtml), nested)
  renderCitation(node, author.length > 0 && main.length > 0 ? [...author, {type: 'text', value: ' '}, ...main] : author.length > 0 ? author : main)
  const data = node.data as {hProperties: Element['properties']; hChildren: ElementContent[]}
  return {type: 'element', tagName: 'span', properties: data.hProperties, children: data.hChildren}
}

/** Replaces the markers of citations inside affixes by their hast. */
function withNested(children: ElementContent[], nested: ReadonlyMap<string, ElementContent>): ElementContent[] {
  if (nested.size === 0) return children
  return children.flatMap((child): ElementContent[] => {
    if (child.type === 'element') {
      child.children = withNested(child.children, nested)
      return [child]
    }
    if (child.type !== 'text' || !child.value.includes('\uE000')) return [child]
    return child.value.split(/(\uE000\d+\uE001)/).flatMap((part): ElementContent[] => {
      const citation = nested.get(part)
      if (citation) return [structuredClone(citation)]
      return part ? [{type: 'text', value: part}] : []
    })
  })
}

interface Placing {
  engine: CitationEngine
  hast: CitationHast
  /** Identifiers for the notes a note style makes (undefined for in-text styles). */
  identifiers: NoteIdentifiers | undefined
  /** The notes made, to append to the document. */
  notes: FootnoteDefinition[]
  nested: ReadonlyMap<string, ElementContent>
  /** Note marks and superscript citations go after the punctuation that follows them. */
  notesAfterPunctuation: boolean
}

function placeCitation(occurrence: Occurrence, rendering: Rendering, placing: Placing): void {
  const {engine, identifiers, nested} = placing
  const {node} = occurrence
  const siblings = occurrence.siblings as PhrasingContent[]
  const main = withNested(placing.hast.of(rendering.html), nested)
  const author = withNested(placing.hast.of(rendering.authorHtml), nested)
  if (!engine.isNoteStyle || !identifiers) {
    renderCitation(node, author.length > 0 && main.length > 0 ? [...author, {type: 'text', value: ' '}, ...main] : author.length > 0 ? author : main)
    // pandoc treats a citation set wholly in superscript (`<sup>1,2</sup>`) as it treats a note mark.
    if (author.length === 0 && isSuperscript(main)) placeMark(siblings, siblings.indexOf(node as unknown as PhrasingContent), placing.notesAfterPunctuation)
    return
  }
  if (!occurrence.becomesNote) {
    // Already in a note: a bracketed citation is set in parentheses, unless it opens the note (pandoc).
    const parenthesized = node.children[0]?.mode !== 'author-in-text' && !occurrence.opensNote
    renderCitation(node, parenthesized ? [{type: 'text', value: '('}, ...main, {type: 'text', value: ')'}] : main)
    if (!parenthesized) dropRepeatedPeriod(siblings, siblings.indexOf(node as unknown as PhrasingContent), main)
    return
  }
  capitalizeFirst(main)
  const identifier = identifiers.next()
  const position = copyPosition(node.position)
  const sourceData = node.data?.sourceFile === undefined ? {} : {data: {sourceFile: node.data.sourceFile}}
  const noteCitation: Citation = {...node, data: {...node.data}}
  renderCitation(noteCitation, main)
  const paragraph: Paragraph = {type: 'paragraph', children: [noteCitation as unknown as PhrasingContent], position: copyPosition(position), ...sourceData}
  placing.notes.push({type: 'footnoteDefinition', identifier, label: identifier, children: [paragraph], position: copyPosition(position), ...sourceData})
  const reference: FootnoteReference = {type: 'footnoteReference', identifier, label: identifier, position: copyPosition(position), ...sourceData}
  const replacement: PhrasingContent[] = []
  if (author.length > 0) {
    const authorCitation: Citation = {...node, data: {...node.data}}
    renderCitation(authorCitation, author)
    replacement.push(authorCitation as unknown as PhrasingContent)
  }
  replacement.push(reference)
  const index = siblings.indexOf(node as unknown as PhrasingContent)
  if (index === -1) return
  siblings.splice(index, 1, ...replacement)
  placeMark(siblings, siblings.indexOf(reference), placing.notesAfterPunctuation)
}

/** citeproc's output is one `<sup>` (a superscript numeric style such as AMA's). */
function isSuperscript(children: ElementContent[]): boolean {
  const shown = children.filter((child) => child.type !== 'text' || child.value.trim() !== '')
  return shown.length === 1 && shown[0].type === 'element' && shown[0].tagName === 'sup'
}

/**
 * pandoc's placement of a note mark (or superscript citation) at `index`: no white space before it, and with
 * `afterPunctuation`, the punctuation that follows it moved before it (`works [@a], and` → `works,¹ and`). After
 * white space any run of punctuation moves; right after a word, a run that starts with `.`, `,`, `;`, `:`, `!` or `?`.
 */
function placeMark(siblings: PhrasingContent[], index: number, afterPunctuation: boolean): void {
  if (index === -1) return
  const before = siblings[index - 1]
  const spaced = before?.type === 'text' && /\s$/.test(before.value)
  if (spaced) before.value = before.value.replace(/\s+$/, '')
  const after = siblings[index + 1]
  if (!afterPunctuation || after?.type !== 'text') return
  if (!spaced && !/^[.,;:!?]/.test(after.value)) return
  const punctuation = /^\p{P}+/u.exec(after.value)?.[0]
  if (!punctuation) return
  after.value = after.value.slice(punctuation.length)
  const start = after.position?.start
  const moved: Text = {
    type: 'text',
    value: punctuation,
    position: start && {start: {...start}, end: {line: start.line, column: start.column + punctuation.length, offset: start.offset === undefined ? undefined : start.offset + punctuation.length}}
  }
  if (after.position && start) after.position = {start: {...moved.position!.end}, end: after.position.end}
  if (after.value === '') siblings.splice(index + 1, 1)
  siblings.splice(index, 0, moved)
}

/** A citation that ends with a period, followed by a period: pandoc drops the second (`[@a].` → "Doe, *Book*."). */
function dropRepeatedPeriod(siblings: PhrasingContent[], index: number, rendered: ElementContent[]): void {
  const after = siblings[index + 1]
  if (index === -1 || after?.type !== 'text' || !/^\.(?=\s|$)/.test(after.value)) return
  if (!rendered.map(textOfHast).join('').trimEnd().endsWith('.')) return
  after.value = after.value.slice(1)
  if (after.position?.start.offset !== undefined) after.position.start = {line: after.position.start.line, column: after.position.start.column + 1, offset: after.position.start.offset + 1}
  if (after.value === '') siblings.splice(index + 1, 1)
}

function textOfHast(node: ElementContent): string {
  if (node.type === 'text') return node.value
  return node.type === 'element' ? node.children.map(textOfHast).join('') : ''
}

function capitalizeFirst(children: ElementContent[]): boolean {
  for (const child of children) {
    if (child.type === 'text') {
      const index = child.value.search(/\S/)
      if (index === -1) continue
      child.value = child.value.slice(0, index) + child.value.charAt(index).toUpperCase() + child.value.slice(index + 1)
      return true
    }
    if (child.type === 'element' && capitalizeFirst(child.children)) return true
  }
  return false
}

/** Footnote identifiers for notes made from citations, never one the author used. */
class NoteIdentifiers {
  private readonly used = new Set<string>()
  private count = 0
  constructor(tree: Root) {
    const collect = (siblings: Nodes[]): void => {
      for (const child of siblings) {
        if (child.type === 'footnoteReference' || child.type === 'footnoteDefinition') this.used.add(comparableIdentifier(child.identifier))
        for (const list of childLists(child)) collect(list)
      }
    }
    collect(tree.children)
  }
  next(): string {
    let identifier: string
    do identifier = `citation-note-${++this.count}`
    while (this.used.has(comparableIdentifier(identifier)))
    return identifier
  }
}

function copyPosition(position: Position | undefined): Position | undefined {
  return position && {start: {...position.start}, end: {...position.end}}
}

// ---------------------------------------------------------------------------------------------------------------
// Bibliography

/** The headings the bibliography may get (see `placeBibliography`). */
interface ReferenceTitles {
  /** The author's `reference-section-title`. */
  explicit?: string
  /** The heading put before a list at the end of the document that has none. */
  fallback?: string
}

/**
 * Adds the bibliography; returns the number of entries. Where: in the `#refs` div (pandoc's `::: {#refs}`, a
 * native `<div id="refs">` or a raw one, `<div id="refs"></div>`), else at the end of the document. Which heading:
 * none when the author wrote one right before that place (the document ends with a heading, or the div follows one
 * or starts with one): that heading is the list's. Otherwise `reference-section-title` when the author set it; at
 * the end of the document without it, the fallback ("References"). In a `#refs` div without either, none, as in
 * pandoc: the author placed the list and gave it no heading.
 */
function placeBibliography(tree: Root, engine: CitationEngine, titles: ReferenceTitles, hast: CitationHast): number {
  const bibliography = engine.formatBibliography()
  if (!bibliography || bibliography.entries.length === 0) return 0
  const entries: ElementContent[] = []
  for (const entry of bibliography.entries) {
    for (const element of hast.of(entry.html)) {
      if (element.type === 'element' && entry.id) (element as Element).properties.id = `ref-${entry.id}`
      entries.push(element)
    }
  }
  const place = findReferencesPlace(tree)
  const classes = ['references', 'csl-bib-body', ...(bibliography.hangingIndent ? ['hanging-indent'] : [])]
  const end = tree.position?.end
  const position: Position | undefined = place.at ? copyPosition(place.at.position) : end && {start: {...end}, end: {...end}}
  const node: BibliographyNode = {
    type: 'bibliography',
    position,
    data: {hName: 'div', hProperties: {id: place.inRefsDiv ? undefined : 'refs', className: classes}, hChildren: entries}
  }
  const added: RootContent[] = []
  const title = place.authorHeading ? undefined : (titles.explicit ?? (place.inRefsDiv ? undefined : titles.fallback))
  // An empty reference-section-title asks for no heading.
  if (title) {
    const data: HeadingData = {id: 'references', unnumbered: true}
    added.push({type: 'heading', depth: 1, children: [{type: 'text', value: title, position: copyPosition(position)}], position: copyPosition(position), data})
  } else if (place.authorHeading && !place.inRefsDiv) {
    // pandoc: the heading a document ends with (`# References`) is the list's, unnumbered.
    place.authorHeading.data = {...place.authorHeading.data, unnumbered: true} as HeadingData
  }
  added.push(node as unknown as RootContent)
  place.siblings.splice(place.index, 0, ...added)
  return bibliography.entries.length
}

interface ReferencesPlace {
  /** The list the bibliography goes into, and where in it. */
  siblings: RootContent[]
  index: number
  /** In a `#refs` div the author wrote (rather than at the end of the document). */
  inRefsDiv: boolean
  /** The `#refs` div (or its opening tag), for the list's position. */
  at?: Node
  /** A heading the author wrote for the list: right before its place, or first in the `#refs` div. */
  authorHeading?: Heading
}

/**
 * The first `#refs` div in reading order: a `div` node (fenced or native) with that id, or a raw HTML block whose
 * opening tag is `<div id="refs">` (written with its `</div>` on the same line, it is not a native div). Else the
 * end of the document, after the last block.
 */
function findReferencesPlace(tree: Root): ReferencesPlace {
  const search = (parent: Parent): ReferencesPlace | undefined => {
    const siblings = parent.children as RootContent[]
    for (const [index, child] of siblings.entries()) {
      const before = siblings[index - 1]
      const headingBefore = before?.type === 'heading' ? before : undefined
      const rawDiv = child.type === 'html' ? refsDivOfRawHtml(siblings, index) : undefined
      if (rawDiv) return {siblings: rawDiv.children, index: rawDiv.children.length, inRefsDiv: true, at: rawDiv, authorHeading: headingBefore}
      if (!('children' in child) || child.type === 'paragraph' || child.type === 'heading') continue
      if (isRefsDiv(child)) {
        const inside = child.children as RootContent[]
        const first = inside[0]
        return {siblings: inside, index: inside.length, inRefsDiv: true, at: child, authorHeading: first?.type === 'heading' ? first : headingBefore}
      }
      const found = search(child as Parent)
      if (found) return found
    }
    return undefined
  }
  const found = search(tree)
  if (found) return found
  const last = [...tree.children].reverse().find((child) => !rendersNothing(child))
  return {siblings: tree.children, index: tree.children.length, inRefsDiv: false, authorHeading: last?.type === 'heading' ? last : undefined}
}

/** pandoc's `::: {#refs}`: a div (or a node rendered as one) whose id is `refs`. */
function isRefsDiv(node: RootContent): boolean {
  const data = (node.data ?? {}) as {id?: unknown; hName?: unknown; hProperties?: {id?: unknown}}
  return ((node.type as string) === 'div' || data.hName === 'div') && (data.id === 'refs' || data.hProperties?.id === 'refs')
}

/**
 * A raw HTML block that is the opening tag `<div id="refs">` alone (read as HTML, as the page reads it), at
 * `siblings[index]`: made the div it opens, with the blocks up to its `</div>` (the next block, when both tags are
 * written on one line), so that the list, and what the page does around it (notes go before the references), see
 * one element. The tag's other attributes are kept.
 */
function refsDivOfRawHtml(siblings: RootContent[], index: number): Div | undefined {
  const opening = siblings[index]
  if (opening.type !== 'html' || opening.value.slice(0, 4).toLowerCase() !== '<div') return undefined
  const [element, ...rest] = fromHtml(opening.value, {fragment: true}).children
  if (rest.length > 0 || element?.type !== 'element' || element.tagName !== 'div' || element.children.length > 0 || element.properties.id !== 'refs') return undefined
  let closing = index + 1
  for (let depth = 0; closing < siblings.length; closing++) {
    const sibling = siblings[closing]
    if (sibling.type !== 'html') continue
    if (sibling.value.slice(0, 4).toLowerCase() === '<div') depth++
    else if (sibling.value.trim().toLowerCase() === '</div>' && depth-- === 0) break
  }
  const closed = closing < siblings.length
  const end = closed ? siblings[closing].position?.end : opening.position?.end
  const div: Div = {
    type: 'div',
    identifier: 'refs',
    classes: [],
    attributes: {},
    children: siblings.slice(index + 1, closed ? closing : index + 1) as Div['children'],
    position: opening.position && end && {start: {...opening.position.start}, end: {...end}},
    data: {...opening.data, id: 'refs', hName: 'div', hProperties: element.properties}
  }
  siblings.splice(index, closed ? closing - index + 1 : 1, div as unknown as RootContent)
  return div
}

/** Blocks that show nothing in the output: a document ending with a heading, then notes or comments, ends with it. */
function rendersNothing(node: RootContent): boolean {
  return node.type === 'footnoteDefinition' || node.type === 'definition' || (node.type === 'html' && node.value.startsWith('<!--') && node.value.trimEnd().endsWith('-->'))
}

// ---------------------------------------------------------------------------------------------------------------
// Diagnostics

function reportUnknownKey(file: VFile, node: Citation, item: CitationItem, itemsById: ReadonlyMap<string, CslItem>, bibliographyFile: string | undefined): void {
  const where = bibliographyFile ?? 'the bibliography'
  report(file, node, `Unknown citation key '${item.key}': add it to ${where} or fix the key${nearestKeyHint(item.key, itemsById)}`, 'unknown-citation-key', 'warning', {place: item.keyPosition})
}

/** A key under `nocite` that the bibliography lacks: reported where the front matter lists it. */
function reportUnknownNociteKey(file: VFile, listed: NociteKey, itemsById: ReadonlyMap<string, CslItem>, bibliographyFile: string | undefined): void {
  const where = bibliographyFile ?? 'the bibliography'
  const place = listed.place && {line: listed.place.line, column: listed.place.column}
  report(file, undefined, `Unknown citation key '${listed.key}' in \`nocite\`: add it to ${where} or fix the key${nearestKeyHint(listed.key, itemsById)}`, 'unknown-citation-key', 'warning', {place, sourceFile: listed.place?.sourceFile || undefined})
}

/** " (did you mean 'Doe:2020'?)" when a key of the bibliography is close to `key`; else ''. */
function nearestKeyHint(key: string, itemsById: ReadonlyMap<string, CslItem>): string {
  const keys = [...itemsById.keys()]
  if (keys.length === 0) return ''
  const caseInsensitive = keys.find((known) => known.toLowerCase() === key.toLowerCase())
  const nearest = caseInsensitive ?? closest(key, keys)
  return caseInsensitive || distance(key, nearest) <= Math.max(2, Math.floor(key.length / 3)) ? ` (did you mean '${nearest}'?)` : ''
}

/**
 * A shared .bib can hold thousands of entries a manuscript never cites: their messages are made without the stack
 * trace every Error captures (a diagnostic's is never shown), which otherwise costs most of making them.
 */
/**
 * The last build's reports of unused entries, with what they were made from: the same items (objects, so the same
 * parse of the same text), defined at the same places, the same keys used and the same names give the same messages.
 */
export interface UnusedEntryReports {
  items: CslItem[]
  origins: (BibliographyEntryOrigin | undefined)[]
  used: Set<string>
  bibliographyFile: string | undefined
  filePath: string | undefined
  messages: VFileMessage[]
}

function reportUnused(file: VFile, items: CslItem[], cited: Set<string>, bibliographyFile: string | undefined, memo?: {last?: UnusedEntryReports}): void {
  const last = memo?.last
  if (last && last.bibliographyFile === bibliographyFile && last.filePath === file.path && sameItems(last, items) && sameKeys(last.used, cited)) {
    file.messages.push(...last.messages)
    return
  }
  const before = file.messages.length
  const stackTraceLimit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    reportEachUnused(file, items, cited, bibliographyFile)
  } finally {
    Error.stackTraceLimit = stackTraceLimit
  }
  if (memo) memo.last = {items: [...items], origins: items.map(originOf), used: cited, bibliographyFile, filePath: file.path, messages: file.messages.slice(before)}
}

function sameItems(last: UnusedEntryReports, items: CslItem[]): boolean {
  if (last.items.length !== items.length) return false
  for (let index = 0; index < items.length; index++) {
    if (last.items[index] !== items[index]) return false
    const origin = originOf(items[index])
    const before = last.origins[index]
    if (origin?.path !== before?.path || origin?.line !== before?.line) return false
  }
  return true
}

function sameKeys(left: Set<string>, right: Set<string>): boolean {
  if (left.size !== right.size) return false
  for (const key of left) if (!right.has(key)) return false
  return true
}

/**
 * How many unused entries of one bibliography file are reported one by one. A shared bibliography (a whole reference
 * library exported) holds thousands a manuscript never cites: one message says how many more there are.
 */
const unusedEntriesListed = 50

function reportEachUnused(file: VFile, items: CslItem[], cited: Set<string>, bibliographyFile: string | undefined): void {
  const unlisted = new Map<string, {count: number; first?: BibliographyEntryOrigin}>()
  for (const item of items) {
    if (cited.has(item.id)) continue
    const origin = originOf(item)
    const where = origin?.path ?? bibliographyFile ?? 'the bibliography'
    const more = unlisted.get(where) ?? {count: 0, first: undefined}
    unlisted.set(where, more)
    if (++more.count > unusedEntriesListed) {
      // The summary points at the first entry not listed.
      if (more.count === unusedEntriesListed + 1) more.first = origin
      continue
    }
    report(file, undefined, `Bibliography entry '${item.id}' is never cited: cite it, list it under \`nocite\`, or remove it from ${where}.`, 'unused-bibliography-entry', 'info', {
      place: origin?.line ? {line: origin.line, column: 1} : undefined,
      sourceFile: origin?.path
    })
  }
  for (const [where, more] of unlisted) {
    const rest = more.count - unusedEntriesListed
    if (rest <= 0) continue
    report(file, undefined, `${rest} more ${rest === 1 ? 'entry' : 'entries'} of ${where} ${rest === 1 ? 'is' : 'are'} never cited (${more.count} in all, the first ${unusedEntriesListed} listed one by one): as expected of a shared bibliography; otherwise cite them, list them under \`nocite\`, or remove them.`, 'unused-bibliography-entry', 'info', {
      place: more.first?.line ? {line: more.first.line, column: 1} : undefined,
      sourceFile: more.first?.path
    })
  }
}
