/**
 * mdast-util-from-markdown handlers: a `nestingTooDeep` container becomes a `parseLimit` node spanning it, with no
 * children (its text is not parsed), and so does a `phrasingTooDeep` mark (where links, images or emphasis would
 * nest too deep). The nesting transform reports it and removes it. Phrasing nested deeper than that is cut off
 * (./tree.ts) before any other tree transform walks it.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {ParseLimit} from '../types.ts'
import {limitTree} from './tree.ts'

export function nestingFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {nestingTooDeep: enterNestingTooDeep, phrasingTooDeep: enterNestingTooDeep},
    exit: {nestingTooDeep: exitNestingTooDeep, phrasingTooDeep: exitNestingTooDeep},
    // First of the tree transforms (this extension is registered before the others that have one).
    transforms: [limitTree]
  }
}

function enterNestingTooDeep(this: CompileContext, token: Token): undefined {
  const node: ParseLimit = {type: 'parseLimit', construct: token._nestingConstruct ?? '', children: []}
  this.enter(node as never, token)
}

function exitNestingTooDeep(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
