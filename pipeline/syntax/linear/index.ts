/**
 * `remarkLinearCommonmark`: micromark's CommonMark constructs whose own take time growing faster than the text,
 * replaced by ones giving the same tokens in linear time (emphasis, code spans, link and image ends, inline HTML), and
 * micromark's batched event edits made to copy only what they change (./edits.ts, installed on import).
 * `remarkJoinedData` goes last: marks that start nothing become text at once (./text-data.ts).
 */
import {codes} from 'micromark-util-symbol'
import type {Extension} from 'micromark-util-types'
import type {Processor} from 'unified'
import './edits.ts'
import {linearAttention} from './attention.ts'
import {linearCodeText} from './code-text.ts'
import {linearHtmlText} from './html-text.ts'
import {labelEndTooDeep, linearLabelEnd} from './label-end.ts'
import {joinedDataExtension} from './text-data.ts'

/** The linear constructs as one micromark extension (exported for the test that compares them with micromark's). */
export const linearCommonmarkExtension: Extension = {
  text: {
    [codes.asterisk]: linearAttention,
    [codes.underscore]: linearAttention,
    [codes.graveAccent]: linearCodeText,
    [codes.lessThan]: linearHtmlText,
    [codes.rightSquareBracket]: [labelEndTooDeep, linearLabelEnd]
  },
  // Emphasis inside links and images is resolved with the span (micromark's own resolver then finds nothing left).
  insideSpan: {null: [linearAttention]},
  disable: {null: ['codeText', 'labelEnd', 'htmlText']}
}

export function remarkLinearCommonmark(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(linearCommonmarkExtension)
}

/** Registered after every other plugin: see ./text-data.ts. */
export function remarkJoinedData(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(joinedDataExtension())
}
