/**
 * Nesting transform: text nested deeper than the pipeline reads is an error at its place, and the tree every later
 * stage walks is never deeper than the limits (they recurse over it: a tree thousands of levels deep overflowed
 * the stack, an internal error).
 *
 * The parser already stops at the limits (pipeline/syntax/nesting), leaving `parseLimit` nodes where it did (also
 * for a table with far more cells than text); this reports each and removes it. Includes can still stack containers past the limit (a file nested 60 deep included
 * inside 60 block quotes): such a container is reported and removed with what it holds. The walk is a loop over a
 * stack, not a recursion, so any depth is safe here.
 */
import type {Nodes, Parent, Root} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import {nestingLimit, phrasingNestingLimit} from '../syntax/nesting/syntax.ts'

/** Nodes that nest blocks, counted against `nestingLimit`. */
const containers = new Set(['blockquote', 'listItem', 'div', 'footnoteDefinition'])

/** What each construct is called, by micromark construct or mdast node type. */
const containerWords: Record<string, string> = {
  blockQuote: 'block quote',
  blockquote: 'block quote',
  list: 'list item',
  listItem: 'list item',
  fencedDiv: 'div',
  nativeDiv: 'div',
  div: 'div',
  gfmFootnoteDefinition: 'footnote definition',
  footnoteDefinition: 'footnote definition'
}
const phrasingWords: Record<string, string> = {
  emphasis: 'emphasis',
  strong: 'strong emphasis',
  delete: 'strikeout',
  labelEnd: 'link or image',
  link: 'link',
  linkReference: 'link',
  inlineNote: 'inline note'
}

export const nestingRule = 'nesting-too-deep'
export const tableSizeRule = 'table-too-large'

export function nestingTransform(tree: Root, file: VFile): void {
  const pending: Array<{parent: Parent; depth: number}> = [{parent: tree, depth: 0}]
  while (pending.length > 0) {
    const {parent, depth} = pending.pop()!
    const children = parent.children as Nodes[]
    let toldHere = false
    for (let index = 0; index < children.length; index++) {
      const child = children[index]
      if (child.type === 'parseLimit' && child.construct === 'table') {
        report(file, child, tableMessage(child.rows ?? 0, child.columns ?? 0), tableSizeRule, 'error')
        children.splice(index--, 1)
        continue
      }
      if (child.type === 'parseLimit') {
        const container = containerWords[child.construct]
        // One message for a paragraph, however many of its spans go too deep.
        if (container || !toldHere) report(file, child, container ? containerMessage(container) : phrasingMessage(phrasingWords[child.construct] ?? 'formatting'), nestingRule, 'error')
        toldHere ||= !container
        children.splice(index--, 1)
        continue
      }
      if (!('children' in child)) continue
      const childDepth = depth + (containers.has(child.type) ? 1 : 0)
      if (childDepth > nestingLimit) {
        report(file, child, containerMessage(containerWords[child.type] ?? child.type), nestingRule, 'error')
        children.splice(index--, 1)
        continue
      }
      pending.push({parent: child as Parent, depth: childDepth})
    }
  }
}

function containerMessage(what: string): string {
  return `This ${what} is nested more than ${nestingLimit} levels deep in block quotes, lists, divs and footnotes (an included file counts from where it is included): the pipeline reads no deeper, and what it holds is left out. Make the nesting shallower.`
}

function tableMessage(rows: number, columns: number): string {
  return `This table has ${rows} rows of ${columns} columns, far more cells than it has text (the pipeline builds at most four cells per character of a table, or 10,000): most of its rows are empty, or a dashed line defines more columns than the rows fill. Fix its dashed lines.`
}

function phrasingMessage(what: string): string {
  return `This ${what} is nested more than ${phrasingNestingLimit} levels deep in emphasis, strikeout, links and notes: the pipeline reads no deeper, and what it holds is left out. Make the nesting shallower.`
}
