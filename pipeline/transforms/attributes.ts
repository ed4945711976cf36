/**
 * Attach each pandoc attribute block (`{#id .class key=value}`, `{-}`) to the element it is written after:
 * an image, link or inline code directly before it, display math before it (one space allowed, as pandoc-crossref
 * allows), or the heading whose text it ends. An attached block disappears from the tree; one that attaches to
 * nothing stays for the table-caption transform (a caption's `{#tbl:x}`), and the crossref transform finally turns
 * any block still unattached back into text (`{…}` as written), so nothing the author wrote is lost.
 *
 * A raw attribute `{=html}` after inline code makes the code raw content for that format (`rawInline`), as a fenced
 * code block whose info is `{=latex}` becomes a `rawBlock`: pandoc's `raw_attribute`. `{=html}` content becomes
 * raw HTML (an `html` node), the only raw content the HTML page gets.
 */
import type {Code, Data, Heading, Html, InlineCode, Link, PhrasingContent, Root, Text} from 'mdast'
import type {Node} from 'unist'
import type {} from 'mdast-util-to-hast'
import type {VFile} from 'vfile'
import type {Attributes, HeadingData, MathData, RawBlock, RawInline, Span} from '../syntax/types.ts'
import {walk} from '../syntax/walk.ts'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {attributes, attributesFromMarkdown} from '../syntax/attributes/index.ts'

/** What an image, link or inline code carries after the transform; `hProperties` mirrors it for mdast-util-to-hast. */
export interface AttributedData extends Data {
  id?: string
  classes?: string[]
  attributes?: Record<string, string>
}

/** `{-}` and `{.unnumbered}` both mark a heading as unnumbered (pandoc). */
export function isUnnumbered(attributes: Attributes): boolean {
  return attributes.value.trim() === '-' || attributes.classes.includes('unnumbered') || attributes.classes.includes('-')
}

export interface AttributesOptions {
  /**
   * What to do with a block that attaches to nothing. `keep` (default) leaves it as an `attributes` node, because
   * the table-caption transform, which runs later, still needs the `{#tbl:x}` of a caption; the crossref transform
   * then turns what is left into text. `text` turns it into text at once.
   */
  leftovers?: 'keep' | 'text'
}

export function attributesTransform(tree: Root, _file?: VFile, options: AttributesOptions = {}): void {
  walk(tree, 'code', (code: Code) => {
    fencedCodeAttributes(code)
  })
  const found: Array<{node: Attributes; siblings: PhrasingContent[]; parent: Node | undefined}> = []
  walk(tree, (node, _index, parent) => {
    const siblings = (parent?.children ?? []) as Node[]
    if (node.type === 'attributes') found.push({node, siblings: siblings as PhrasingContent[], parent})
    else if (node.type === 'code') rawCodeBlock(node, siblings)
  })
  for (const {node, siblings, parent} of found) {
    const index = siblings.indexOf(node)
    if (index < 0) continue
    if (!attach(node, parent, siblings, index) && options.leftovers === 'text') siblings[index] = asText(node)
  }
}

/** Turn every attribute block still in the tree into the text the author wrote (`{.foo}`), so nothing is lost. */
export function leftoverAttributesToText(tree: Root): void {
  walk(tree, 'attributes', (node, index, parent) => {
    if (parent && index !== undefined) (parent.children as Node[])[index] = asText(node)
  })
}

/**
 * ```` ```{#id .python key=val} ````: micromark reads a fence's info string as its language (`{#id`) and the rest
 * as meta; when the two together are one attribute block (read by the same tokenizer as any other), the block is
 * the code's identifier, classes and keys, as in pandoc. ```` ```python ```` is the class `python`.
 */
function fencedCodeAttributes(code: Code): void {
  const info = [code.lang, code.meta].filter(Boolean).join(' ')
  const data = (code.data ??= {}) as AttributedData
  if (!info.startsWith('{')) {
    if (code.lang) data.classes = [code.lang]
    return
  }
  const paragraph = fromMarkdown(info, {extensions: [attributes()], mdastExtensions: [attributesFromMarkdown()]}).children[0]
  const block = paragraph?.type === 'paragraph' && paragraph.children.length === 1 ? paragraph.children[0] : undefined
  // A raw attribute (```` ```{=latex} ````) is no attribute block of the code: rawCodeBlock makes it raw content.
  if (block?.type !== 'attributes' || block.rawFormat !== undefined) return
  code.lang = block.classes[0] ?? null
  code.meta = null
  if (block.id) data.id = block.id
  data.classes = block.classes
  data.attributes = block.attributes
}

/** Attach `node` (at `index` in `siblings`) to its target and remove it; false when it has none. */
function attach(node: Attributes, parent: Node | undefined, siblings: PhrasingContent[], index: number): boolean {
  const before = siblings[index - 1]
  if (node.rawFormat !== undefined) {
    if (before?.type !== 'inlineCode') return false
    const raw: RawInline | Html = node.rawFormat === 'html'
      ? {type: 'html', value: before.value, data: before.data}
      : {type: 'rawInline', format: node.rawFormat, value: before.value, data: before.data}
    if (before.position && node.position) raw.position = {start: before.position.start, end: node.position.end}
    siblings.splice(index - 1, 2, raw)
    return true
  }
  // `[text]{.smallcaps}`: the brackets (read as a reference, see ../syntax/linear/label-end.ts) and the block, with
  // nothing between, are a bracketed span.
  if (before && before.type === 'linkReference' && before.referenceType === 'shortcut' && adjacent(before, node)) {
    const span: Span = {
      type: 'span',
      children: before.children,
      ...(node.id ? {identifier: node.id} : {}),
      classes: node.classes,
      attributes: node.attributes,
      ...(before.position && node.position ? {position: {start: before.position.start, end: node.position.end}} : {}),
      ...(before.data?.sourceFile ? {data: {sourceFile: before.data.sourceFile}} : {})
    }
    siblings.splice(index - 1, 2, span)
    return true
  }
  if (before && (before.type === 'image' || before.type === 'link' || before.type === 'inlineCode')) {
    attachToInline(before, node)
    siblings.splice(index, 1)
    return true
  }
  if (before && isDisplayMath(before)) {
    attachToMath(before, node)
    siblings.splice(index, 1)
    return true
  }
  // pandoc-crossref accepts `$$ x $$ {#eq:x}` and the label on the next line: display math, spaces or one line end, then the label.
  const beforeThat = siblings[index - 2]
  if (before && before.type === 'text' && /^[ \t]*(\r?\n)?[ \t]*$/.test(before.value) && before.value !== '' && beforeThat && isDisplayMath(beforeThat)) {
    attachToMath(beforeThat, node)
    siblings.splice(index - 1, 2)
    return true
  }
  if (parent?.type === 'heading' && index === siblings.length - 1) {
    attachToHeading(parent as Heading, node)
    siblings.splice(index, 1)
    trimTrailingWhitespace(siblings)
    return true
  }
  return false
}

/** ```` ```{=latex} ````: a fenced code block whose info is a raw attribute is content for that format only. */
function rawCodeBlock(node: Code, siblings: Node[]): void {
  const format = /^\{=([\p{L}\p{N}_:.-]+)\}$/u.exec(node.lang ?? '')?.[1]
  if (format === undefined || node.meta) return
  const index = siblings.indexOf(node)
  // Raw HTML is the author's HTML like any other (checked for what it loads, passed to the page).
  const raw: RawBlock | Html = format === 'html'
    ? {type: 'html', value: node.value, position: node.position, data: node.data}
    : {type: 'rawBlock', format, value: node.value, position: node.position, data: node.data}
  if (index >= 0) siblings[index] = raw
}

function adjacent(before: Node, after: Node): boolean {
  const end = before.position?.end.offset
  return end !== undefined && end === after.position?.start.offset
}

function isDisplayMath(node: PhrasingContent): boolean {
  return node.type === 'inlineMath' && (node.data as MathData | undefined)?.display === true
}

function attachToInline(target: PhrasingContent & (Link | InlineCode | {type: 'image'}), attributes: Attributes): void {
  const data = (target.data ??= {}) as AttributedData
  if (attributes.id) data.id = attributes.id
  if (attributes.classes.length > 0) data.classes = [...(data.classes ?? []), ...attributes.classes]
  if (Object.keys(attributes.attributes).length > 0) data.attributes = {...data.attributes, ...attributes.attributes}
  const properties = (data.hProperties ??= {})
  if (attributes.id) properties.id = attributes.id
  if (attributes.classes.length > 0) properties.className = [...(data.classes ?? [])]
  const style: string[] = []
  for (const [key, value] of Object.entries(attributes.attributes)) {
    // pandoc writes a size with a unit (`50%`, `3in`) as CSS and a bare number as the HTML attribute.
    if ((key === 'width' || key === 'height') && target.type === 'image' && !/^\d+(px)?$/.test(value)) {
      style.push(`${key}:${value}`)
    } else {
      properties[key] = (key === 'width' || key === 'height') ? value.replace(/px$/, '') : value
    }
  }
  if (style.length > 0) {
    properties.style = [typeof properties.style === 'string' ? properties.style : '', ...style].filter(Boolean).join(';')
  }
}

function attachToMath(target: PhrasingContent, attributes: Attributes): void {
  const data = (target.data ??= {}) as MathData & AttributedData
  if (attributes.id) data.id = attributes.id
  if (attributes.classes.length > 0) data.classes = [...(data.classes ?? []), ...attributes.classes]
  if (Object.keys(attributes.attributes).length > 0) data.attributes = {...data.attributes, ...attributes.attributes}
}

function attachToHeading(heading: Heading, attributes: Attributes): void {
  const data = (heading.data ??= {}) as HeadingData & AttributedData
  const classes = attributes.classes.filter((name) => name !== '-')
  if (attributes.id) data.id = attributes.id
  if (classes.length > 0) data.classes = [...(data.classes ?? []), ...classes]
  if (Object.keys(attributes.attributes).length > 0) data.attributes = {...data.attributes, ...attributes.attributes}
  if (isUnnumbered(attributes)) data.unnumbered = true
  const properties = (data.hProperties ??= {})
  if (attributes.id) properties.id = attributes.id
  const shownClasses = [...(data.classes ?? []), ...(data.unnumbered && !data.classes?.includes('unnumbered') ? ['unnumbered'] : [])]
  if (shownClasses.length > 0) properties.className = shownClasses
  for (const [key, value] of Object.entries(attributes.attributes)) properties[key] = value
}

/** `# Title {#sec:x}`: the space before the block is not part of the title. */
function trimTrailingWhitespace(children: PhrasingContent[]): void {
  const last = children[children.length - 1]
  if (!last || last.type !== 'text') return
  const trimmed = last.value.replace(/[ \t]+$/, '')
  if (trimmed === last.value) return
  if (trimmed === '') {
    children.pop()
    return
  }
  const removed = last.value.length - trimmed.length
  last.value = trimmed
  const end = last.position?.end
  if (end) {
    last.position!.end = {
      line: end.line,
      column: end.column - removed,
      ...(end.offset === undefined ? {} : {offset: end.offset - removed})
    }
  }
}

/** An attribute block that belongs to nothing reads as what the author typed. */
function asText(node: Attributes): Text {
  return {type: 'text', value: `{${node.value}}`, position: node.position, data: node.data?.sourceFile ? {sourceFile: node.data.sourceFile} : undefined}
}

/** The transform as a unified plugin. */
export function remarkAttachAttributes() {
  return (tree: Root, file: VFile) => attributesTransform(tree, file)
}
