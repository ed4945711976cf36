/**
 * remark plugin for autolinks as pandoc reads them (`<http://…>`, `<测@foo.测.baz>`, character references decoded):
 * registers the micromark syntax, which replaces CommonMark's autolink, and the from-markdown handlers.
 */
import type {Processor} from 'unified'
import {pandocAutolink} from './syntax.ts'
import {pandocAutolinkFromMarkdown} from './from-markdown.ts'

export {pandocAutolink, pandocAutolinkConstruct} from './syntax.ts'
export {pandocAutolinkFromMarkdown} from './from-markdown.ts'

export function remarkPandocAutolink(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(pandocAutolink())
  ;(data.fromMarkdownExtensions ??= []).push(pandocAutolinkFromMarkdown())
}
