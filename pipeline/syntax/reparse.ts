/**
 * Re-parsing an edited file by its top-level blocks: a save changes a few lines of a long manuscript, so only the
 * blocks around the change are parsed again and the rest of the previous tree is kept, its positions moved.
 *
 * The parse of a region of whole top-level blocks equals the full parse of that region when the text before it is
 * unchanged and the text after it starts the same way: the region starts one block before the change and ends one
 * block after it, and the result is accepted only if those two outer blocks come out as before (same kind, same
 * place). An edit that opens a fence, a div or an HTML block swallows the block after it, fails that test, and the
 * file is parsed whole. Reference definitions are document-wide, so the region is parsed with the document's
 * other definitions after it (their nodes dropped), and a change that touches a definition parses the file whole, as
 * does one next to raw HTML blocks (see `hasHtmlBlock`).
 */
import type {Definition, FootnoteDefinition, Root, RootContent} from 'mdast'
import {sharedEnds} from '../shared-ends.ts'

export interface ParsedText {
  source: string
  tree: Root
}

/**
 * Parses Markdown text into a tree with positions relative to the text; undefined when the text is too long to parse
 * here (the main thread keeps short parses only, see parse-pool.ts), and then the caller parses the whole file.
 */
export type ParseText = (source: string) => Root | undefined

/**
 * The tree of `source`, made from `previous` (the tree of an earlier text of the same file) by parsing only the
 * blocks around the change; undefined when that cannot be done safely, and the caller parses the whole text.
 */
export function reparseEdited(previous: ParsedText, source: string, parse: ParseText): Root | undefined {
  const old = previous.source
  const blocks = previous.tree.children
  if (old === source || blocks.length < 3 || !blocks.every((block) => block.position?.start.offset !== undefined && block.position.end.offset !== undefined)) return undefined
  const {start: prefix, end: suffix} = sharedEnds(old, source)
  const changeEnd = old.length - suffix
  const delta = source.length - old.length

  // The blocks the change touches, widened by one on each side.
  let first = blocks.findIndex((block) => block.position!.end.offset! >= prefix)
  if (first === -1) first = blocks.length - 1
  let last = blocks.length - 1
  for (let index = first; index < blocks.length; index++) {
    if (blocks[index].position!.start.offset! > changeEnd) break
    last = index
  }
  const before = first - 1
  const after = last + 1
  // A change in the front matter (or title block) or in the first block after it parses the file whole.
  if (before < (blocks[0].type === 'yaml' || blocks[0].type === 'titleBlock' ? 1 : 0)) return undefined
  if (hasDefinition(blocks.slice(before, after + 1)) || hasHtmlBlock(blocks.slice(before, after + 1))) return undefined

  const start = lineStart(old, blocks[before].position!.start.offset!)
  // The region ends with the line of the block after the change (or with the file).
  const oldEnd = after < blocks.length ? lineEnd(old, blocks[after].position!.end.offset!) : old.length
  if (start > prefix || oldEnd < changeEnd) return undefined
  const end = oldEnd + delta
  const region = source.slice(start, end)

  const outside = [...blocks.slice(0, before), ...blocks.slice(after + 1)]
  const trailer = definitionsTrailer(outside)
  const parsed = parse(trailer ? `${region}\n\n${trailer}` : region)
  if (!parsed) return undefined
  const regionBlocks = parsed.children.filter((block) => block.position!.start.offset! < region.length)
  if (regionBlocks.length < 2 || regionBlocks.some((block) => block.position!.end.offset! > region.length) || hasDefinition(regionBlocks) || hasHtmlBlock(regionBlocks)) return undefined

  for (const block of regionBlocks) movePoints(block, blocks[before].position!.start.line - 1, start)
  // The outer blocks must be where they were: then the parse state before and after the region is as before.
  if (!samePlace(regionBlocks[0], blocks[before], 0) || (after < blocks.length && !samePlace(regionBlocks.at(-1)!, blocks[after], delta))) return undefined

  // An HTML comment at the region's edge may join the list beside it to a list outside the region (a commented-out
  // list item, ./pandoc-list/from-markdown.ts): parsed whole.
  if (isComment(regionBlocks[0]) || isComment(regionBlocks.at(-1)!)) return undefined

  const kept = blocks.slice(after + 1)
  const lineDelta = countLines(source, start, end) - countLines(old, start, oldEnd)
  for (const block of kept) movePoints(block, lineDelta, delta)
  const tree: Root = {...previous.tree, children: [...blocks.slice(0, before), ...regionBlocks, ...kept]}
  const oldEndPoint = previous.tree.position?.end
  tree.position = {
    start: {line: 1, column: 1, offset: 0},
    // The file's end is in the unchanged text after the region, unless the region reaches it.
    end: after < blocks.length && oldEndPoint ? {line: oldEndPoint.line + lineDelta, column: oldEndPoint.column, offset: (oldEndPoint.offset ?? old.length) + delta} : endPoint(source)
  }
  return tree
}

/** Nodes whose children are blocks, where a definition may stand; a definition cannot be inside anything else. */
const flowContainers = new Set(['blockquote', 'list', 'listItem', 'footnoteDefinition', 'containerDirective', 'div'])

/** The definitions (link and footnote) in blocks, at any depth. */
function definitionsIn(blocks: RootContent[], found: Array<Definition | FootnoteDefinition> = []): Array<Definition | FootnoteDefinition> {
  for (const block of blocks) {
    if (block.type === 'definition' || block.type === 'footnoteDefinition') found.push(block)
    if (flowContainers.has(block.type) && 'children' in block) definitionsIn(block.children as RootContent[], found)
  }
  return found
}

function hasDefinition(blocks: RootContent[]): boolean {
  return definitionsIn(blocks).length > 0
}

/**
 * Raw HTML blocks and Plain paragraphs: how a line of block-level HTML tags reads depends on the lines around it (an
 * indented tag line inside an element, a paragraph that the next line's tag makes Plain), so an edit among them
 * parses the file whole.
 */
function hasHtmlBlock(blocks: RootContent[]): boolean {
  return blocks.some((block) => block.type === 'html' || (block.type === 'paragraph' && block.data?.plain === true))
}

/** The document's other definitions, one line each, so that references in the region resolve as in the whole. */
function definitionsTrailer(blocks: RootContent[]): string {
  return definitionsIn(blocks)
    .map((definition) => (definition.type === 'definition' ? `[${definition.identifier}]: #` : `[^${definition.identifier}]: .`))
    .join('\n\n')
}

function isComment(block: RootContent): boolean {
  return block.type === 'html' && block.value.startsWith('<!--')
}

function samePlace(block: RootContent, old: RootContent, delta: number): boolean {
  return block.type === old.type && block.position!.start.offset === old.position!.start.offset! + delta && block.position!.end.offset === old.position!.end.offset! + delta
}

/** Moves every point in a node (its position, and positions kept in its data or items) by lines and offset. */
function movePoints(value: unknown, lines: number, offset: number): void {
  if (typeof value !== 'object' || value === null) return
  if (Array.isArray(value)) {
    for (const item of value) movePoints(item, lines, offset)
    return
  }
  const record = value as Record<string, unknown>
  if (typeof record.line === 'number' && typeof record.column === 'number') {
    record.line += lines
    if (typeof record.offset === 'number') record.offset += offset
    return
  }
  for (const key in record) movePoints(record[key], lines, offset)
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1
}

function lineEnd(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset)
  return newline === -1 ? text.length : newline
}

/** Line breaks in text[from, to) (micromark counts \r\n, \r and \n as one each). */
function countLines(text: string, from: number, to: number): number {
  let count = 0
  for (let index = from; index < to; index++) {
    const code = text.charCodeAt(index)
    if (code === 10) count++
    else if (code === 13 && text.charCodeAt(index + 1) !== 10) count++
  }
  return count
}

function endPoint(text: string): {line: number; column: number; offset: number} {
  const lines = countLines(text, 0, text.length)
  const lastBreak = Math.max(text.lastIndexOf('\n'), text.lastIndexOf('\r'))
  return {line: lines + 1, column: text.length - lastBreak, offset: text.length}
}
