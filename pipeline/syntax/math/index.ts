/**
 * remark plugin for pandoc's `tex_math_dollars` (`$inline$`, `$$display$$`): registers the micromark
 * syntax and the from-markdown handlers (producing `inlineMath` nodes), like remark-gfm does.
 * Do not also use remark-math: its `$` construct and `$$` fences follow other rules.
 */
import type {Processor} from 'unified'
import {pandocMath} from './syntax.ts'
import {pandocMathFromMarkdown} from './from-markdown.ts'

export {pandocMath, displayMathConstruct, inlineMathConstruct} from './syntax.ts'
export {pandocMathFromMarkdown} from './from-markdown.ts'

export function remarkPandocMath(this: Processor): undefined {
  const data = this.data()
  const micromarkExtensions = (data.micromarkExtensions ||= [])
  const fromMarkdownExtensions = (data.fromMarkdownExtensions ||= [])
  micromarkExtensions.push(pandocMath())
  fromMarkdownExtensions.push(pandocMathFromMarkdown())
}
