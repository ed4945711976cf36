/**
 * `remarkLineBlock`: pandoc line blocks (`| ` lines) as `lineBlock` nodes. Only registers the two layers.
 */
import type {Processor} from 'unified'
import {lineBlock} from './syntax.ts'
import {lineBlockFromMarkdown} from './from-markdown.ts'

export {lineBlock} from './syntax.ts'
export {lineBlockFromMarkdown} from './from-markdown.ts'

export function remarkLineBlock(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(lineBlock())
  ;(data.fromMarkdownExtensions ??= []).push(lineBlockFromMarkdown())
}
