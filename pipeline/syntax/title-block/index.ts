/**
 * `remarkTitleBlock`: pandoc's `%` title block as a `titleBlock` node. Only registers the layers; the front matter
 * stage merges its title, authors and date into the document's metadata.
 */
import type {Processor} from 'unified'
import {titleBlock} from './syntax.ts'
import {titleBlockFromMarkdown} from './from-markdown.ts'
import {titleBlockToMarkdown} from './to-markdown.ts'

export function remarkTitleBlock(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(titleBlock())
  ;(data.fromMarkdownExtensions ??= []).push(titleBlockFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(titleBlockToMarkdown())
}
