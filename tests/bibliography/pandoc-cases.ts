/**
 * pandoc's citeproc test cases (peers/pandoc/test/command/*.md, read from ../shared, never copied): each holds a
 * `% pandoc …` command line, the Markdown input, `^D`, and pandoc's output. This module runs our citations
 * transform on the same input with the same CSL style and bibliography, and turns both sides into comparable
 * plain-text blocks: paragraphs (with note marks `[^1]`), notes (`[^1]: …`) and bibliography entries.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Element, ElementContent} from 'hast'
import {load as loadYaml} from 'js-yaml'
import type {FootnoteDefinition, Nodes, Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {loadBibliography, prepareCitationStyle} from '../../pipeline/bibliography/index.ts'
import remarkFrontmatter from '../../pipeline/syntax/frontmatter/index.ts'
import {remarkCitation} from '../../pipeline/syntax/citation/index.ts'
import {remarkGfmFootnote} from '../../pipeline/syntax/gfm/index.ts'
import {remarkInlineNote} from '../../pipeline/syntax/inline-note/index.ts'
import type {Citation} from '../../pipeline/syntax/types.ts'
import {citationsTransform, type BibliographyNode, type CitationStats} from '../../pipeline/transforms/citations.ts'
import {corpus} from '../support/project.ts'

export const pandocTests = path.join(corpus, 'peers/pandoc/test')
export const pandocDefaultCsl = path.join(corpus, 'peers/pandoc/data/default.csl')

export interface PandocCase {
  name: string
  args: string[]
  input: string
  /** pandoc's standard output (its stderr lines dropped). */
  expected: string
  /** `plain` or `markdown` (the command's `-t`). */
  format: 'plain' | 'markdown'
}

export function readPandocCase(name: string): PandocCase {
  const text = readFileSync(path.join(pandocTests, 'command', name), 'utf8')
  const lines = text.replace(/^```\n/, '').replace(/\n```\s*$/, '').split('\n')
  const command = lines[0].replace(/^% pandoc\s*/, '')
  const separator = lines.indexOf('^D')
  const args = command.split(/\s+/).filter(Boolean)
  const target = args[args.indexOf('-t') + 1] ?? 'markdown'
  return {
    name,
    args,
    input: lines.slice(1, separator).join('\n'),
    expected: lines
      .slice(separator + 1)
      .filter((line) => !line.startsWith('2> '))
      .join('\n'),
    format: target.startsWith('plain') ? 'plain' : 'markdown'
  }
}

const parser = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfmFootnote).use(remarkInlineNote).use(remarkCitation)

export interface CaseRun {
  tree: Root
  file: VFile
  stats: CitationStats
  blocks: string[]
}

/** Run our transform on the case's input, with its CSL file and bibliography. */
export function runPandocCase(testCase: PandocCase): CaseRun {
  const tree = parser.parse(testCase.input) as Root
  const file = new VFile({path: testCase.name})
  let metadata: Record<string, unknown> = {}
  if (tree.children[0]?.type === 'yaml') {
    metadata = (loadYaml(tree.children[0].value) ?? {}) as Record<string, unknown>
    tree.children.shift()
  }
  const option = (name: string): string | undefined => {
    const index = testCase.args.indexOf(name)
    return index === -1 ? undefined : testCase.args[index + 1]
  }
  const bibliographies = [metadata.bibliography ?? [], option('--bibliography') ?? []].flat() as string[]
  const bibliography = loadBibliography(
    bibliographies.map((name) => path.join(pandocTests, name)),
    {file, readFile: (target) => readFileSync(target, 'utf8'), references: metadata.references}
  )
  const cslName = (metadata.csl as string | undefined) ?? option('--csl')
  const cslPath = cslName ? path.join(pandocTests, cslName) : pandocDefaultCsl
  const style = prepareCitationStyle(readFileSync(cslPath, 'utf8'), cslPath)
  const nocite = typeof metadata.nocite === 'string' ? [...metadata.nocite.matchAll(/@([^\s,;\]]+)/g)].map((match) => ({key: match[1]})) : undefined
  const stats = citationsTransform(tree, file, {
    items: bibliography.items,
    style,
    nocite,
    suppressBibliography: metadata['suppress-bibliography'] === true
  })
  return {tree, file, stats, blocks: blocksOfTree(tree, testCase.format)}
}

// ---------------------------------------------------------------------------------------------------------------
// Our tree → blocks

export function hastToString(node: ElementContent): string {
  if (node.type === 'text') return node.value
  // A bibliography entry's number column (`csl-left-margin`) is set apart from its text.
  if (node.type === 'element') return node.children.map(hastToString).join('') + (node.tagName === 'div' ? ' ' : '')
  return ''
}

function blocksOfTree(tree: Root, format: 'plain' | 'markdown'): string[] {
  const definitions = new Map<string, FootnoteDefinition>()
  for (const child of tree.children) if (child.type === 'footnoteDefinition') definitions.set(child.identifier.toLowerCase(), child)
  const noteNumbers = new Map<string, number>()
  const mark = (number: number): string => (format === 'plain' ? `[${number}]` : `[^${number}]`)
  const inline = (node: Nodes): string => {
    if (node.type === 'text' || node.type === 'inlineCode') return node.value
    if (node.type === 'footnoteReference') {
      const key = node.identifier.toLowerCase()
      if (!noteNumbers.has(key)) noteNumbers.set(key, noteNumbers.size + 1)
      return mark(noteNumbers.get(key)!)
    }
    if ((node.type as string) === 'citation') {
      const citation = node as unknown as Citation
      const children = (citation.data?.hChildren ?? []) as ElementContent[]
      return children.map((child) => hastToString(child)).join('')
    }
    if ('children' in node) return (node.children as Nodes[]).map(inline).join('')
    return ''
  }
  const blocks: string[] = []
  const main: string[] = []
  for (const child of tree.children as Nodes[]) {
    if (child.type === 'footnoteDefinition') continue
    if ((child.type as string) === 'bibliography') {
      for (const entry of ((child as unknown as BibliographyNode).data.hChildren ?? []) as Element[]) main.push(normalize(hastToString(entry)))
      continue
    }
    if (child.type === 'heading') {
      main.push(normalize(inline(child).replace(/\s*\{[^}]*\}\s*$/, '')))
      continue
    }
    main.push(normalize(inline(child)))
  }
  blocks.push(...main.filter(Boolean))
  // Notes in the order of their marks; a note's own notes (none in these cases) are not numbered.
  const notes = [...noteNumbers.entries()].sort((a, b) => a[1] - b[1])
  for (const [identifier, number] of notes) {
    const definition = definitions.get(identifier)
    if (!definition) continue
    const text = definition.children.map((child) => inline(child as Nodes)).join(' ')
    blocks.push(normalize(`${mark(number)}${format === 'plain' ? ' ' : ': '}${text}`))
  }
  return blocks
}

// ---------------------------------------------------------------------------------------------------------------
// pandoc's output → blocks

/** pandoc's Markdown or plain output as blocks: paragraphs, headings (text only), bibliography entries, notes. */
export function blocksOfPandocOutput(output: string): string[] {
  const blocks: string[] = []
  let current: string[] = []
  const flush = (): void => {
    if (current.length > 0) blocks.push(normalize(markdownToText(current.join(' '))))
    current = []
  }
  for (const line of output.split('\n')) {
    if (/^:{3,}/.test(line)) {
      // Fenced div lines (`::: {#ref-item1 .csl-entry}`, `:::`) delimit bibliography entries.
      flush()
      continue
    }
    if (line.trim() === '') {
      flush()
      continue
    }
    if (/^\[\^?\d+\]/.test(line)) flush()
    // Headings count by their text (attributes dropped).
    current.push(/^#+\s/.test(line) ? line.replace(/^#+\s+/, '').replace(/\s*\{[#.][^}]*\}$/, '') : line.trim())
  }
  flush()
  return blocks.filter(Boolean)
}

function markdownToText(markdown: string): string {
  let text = markdown
    .replace(/\\\[/g, '\u0001')
    .replace(/\\\]/g, '\u0002')
    .replace(/\\\*/g, '\u0003')
  // `[text](#ref-x)` links and `[text]{.csl-left-margin}` spans keep their text.
  for (let previous = ''; previous !== text; ) {
    previous = text
    text = text.replace(/\[([^[\]]*)\](?:\(#[^)]*\)|\{[^}]*\})/g, '$1')
  }
  return text
    .replace(/<(https?:[^>]+)>/g, '$1')
    .replace(/\*/g, '')
    .replace(/\u0001/g, '[')
    .replace(/\u0002/g, ']')
    .replace(/\u0003/g, '*')
    .replace(/\\(.)/g, '$1')
    .replace(/---/g, '\u2014')
    .replace(/--/g, '\u2013')
}

/** White space collapsed; curly quotes straightened (pandoc's Markdown writer writes straight ones). */
export function normalize(text: string): string {
  return text
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

export interface BlockDifference {
  expected?: string
  actual?: string
}

/** Block-by-block differences (in order); an empty list means the case matches exactly. */
export function compareBlocks(expected: string[], actual: string[]): BlockDifference[] {
  const differences: BlockDifference[] = []
  for (let index = 0; index < Math.max(expected.length, actual.length); index++) {
    if (expected[index] !== actual[index]) differences.push({expected: expected[index], actual: actual[index]})
  }
  return differences
}
