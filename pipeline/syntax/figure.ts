/**
 * A figure's caption is one of its children (see `Figure` in ./types.ts); these find it and make one, so that no
 * stage needs to know where in the children it sits.
 */
import type {PhrasingContent} from 'mdast'
import type {Position} from 'unist'
import type {Figure, FigureCaption} from './types.ts'

/** The figure's caption node, if it has one. */
export function captionOf(figure: Figure): FigureCaption | undefined {
  return figure.children.find((child): child is FigureCaption => child.type === 'figureCaption')
}

/** A caption holding `children`, placed from its first to its last child unless `position` is given. */
export function figureCaption(children: PhrasingContent[], position?: Position, sourceFile?: string): FigureCaption {
  const first = children[0]?.position
  const last = children[children.length - 1]?.position
  const at = position ?? (first && last ? {start: first.start, end: last.end} : undefined)
  return {type: 'figureCaption', children, ...(at ? {position: at} : {}), ...(sourceFile ? {data: {sourceFile}} : {})}
}

/** The figure's caption, made (empty, at the figure's place) when it has none: where a caption label goes. */
export function ensureCaption(figure: Figure): FigureCaption {
  const existing = captionOf(figure)
  if (existing) return existing
  const caption = figureCaption([], figure.position, figure.data?.sourceFile)
  if (figure.kind === 'table') figure.children.unshift(caption)
  else figure.children.push(caption)
  return caption
}
