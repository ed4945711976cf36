/**
 * `remarkLinearCommonmark`: micromark's CommonMark constructs where their own take time growing faster than the
 * text, replaced by ones giving the same tokens in linear time (the code span), and micromark's batched event
 * edits made to copy only what they change (./edits.ts, installed on import).
 */
import {codes} from 'micromark-util-symbol'
import type {Processor} from 'unified'
import './edits.ts'
import {linearCodeText} from './code-text.ts'

export function remarkLinearCommonmark(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({text: {[codes.graveAccent]: linearCodeText}, disable: {null: ['codeText']}})
}
