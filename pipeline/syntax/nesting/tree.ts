/**
 * The parser's last limits, on the tree before anything walks it:
 *
 * - phrasing (emphasis, strong, strikeout, links, notes) nested more than `phrasingNestingLimit` deep is replaced by
 *   a `parseLimit` node. micromark builds such a tree in linear time and without recursion, but every stage after
 *   it recurses over the tree, and 10,000 nested emphases overflowed the stack;
 * - a pipe table with more cells than `tableCellsAllowed` its text is replaced by one: its rows are short, but the
 *   HTML has every row as wide as the delimiter row (a row of 10,000 `|-` and 10,000 rows of `|x|` are 40 KB and
 *   10^8 cells). Pandoc's own tables are measured when they are resolved (../pandoc-table).
 *
 * The walk is a loop over a stack: any depth is safe here.
 */
import type {Nodes, Parent, Root} from 'mdast'
import type {ParseLimit} from '../types.ts'
import {tableCellsAllowed} from '../pandoc-table/syntax.ts'
import {phrasingNestingLimit} from './syntax.ts'

/** Nodes that nest phrasing, counted against `phrasingNestingLimit`. */
export const phrasingParents = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'inlineNote'])

export function limitTree(tree: Root): void {
  const pending: Array<{parent: Parent; depth: number}> = [{parent: tree, depth: 0}]
  while (pending.length > 0) {
    const {parent, depth} = pending.pop()!
    const children = parent.children as Nodes[]
    for (let index = 0; index < children.length; index++) {
      const child = children[index]
      if (!('children' in child)) continue
      const childDepth = depth + (phrasingParents.has(child.type) ? 1 : 0)
      if (childDepth > phrasingNestingLimit) {
        children[index] = parseLimit(child, {construct: child.type})
        continue
      }
      if (child.type === 'table') {
        let columns = child.align?.length ?? 0
        for (const row of child.children) columns = Math.max(columns, row.children.length)
        const characters = (child.position?.end.offset ?? 0) - (child.position?.start.offset ?? 0)
        if (child.children.length * columns > tableCellsAllowed(characters)) {
          children[index] = parseLimit(child, {construct: 'table', rows: child.children.length, columns})
          continue
        }
      }
      pending.push({parent: child as Parent, depth: childDepth})
    }
  }
}

function parseLimit(node: Nodes, fields: Pick<ParseLimit, 'construct' | 'rows' | 'columns'>): ParseLimit {
  return {type: 'parseLimit', ...fields, children: [], position: node.position}
}
