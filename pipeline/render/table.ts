/**
 * Tables as pandoc's HTML writer shows them: a table written without header row (`data.headless`) or whose header
 * cells are all empty has no `thead`, and relative column widths (`data.columnWidths`, pandoc's `ColWidth`) become
 * a `colgroup` of `width: N%` columns (truncated, as pandoc) and the table's own width when they add up to less.
 */
import type {Element, ElementContent} from 'hast'
import type {Table} from 'mdast'
import {defaultHandlers, type State} from 'mdast-util-to-hast'

export function table(state: State, node: Table): Element {
  const result = defaultHandlers.table(state, node) as Element
  const head = result.children.find((child): child is Element => child.type === 'element' && child.tagName === 'thead')
  const headerEmpty = node.children[0]?.children.every((cell) => cell.children.length === 0) ?? false
  if (head && (node.data?.headless || headerEmpty)) {
    let body = result.children.find((child): child is Element => child.type === 'element' && child.tagName === 'tbody')
    if (!body) {
      body = {type: 'element', tagName: 'tbody', properties: {}, children: []}
      result.children.push(body)
    }
    if (node.data?.headless) {
      const rows = head.children.filter((child): child is Element => child.type === 'element')
      for (const row of rows) {
        for (const cell of row.children) if (cell.type === 'element' && cell.tagName === 'th') cell.tagName = 'td'
      }
      body.children.unshift(...state.wrap(rows, true))
    }
    result.children.splice(result.children.indexOf(head), 1)
  }
  const widths = node.data?.columnWidths
  if (widths && widths.length > 0) {
    const columns: ElementContent[] = widths.map((width) => ({
      type: 'element',
      tagName: 'col',
      properties: {style: `width: ${Math.trunc(100 * width)}%`},
      children: []
    }))
    result.children.unshift({type: 'element', tagName: 'colgroup', properties: {}, children: state.wrap(columns, true)})
    const total = widths.reduce((sum, width) => sum + width, 0)
    if (total < 1) result.properties.style = `width:${roundHalfEven(100 * total)}%;`
  }
  return result
}

/** Haskell's `round`, which pandoc uses for the table's width: halves go to the even neighbour. */
function roundHalfEven(value: number): number {
  const floor = Math.floor(value)
  const fraction = value - floor
  if (fraction > 0.5) return floor + 1
  if (fraction < 0.5) return floor
  return floor % 2 === 0 ? floor : floor + 1
}
