/**
 * mdast-util-from-markdown handlers: a `nestingTooDeep` container becomes a `nestingLimit` node spanning it, with no
 * children (its text is not parsed). The nesting check reports it and removes it.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {NestingLimit} from '../types.ts'

export function nestingFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {nestingTooDeep: enterNestingTooDeep},
    exit: {nestingTooDeep: exitNestingTooDeep}
  }
}

function enterNestingTooDeep(this: CompileContext, token: Token): undefined {
  const node: NestingLimit = {type: 'nestingLimit', construct: token._nestingConstruct ?? '', children: []}
  this.enter(node as never, token)
}

function exitNestingTooDeep(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
