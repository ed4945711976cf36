/**
 * Figures and tables after the references, each on a page of its own, as journals ask of a submitted manuscript
 * (the `submission` profile, see config/profiles.ts): each numbered or captioned figure and table float leaves a
 * centred line "[Figure 1 about here]" where it was (its label as the caption shows it: "Fig. 1" with pandoc-crossref's
 * `figureTitle: Fig.`), and goes, in reading order, to the end of the document, after a page break. Runs after the
 * citations transform, so that the references are in place before them. Listings, subfigures (they go with their
 * group) and tables without a caption stay where they are.
 */
import type {Paragraph, Parent, Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Figure, FigureCaption, RawBlock} from '../syntax/types.ts'
import type {RenderLabels} from '../render/to-hast.ts'

export interface FloatsAtEndOptions {
  labels: Pick<RenderLabels, 'figure' | 'table' | 'captionSeparator'>
}

/** The class of the "[Figure 1 about here]" paragraph (centred in the PDF and the Word document). */
export const floatMarkerClass = 'float-marker'

export function floatsAtEndTransform(tree: Root, options: FloatsAtEndOptions): {moved: number} {
  const moved: Figure[] = []
  const visit = (parent: Parent) => {
    parent.children = (parent.children as RootContent[]).map((child) => {
      if (child.type === ('figure' as string)) {
        const figure = child as unknown as Figure
        if (figure.kind === 'listing' || (!figure.number && !figure.children.some((part) => part.type === 'figureCaption'))) return child
        moved.push(figure)
        return marker(figure, options) as RootContent
      }
      if ('children' in child) visit(child as Parent)
      return child
    }) as Parent['children']
  }
  visit(tree)
  for (const figure of moved) tree.children.push(pageBreak() as unknown as RootContent, figure as unknown as RootContent)
  return {moved: moved.length}
}

/** "[Figure 1 about here]", with the label the caption shows. */
function marker(figure: Figure, options: FloatsAtEndOptions): Paragraph {
  const text = `[${labelOf(figure, options)} about here]`
  return {type: 'paragraph', children: [{type: 'text', value: text}], position: figure.position, data: {hName: 'p', hProperties: {className: [floatMarkerClass]}}} as Paragraph
}

function labelOf(figure: Figure, options: FloatsAtEndOptions): string {
  const caption = figure.children.find((part): part is FigureCaption => part.type === 'figureCaption')
  const first = caption?.children[0]
  const className = (first?.data as {hProperties?: {className?: unknown}} | undefined)?.hProperties?.className
  if (first && Array.isArray(className) && className.includes('caption-label')) {
    const label = toString(first).replace(/\u00a0/g, ' ').trim()
    const separator = options.labels.captionSeparator.trim()
    return (separator && label.endsWith(separator) ? label.slice(0, -separator.length) : label).trim()
  }
  const word = figure.kind === 'table' ? options.labels.table : options.labels.figure
  return figure.number ? `${word} ${figure.number}` : word
}

/** A page break, as `\newpage` written in the manuscript makes one in every output. */
function pageBreak(): RawBlock {
  return {type: 'rawBlock', format: 'tex', value: '\\newpage', commands: ['newpage']}
}
