/**
 * pandoc-crossref's subfigures: a div labelled `fig:…` (`::: {#fig:group}` or `<div id="fig:group">`) holding
 * images, alone in their paragraphs (already figures) or several to a paragraph, and ending in a paragraph of text,
 * the group's caption. The div becomes one `figure` whose children are the subfigures (each image a figure whose
 * caption is its alt text) and the caption; the crossref transform numbers the group "Figure 2" and its subfigures
 * "2a", "2b", … in order.
 */
import type {Image, Paragraph, Root, RootContent} from 'mdast'
import {figureCaption} from '../../syntax/figure.ts'
import type {Div, Figure, FigureContent} from '../../syntax/types.ts'
import {walk} from '../../syntax/walk.ts'
import type {AttributedData} from '../attributes.ts'

export function subfiguresTransform(tree: Root): void {
  const groups: Array<{div: Div; siblings: RootContent[]}> = []
  walk(tree, 'div', (div, _index, parent) => {
    if (parent && div.identifier?.startsWith('fig:')) groups.push({div, siblings: parent.children as RootContent[]})
  })
  // Innermost first is not needed: a group's subfigures are not groups.
  for (const {div, siblings} of groups) {
    const index = siblings.indexOf(div)
    const group = groupOf(div)
    if (index >= 0 && group) siblings[index] = group
  }
}

function groupOf(div: Div): Figure | undefined {
  const last = div.children[div.children.length - 1]
  const captionParagraph = last?.type === 'paragraph' && !last.children.some((child) => child.type === 'image') ? last : undefined
  const content: FigureContent[] = []
  for (const child of captionParagraph ? div.children.slice(0, -1) : div.children) {
    if (child.type === 'figure' && child.kind === 'figure') content.push(child)
    else if (child.type === 'paragraph' && child.children.some((node) => node.type === 'image')) content.push(...subfiguresIn(child))
    else return undefined
  }
  if (content.length === 0) return undefined
  const sourceFile = div.data?.sourceFile
  if (captionParagraph) content.push(figureCaption(captionParagraph.children, captionParagraph.position, sourceFile))
  const figure: Figure = {type: 'figure', kind: 'figure', identifier: div.identifier, children: content, position: div.position}
  if (sourceFile) figure.data = {sourceFile}
  return figure
}

/** Each image of a paragraph of several: a subfigure captioned by its alt text. */
function subfiguresIn(paragraph: Paragraph): Figure[] {
  return paragraph.children
    .filter((node): node is Image => node.type === 'image')
    .map((image) => {
      const data = (image.data ?? {}) as AttributedData
      const sourceFile = image.data?.sourceFile
      const caption = image.alt ? [{type: 'text' as const, value: image.alt, ...(image.position ? {position: image.position} : {}), ...(sourceFile ? {data: {sourceFile}} : {})}] : []
      const figure: Figure = {type: 'figure', kind: 'figure', children: [image, figureCaption(caption, image.position, sourceFile)], position: image.position}
      if (data.id) {
        figure.identifier = data.id
        delete data.id
        if (data.hProperties) delete data.hProperties.id
      }
      if (sourceFile) figure.data = {sourceFile}
      return figure
    })
}
