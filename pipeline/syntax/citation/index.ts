/**
 * `remarkCitation`: pandoc citations (`[see @a, p. 3; -@b]`, `@a`, `@a [p. 33]`) as `citation` nodes. Only registers
 * the two layers; the crossref transform later turns citations of `fig:`/`tbl:`/`sec:`/`eq:` labels into
 * `crossReference` nodes, and the citations transform renders the rest.
 */
import type {Processor} from 'unified'
import {citationFromMarkdown} from './from-markdown.ts'
import {citationSyntax} from './syntax.ts'

export {citationFromMarkdown} from './from-markdown.ts'
export {citationSyntax} from './syntax.ts'

export function remarkCitation(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(citationSyntax())
  ;(data.fromMarkdownExtensions ??= []).push(citationFromMarkdown())
}
