/**
 * The text of a CSL YAML reference (a `.yaml` bibliography, or `references:` in the front matter) as pandoc reads
 * it: every string is Markdown, read with the project's own parser and smart punctuation (`*Library Quarterly*` is
 * italic, `100--600` has an en dash, `\[u.a.\]` is `[u.a.]`, `it's` has ’), then written in citeproc-js's markup
 * for rich text (`<i>`, `<b>`, `<sup>`, `<sub>`, small caps and `nocase` spans). Fields that are identifiers (`id`,
 * `DOI`, `URL`, …) and name parts get the plain text of the same reading, as pandoc takes their text.
 *
 * CSL JSON is not read this way: pandoc reads its strings as citeproc's HTML-like markup, which citeproc-js reads
 * as it is.
 */
import type {Nodes, Paragraph, Root} from 'mdast'
import {parseText} from '../syntax/parse.ts'
import type {Span} from '../syntax/types.ts'
import {attributesTransform} from '../transforms/attributes.ts'
import {smartPunctuationTransform} from '../transforms/smart-punctuation.ts'

/**
 * A string with none of these is the same text after reading it as Markdown: no emphasis, escapes, spans, code,
 * raw HTML, entities or citations (`*_\`\\[]<>~^$@&`), no quotes, dashes, ellipses or abbreviations for smart
 * punctuation, no block markers (`#`, `>`, `-`, `+`, `|`, `:`, list numbers), no line breaks.
 */
const mayBeMarkdown = /[*_`\\[\]<>~^$@&'"#|{}!]|--|\.|^\s*[-+:=]|\n/

/** A field's Markdown as citeproc-js markup. */
export function markdownFieldToCsl(text: string): string {
  if (!mayBeMarkdown.test(text)) return text
  const inlines = inlinesOf(text)
  return inlines ? inlines.map((node) => toCsl(node, text)).join('') : text
}

/** A field's Markdown as plain text (identifiers, name parts): `timmory\_\_justice` is `timmory__justice`. */
export function markdownFieldToText(text: string): string {
  if (!mayBeMarkdown.test(text)) return text
  const inlines = inlinesOf(text)
  return inlines ? inlines.map((node) => toText(node, text)).join('') : text
}

/**
 * The inlines of a text that reads as one paragraph, smart punctuation applied; `undefined` for text that reads as
 * other blocks (a heading, a list: `1. Introduction`), which is then taken as written.
 */
function inlinesOf(text: string): Nodes[] | undefined {
  const tree: Root = parseText(text, '')
  const [paragraph] = tree.children
  if (tree.children.length !== 1 || paragraph.type !== 'paragraph') return undefined
  attributesTransform(tree, undefined, {leftovers: 'text'})
  smartPunctuationTransform(tree)
  return (paragraph as Paragraph).children
}

const tags: Record<string, [string, string]> = {
  emphasis: ['<i>', '</i>'],
  strong: ['<b>', '</b>'],
  superscript: ['<sup>', '</sup>'],
  subscript: ['<sub>', '</sub>']
}

function toCsl(node: Nodes, source: string): string {
  const tag = tags[node.type]
  if (tag) return tag[0] + childrenOf(node).map((child) => toCsl(child, source)).join('') + tag[1]
  if ((node.type as string) === 'span') {
    const inner = childrenOf(node).map((child) => toCsl(child, source)).join('')
    const {classes} = node as unknown as Span
    if (classes.includes('nocase')) return `<span class="nocase">${inner}</span>`
    if (classes.includes('smallcaps')) return `<span style="font-variant:small-caps;">${inner}</span>`
    return inner
  }
  // Raw HTML (`<i>`) is citeproc-js's own markup where it knows the tag, as pandoc keeps it.
  if (node.type === 'html') return node.value
  return toText(node, source)
}

/** What a node reads as without formatting: links by their text, code and math as written, citations as `@key`. */
function toText(node: Nodes, source: string): string {
  if (node.type === 'text' || node.type === 'inlineCode' || node.type === 'html') return node.value
  if (node.type === 'break') return ' '
  if ((node.type as string) === 'citation' || node.type === 'inlineMath') {
    const {start, end} = node.position ?? {}
    return start?.offset !== undefined && end?.offset !== undefined ? source.slice(start.offset, end.offset) : ''
  }
  if (node.type === 'footnoteReference' || (node.type as string) === 'inlineNote') return ''
  return childrenOf(node).map((child) => toText(child, source)).join('')
}

function childrenOf(node: Nodes): Nodes[] {
  return 'children' in node ? (node.children as Nodes[]) : []
}
