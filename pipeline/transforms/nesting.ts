/**
 * Nesting transform: text nested deeper than the pipeline reads is an error at its place, and the tree every later
 * stage walks is never deeper than the limits (they recurse over it: a tree thousands of levels deep overflowed
 * the stack, an internal error).
 *
 * The parser already stops at the limits (pipeline/syntax/nesting), leaving `nestingLimit` nodes where it did; this
 * reports each and removes it. Includes can still stack containers past the limit (a file nested 60 deep included
 * inside 60 block quotes), and phrasing can nest without the parser seeing it: a container deeper than
 * `nestingLimit` is reported and removed with its content, phrasing deeper than `phrasingNestingLimit` is reported
 * and kept as its plain text. The walk is a loop over a stack, not a recursion, so any depth is safe here.
 */
import type {Nodes, Parent, Root, Text} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import {nestingLimit, phrasingNestingLimit} from '../syntax/nesting/syntax.ts'
import type {NestingLimit} from '../syntax/types.ts'

/** Nodes that nest blocks, counted against `nestingLimit`. */
const containers = new Set(['blockquote', 'listItem', 'div', 'footnoteDefinition'])
/** Nodes that nest phrasing, counted against `phrasingNestingLimit`. */
const phrasingParents = new Set(['emphasis', 'strong', 'delete', 'link', 'linkReference', 'inlineNote'])

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
  attention: 'emphasis',
  emphasis: 'emphasis',
  strong: 'strong emphasis',
  strikethrough: 'strikeout',
  delete: 'strikeout',
  labelEnd: 'link or image',
  link: 'link',
  linkReference: 'link',
  inlineNote: 'inline note'
}

export const nestingRule = 'nesting-too-deep'

export function nestingTransform(tree: Root, file: VFile): void {
  const stack: Array<{parent: Parent; containerDepth: number; phrasingDepth: number}> = [{parent: tree, containerDepth: 0, phrasingDepth: 0}]
  while (stack.length > 0) {
    const {parent, containerDepth, phrasingDepth} = stack.pop()!
    const children = parent.children as Nodes[]
    for (let index = 0; index < children.length; index++) {
      const child = children[index]
      if (child.type === 'nestingLimit') {
        reportLimit(file, child)
        children.splice(index--, 1)
        continue
      }
      if (!('children' in child)) continue
      const childContainerDepth = containerDepth + (containers.has(child.type) ? 1 : 0)
      const childPhrasingDepth = phrasingDepth + (phrasingParents.has(child.type) ? 1 : 0)
      if (childContainerDepth > nestingLimit) {
        report(file, child, containerMessage(containerWords[child.type] ?? child.type), nestingRule, 'error')
        children.splice(index--, 1)
        continue
      }
      if (childPhrasingDepth > phrasingNestingLimit) {
        report(file, child, phrasingMessage(phrasingWords[child.type] ?? child.type), nestingRule, 'error')
        children[index] = plainText(child)
        continue
      }
      stack.push({parent: child as Parent, containerDepth: childContainerDepth, phrasingDepth: childPhrasingDepth})
    }
  }
}

function reportLimit(file: VFile, node: NestingLimit): void {
  const container = containerWords[node.construct]
  report(file, node, container ? containerMessage(container) : phrasingMessage(phrasingWords[node.construct] ?? 'formatting'), nestingRule, 'error')
}

function containerMessage(what: string): string {
  return `This ${what} is nested more than ${nestingLimit} levels deep in block quotes, lists, divs and footnotes, which is as deep as the pipeline reads: what it holds is left out. Nest it less deeply.`
}

function phrasingMessage(what: string): string {
  return `This ${what} is nested more than ${phrasingNestingLimit} levels deep in emphasis, links and notes, which is as deep as the pipeline reads: its text is kept without that formatting. Nest it less deeply.`
}

/** The node's text, as one text node at its place (mdast-util-to-string without its recursion). */
function plainText(node: Nodes): Text {
  let value = ''
  const pending: Nodes[] = [node]
  while (pending.length > 0) {
    const next = pending.pop()!
    if ('value' in next && typeof next.value === 'string' && next.type !== 'html') value += next.value
    else if ('alt' in next && typeof next.alt === 'string') value += next.alt
    const children: Nodes[] = 'children' in next && Array.isArray(next.children) ? next.children : []
    for (let index = children.length - 1; index >= 0; index--) pending.push(children[index])
  }
  return {type: 'text', value, position: node.position, data: node.data?.sourceFile === undefined ? undefined : {sourceFile: node.data.sourceFile}}
}
