/**
 * `remarkNestingLimit`: block quotes and lists nested at most `nestingLimit` deep (fenced divs and footnote
 * definitions wrap their own constructs); deeper, a `parseLimit` node. Registers the two layers.
 */
import {blockQuote, list} from 'micromark-core-commonmark'
import {codes} from 'micromark-util-symbol'
import type {Extension} from 'micromark-util-types'
import type {Processor} from 'unified'
import {nestingFromMarkdown} from './from-markdown.ts'
import {linearListStart} from './list-start.ts'
import {withinNestingLimit} from './syntax.ts'
import {listNotInterrupting, blockQuoteNotInterrupting} from '../pandoc-list/interrupt.ts'
import {fancyListStart, fancyListStartCodes} from '../pandoc-list/syntax.ts'

export {nestingLimit, withinNestingLimit} from './syntax.ts'
export {nestingFromMarkdown} from './from-markdown.ts'

/** The core containers, limited, in place of micromark's own. */
export function nesting(): Extension {
  // Neither interrupts a paragraph, as in pandoc (../pandoc-list/interrupt.ts); lists read pandoc's markers
  // (../pandoc-list/syntax.ts).
  // micromark's own are disabled: where ours give way, they would open.
  const limitedList = withinNestingLimit(listNotInterrupting(linearListStart(fancyListStart(list))), 'list')
  const document: Extension['document'] = {[codes.greaterThan]: withinNestingLimit(blockQuoteNotInterrupting(blockQuote), 'blockQuote')}
  for (const code of [codes.asterisk, codes.plusSign, codes.dash, codes.digit0, codes.digit1, codes.digit2, codes.digit3, codes.digit4, codes.digit5, codes.digit6, codes.digit7, codes.digit8, codes.digit9, ...fancyListStartCodes]) {
    document[code] = limitedList
  }
  return {document, disable: {null: ['list', 'blockQuote']}}
}

export function remarkNestingLimit(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(nesting())
  ;(data.fromMarkdownExtensions ??= []).push(nestingFromMarkdown())
}
