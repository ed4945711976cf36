/**
 * remark plugin for all of pandoc's table syntaxes we support: simple, multiline and grid tables (our micromark
 * extension) and pipe tables (micromark-extension-gfm-table). It only registers the extensions, like remark-gfm.
 * Pipe tables are registered last so that micromark tries them first, as pandoc does; a code span in a pipe table
 * cell protects its `|` (./pipe-code-spans.ts).
 */
/// <reference types="remark-stringify" />
import type {Processor} from 'unified'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
import {pandocTable} from './syntax.ts'
import {pandocTableFromMarkdown} from './from-markdown.ts'
import {pipeTableWithCodeSpans} from './pipe-code-spans.ts'

export {pandocTable} from './syntax.ts'
export type {PandocTableColumn, PandocTableInfo} from './syntax.ts'
export {pandocTableFromMarkdown} from './from-markdown.ts'

export function remarkPandocTable(this: Processor): undefined {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(pandocTable(), pipeTableWithCodeSpans(gfmTable()))
  ;(data.fromMarkdownExtensions ??= []).push(pandocTableFromMarkdown(), gfmTableFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmTableToMarkdown())
}
