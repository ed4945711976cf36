/**
 * mdast-util-from-markdown handlers for the include directive: `!INCLUDE "path"` becomes an `include` node holding
 * the path as written; resolving and splicing the file in is the includes transform's job.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {Include} from '../types.ts'

export function includeFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {include: enterInclude},
    exit: {include: exitInclude, includePath: exitIncludePath}
  }
}

function enterInclude(this: CompileContext, token: Token): undefined {
  const node: Include = {type: 'include', path: ''}
  this.enter(node, token)
}

function exitIncludePath(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as Include
  node.path = this.sliceSerialize(token)
}

function exitInclude(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
