/**
 * `remarkEscapedBreak`: a `\` ending a paragraph's or heading's text is a hard line break, as in pandoc. Only
 * registers the tokenizer: the break node is mdast-util-from-markdown's own.
 */
import type {Processor} from 'unified'
import {escapedBreak} from './syntax.ts'

export {escapedBreak} from './syntax.ts'

export function remarkEscapedBreak(this: Processor): void {
  ;(this.data().micromarkExtensions ??= []).push(escapedBreak())
}
