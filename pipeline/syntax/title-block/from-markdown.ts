/**
 * mdast-util-from-markdown handlers: a `titleBlock` node holding a `titleBlockField` per value, with its position:
 * the title (its continuation lines joined by line endings), each author, the date.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {TitleBlock, TitleBlockField} from '../types.ts'

const fieldOf = {titleBlockTitle: 'title', titleBlockAuthor: 'author', titleBlockDate: 'date'} as const

export function titleBlockFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {titleBlock: enterTitleBlock},
    exit: {titleBlock: exitTitleBlock, titleBlockTitle: exitValue, titleBlockAuthor: exitValue, titleBlockDate: exitValue}
  }
}

function enterTitleBlock(this: CompileContext, token: Token): undefined {
  const node: TitleBlock = {type: 'titleBlock', children: []}
  this.enter(node as never, token)
}

function exitTitleBlock(this: CompileContext, token: Token): undefined {
  this.exit(token)
}

function exitValue(this: CompileContext, token: Token): undefined {
  const block = this.stack[this.stack.length - 1] as unknown as TitleBlock
  const field = fieldOf[token.type as keyof typeof fieldOf]
  const value = this.sliceSerialize(token).trim()
  const start = {line: token.start.line, column: token.start.column, offset: token.start.offset}
  const end = {line: token.end.line, column: token.end.column, offset: token.end.offset}
  const last = block.children[block.children.length - 1]
  // A title's continuation line goes on with the same title (an author's starts another author).
  if (field === 'title' && last?.field === 'title' && last.position) {
    last.value = `${last.value}\n${value}`
    last.position.end = end
    return
  }
  const node: TitleBlockField = {type: 'titleBlockField', field, value, position: {start, end}}
  block.children.push(node)
}
