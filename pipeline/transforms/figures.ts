/**
 * pandoc's implicit figures: an image with non-empty alt text, alone in its paragraph, is a figure whose caption is
 * the alt text. The caption is the alt's nodes as the parser kept them (`data.altNodes`, see
 * ../syntax/image-alt/index.ts): captions keep emphasis, math, citations and cross-references, with positions in
 * the real file.
 *
 * Run after the attributes transform (the label `{#fig:x}` must already sit on the image) and before crossref.
 */
import type {Image, Paragraph, PhrasingContent, Root} from 'mdast'
import type {} from 'mdast-util-to-hast'
import type {Parent} from 'unist'
import {walk} from '../syntax/walk.ts'
import type {VFile} from 'vfile'
import type {Figure} from '../syntax/types.ts'
import type {} from '../syntax/image-alt/index.ts'
import {figureCaption} from '../syntax/figure.ts'
import {attributesTransform, type AttributedData} from './attributes.ts'

export function figuresTransform(tree: Root, file: VFile): void {
  const candidates: Array<{paragraph: Paragraph; parent: Parent}> = []
  const images: Image[] = []
  walk(tree, (node, _index, parent) => {
    if (node.type === 'paragraph') candidates.push({paragraph: node, parent: parent as Parent})
    else if (node.type === 'image') images.push(node)
  })
  for (const {paragraph, parent} of candidates) {
    const image = loneImage(paragraph)
    if (!image) continue
    const caption = captionFromAlt(image, file)
    if (caption.length === 0) continue
    const index = parent.children.indexOf(paragraph)
    if (index < 0) continue
    parent.children[index] = makeFigure(paragraph, image, caption)
  }
  // The alt's nodes of an image that is no figure are not rendered (its alt is plain text): the tree drops them.
  for (const image of images) if (image.data?.altNodes) delete image.data.altNodes
}

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

/**
 * The caption: the alt's nodes with the file they came from and their attributes read (`[text]{.smallcaps}`); `[]`
 * for an alt of blanks. An image parsed without remarkImageAlt has its plain alt text.
 */
function captionFromAlt(image: Image, file: VFile): PhrasingContent[] {
  const sourceFile = image.data?.sourceFile
  const nodes = image.data?.altNodes
  if (!nodes) {
    if (!image.alt) return []
    return [{type: 'text', value: image.alt, position: image.position, ...(sourceFile ? {data: {sourceFile}} : {})}]
  }
  delete image.data!.altNodes
  if (nodes.every((node) => node.type === 'text' && node.value.trim() === '')) return []
  const paragraph: Paragraph = {type: 'paragraph', children: nodes}
  if (sourceFile) {
    walk(paragraph, (node) => {
      node.data = {...node.data, sourceFile}
    })
  }
  attributesTransform({type: 'root', children: [paragraph]}, file)
  return paragraph.children
}

/** The transform as a unified plugin. */
export function remarkFigures() {
  return (tree: Root, file: VFile) => figuresTransform(tree, file)
}
