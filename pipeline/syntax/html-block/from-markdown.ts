/**
 * mdast-util-from-markdown handlers for tag lines (see syntax.ts): each tag is already an `htmlFlow` token, so an
 * `html` node; the text between tags becomes a paragraph, marked `data.plain` (pandoc's Plain: no `<p>`) when a
 * block tag ended it. A paragraph that a tag line interrupts (the tag on the very next line) is Plain as well, as
 * pandoc ends a paragraph only at a blank line.
 */
import type {Paragraph, Parent} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import {divClosingLines, plainTexts} from './syntax.ts'

export function htmlBlockFromMarkdown(): Extension {
  return {
    canContainEols: ['paragraph'],
    enter: {htmlBlockTags: enterTags, htmlBlockText: enterText},
    exit: {htmlBlockText: exitText}
  }
}

function enterTags(this: CompileContext, token: Token): undefined {
  const parent = this.stack[this.stack.length - 1] as Parent
  const previous = parent.children[parent.children.length - 1]
  if (!divClosingLines.has(token) && previous?.type === 'paragraph' && previous.position && previous.position.end.line === token.start.line - 1) {
    previous.data = {...previous.data, plain: true}
  }
}

function enterText(this: CompileContext, token: Token): undefined {
  const node: Paragraph = {type: 'paragraph', children: []}
  if (plainTexts.has(token)) node.data = {plain: true}
  this.enter(node, token)
}

function exitText(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
