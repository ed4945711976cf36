/**
 * mdast-util-from-markdown handlers for pandoc citations: the `citation` token becomes a `citation` node spanning the
 * whole construct, with one `citationItem` child per key. An item's children are its prefix and suffix, whose
 * phrasing micromark has parsed with the rest of the paragraph; white space at their ends is left out, as pandoc does.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {PhrasingContent} from 'mdast'
import type {Point, Token} from 'micromark-util-types'
import type {Point as UnistPoint} from 'unist'
import type {Citation, CitationItem, CitationPrefix, CitationSuffix} from '../types.ts'

declare module 'mdast-util-from-markdown' {
  interface CompileData {
    /** Key value read for the `citationKey` being closed. */
    citationKey?: string | undefined
    /** Whether the `citationKey` being closed had a leading `-`. */
    citationSuppressAuthor?: boolean | undefined
  }
}

export function citationFromMarkdown(): FromMarkdownExtension {
  return {
    // A prefix or suffix running over two lines keeps its line ending (as text), as a paragraph does.
    canContainEols: ['citationPrefix', 'citationSuffix'],
    enter: {citation: enterCitation, citationPrefix: enterCitationPrefix, citationSuffix: enterCitationSuffix},
    exit: {
      citation: exitCitation,
      citationPrefix: exitAffix,
      citationKeySuppressMarker: exitCitationKeySuppressMarker,
      citationKeyValue: exitCitationKeyValue,
      citationKey: exitCitationKey,
      citationSuffix: exitAffix
    }
  }
}

/**
 * While the citation is open its children are, in source order, the prefixes and suffixes read and an item per key;
 * `exitCitation` puts each prefix and suffix into its item.
 */
type OpenChild = CitationItem | CitationPrefix | CitationSuffix

function enterCitation(this: CompileContext, token: Token): undefined {
  const node: Citation = {
    type: 'citation',
    bracketed: this.sliceSerialize(token).charCodeAt(0) === 91 /* `[` */,
    children: []
  }
  this.enter(node, token)
  this.data.citationKey = undefined
  this.data.citationSuppressAuthor = undefined
}

function enterCitationPrefix(this: CompileContext, token: Token): undefined {
  this.enter({type: 'citationPrefix', children: []}, token)
}

function enterCitationSuffix(this: CompileContext, token: Token): undefined {
  this.enter({type: 'citationSuffix', children: []}, token)
}

function exitAffix(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as CitationPrefix | CitationSuffix
  this.exit(token)
  trimPhrasing(node.children)
}

function exitCitation(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Citation
  const open = node.children as OpenChild[]
  const items: CitationItem[] = []
  let prefix: CitationPrefix | undefined
  for (const child of open) {
    if (child.type === 'citationPrefix') prefix = child
    else if (child.type === 'citationSuffix') {
      const item = items[items.length - 1]
      if (item) item.children[1] = child
    } else {
      if (prefix) child.children[0] = prefix
      prefix = undefined
      items.push(child)
    }
  }
  for (const item of items) {
    const [first, last] = [item.children[0].position ?? item.keyPosition, item.children[1].position ?? item.keyPosition]
    // Points of their own: a re-parse moves each point object once, wherever it is found.
    item.position = {start: {...first.start}, end: {...last.end}}
  }
  node.children = items
  this.exit(token)
}

function exitCitationKeySuppressMarker(this: CompileContext): undefined {
  this.data.citationSuppressAuthor = true
}

function exitCitationKeyValue(this: CompileContext, token: Token): undefined {
  this.data.citationKey = this.sliceSerialize(token)
}

function exitCitationKey(this: CompileContext, token: Token): undefined {
  const node = currentCitation(this)
  const suppressAuthor = this.data.citationSuppressAuthor === true
  // Only the key a narrative citation starts with is author-in-text; keys in its brackets are normal.
  const narrativeKey = !node.bracketed && node.children.every((child) => (child as OpenChild).type !== 'citationItem')
  const keyPosition = {start: toUnistPoint(token.start), end: toUnistPoint(token.end)}
  const item: CitationItem = {
    type: 'citationItem',
    key: this.data.citationKey ?? '',
    mode: suppressAuthor ? 'suppress-author' : narrativeKey ? 'author-in-text' : 'normal',
    keyPosition,
    children: [
      {type: 'citationPrefix', children: []},
      {type: 'citationSuffix', children: []}
    ],
    position: {start: toUnistPoint(token.start), end: toUnistPoint(token.end)}
  }
  ;(node.children as OpenChild[]).push(item)
  this.data.citationKey = undefined
  this.data.citationSuppressAuthor = undefined
}

function currentCitation(context: CompileContext): Citation {
  const node = context.stack[context.stack.length - 1]
  if (node?.type !== 'citation') throw new Error('citation: expected a `citation` node on the stack')
  return node
}

function toUnistPoint(point: Point): UnistPoint {
  return {line: point.line, column: point.column, offset: point.offset}
}

/**
 * Leave out white space and line endings at both ends (not other Unicode spaces such as a no-break space, which
 * pandoc keeps), moving the positions of the text nodes concerned.
 */
function trimPhrasing(children: PhrasingContent[]): void {
  const first = children[0]
  if (first?.type === 'text') {
    const removed = /^[ \t\r\n]*/.exec(first.value)![0]
    if (removed) {
      first.value = first.value.slice(removed.length)
      if (first.position) first.position.start = advance(first.position.start, removed)
    }
    if (!first.value) children.shift()
  }
  const last = children[children.length - 1]
  if (last?.type === 'text') {
    const kept = last.value.replace(/[ \t\r\n]+$/, '')
    if (kept.length < last.value.length && last.position) last.position.end = advance(last.position.start, kept)
    last.value = kept
    if (!last.value) children.pop()
  }
}

/** The point after `text` read from `point`. */
function advance(point: UnistPoint, text: string): UnistPoint {
  const lines = text.split(/\r\n|\r|\n/)
  const offset = point.offset === undefined ? undefined : point.offset + text.length
  if (lines.length === 1) return {line: point.line, column: point.column + text.length, offset}
  return {line: point.line + lines.length - 1, column: lines[lines.length - 1].length + 1, offset}
}
