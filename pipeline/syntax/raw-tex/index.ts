/**
 * `remarkRawTex`: pandoc's `raw_tex`, LaTeX commands and environments as `rawInline` and `rawBlock` nodes of format
 * `tex`. Only registers the layers; the renderer (pipeline/render/to-hast.ts) leaves them out of the HTML, except
 * the few commands that have an effect there (page breaks, a table of contents).
 */
/// <reference types="remark-stringify" />
import type {Processor} from 'unified'
import {rawTex} from './syntax.ts'
import {rawTexFromMarkdown, rawTexToMarkdown} from './from-markdown.ts'

export {rawTex} from './syntax.ts'
export {rawTexFromMarkdown, rawTexToMarkdown} from './from-markdown.ts'

export function remarkRawTex(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(rawTex())
  ;(data.fromMarkdownExtensions ??= []).push(rawTexFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(rawTexToMarkdown())
}
