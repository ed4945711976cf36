/**
 * pandoc's implicit figures: an image with non-empty alt text, alone in its paragraph, is a figure whose caption is
 * the alt text. mdast keeps only the alt's plain text, so, when it can, the transform reads the alt's Markdown
 * source again (captions keep emphasis, math, citations and cross-references) with positions in the real file.
 *
 * Run after the attributes transform (the label `{#fig:x}` must already sit on the image) and before crossref.
 */
import type {Image, Paragraph, PhrasingContent, Root} from 'mdast'
import type {} from 'mdast-util-to-hast'
import {toString} from 'mdast-util-to-string'
import type {Node, Parent, Point, Position} from 'unist'
import {walk} from '../syntax/walk.ts'
import type {VFile} from 'vfile'
import type {Figure} from '../syntax/types.ts'
import {figureCaption} from '../syntax/figure.ts'
import {attributesTransform, type AttributedData} from './attributes.ts'

export interface FiguresOptions {
  /** Parses Markdown the way the build does (parseMarkdown); used to read caption formatting. Without it, captions are plain text. */
  parse?: (source: string, sourceFile: string) => Root
  /** The text of a project file; needed for images in included files. The entry file's text is the vfile's value. */
  sourceText?: (sourceFile: string) => string | undefined
}

export function figuresTransform(tree: Root, file: VFile, options: FiguresOptions = {}): void {
  const candidates: Array<{paragraph: Paragraph; parent: Parent; insideQuote: boolean}> = []
  walk(tree, 'paragraph', (paragraph, _index, parent, ancestors) => {
    const insideQuote = ancestors.some((ancestor) => ancestor.type === 'blockquote' || ancestor.type === 'listItem')
    candidates.push({paragraph, parent: parent as Parent, insideQuote})
  })
  for (const {paragraph, parent, insideQuote} of candidates) {
    const image = loneImage(paragraph)
    if (!image) continue
    // mdast's alt drops what has no plain text (an alt that is only `@fig:x` is ''), so ask the source first.
    const caption = captionFromSource(image, file, options, insideQuote) ?? plainCaption(image)
    if (caption.length === 0) continue
    const index = parent.children.indexOf(paragraph)
    if (index < 0) continue
    parent.children[index] = makeFigure(paragraph, image, caption)
  }
}

/** The image when it is the paragraph's only content besides whitespace. */
function loneImage(paragraph: Paragraph): Image | undefined {
  const content = paragraph.children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  return content.length === 1 && content[0].type === 'image' ? content[0] : undefined
}

function makeFigure(paragraph: Paragraph, image: Image, caption: PhrasingContent[]): Figure {
  const data = (image.data ?? {}) as AttributedData
  // The label names the figure, not the picture inside it.
  if (data.hProperties && 'id' in data.hProperties) delete data.hProperties.id
  const figure: Figure = {
    type: 'figure',
    kind: 'figure',
    children: [image, figureCaption(caption, undefined, paragraph.data?.sourceFile)],
    position: paragraph.position
  }
  if (data.id) figure.identifier = data.id
  if (paragraph.data?.sourceFile) figure.data = {sourceFile: paragraph.data.sourceFile}
  return figure
}

function plainCaption(image: Image): PhrasingContent[] {
  if (!image.alt) return []
  const data = image.data?.sourceFile ? {data: {sourceFile: image.data.sourceFile}} : {}
  return [{type: 'text', value: image.alt, position: image.position, ...data}]
}

/**
 * The caption as the alt's Markdown re-read, with positions in the real file; `[]` for an empty alt; undefined
 * when the source cannot be read again (no parser, no text, a quoted multi-line alt, or a re-read that disagrees).
 */
function captionFromSource(image: Image, file: VFile, options: FiguresOptions, insideQuote: boolean): PhrasingContent[] | undefined {
  const start = image.position?.start
  if (!options.parse || start?.offset === undefined) return undefined
  const sourceFile = image.data?.sourceFile
  // The build's vfile holds no text (only messages): the entry's text comes from sourceText, as an include's does.
  const text = (sourceFile ? options.sourceText?.(sourceFile) : undefined) ?? (file.value === undefined || (sourceFile && sourceFile !== file.path) ? undefined : String(file.value))
  if (text === undefined || text.slice(start.offset, start.offset + 2) !== '![') return undefined
  const altEnd = labelEnd(text, start.offset + 2)
  if (altEnd === undefined) return undefined
  const altSource = text.slice(start.offset + 2, altEnd)
  if (altSource.trim() === '') return []
  // Continuation lines inside a block quote carry `>` markers that are not caption text.
  if (insideQuote && altSource.includes('\n')) return undefined
  const parsed = options.parse(altSource, sourceFile ?? file.path ?? '')
  const only = parsed.children.length === 1 ? parsed.children[0] : undefined
  if (!only || only.type !== 'paragraph') return undefined
  // The re-read must say what mdast's alt says; anything else means the source slice was not the alt.
  if (toString(only) !== (image.alt ?? '')) return undefined
  const shift = {line: start.line - 1, column: start.column + 2 - 1, offset: start.offset + 2}
  walk(only, (node: Node) => {
    if (node.position) node.position = shiftPosition(node.position, shift)
  })
  attributesTransform({type: 'root', children: [only]} as Root, file)
  return only.children
}

/** Offset of the `]` closing a link label that starts at `from` (after `![`), honouring escapes, code spans and nested brackets. */
export function labelEnd(text: string, from: number): number | undefined {
  let depth = 0
  for (let index = from; index < text.length; index++) {
    const character = text[index]
    if (character === '\\') {
      index++
    } else if (character === '`') {
      const run = backtickRun(text, index)
      const close = closingRun(text, index + run, run)
      // An unclosed run is literal backticks.
      index = close === undefined ? index + run - 1 : close + run - 1
    } else if (character === '[') {
      depth++
    } else if (character === ']') {
      if (depth === 0) return index
      depth--
    } else if (character === '\n' && text[index + 1] === '\n') {
      return undefined
    }
  }
  return undefined
}

function backtickRun(text: string, at: number): number {
  let run = 0
  while (text[at + run] === '`') run++
  return run
}

/** Start of the next run of exactly `length` backticks from `from` (a code span's closing fence). */
function closingRun(text: string, from: number, length: number): number | undefined {
  for (let index = from; index < text.length; index++) {
    if (text[index] !== '`') continue
    const run = backtickRun(text, index)
    if (run === length) return index
    index += run - 1
  }
  return undefined
}

/** Positions of a parse of a slice that began at `shift` in the real file (first line shifted in column, later lines not). */
function shiftPosition(position: Position, shift: {line: number; column: number; offset: number}): Position {
  const move = (point: Point): Point => ({
    line: point.line + shift.line,
    column: point.line === 1 ? point.column + shift.column : point.column,
    ...(point.offset === undefined ? {} : {offset: point.offset + shift.offset})
  })
  return {start: move(position.start), end: move(position.end)}
}

/** The transform as a unified plugin. */
export function remarkFigures(options: FiguresOptions = {}) {
  return (tree: Root, file: VFile) => figuresTransform(tree, file, options)
}
