/**
 * Heading identifiers as pandoc gives them (`auto_identifiers`, `implicit_header_references`): every heading without
 * an explicit `{#id}` gets the identifier pandoc derives from its text, made unique in document order (`intro`,
 * `intro-1`, …), so that `[link](#intro)` works; and a link reference `[Intro]`, `[text][Intro]` or `[Intro][]` that
 * names no link definition links to the heading whose text it repeats. The parser reads every link label as a
 * possible reference (see ../syntax/linear/label-end.ts): a reference that names neither becomes, here, the text it
 * was written as, so later stages see what they saw before. A reference-style image `![alt][ref]` becomes the image
 * its definition names.
 */
import type {Definition, Heading, Image, ImageReference, Link, LinkReference, Parents, PhrasingContent, Root, Text} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Point} from 'unist'
import type {HeadingData} from '../syntax/types.ts'
import type {AttributedData} from './attributes.ts'
import {pandocIdentifier} from './crossref/auto-identifier.ts'
import {walk} from '../syntax/walk.ts'

/** Hands out identifiers the way pandoc de-duplicates them: `section`, `section-1`, `section-2`. */
export class IdentifierRegistry {
  private readonly used = new Set<string>()

  reserve(identifier: string): void {
    this.used.add(identifier)
  }

  unique(base: string): string {
    let candidate = base
    for (let counter = 1; this.used.has(candidate); counter++) candidate = `${base}-${counter}`
    this.used.add(candidate)
    return candidate
  }
}

/** What marks a heading's identifier as made here rather than written (pandoc-crossref's `autoSectionLabels` renames only these). */
export interface IdentifiedHeadingData extends HeadingData, AttributedData {
  automaticId?: boolean
}

export function headingIdentifiersTransform(tree: Root): void {
  const identifiers = new IdentifierRegistry()
  /** Heading text (as a reference key) → identifier; the last heading with a text wins, as in pandoc. */
  const headings = new Map<string, string>()
  walk(tree, 'heading', (heading: Heading) => {
    const data = (heading.data ??= {}) as IdentifiedHeadingData
    if (data.id) {
      identifiers.reserve(data.id)
    } else {
      data.id = identifiers.unique(pandocIdentifier(headingText(heading)))
      data.automaticId = true
      ;(data.hProperties ??= {}).id = data.id
    }
    headings.set(referenceKey(headingText(heading)), data.id)
  })
  resolveReferences(tree, headings)
}

/** The text pandoc makes an identifier from: notes left out. */
function headingText(heading: Heading): string {
  const withoutNotes = {...heading, children: heading.children.filter((child) => child.type !== 'footnoteReference' && (child.type as string) !== 'inlineNote')}
  return toString(withoutNotes, {includeImageAlt: true})
}

/** pandoc compares reference labels case-insensitively, white space collapsed. */
function referenceKey(text: string): string {
  return text.trim().split(/\s+/).join(' ').toLowerCase()
}

function resolveReferences(tree: Root, headings: Map<string, string>): void {
  const defined = new Set<string>()
  const definitions = new Map<string, Definition>()
  walk(tree, 'definition', (definition: Definition) => {
    defined.add(definition.identifier.toLowerCase())
    if (!definitions.has(definition.identifier.toLowerCase())) definitions.set(definition.identifier.toLowerCase(), definition)
  })
  imagesFromReferences(tree, definitions)
  const isDefined = (identifier: string) => defined.has(identifier.toLowerCase())
  const unresolved = new Map<Parents, Set<LinkReference>>()
  // pandoc reads the outer brackets first: a possible reference inside a link (or inside a reference that is one)
  // is its text (`[embedded [brackets]][b]`). Outer references come first in this walk, so theirs is known.
  const becomesLink = new Set<LinkReference>()
  const insideLink = new Set<LinkReference>()
  walk(tree, 'linkReference', (node: LinkReference, _index, parent, ancestors) => {
    if (!parent) return
    const inLink = ancestors.some((ancestor) => ancestor.type === 'link' || becomesLink.has(ancestor as LinkReference))
    if (inLink) insideLink.add(node)
    else if (isDefined(node.identifier) || resolve(node, headings, isDefined)[0]?.type === 'link') becomesLink.add(node)
    if (isDefined(node.identifier) && !inLink) return
    const parentNode = parent as Parents
    if (!unresolved.has(parentNode)) unresolved.set(parentNode, new Set())
    unresolved.get(parentNode)!.add(node)
  })
  // Each parent's children are rebuilt once (a paragraph of many `[a]` stays linear), innermost parents first.
  for (const [parent, nodes] of [...unresolved].reverse()) {
    const replace = (node: LinkReference) => (insideLink.has(node) ? bracketed(node) : resolve(node, headings, isDefined))
    const children = (parent.children as PhrasingContent[]).flatMap((child) => (nodes.has(child as LinkReference) ? replace(child as LinkReference) : [child]))
    mergeAdjacentText(children)
    ;(parent as {children: PhrasingContent[]}).children = children
  }
}

/**
 * `![alt][ref]` becomes the image its definition names (as pandoc reads it), so that alone in a paragraph it is a
 * figure and its file is copied like any other image's.
 */
function imagesFromReferences(tree: Root, definitions: Map<string, Definition>): void {
  walk(tree, 'imageReference', (node: ImageReference, index, parent) => {
    const definition = definitions.get(node.identifier.toLowerCase())
    if (!definition || !parent || index === undefined) return
    const image: Image = {type: 'image', url: definition.url, title: definition.title ?? null, alt: node.alt ?? '', position: node.position, ...(node.data ? {data: node.data} : {})}
    ;(parent.children as PhrasingContent[])[index] = image
  })
}

/** A link to the heading the reference names, or the reference as written. */
function resolve(node: LinkReference, headings: Map<string, string>, isDefined: (identifier: string) => boolean): PhrasingContent[] {
  const named = node.referenceType === 'full' ? referenceKey(stripMarks(node.label ?? node.identifier)) : referenceKey(toString(node))
  const id = headings.get(named)
  if (id !== undefined) {
    const link: Link = {type: 'link', url: `#${id}`, title: null, children: node.children, position: node.position, ...(node.data ? {data: node.data} : {})}
    return [link]
  }
  return asWritten(node, headings, isDefined)
}

/** `My *heading*` as a reference label: the text pandoc compares, without the Markdown marks. */
function stripMarks(label: string): string {
  return label.replace(/[*_`]/g, '')
}

/** `[`, the reference's text, `]` (and `[]` or `[label]`), with their positions. */
function asWritten(node: LinkReference, headings: Map<string, string>, isDefined: (identifier: string) => boolean): PhrasingContent[] {
  const sourceFile = (node.data as {sourceFile?: string} | undefined)?.sourceFile
  const start = node.position?.start
  const end = node.position?.end
  const tail = node.referenceType === 'full' ? `][${node.label ?? node.identifier}]` : node.referenceType === 'collapsed' ? '][]' : ']'
  const opening = text('[', start, start && shift(start, 1), sourceFile)
  const lastChild = node.children[node.children.length - 1]
  const tailStart = lastChild?.position?.end ?? (start && shift(start, 1))
  const closing = text(tail, tailStart, end, sourceFile)
  // `[Intro][nowhere]`: the text part on its own may still name a heading or a definition.
  if (node.referenceType === 'full') {
    const own = referenceKey(toString(node))
    const id = headings.get(own)
    if (id !== undefined && !isDefined(own)) {
      const link: Link = {type: 'link', url: `#${id}`, title: null, children: node.children, position: start && tailStart ? {start, end: shift(tailStart, 1)} : undefined}
      return [link, text(tail.slice(1), tailStart && shift(tailStart, 1), end, sourceFile)]
    }
  }
  return [opening, ...node.children, closing]
}

/** `[`, the reference's text, `]` (and `[]` or `[label]`), with their positions: never a link. */
function bracketed(node: LinkReference): PhrasingContent[] {
  return asWritten(node, new Map(), () => true)
}

function text(value: string, start: Point | undefined, end: Point | undefined, sourceFile: string | undefined): Text {
  return {type: 'text', value, ...(start && end ? {position: {start, end}} : {}), ...(sourceFile ? {data: {sourceFile}} : {})}
}

function shift(point: Point, columns: number): Point {
  return {line: point.line, column: point.column + columns, ...(point.offset === undefined ? {} : {offset: point.offset + columns})}
}

/** Neighbouring text nodes of one file become one, as the parser would have made them. */
function mergeAdjacentText(children: PhrasingContent[]): void {
  let kept = 0
  for (const child of children) {
    const before = children[kept - 1]
    if (kept > 0 && before.type === 'text' && child.type === 'text' && sourceFileOf(before) === sourceFileOf(child)) {
      before.value += child.value
      if (before.position && child.position) before.position = {start: before.position.start, end: child.position.end}
    } else {
      children[kept++] = child
    }
  }
  children.length = kept
}

function sourceFileOf(node: PhrasingContent): string | undefined {
  return (node.data as {sourceFile?: string} | undefined)?.sourceFile
}
