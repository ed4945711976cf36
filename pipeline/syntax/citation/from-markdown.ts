/**
 * mdast-util-from-markdown handlers for pandoc citations: the `citation` token becomes a `citation` node spanning the
 * whole construct, with one item per key. Prefixes and suffixes are the trimmed raw source of their tokens; an item's
 * position is that of its `-@key`.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Point, Token} from 'micromark-util-types'
import type {Point as UnistPoint} from 'unist'
import type {Citation, CitationItem} from '../types.ts'

declare module 'mdast-util-from-markdown' {
  interface CompileData {
    /** Prefix read for the item whose key comes next. */
    citationPrefix?: string | undefined
    /** Key value read for the `citationKey` being closed. */
    citationKey?: string | undefined
    /** Whether the `citationKey` being closed had a leading `-`. */
    citationSuppressAuthor?: boolean | undefined
  }
}

export function citationFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {citation: enterCitation},
    exit: {
      citation: exitCitation,
      citationPrefix: exitCitationPrefix,
      citationKeySuppressMarker: exitCitationKeySuppressMarker,
      citationKeyValue: exitCitationKeyValue,
      citationKey: exitCitationKey,
      citationSuffix: exitCitationSuffix
    }
  }
}

function enterCitation(this: CompileContext, token: Token): undefined {
  const node: Citation = {
    type: 'citation',
    bracketed: this.sliceSerialize(token).charCodeAt(0) === 91 /* `[` */,
    items: []
  }
  this.enter(node, token)
  this.data.citationPrefix = undefined
  this.data.citationKey = undefined
  this.data.citationSuppressAuthor = undefined
}

function exitCitation(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

function exitCitationPrefix(this: CompileContext, token: Token): undefined {
  this.data.citationPrefix = trimSource(this.sliceSerialize(token))
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
  const narrativeKey = !node.bracketed && node.items.length === 0
  const item: CitationItem = {
    key: this.data.citationKey ?? '',
    mode: suppressAuthor ? 'suppress-author' : narrativeKey ? 'author-in-text' : 'normal',
    prefix: this.data.citationPrefix ?? '',
    suffix: '',
    position: {start: toUnistPoint(token.start), end: toUnistPoint(token.end)}
  }
  node.items.push(item)
  this.data.citationPrefix = undefined
  this.data.citationKey = undefined
  this.data.citationSuppressAuthor = undefined
}

function exitCitationSuffix(this: CompileContext, token: Token): undefined {
  const items = currentCitation(this).items
  const item = items[items.length - 1]
  if (item) item.suffix = trimSource(this.sliceSerialize(token))
}

function currentCitation(context: CompileContext): Citation {
  const node = context.stack[context.stack.length - 1]
  if (node?.type !== 'citation') throw new Error('citation: expected a `citation` node on the stack')
  return node
}

function toUnistPoint(point: Point): UnistPoint {
  return {line: point.line, column: point.column, offset: point.offset}
}

/** Trim white space and line endings (not other Unicode spaces such as a no-break space, which pandoc keeps). */
function trimSource(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '')
}
