/**
 * The two GFM constructs pandoc Markdown shares: footnotes `[^id]` with `[^id]: …` definitions, and `~~strikeout~~`
 * (pandoc's `~x~` is subscript, so single tildes are not strikeout). The micromark extensions do the work; these
 * plugins only register them.
 */
import type {Processor} from 'unified'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'

export function remarkGfmFootnote(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gfmFootnote())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmFootnoteToMarkdown())
}

export function remarkStrikethrough(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(gfmStrikethrough({singleTilde: false}))
  ;(data.fromMarkdownExtensions ??= []).push(gfmStrikethroughFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmStrikethroughToMarkdown())
}
