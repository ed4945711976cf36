/**
 * `remarkDefinitionList`: pandoc definition lists (a term line, then `:` or `~` definitions) as `defList` nodes.
 * Only registers the two layers, like remark-gfm does.
 */
import type {Processor} from 'unified'
import {definitionList} from './syntax.ts'
import {definitionListFromMarkdown} from './from-markdown.ts'

export {definitionList} from './syntax.ts'
export {definitionListFromMarkdown} from './from-markdown.ts'

export function remarkDefinitionList(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(definitionList())
  ;(data.fromMarkdownExtensions ??= []).push(definitionListFromMarkdown())
}
