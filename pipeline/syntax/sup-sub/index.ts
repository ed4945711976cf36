/**
 * remark plugin for pandoc superscript `^x^` and subscript `~x~`: registers the micromark syntax and the mdast
 * handlers (producing `superscript` and `subscript` nodes), like remark-gfm does.
 */
import type {Processor} from 'unified'
import {supSub} from './syntax.ts'
import {supSubFromMarkdown, supSubToMarkdown} from './from-markdown.ts'

export {supSub} from './syntax.ts'
export {supSubFromMarkdown, supSubToMarkdown} from './from-markdown.ts'

export function remarkSupSub(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(supSub())
  ;(data.fromMarkdownExtensions ??= []).push(supSubFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(supSubToMarkdown())
}
