/**
 * A document-order walk that also enters figure captions: a `figure`'s caption is not among its `children`, so
 * unist-util-visit would skip the citations, math and attribute blocks written in captions.
 */
import type {Node} from 'unist'

/** Called with each node, the array that holds it (a `children` array or a figure's `caption`), and its holder. */
export type Walker = (node: Node, siblings: Node[], parent: Node | undefined) => void

export function walkWithCaptions(tree: Node, walker: Walker): void {
  const enter = (parent: Node, siblings: Node[]): void => {
    // A copy, so that the walker may replace or remove the node it is given.
    for (const node of [...siblings]) {
      walker(node, siblings, parent)
      const children = (node as {children?: Node[]}).children
      if (Array.isArray(children)) enter(node, children)
      const caption = node.type === 'figure' ? (node as {caption?: Node[]}).caption : undefined
      if (Array.isArray(caption)) enter(node, caption)
    }
  }
  walker(tree, [], undefined)
  const children = (tree as {children?: Node[]}).children
  if (Array.isArray(children)) enter(tree, children)
}
