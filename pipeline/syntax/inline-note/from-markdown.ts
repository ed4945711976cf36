/**
 * mdast-util-from-markdown handlers for inline notes: `^[…]` becomes an `inlineNote` node spanning `^[` to `]`.
 * The children come from the note's text chunks, which micromark has already parsed as phrasing content.
 */
import type {Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {CompileContext} from 'mdast-util-from-markdown'
import type {InlineNote} from '../types.ts'

export function inlineNoteFromMarkdown(): FromMarkdownExtension {
  return {
    // Soft line breaks inside a note are kept as `\n` in its text, as they are in a paragraph.
    canContainEols: ['inlineNote'],
    enter: {inlineNote: enterInlineNote},
    exit: {inlineNote: exitInlineNote}
  }
}

function enterInlineNote(this: CompileContext, token: Token): undefined {
  const node: InlineNote = {type: 'inlineNote', children: []}
  this.enter(node, token)
}

function exitInlineNote(this: CompileContext, token: Token): undefined {
  this.exit(token)
}
