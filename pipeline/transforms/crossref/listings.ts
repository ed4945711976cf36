/**
 * pandoc-crossref's code listings: a fenced code block with a `caption` attribute (```` ```{#lst:x caption="…"} ````),
 * and, with `codeBlockCaptions: true`, a paragraph directly before or after a code block (only blank lines between)
 * that starts with `Listing:` or `:`, become a `figure` of kind 'listing' holding the caption and the code. The code
 * block's `lst:` identifier (or one ending a `Listing:` caption, `{#lst:x}`) labels the figure, which the crossref
 * transform numbers "Listing 1". A div labelled `lst:` whose class starts with `listing`, holding a caption paragraph
 * and then a code block (pandoc-crossref's wrapping div), is such a listing too.
 */
import type {Code, Paragraph, Parent, PhrasingContent, Root, RootContent, Text} from 'mdast'
import type {Position} from 'unist'
import {figureCaption} from '../../syntax/figure.ts'
import type {Div, Figure} from '../../syntax/types.ts'
import {walk} from '../../syntax/walk.ts'
import type {AttributedData} from '../attributes.ts'

/** `Listing:`, or `:` not followed by punctuation, then optional whitespace (as a table caption's `Table:`). */
const captionMarker = /^(?:Listing:|:(?!\p{P}))[ \t\r\n]*/u

export function listingsTransform(tree: Root, codeBlockCaptions: boolean): void {
  walk(tree, 'div', (div, index, parent) => {
    const wrapped = parent && index !== undefined ? wrappingDiv(div) : undefined
    if (wrapped) (parent!.children as RootContent[])[index!] = wrapped
  })
  const parents: Parent[] = []
  walk(tree, (node) => {
    const children = (node as Partial<Parent>).children as RootContent[] | undefined
    if (node.type !== 'figure' && children?.some((child) => child.type === 'code')) parents.push(node as Parent)
  })
  for (const parent of parents) listingsIn(parent, codeBlockCaptions)
}

function listingsIn(parent: Parent, codeBlockCaptions: boolean): void {
  const children = parent.children as RootContent[]
  for (let index = 0; index < children.length; index++) {
    const code = children[index]
    if (code.type !== 'code') continue
    const data = (code.data ?? {}) as AttributedData
    const written = data.attributes?.caption
    if (written !== undefined) {
      children[index] = listing(code, [captionText(written, firstLine(code.position), code.data?.sourceFile)], firstLine(code.position))
      continue
    }
    if (!codeBlockCaptions) continue
    const before = children[index - 1]
    const after = children[index + 1]
    const captionIndex = before && isCaption(before) ? index - 1 : after && isCaption(after) ? index + 1 : undefined
    if (captionIndex === undefined) continue
    const paragraph = children[captionIndex] as Paragraph
    const figure = listing(code, captionChildren(paragraph), paragraph.position)
    const first = Math.min(index, captionIndex)
    children.splice(first, 2, figure)
    index = first
  }
}

/** `<div id="lst:x" class="listing">` holding a caption paragraph and a code block: the listing they make. */
function wrappingDiv(div: Div): Figure | undefined {
  const [paragraph, code] = div.children
  if (!div.identifier?.startsWith('lst:') || !div.classes.some((name) => name.startsWith('listing')) || div.children.length !== 2) return undefined
  if (paragraph?.type !== 'paragraph' || code?.type !== 'code') return undefined
  const figure = listing(code, [...paragraph.children], paragraph.position)
  figure.identifier = div.identifier
  figure.position = div.position
  return figure
}

function listing(code: Code, caption: PhrasingContent[], captionPosition: Position | undefined): Figure {
  const data = (code.data ?? {}) as AttributedData
  const sourceFile = code.data?.sourceFile
  let identifier = data.id?.startsWith('lst:') ? data.id : undefined
  const last = caption[caption.length - 1]
  if (last?.type === 'attributes') {
    caption.pop()
    if (last.id?.startsWith('lst:')) identifier ??= last.id
    const end = caption[caption.length - 1]
    if (end?.type === 'text') caption[caption.length - 1] = {...end, value: end.value.trimEnd()}
  }
  // The label names the listing, not the code inside it; the caption is no attribute of the code any more.
  if (identifier && data.id === identifier) {
    delete data.id
    if (data.hProperties) delete data.hProperties.id
  }
  if (data.attributes) delete data.attributes.caption
  // pandoc-crossref puts a listing's caption above its code.
  const captionNode = figureCaption(caption, captionPosition, sourceFile)
  const figure: Figure = {type: 'figure', kind: 'listing', children: [captionNode, code], position: code.position}
  if (identifier) figure.identifier = identifier
  if (sourceFile) figure.data = {sourceFile}
  return figure
}

function captionText(value: string, position: Position | undefined, sourceFile: string | undefined): Text {
  return {type: 'text', value, ...(position ? {position} : {}), ...(sourceFile ? {data: {sourceFile}} : {})}
}

/** The fence line that holds the `caption` attribute. */
function firstLine(position: Position | undefined): Position | undefined {
  if (!position) return undefined
  return {start: position.start, end: {line: position.start.line, column: position.start.column + 1}}
}

function isCaption(node: RootContent): node is Paragraph {
  if (node.type !== 'paragraph') return false
  const first = node.children[0]
  if (first?.type !== 'text') return false
  const marker = captionMarker.exec(first.value)
  return marker !== null && (marker[0].length < first.value.length || node.children.length > 1)
}

/** The paragraph's content without its `Listing:` marker. */
function captionChildren(paragraph: Paragraph): PhrasingContent[] {
  const children = [...paragraph.children]
  const first = children[0] as Text
  const marker = captionMarker.exec(first.value)![0]
  const rest = first.value.slice(marker.length)
  if (rest === '') children.shift()
  else {
    const moved = first.position && !marker.includes('\n')
      ? {start: {...first.position.start, column: first.position.start.column + marker.length, offset: first.position.start.offset === undefined ? undefined : first.position.start.offset + marker.length}, end: first.position.end}
      : first.position
    children[0] = {...first, value: rest, ...(moved ? {position: moved} : {})}
  }
  return children
}
