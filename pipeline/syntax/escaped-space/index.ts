/** remark plugin for pandoc's escaped space `\ ` (a non-breaking space): registers the two layers. */
import type {Processor} from 'unified'
import {escapedSpace} from './syntax.ts'
import {escapedSpaceFromMarkdown} from './from-markdown.ts'

export function remarkEscapedSpace(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(escapedSpace())
  ;(data.fromMarkdownExtensions ??= []).push(escapedSpaceFromMarkdown())
}
