/**
 * mdast-util-from-markdown handlers: `lineBlock` and `lineBlockLine` tokens become nodes with their positions; the
 * spaces after a line's `| ` become non-breaking spaces (pandoc keeps them so), and a continuation line's line
 * ending stays in the line's text, as in a paragraph.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {LineBlock, LineBlockLine} from '../types.ts'

export function lineBlockFromMarkdown(): FromMarkdownExtension {
  return {
    canContainEols: ['lineBlockLine'],
    enter: {lineBlock: enterLineBlock, lineBlockLine: enterLine, lineBlockIndent: enterIndent},
    exit: {lineBlock: exit, lineBlockLine: exit, lineBlockIndent: exit}
  }
}

function enterLineBlock(this: CompileContext, token: Token): undefined {
  const node: LineBlock = {type: 'lineBlock', children: []}
  this.enter(node as never, token)
}

function enterLine(this: CompileContext, token: Token): undefined {
  const node: LineBlockLine = {type: 'lineBlockLine', children: []}
  this.enter(node as never, token)
}

function enterIndent(this: CompileContext, token: Token): undefined {
  const spaces = this.sliceSerialize(token).replace(/\t/g, '    ').length
  this.enter({type: 'text', value: '\u00a0'.repeat(spaces)}, token)
}

function exit(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
