/**
 * How one cross-reference reads, as mdast: `Figure 1`, `Figures 1–3`, `Figures 1, 3`, `Equation 1, Equations 3, 4`,
 * each number linked to its target. The rules follow pandoc-crossref: consecutive items of one kind, with the same
 * written prefix and the same `-` form, share one word (plural when there are several items); inside that group the
 * numbers are sorted, unresolved ones first; duplicates go; three or more consecutive numbers become a range; a
 * suffix stays with its number and stops a range.
 */
import type {Link, PhrasingContent, Strong, Text} from 'mdast'
import type {} from 'mdast-util-to-hast'
import {toString} from 'mdast-util-to-string'
import type {Position} from 'unist'
import type {CrossReferenceItem} from '../../syntax/types.ts'
import type {CrossrefOptions, PrefixWords} from './options.ts'

export type CrossrefKind = 'fig' | 'tbl' | 'eq' | 'sec' | 'lst'

/** What a label points at. `number` is absent for an unnumbered section, which is then shown by its title. */
export interface CrossrefTarget {
  kind: CrossrefKind
  label: string
  number?: string
  title?: string
}

export interface ResolvedItem {
  item: CrossReferenceItem
  kind: CrossrefKind
  target?: CrossrefTarget
}

const NO_BREAK_SPACE = '\u00A0'

export function prefixWordsOf(kind: CrossrefKind, options: CrossrefOptions): PrefixWords {
  return kind === 'fig' ? options.figPrefix : kind === 'tbl' ? options.tblPrefix : kind === 'eq' ? options.eqnPrefix : kind === 'lst' ? options.lstPrefix : options.secPrefix
}

/** The phrasing a cross-reference renders as; every node is placed at the item it comes from. */
export function renderCrossReference(items: ResolvedItem[], options: CrossrefOptions, sourceFile?: string): PhrasingContent[] {
  const output: PhrasingContent[] = []
  const groups = groupItems(items)
  groups.forEach((group, index) => {
    if (index > 0) output.push(text(', ', group[0].item.position, sourceFile))
    output.push(...renderGroup(group, options, sourceFile))
  })
  return output
}

function groupItems(items: ResolvedItem[]): ResolvedItem[][] {
  const groups: ResolvedItem[][] = []
  for (const resolved of items) {
    const last = groups[groups.length - 1]
    const head = last?.[0]
    if (head && head.kind === resolved.kind && head.item.suppressPrefix === resolved.item.suppressPrefix && affixText(head.item.prefix) === affixText(resolved.item.prefix)) {
      last.push(resolved)
    } else {
      groups.push([resolved])
    }
  }
  return groups
}

/** One entry of a group's number list: an unresolved label, a title, one number, or a range of numbers. */
type Chunk =
  | {type: 'unknown'; resolved: ResolvedItem}
  | {type: 'single'; resolved: ResolvedItem}
  | {type: 'range'; first: ResolvedItem; last: ResolvedItem}

function renderGroup(group: ResolvedItem[], options: CrossrefOptions, sourceFile?: string): PhrasingContent[] {
  const head = group[0]
  const chunks = chunksOf(group)
  const word = wordFor(group, options, sourceFile)
  const output: PhrasingContent[] = []
  const position = head.item.position
  const onlyChunk = chunks.length === 1 ? chunks[0] : undefined
  if (word && onlyChunk?.type === 'single' && options.linkReferences && options.nameInLink && onlyChunk.resolved.target?.number !== undefined) {
    return [link(onlyChunk.resolved, [...word, text(NO_BREAK_SPACE, position, sourceFile), ...numberNodes(onlyChunk.resolved, sourceFile)], sourceFile)]
  }
  if (word) output.push(...word, text(NO_BREAK_SPACE, position, sourceFile))
  chunks.forEach((chunk, index) => {
    if (index > 0) {
      const delimiter = chunks.length === 2 ? options.pairDelim : index === chunks.length - 1 ? options.lastDelim : options.refDelim
      output.push(text(delimiter, chunkPosition(chunk), sourceFile))
    }
    output.push(...renderChunk(chunk, options, sourceFile))
  })
  return output
}

/**
 * No word for `-@fig:a`; the written prefix when there is one (`[*Equation* @eq:a]`, kept as the phrasing it was
 * written as); else the configured word.
 */
function wordFor(group: ResolvedItem[], options: CrossrefOptions, sourceFile?: string): PhrasingContent[] | undefined {
  const head = group[0]
  if (head.item.suppressPrefix) return undefined
  if (head.item.prefix.length > 0) return structuredClone(head.item.prefix)
  // A reference to an unnumbered section reads as the section's title, which needs no word.
  if (group.every((resolved) => resolved.target && resolved.target.number === undefined)) return undefined
  const [singular, plural] = prefixWordsOf(head.kind, options)
  const word = group.length > 1 ? plural : singular
  return [text(head.item.capitalize ? capitalize(word) : word, head.item.position, sourceFile)]
}

function chunksOf(group: ResolvedItem[]): Chunk[] {
  const unknown = group.filter((resolved) => !resolved.target)
  const titled = group.filter((resolved) => resolved.target && resolved.target.number === undefined)
  const numbered = group
    .filter((resolved) => resolved.target?.number !== undefined)
    .sort((a, b) => compareNumbers(a.target!.number!, b.target!.number!))
  const runs: ResolvedItem[][] = []
  for (const resolved of numbered) {
    const run = runs[runs.length - 1]
    const previous = run?.[run.length - 1]
    if (!previous || previous.item.suffix.length > 0 || resolved.item.suffix.length > 0) {
      runs.push([resolved])
    } else if (previous.target!.number === resolved.target!.number) {
      continue
    } else if (follows(previous.target!.number!, resolved.target!.number!)) {
      run.push(resolved)
    } else {
      runs.push([resolved])
    }
  }
  const chunks: Chunk[] = unknown.map((resolved) => ({type: 'unknown', resolved}))
  for (const run of runs) {
    if (run.length >= 3) chunks.push({type: 'range', first: run[0], last: run[run.length - 1]})
    else for (const resolved of run) chunks.push({type: 'single', resolved})
  }
  for (const resolved of titled) chunks.push({type: 'single', resolved})
  return chunks
}

function renderChunk(chunk: Chunk, options: CrossrefOptions, sourceFile?: string): PhrasingContent[] {
  if (chunk.type === 'unknown') {
    const {item} = chunk.resolved
    const unknown: Strong = {
      type: 'strong',
      children: [text(`¿${item.label}?`, item.position, sourceFile)],
      position: item.position,
      data: {hProperties: {className: ['crossref-unknown']}, ...(sourceFile ? {sourceFile} : {})}
    }
    return [unknown, ...suffixNodes(item, sourceFile)]
  }
  if (chunk.type === 'single') return numberNode(chunk.resolved, options, sourceFile)
  return [
    ...numberNode(chunk.first, options, sourceFile),
    text(options.rangeDelim, chunk.last.item.position, sourceFile),
    ...numberNode(chunk.last, options, sourceFile)
  ]
}

function numberNode(resolved: ResolvedItem, options: CrossrefOptions, sourceFile?: string): PhrasingContent[] {
  const shown = numberNodes(resolved, sourceFile)
  return options.linkReferences ? [link(resolved, shown, sourceFile)] : shown
}

/** The number (or an unnumbered section's title) followed by the item's suffix. */
function numberNodes(resolved: ResolvedItem, sourceFile?: string): PhrasingContent[] {
  const shown = resolved.target?.number ?? resolved.target?.title ?? resolved.item.label
  return [text(shown, resolved.item.position, sourceFile), ...suffixNodes(resolved.item, sourceFile)]
}

/**
 * `[@fig:a, *panel b*]` → `1, *panel b*`; `[@eq:1 suffix]` → `2 suffix`: the suffix as the phrasing it was written
 * as, after a space unless it starts with punctuation.
 */
function suffixNodes(item: CrossReferenceItem, sourceFile?: string): PhrasingContent[] {
  if (item.suffix.length === 0) return []
  const nodes = structuredClone(item.suffix)
  return /^[,.;:)\]]/.test(affixText(item.suffix)) ? nodes : [text(' ', item.position, sourceFile), ...nodes]
}

/** A prefix or suffix as plain text: groups share a word when their prefixes read the same. */
function affixText(affix: PhrasingContent[]): string {
  return affix.map((node) => toString(node)).join('')
}

function link(resolved: ResolvedItem, children: PhrasingContent[], sourceFile?: string): Link {
  const position = resolved.item.position
  return {
    type: 'link',
    url: `#${resolved.target?.label ?? resolved.item.label}`,
    // A link inside a link is no HTML: a written link in an affix keeps its text only.
    children: children.flatMap(unlinked),
    position,
    ...(sourceFile ? {data: {sourceFile}} : {})
  }
}

function unlinked(node: PhrasingContent): PhrasingContent[] {
  return node.type === 'link' ? node.children : [node]
}

function text(value: string, position: Position, sourceFile?: string): Text {
  return {type: 'text', value, position, ...(sourceFile ? {data: {sourceFile}} : {})}
}

function chunkPosition(chunk: Chunk): Position {
  return chunk.type === 'range' ? chunk.first.item.position : chunk.resolved.item.position
}

function capitalize(word: string): string {
  return word.charAt(0).toLocaleUpperCase() + word.slice(1)
}

/** Parts of a dotted number (`2.10` → [2, 10]); undefined when a part is not a whole number. */
function parts(number: string): number[] | undefined {
  const split = number.split('.')
  return split.every((part) => /^\d+$/.test(part)) ? split.map(Number) : undefined
}

/** Orders `1 < 2 < 10` and `1.2 < 1.10 < 2`; numbers that are not numeric keep their order. */
export function compareNumbers(a: string, b: string): number {
  const left = parts(a)
  const right = parts(b)
  if (!left || !right) return 0
  for (let index = 0; index < Math.min(left.length, right.length); index++) {
    if (left[index] !== right[index]) return left[index] - right[index]
  }
  return left.length - right.length
}

/** `2` follows `1`; `4.2` follows `4.1`; `5.1` does not follow `4.3`. */
export function follows(previous: string, next: string): boolean {
  const left = parts(previous)
  const right = parts(next)
  if (!left || !right || left.length !== right.length) return false
  const last = left.length - 1
  return left.slice(0, last).every((part, index) => part === right[index]) && right[last] === left[last] + 1
}
