/**
 * Tabs in code become spaces at tab stops of 4 columns, counted from the start of the source line, as pandoc's
 * reader sees them (pandoc expands tabs before reading unless `preserve_tabs` is on, which it is not by default):
 * a code block indented by two tabs keeps four spaces, and `` `a<tab>b` `` is `a` and three spaces, then `b`.
 * micromark already marks each tab's columns (virtual spaces), so the code's text is its tokens serialized with
 * tabs expanded; nothing reads the source again.
 */
import type {CompileContext, Extension as FromMarkdownExtension, Token} from 'mdast-util-from-markdown'
import type {Processor} from 'unified'

export function codeTabsFromMarkdown(): FromMarkdownExtension {
  return {exit: {codeFlowValue: exitCodeWithTabsExpanded, codeTextData: exitCodeWithTabsExpanded}}
}

/** mdast-util-from-markdown's handler for code text, with the tabs expanded. */
function exitCodeWithTabsExpanded(this: CompileContext, token: Token): undefined {
  const tail = this.stack.pop() as {value: string; position?: {end: unknown}}
  tail.value += this.sliceSerialize(token, true)
  if (tail.position) tail.position.end = {line: token.end.line, column: token.end.column, offset: token.end.offset}
}

export function remarkCodeTabs(this: Processor): undefined {
  ;(this.data().fromMarkdownExtensions ??= []).push(codeTabsFromMarkdown())
}
