/**
 * pandoc-crossref for our mdast: number labelled figures (`fig:`), tables (`tbl:`) and display equations (`eq:`)
 * 1, 2, 3 … in document order, number sections hierarchically (`sec:`), put `Figure 1:` in front of captions, and
 * turn citations of such labels (`[@fig:a]`, `@fig:a`, `[-@fig:a]`, `[@fig:a; @fig:b]`) into `crossReference`
 * nodes whose children are the rendered text, linked to the targets.
 *
 * As in pandoc-crossref, only labelled objects are numbered (an image without `{#fig:…}` stays an unnumbered
 * figure), and a citation mixing labels and bibliography keys is split: the labels become cross-references, the
 * rest stays a citation for citeproc. Run after the attributes, figures and table-caption transforms.
 */
import {closest, distance} from 'fastest-levenshtein'
import type {Heading, Root, Text} from 'mdast'
import type {} from 'mdast-util-to-hast'
import {toString} from 'mdast-util-to-string'
import type {Node, Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {Citation, CitationItem, CrossReference, CrossReferenceItem, Figure, FigureCaption, MathData} from '../syntax/types.ts'
import {leftoverAttributesToText, type AttributedData} from './attributes.ts'
import type {IdentifiedHeadingData} from './heading-identifiers.ts'
import {walk} from '../syntax/walk.ts'
import {ensureCaption} from '../syntax/figure.ts'
import {listingsTransform} from './crossref/listings.ts'
import {listsOfFloatsTransform} from './crossref/lists.ts'
import {subfiguresTransform} from './crossref/subfigures.ts'
import {renderCrossReference, type CrossrefKind, type CrossrefTarget, type ResolvedItem} from './crossref/format.ts'
import type {MetadataPlace} from './front-matter.ts'
import {crossrefOptionsFromMetadata, defaultCrossrefOptions, type CrossrefOptions} from './crossref/options.ts'

export {defaultCrossrefOptions, pandocCrossrefDefaults, crossrefOptionsFromMetadata, type CrossrefOptions, type PrefixWords} from './crossref/options.ts'
export type {CrossrefKind, CrossrefTarget} from './crossref/format.ts'

export interface CrossrefTransformOptions extends Partial<CrossrefOptions> {
  /**
   * The document's front matter. Its pandoc-crossref keys override the options above (a document's own settings are
   * more specific than the project's). Default: none (the front matter stage reads the metadata).
   */
  metadata?: Record<string, unknown>
  /** Where each key of `metadata` is written, so that a wrong setting is reported at its key. */
  metadataPlaces?: Record<string, MetadataPlace>
}

/** A numbered (or labelled) object, in document order. */
export interface CrossrefEntry extends CrossrefTarget {
  node: Node
}

const kinds: CrossrefKind[] = ['fig', 'tbl', 'eq', 'sec', 'lst']
const kindNames: Record<CrossrefKind, string> = {fig: 'figure', tbl: 'table', eq: 'equation', sec: 'section', lst: 'listing'}
const withArticle: Record<CrossrefKind, string> = {fig: 'a figure', tbl: 'a table', eq: 'an equation', sec: 'a section', lst: 'a listing'}

/** `fig:a` → fig; `Fig:a` → fig, capitalised; `Chuang:2014` → undefined. */
export function parseCrossrefKey(key: string): {kind: CrossrefKind; label: string; capitalize: boolean} | undefined {
  const colon = key.indexOf(':')
  if (colon <= 0) return undefined
  const written = key.slice(0, colon)
  const lowered = written.charAt(0).toLowerCase() + written.slice(1)
  const kind = kinds.find((candidate) => candidate === lowered)
  if (!kind) return undefined
  return {kind, label: `${kind}${key.slice(colon)}`, capitalize: written !== lowered}
}

/** Number the document's objects and resolve its cross-references. Returns the labelled objects found. */
export function crossrefTransform(tree: Root, file: VFile, options: CrossrefTransformOptions = {}): Map<string, CrossrefEntry> {
  const settings = resolveOptions(tree, file, options)
  listingsTransform(tree, settings.codeBlockCaptions)
  // The last stages that attach attribute blocks (table and listing captions) have run: what is left is text the author wrote.
  leftoverAttributesToText(tree)
  subfiguresTransform(tree)
  const {targets, floats} = numberObjects(tree, file, settings)
  resolveReferences(tree, file, targets, settings)
  listsOfFloatsTransform(tree, floats, settings)
  return targets
}

function resolveOptions(tree: Root, file: VFile, options: CrossrefTransformOptions): CrossrefOptions {
  const {metadata, metadataPlaces, ...explicit} = options
  const fromMetadata = metadata ? crossrefOptionsFromMetadata(metadata, file, metadataPlaces) : {}
  return {...defaultCrossrefOptions, ...definedOnly(explicit), ...fromMetadata}
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>
}

// ---------------------------------------------------------------------------------------------------------------
// Numbering

/** What numbering keeps track of: the counters of each kind, the sections', and the current chapter's number. */
interface Counters {
  fig: number
  tbl: number
  eq: number
  lst: number
  sections: number[]
  /** `6` (or `6.2` with chaptersDepth 2) once a chapter heading is met, when `chapters` is on. */
  chapter?: string
  /** How many subfigures each group has numbered so far. */
  subfigures: Map<Figure, number>
}

function numberObjects(tree: Root, file: VFile, options: CrossrefOptions): {targets: Map<string, CrossrefEntry>; floats: Figure[]} {
  const targets = new Map<string, CrossrefEntry>()
  const counters: Counters = {fig: 0, tbl: 0, eq: 0, lst: 0, sections: [], subfigures: new Map()}
  const floats: Figure[] = []

  const define = (entry: CrossrefEntry): void => {
    const first = targets.get(entry.label)
    if (first) {
      const where = first.node.position ? `line ${first.node.position.start.line}` : 'earlier'
      const firstFile = sourceFileOf(first.node)
      const inFile = firstFile && firstFile !== sourceFileOf(entry.node) ? ` of ${firstFile}` : ''
      report(
        file,
        entry.node,
        `Duplicate label ${entry.label}: it already names the ${kindNames[first.kind]} at ${where}${inFile}. Give each ${kindNames[entry.kind]} its own label; references go to the first.`,
        'duplicate-label',
        'error'
      )
      return
    }
    targets.set(entry.label, entry)
  }

  walk(tree, (node, _index, parent) => {
    if (node.type === 'heading') numberHeading(node, counters, options, define)
    else if (node.type === 'figure') {
      if (parent?.type === 'figure') numberSubfigure(node, parent, counters, options, define)
      else numberFigure(node, counters, options, define)
      if (node.number !== undefined) floats.push(node)
    } else if (node.type === 'inlineMath' || node.type === 'math') numberEquation(node, counters, options, define)
    else if (node.type === 'image' && parent?.type !== 'figure') warnLabelledInlineImage(node, file)
  })
  return {targets, floats}
}

/** `3` or, in chapter 6, `6.3`. */
function numbered(counters: Counters, count: number, options: CrossrefOptions): string {
  return counters.chapter === undefined ? String(count) : `${counters.chapter}${options.chapDelim}${count}`
}

function numberHeading(
  heading: Heading,
  state: Counters,
  options: CrossrefOptions,
  define: (entry: CrossrefEntry) => void
): void {
  const counters = state.sections
  const data = (heading.data ??= {}) as IdentifiedHeadingData
  // pandoc-crossref's `autoSectionLabels` labels each heading by its automatic identifier (see ./heading-identifiers.ts).
  if (data.automaticId && options.autoSectionLabels && data.id) {
    data.id = `sec:${data.id}`
    data.automaticId = false
    ;(data.hProperties ??= {}).id = data.id
  }
  let number: string | undefined
  if (!data.unnumbered) {
    const level = heading.depth
    counters[level - 1] = (counters[level - 1] ?? 0) + 1
    counters.length = level
    // pandoc-crossref counts a skipped level as 1: `#` then `###` is 1.1.1.
    for (let index = 0; index < level - 1; index++) if (!counters[index]) counters[index] = 1
    number = counters.join('.')
    if (options.numberSections && (options.sectionsDepth <= 0 || level <= options.sectionsDepth)) data.number = number
    // A numbered chapter heading starts the chapter's numbers again (an unnumbered one keeps the chapter it is in).
    if (options.chapters && level <= options.chaptersDepth) {
      state.chapter = counters.slice(0, options.chaptersDepth).join('.')
      state.fig = state.tbl = state.eq = state.lst = 0
    }
  }
  if (data.id?.startsWith('sec:')) {
    define({kind: 'sec', label: data.id, number, title: plainText(heading), node: heading})
  }
}

function numberFigure(
  figure: Figure,
  counters: Counters,
  options: CrossrefOptions,
  define: (entry: CrossrefEntry) => void
): void {
  const kind = figure.kind === 'table' ? 'tbl' : figure.kind === 'listing' ? 'lst' : 'fig'
  if (!figure.identifier?.startsWith(`${kind}:`)) return
  counters[kind]++
  const number = numbered(counters, counters[kind], options)
  figure.number = number
  const title = kind === 'fig' ? options.figureTitle : kind === 'tbl' ? options.tableTitle : options.listingTitle
  addCaptionLabel(figure, `${title}\u00A0${number}${options.titleDelim}`)
  define({kind, label: figure.identifier, number, node: figure})
}

/** A subfigure of a numbered group is `2a`, `2b`, … in order (pandoc-crossref's default letters), labelled or not. */
function numberSubfigure(figure: Figure, group: Figure, counters: Counters, _options: CrossrefOptions, define: (entry: CrossrefEntry) => void): void {
  if (group.number === undefined || figure.kind !== 'figure') return
  const index = counters.subfigures.get(group) ?? 0
  counters.subfigures.set(group, index + 1)
  const letter = subfigureLetter(index)
  figure.number = `${group.number}${letter}`
  addCaptionLabel(figure, `(${letter})`)
  if (figure.identifier?.startsWith('fig:')) define({kind: 'fig', label: figure.identifier, number: figure.number, node: figure})
}

/** a … z, then aa, ab, … */
function subfigureLetter(index: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz'
  return index < letters.length ? letters[index] : subfigureLetter(Math.floor(index / letters.length) - 1) + letters[index % letters.length]
}

/** Put `Figure 1:` before the caption's text (making a caption when there is none), once. */
function addCaptionLabel(figure: Figure, value: string): void {
  const caption = ensureCaption(figure)
  if (!hasCaptionLabel(caption)) {
    const sourceFile = figure.data?.sourceFile
    const position = caption.children[0]?.position ?? caption.position ?? figure.position
    const label: Text = {
      type: 'text',
      value,
      position,
      data: {hName: 'span', hProperties: {className: ['caption-label']}, ...(sourceFile ? {sourceFile} : {})}
    }
    const space: Text = {type: 'text', value: ' ', position, ...(sourceFile ? {data: {sourceFile}} : {})}
    caption.children.unshift(label, space)
  }
}

function hasCaptionLabel(caption: FigureCaption): boolean {
  const first = caption.children[0]
  const className = first?.data?.hProperties?.className
  return Array.isArray(className) && className.includes('caption-label')
}

function numberEquation(node: Node, counters: Counters, options: CrossrefOptions, define: (entry: CrossrefEntry) => void): void {
  const data = (node.data ?? {}) as MathData
  const display = node.type === 'math' || data.display === true
  const labelled = data.id?.startsWith('eq:') === true
  if (!display || !(labelled || options.autoEqnLabels)) return
  counters.eq++
  const number = numbered(counters, counters.eq, options)
  node.data = {...data, number}
  if (labelled) define({kind: 'eq', label: data.id!, number, node})
}

/** `![](x.png){#fig:x}` (no caption, or not alone in its paragraph) is not a figure, so the label would dangle. */
function warnLabelledInlineImage(image: Node, file: VFile): void {
  const id = (image.data as AttributedData | undefined)?.id
  if (!id?.startsWith('fig:')) return
  report(
    file,
    image,
    `Image labelled ${id} is not a figure, so it gets no number: a figure is an image with a caption (alt text), alone in its paragraph. Give it a caption and a paragraph of its own.`,
    'label-not-figure',
    'warning'
  )
}

function sourceFileOf(node: Node): string | undefined {
  return (node.data as {sourceFile?: string} | undefined)?.sourceFile
}

function plainText(node: Node): string {
  return toString(node, {includeImageAlt: false})
}

// ---------------------------------------------------------------------------------------------------------------
// References

function resolveReferences(tree: Root, file: VFile, targets: Map<string, CrossrefEntry>, options: CrossrefOptions): void {
  walk(tree, 'citation', (node, index, parent) => {
    if (!parent || index === undefined) return undefined
    const replacement = replaceCitation(node, file, targets, options)
    if (!replacement) return undefined
    ;(parent.children as Node[]).splice(index, 1, ...replacement)
    return index + replacement.length
  })
}

/** The nodes that stand for `citation`, or undefined when none of its keys is a label. */
function replaceCitation(
  citation: Citation,
  file: VFile,
  targets: Map<string, CrossrefEntry>,
  options: CrossrefOptions
): Array<Citation | CrossReference | Text> | undefined {
  const labelled = citation.children.map((item) => parseCrossrefKey(item.key))
  if (labelled.every((parsed) => !parsed)) return undefined
  const sourceFile = citation.data?.sourceFile
  if (labelled.every(Boolean)) return [crossReferenceOf(citation, citation.children, citation.position, file, targets, options)]

  report(
    file,
    citation,
    'This citation mixes cross-references and bibliography keys; they are rendered one after the other. Write them as separate citations, e.g. `[@fig:a]` and `[@key]`.',
    'mixed-citation',
    'info'
  )
  const runs: Array<{labels: boolean; items: CitationItem[]}> = []
  citation.children.forEach((item, index) => {
    const isLabel = Boolean(labelled[index])
    const last = runs[runs.length - 1]
    if (last && last.labels === isLabel) last.items.push(item)
    else runs.push({labels: isLabel, items: [item]})
  })
  const nodes: Array<Citation | CrossReference | Text> = []
  runs.forEach((run, index) => {
    const position = spanOf(run.items)
    if (index > 0) nodes.push({type: 'text', value: ', ', position, ...(sourceFile ? {data: {sourceFile}} : {})})
    if (run.labels) nodes.push(crossReferenceOf(citation, run.items, position, file, targets, options))
    else nodes.push({...citation, children: run.items, position})
  })
  return nodes
}

function crossReferenceOf(
  citation: Citation,
  items: CitationItem[],
  position: Position | undefined,
  file: VFile,
  targets: Map<string, CrossrefEntry>,
  options: CrossrefOptions
): CrossReference {
  const sourceFile = citation.data?.sourceFile
  const resolved: ResolvedItem[] = items.map((item) => {
    const parsed = parseCrossrefKey(item.key)!
    const reference: CrossReferenceItem = {
      label: parsed.label,
      capitalize: parsed.capitalize,
      suppressPrefix: item.mode === 'suppress-author',
      prefix: item.children[0].children,
      suffix: item.children[1].children,
      position: item.keyPosition
    }
    const target = targets.get(parsed.label)
    if (!target) reportUnresolved(file, item, parsed.kind, parsed.label, targets, sourceFile)
    return {item: reference, kind: parsed.kind, target}
  })
  return {
    type: 'crossReference',
    bracketed: citation.bracketed,
    items: resolved.map((entry) => entry.item),
    children: renderCrossReference(resolved, options, sourceFile),
    position,
    data: {hName: 'span', hProperties: {className: ['crossref']}, ...(sourceFile ? {sourceFile} : {})}
  }
}

/** The suggestion for each label not found, per document's targets: a book repeats the same wrong label many times. */
const suggestionsFor = new WeakMap<Map<string, CrossrefEntry>, Map<string, string | undefined>>()

function reportUnresolved(
  file: VFile,
  item: CitationItem,
  kind: CrossrefKind,
  label: string,
  targets: Map<string, CrossrefEntry>,
  sourceFile: string | undefined
): void {
  let suggestions = suggestionsFor.get(targets)
  if (!suggestions) suggestionsFor.set(targets, (suggestions = new Map()))
  const asked = `${kind}\u0000${label}`
  if (!suggestions.has(asked)) suggestions.set(asked, closestLabel(label, kind, [...targets.values()]))
  const suggestion = suggestions.get(asked)
  const where = {position: item.keyPosition, data: {sourceFile}}
  const reason = suggestion
    ? `Unresolved reference @${item.key}: no ${kind} label by that name (did you mean ${suggestion}?)`
    : `Unresolved reference @${item.key}: no ${kind} label by that name. Label ${withArticle[kind]} with {#${label}}, or correct the reference.`
  report(file, where, reason, 'unresolved-reference', 'warning')
}

/**
 * The existing label nearest to `label`: among labels of the same kind first, then among all, comparing the names
 * after the prefix. Only near names count: at most 40% of the name may differ, and never all of it.
 */
export function closestLabel(label: string, kind: CrossrefKind, targets: CrossrefTarget[]): string | undefined {
  const nameOf = (value: string): string => value.slice(value.indexOf(':') + 1)
  const name = nameOf(label)
  const allowed = Math.min(Math.max(2, Math.ceil(name.length * 0.4)), name.length - 1)
  const nearest = (candidates: CrossrefTarget[]): string | undefined => {
    const byName = new Map(candidates.map((target) => [nameOf(target.label), target.label]))
    // A name whose length differs by more than is allowed differs by more than that: not worth a distance.
    const near = [...byName.keys()].filter((candidate) => Math.abs(candidate.length - name.length) <= allowed)
    if (near.length === 0) return undefined
    const best = closest(name, near)
    return distance(name, best) <= allowed ? byName.get(best) : undefined
  }
  return nearest(targets.filter((target) => target.kind === kind)) ?? nearest(targets)
}

/** From the first item's start to the last item's end. */
function spanOf(items: CitationItem[]): Position | undefined {
  const first = items[0]?.position
  const last = items[items.length - 1]?.position
  return first && last ? {start: first.start, end: last.end} : undefined
}

/** The transform as a unified plugin. */
export function remarkCrossref(options: CrossrefTransformOptions = {}) {
  return (tree: Root, file: VFile) => {
    crossrefTransform(tree, file, options)
  }
}
