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
 * punctuation (a word's `.` before a space may be an abbreviation such as `Dr.`), no block markers (`#`, `>`, `-`,
 * `+`, `|`, `:`, list numbers), no line breaks.
 */
const mayBeMarkdown = /[*_`\\[\]<>~^$@&'"#|{}!]|--|\.\.\.|\p{L}\.\s|^\s*([-+:=]|\d+[.)])|\n/u

export interface MarkdownField {
  text: string
  /** Read for its plain text (an identifier, a name part) rather than as citeproc-js markup. */
  plain: boolean
}

/**
 * The readings of many fields at once: the fields that may hold Markdown are parsed as one text, a paragraph each
 * (one parse of a whole bibliography is many times faster than one per field). A field that does not read as exactly
 * one paragraph (a heading, a list: `1. Introduction`, or blank lines) is taken as written.
 */
export function readMarkdownFields(fields: readonly MarkdownField[]): string[] {
  const readings = fields.map((field) => field.text)
  const parsed: {index: number; start: number; end: number}[] = []
  let source = ''
  fields.forEach((field, index) => {
    if (!mayBeMarkdown.test(field.text)) return
    if (source) source += '\n\n'
    parsed.push({index, start: source.length, end: source.length + field.text.length})
    source += field.text
  })
  if (parsed.length === 0) return readings
  const tree: Root = parseText(source, '')
  attributesTransform(tree, undefined, {leftovers: 'text'})
  smartPunctuationTransform(tree)
  // Each top-level block belongs to the field its start lies in.
  const blocks = new Map<number, Nodes[]>()
  let field = 0
  for (const block of tree.children) {
    const offset = block.position?.start.offset ?? -1
    while (field < parsed.length && offset >= parsed[field].end) field++
    if (field === parsed.length || offset < parsed[field].start) continue
    blocks.set(field, [...(blocks.get(field) ?? []), block])
  }
  parsed.forEach(({index}, order) => {
    const [paragraph, ...rest] = blocks.get(order) ?? []
    if (paragraph?.type !== 'paragraph' || rest.length > 0) return
    const convert = fields[index].plain ? toText : toCsl
    readings[index] = (paragraph as Paragraph).children.map((node) => convert(node, source)).join('')
  })
  return readings
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
