/**
 * `remarkInlineNote`: pandoc inline notes `^[…]` as `inlineNote` nodes. Only registers the two layers; the notes
 * transform (pipeline/transforms/notes.ts) turns the nodes into footnotes.
 */
import type {Processor} from 'unified'
import {inlineNote} from './syntax.ts'
import {inlineNoteFromMarkdown} from './from-markdown.ts'

export {inlineNote} from './syntax.ts'
export {inlineNoteFromMarkdown} from './from-markdown.ts'

export function remarkInlineNote(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(inlineNote())
  ;(data.fromMarkdownExtensions ??= []).push(inlineNoteFromMarkdown())
}
