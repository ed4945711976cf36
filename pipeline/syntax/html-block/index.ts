/**
 * `remarkHtmlBlock`: pandoc's `markdown_in_html_blocks`, block-level HTML tags as raw `html` nodes with the Markdown
 * between them parsed. Only registers the two layers.
 */
import type {Processor} from 'unified'
import {htmlBlock} from './syntax.ts'
import {htmlBlockFromMarkdown} from './from-markdown.ts'

export {htmlBlock} from './syntax.ts'
export {htmlBlockFromMarkdown} from './from-markdown.ts'

export function remarkHtmlBlock(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(htmlBlock())
  ;(data.fromMarkdownExtensions ??= []).push(htmlBlockFromMarkdown())
}
