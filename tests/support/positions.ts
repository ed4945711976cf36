import type {Position} from 'unist'

/** A node's place as `line:column(offset)-line:column(offset)`, for asserting positions in one readable string. */
export function span(position: Position | undefined): string {
  if (!position) return 'no position'
  const {start, end} = position
  return `${start.line}:${start.column}(${start.offset})-${end.line}:${end.column}(${end.offset})`
}
