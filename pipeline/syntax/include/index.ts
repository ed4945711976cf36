/**
 * `remarkInclude`: `!INCLUDE "path"` lines as `include` nodes. Only registers the two layers; the includes transform
 * reads the files.
 */
import type {Processor} from 'unified'
import {include} from './syntax.ts'
import {includeFromMarkdown} from './from-markdown.ts'

export {include} from './syntax.ts'
export {includeFromMarkdown} from './from-markdown.ts'

export function remarkInclude(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(include())
  ;(data.fromMarkdownExtensions ??= []).push(includeFromMarkdown())
}
