/**
 * Depth-first, pre-order walks over mdast and hast trees: `walk`, the part of unist-util-visit(-parents) the
 * pipeline uses (a figure's caption is one of its children, so it needs no walk of its own). unist-util-visit names every node's
 * visitor closure for readable stack traces (`Object.defineProperty` and a coloured string per node); on a 20×
 * manuscript that made each of the dozen passes of a rebuild cost some 8 ms before the visitors did anything, a
 * quarter of watch mode's time to the new HTML.
 */
import type {Nodes as HastNodes, Parents as HastParents} from 'hast'
import type {Nodes as MdastNodes, Parents as MdastParents} from 'mdast'

export type TreeNode = MdastNodes | HastNodes
export type TreeParent = MdastParents | HastParents

/** Returned by a visitor: do not walk into this node's children. */
export const SKIP = 'skip'

/**
 * What a visitor may return: nothing (go on), `SKIP`, or the index in the parent to go on at (after replacing or
 * removing siblings).
 */
export type WalkStep = typeof SKIP | number | undefined | void

/**
 * `ancestors` runs from the tree's root to the node's parent. It is the walker's own stack, changed as the walk
 * goes on: read it during the call; copy it to keep it.
 */
export type Visitor<Visited> = (node: Visited, index: number | undefined, parent: TreeParent | undefined, ancestors: readonly TreeParent[]) => WalkStep

/** Calls `visitor` on every node of `tree` (the tree itself first) whose type is `type`, or on every node. */
export function walk<Type extends TreeNode['type']>(tree: TreeNode, type: Type, visitor: Visitor<Extract<TreeNode, {type: Type}>>): void
export function walk(tree: TreeNode, visitor: Visitor<TreeNode>): void
export function walk(tree: TreeNode, typeOrVisitor: string | Visitor<TreeNode>, maybeVisitor?: Visitor<TreeNode>): void {
  const type = typeof typeOrVisitor === 'string' ? typeOrVisitor : undefined
  const visitor = (typeof typeOrVisitor === 'string' ? maybeVisitor : typeOrVisitor)!
  visitFrom(tree, undefined, undefined, type, visitor, [])
}

/**
 * One node and, unless its visitor says SKIP, its children. A function of the module taking what it needs as
 * arguments, where a closure made for each walk was a third slower per node (a rebuild of a book walks its trees
 * some thirty times).
 */
function visitFrom(node: TreeNode, index: number | undefined, parent: TreeParent | undefined, type: string | undefined, visitor: Visitor<TreeNode>, ancestors: TreeParent[]): WalkStep {
  const result = type === undefined || node.type === type ? visitor(node, index, parent, ancestors) : undefined
  // (Custom nodes with children, such as crossReference, are parents too.)
  const children = (node as Partial<TreeParent>).children as TreeNode[] | undefined
  if (result === SKIP || children === undefined) return result
  const holder = node as TreeParent
  ancestors.push(holder)
  for (let offset = 0; offset < children.length; ) {
    const next = visitFrom(children[offset], offset, holder, type, visitor, ancestors)
    offset = typeof next === 'number' ? next : offset + 1
  }
  ancestors.pop()
  return result
}
