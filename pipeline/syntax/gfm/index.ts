/**
 * The GFM constructs pandoc Markdown shares: footnotes `[^id]` with `[^id]: …` definitions, `~~strikeout~~`
 * (pandoc's `~x~` is subscript, so single tildes are not strikeout), and task list items `- [ ]`, `- [x]`. The micromark extensions do the work; these
 * plugins register them, footnote definitions within the nesting limit and the rest in linear time.
 */
import type {Processor} from 'unified'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import {gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
import {codes} from 'micromark-util-symbol'
import type {Construct, Extension} from 'micromark-util-types'
import {withinNestingLimit} from '../nesting/syntax.ts'
import {linearPotentialFootnoteCall} from '../linear/footnote-call.ts'
import {linearStrikethrough} from '../linear/attention.ts'

export function remarkGfmFootnote(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(footnotesWithinNestingLimit(gfmFootnote()))
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmFootnoteToMarkdown())
}

export function remarkStrikethrough(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(strikethroughInLinearTime(gfmStrikethrough({singleTilde: false})))
  ;(data.fromMarkdownExtensions ??= []).push(gfmStrikethroughFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmStrikethroughToMarkdown())
}

/** `- [ ] open`, `- [x] done`: list items with `checked` set (pandoc's `task_lists`). */
export function remarkTaskListItem(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gfmTaskListItem())
  ;(data.fromMarkdownExtensions ??= []).push(gfmTaskListItemFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmTaskListItemToMarkdown())
}

/**
 * A footnote definition is a container: it nests within the limit like a block quote (see ../nesting). The `]` of a
 * call written `![^a]` is found in linear time (see ../linear/footnote-call.ts).
 */
function footnotesWithinNestingLimit(extension: Extension): Extension {
  const definition = extension.document?.[codes.leftSquareBracket] as Construct
  const potentialCall = extension.text?.[codes.rightSquareBracket] as Construct
  return {
    ...extension,
    document: {[codes.leftSquareBracket]: withinNestingLimit(definition)},
    text: {...extension.text, [codes.rightSquareBracket]: linearPotentialFootnoteCall(potentialCall)}
  }
}

/** Strikeout pairs are found in linear time, together with emphasis (see ../linear/attention.ts). */
function strikethroughInLinearTime(extension: Extension): Extension {
  const strikethrough = linearStrikethrough(extension.text?.[codes.tilde] as Construct)
  return {...extension, text: {[codes.tilde]: strikethrough}, insideSpan: {null: [strikethrough]}}
}
