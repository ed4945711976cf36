/**
 * Pandoc's `smart` extension: straight quotes become curly, `---` an em dash, `--` an en dash, `...` an ellipsis.
 * Quotes are decided by the smartquotes library over the whole text of a block (so `"*word*"` pairs up across
 * nodes); code, math and other non-text inline nodes stand in as one letter, raw HTML tags as nothing, and none
 * of them is changed.
 */
import type {Node, Parent, Root, Text} from 'mdast'
import smartquotes from 'smartquotes'
import {TextMemo} from '../syntax/text-memo.ts'
import {SKIP, walk} from '../syntax/walk.ts'
import type {Figure} from '../syntax/types.ts'

const blocks = new Set(['paragraph', 'heading', 'tableCell'])
// smartquotes replaces one character by one, so each node's slice stays where it was.
const curlyQuotes = new TextMemo((text): string => smartquotes.string(text, {retainLength: true}))

export function smartPunctuationTransform(tree: Root): void {
  walk(tree, (node) => {
    if (node.type === 'figure') educate((node as Figure).caption)
    if (blocks.has(node.type)) {
      educate((node as Parent).children)
      return SKIP
    }
    return undefined
  })
}

function educate(children: readonly Node[]): void {
  const texts: Text[] = []
  let joined = ''
  const collect = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        texts.push(node as Text)
        joined += (node as Text).value
      } else if (node.type === 'inlineNote') {
        // A note's text starts afresh; in the surrounding text it stands where its mark is.
        educate((node as Parent).children)
        joined += 'x'
      } else if ('children' in node) {
        collect((node as Parent).children)
      } else {
        joined += standIn(node)
      }
    }
  }
  collect(children)
  if (!/["'.-]/.test(joined)) return
  const quoted = curlyQuotes.get(joined)
  let offset = 0
  let textIndex = 0
  const assign = (nodes: readonly Node[]) => {
    for (const node of nodes) {
      if (node.type === 'text') {
        const text = texts[textIndex++]
        const length = text.value.length
        text.value = dashesAndEllipses(quoted.slice(offset, offset + length))
        offset += length
      } else if (node.type === 'inlineNote') {
        offset += 1
      } else if ('children' in node) {
        assign((node as Parent).children)
      } else {
        offset += standIn(node).length
      }
    }
  }
  if (quoted.length === joined.length) assign(children)
}

/** What a non-text node counts as for quotes: a tag is invisible (`<em>"x"</em>`), code or math is a word. */
function standIn(node: Node): string {
  return node.type === 'html' ? '' : 'x'
}

function dashesAndEllipses(value: string): string {
  return value.replace(/---/g, '\u2014').replace(/--/g, '\u2013').replace(/\.\.\./g, '\u2026')
}
