/**
 * `remarkPandocList`: pandoc's lists (fancy and example markers, start numbers, pandoc's tight and loose lists).
 * The item start (./syntax.ts) is registered with the other containers by ../nesting, which wraps it; this plugin
 * only registers the from-markdown and to-markdown layers.
 */
import type {Processor} from 'unified'
import {pandocListFromMarkdown} from './from-markdown.ts'
import {pandocListToMarkdown} from './to-markdown.ts'

export {fancyListStart, fancyListStartCodes} from './syntax.ts'
export {pandocListFromMarkdown} from './from-markdown.ts'
export {pandocListToMarkdown} from './to-markdown.ts'

export function remarkPandocList(this: Processor): undefined {
  const data = this.data()
  ;(data.fromMarkdownExtensions ??= []).push(pandocListFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(pandocListToMarkdown())
}
