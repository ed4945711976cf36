/**
 * `remarkFencedDiv`: pandoc Divs, fenced (`::: {#id .class}` … `:::`) and native (`<div …>` … `</div>`), as `div`
 * nodes. Only registers the two layers, like remark-gfm does.
 */
import type {Processor} from 'unified'
import {fencedDiv} from './syntax.ts'
import {fencedDivFromMarkdown} from './from-markdown.ts'

export {fencedDiv, fencedDivConstruct, nativeDivConstruct} from './syntax.ts'
export {fencedDivFromMarkdown} from './from-markdown.ts'

export function remarkFencedDiv(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(fencedDiv())
  ;(data.fromMarkdownExtensions ??= []).push(fencedDivFromMarkdown())
}
