/**
 * The parser's own last limit: phrasing (emphasis, strong, strikeout, links, notes) nested more than
 * `phrasingNestingLimit` deep is replaced by a `nestingLimit` node, before anything walks the tree. micromark
 * builds such a tree in linear time and without recursion, but every stage after it recurses over the tree, and
 * 10,000 nested emphases overflowed the stack. This walk is a loop over a stack: any depth is safe here.
 */
import type {Nodes, Parent, Root} from 'mdast'
import type {NestingLimit} from '../types.ts'
import {phrasingNestingLimit} from './syntax.ts'

/** Nodes that nest phrasing, counted against `phrasingNestingLimit`. */
export const phrasingParents = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'inlineNote'])

export function limitPhrasingNesting(tree: Root): void {
  const pending: Array<{parent: Parent; depth: number}> = [{parent: tree, depth: 0}]
  while (pending.length > 0) {
    const {parent, depth} = pending.pop()!
    const children = parent.children as Nodes[]
    for (let index = 0; index < children.length; index++) {
      const child = children[index]
      if (!('children' in child)) continue
      const childDepth = depth + (phrasingParents.has(child.type) ? 1 : 0)
      if (childDepth > phrasingNestingLimit) {
        const limit: NestingLimit = {type: 'nestingLimit', construct: child.type, children: [], position: child.position}
        children[index] = limit
        continue
      }
      pending.push({parent: child as Parent, depth: childDepth})
    }
  }
}
