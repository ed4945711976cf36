/**
 * Figures, tables and listings with their captions as Word captions: `Figure 1: text` is a paragraph of Word's
 * Caption style whose number is a `SEQ Figure` field inside the bookmark of the figure's label, so that Word lists
 * it in a Table of Figures and cross-references to it are fields Word updates. A table's and a listing's caption
 * goes above it, a figure's below (as in the HTML).
 */
import {AlignmentType, Paragraph, type FileChild, type ParagraphChild} from 'docx'
import type {PhrasingContent} from 'mdast'
import type {Figure, FigureCaption} from '../../syntax/types.ts'
import type {BlockFormat} from './blocks.ts'
import {blocks} from './blocks.ts'
import type {DocxContext} from './context.ts'
import {sequenceXml} from './fields.ts'
import {imageRun, inlines, textRun} from './inlines.ts'
import {rawXml} from './xml.ts'

export function figure(node: Figure, context: DocxContext, format: BlockFormat): FileChild[] {
  const caption = node.children.find((child): child is FigureCaption => child.type === 'figureCaption')
  const captionParagraph = caption || node.number ? captionOf(node, caption, context) : undefined
  const content: FileChild[] = []
  for (const child of node.children) {
    if (child.type === 'figureCaption') continue
    if (child.type === 'image') {
      const run = imageRun(child.url, child.alt ?? '', context)
      content.push(new Paragraph({style: 'CaptionedFigure', alignment: AlignmentType.CENTER, keepNext: node.kind === 'figure', children: run ? [run] : [textRun(child.alt ?? '', {})]}))
    } else if (child.type === 'paragraph' && child.children.length === 1 && child.children[0].type === 'image') {
      const image = child.children[0]
      const run = imageRun(image.url, image.alt ?? '', context)
      content.push(new Paragraph({style: 'CaptionedFigure', alignment: AlignmentType.CENTER, keepNext: node.kind === 'figure', children: run ? [run] : []}))
    } else content.push(...blocks([child], context, format))
  }
  if (!captionParagraph) return content
  return node.kind === 'figure' ? [...content, captionParagraph] : [captionParagraph, ...content]
}

const sequences = {figure: 'Figure', table: 'Table', listing: 'Listing'} as const

function captionOf(node: Figure, caption: FigureCaption | undefined, context: DocxContext): Paragraph {
  const children: PhrasingContent[] = [...(caption?.children ?? [])]
  const label: ParagraphChild[] = []
  const first = children[0]
  const labelled = first?.type === 'text' && hasClass(first.data, 'caption-label')
  const word = node.kind === 'table' ? context.labels.table : node.kind === 'listing' ? context.labels.listing : context.labels.figure
  if (labelled) {
    // The crossref transform's `Figure 1: `: the number becomes a field, the rest stays as written.
    children.shift()
    const value = first.value
    const at = node.number ? value.indexOf(node.number) : -1
    if (at >= 0 && node.number) {
      label.push(textRun(value.slice(0, at), {}), numberOf(node, context), textRun(value.slice(at + node.number.length), {}))
    } else label.push(textRun(value, {}))
  } else if (node.number) {
    label.push(textRun(`${word}\u00A0`, {}), numberOf(node, context))
    if (children.length > 0) label.push(textRun(context.labels.captionSeparator, {}))
  }
  return new Paragraph({style: 'Caption', keepNext: node.kind !== 'figure', children: [...label, ...inlines(children, context)]})
}

/** The number: a SEQ field, in the bookmark of the label when there is one. */
function numberOf(node: Figure, context: DocxContext): ParagraphChild {
  const sequence = sequenceXml(sequences[node.kind], node.number!)
  return rawXml(node.identifier ? context.bookmarks.around(node.identifier, sequence) : sequence)
}

function hasClass(data: unknown, name: string): boolean {
  const className = (data as {hProperties?: {className?: unknown}} | undefined)?.hProperties?.className
  return Array.isArray(className) && className.includes(name)
}
