/**
 * mdast-util-from-markdown handlers for the include directive: an include line becomes an `include` node holding
 * the path as written, or, for a line in a form that is not read (see syntax.ts), an empty path and the `problem`,
 * with the form to use; resolving and splicing the file in, and reporting problems, is the includes transform's job.
 */
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {Include} from '../types.ts'

export function includeFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {include: enterInclude},
    exit: {include: exitInclude, includeKeyword: exitKeyword, includeArgument: exitArgument}
  }
}

interface IncludeInProgress extends Include {
  keyword?: string
  argument?: string
}

function enterInclude(this: CompileContext, token: Token): undefined {
  const node: IncludeInProgress = {type: 'include', path: ''}
  this.enter(node, token)
}

function exitKeyword(this: CompileContext, token: Token): undefined {
  ;(this.stack[this.stack.length - 1] as IncludeInProgress).keyword = this.sliceSerialize(token)
}

function exitArgument(this: CompileContext, token: Token): undefined {
  ;(this.stack[this.stack.length - 1] as IncludeInProgress).argument = this.sliceSerialize(token)
}

function exitInclude(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as IncludeInProgress
  const read = readDirective(node.keyword ?? '', (node.argument ?? '').trimEnd())
  delete node.keyword
  delete node.argument
  node.path = read.path ?? ''
  if (read.problem) node.problem = read.problem
  this.exit(token)
}

const form = '`!INCLUDE "path/to/file.md"`'

/**
 * The path of a well-formed include line (`!INCLUDE "path"` or `!INCLUDE 'path'`, as markdown-pp reads them), or
 * what is wrong with the line and the form to write instead.
 */
export function readDirective(keyword: string, argument: string): {path?: string; problem?: string} {
  const quoted = /^(["'])(.*?)\1$/.exec(argument)
  const path = quoted?.[2] ?? /^(["'])([^"']+)\1\s*,\s*\d+$/.exec(argument)?.[2] ?? (argument && !/["'\s]/.test(argument) ? argument.replace(/^<(.*)>$/, '$1') : undefined)
  const instead = path ? `\`!INCLUDE "${path}"\`` : form
  if (keyword.toLowerCase() === '!includeurl') {
    return {problem: `\`${keyword}\` (markdown-pp's include of a web address) is not read: builds make no network requests. Download the file into the project and include it with ${form}`}
  }
  if (keyword !== '!INCLUDE') {
    return {problem: `\`${keyword}\` is not read (pandoc-include's \`!include\` is another tool's syntax). Write the keyword in capitals and the path in quotes: ${instead}`}
  }
  if (argument === '') return {problem: `This !INCLUDE line names no file. Write the path in quotes after it: ${form}`}
  if (quoted) return quoted[2].trim() ? {path: quoted[2]} : {problem: `This !INCLUDE line names no file (the quotes are empty). Write the path between them: ${form}`}
  if (/^(["']).+?\1\s*,\s*\d+$/.test(argument)) {
    return {problem: `markdown-pp's heading shift (\`, N\` after the path) is not read. Write the included file's headings at the level they should have, and include it with ${instead}`}
  }
  if (/^["']/.test(argument) && !argument.slice(1).includes(argument[0])) return {problem: `The quote before the path is never closed. Close it: \`!INCLUDE ${argument}${argument[0]}\``}
  if (/^["']/.test(argument)) return {problem: `An !INCLUDE line holds only the path in quotes; move the text after it to a line of its own: \`!INCLUDE ${argument.slice(0, argument.indexOf(argument[0], 1) + 1)}\``}
  return {problem: `The path of an !INCLUDE line must be in quotes: ${instead}`}
}
