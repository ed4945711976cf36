/**
 * Word's own numbering and cross-references: each label (figure, table, equation, section, span, div) gets a
 * bookmark; a caption's number is a `SEQ` field and a cross-reference a `REF` field to the bookmark around that
 * number, each with its number already written (the cached result), so the file opens showing the numbers the HTML
 * shows and Word's "Update fields" keeps them right after edits.
 */
import type {Heading, Root} from 'mdast'
import type {Figure, HeadingData, MathData, Span, Div} from '../../syntax/types.ts'
import {walk} from '../../syntax/walk.ts'
import {escapeXml, runXml} from './xml.ts'

export interface LabelTarget {
  /** The bookmark's name (Word allows letters, digits and `_`, at most 40 characters, starting with a letter). */
  bookmark: string
  /** What the bookmark holds: the number (`1`, `2.1`), or for an unnumbered target nothing. */
  number?: string
}

/** Every label of the document, each with its bookmark; bookmark ids counted in order. */
export class Bookmarks {
  readonly targets = new Map<string, LabelTarget>()
  private readonly names = new Set<string>()
  private nextId = 1
  private readonly placed = new Set<string>()

  /** Finds every label in the tree (in document order, so names are the same on every build). */
  static of(tree: Root): Bookmarks {
    const bookmarks = new Bookmarks()
    walk(tree, (node, _index, parent) => {
      if (node.type === 'heading') {
        const data = ((node as Heading).data ?? {}) as HeadingData
        if (data.id) bookmarks.add(data.id, data.unnumbered ? undefined : data.number)
      } else if (node.type === 'figure') {
        const figure = node as Figure
        // A subfigure's caption shows its letter, not the number a reference shows (`2a`): a reference to it is text.
        if (figure.identifier && parent?.type !== 'figure') bookmarks.add(figure.identifier, figure.number)
      } else if (node.type === 'math' || node.type === 'inlineMath') {
        const data = (node.data ?? {}) as MathData
        if (data.id) bookmarks.add(data.id, data.number)
      } else if (node.type === 'span' || node.type === 'div') {
        const identifier = (node as Span | Div).identifier
        if (identifier) bookmarks.add(identifier, undefined)
      }
    })
    return bookmarks
  }

  add(label: string, number: string | undefined): void {
    if (this.targets.has(label)) return
    this.targets.set(label, {bookmark: this.uniqueName(label), number})
  }

  /** `fig:locations` → `fig_locations`; a long or clashing name is shortened and given a number. */
  private uniqueName(label: string): string {
    let base = label.replace(/[^A-Za-z0-9_]/g, '_')
    if (!/^[A-Za-z]/.test(base)) base = `x${base}`
    let name = base.slice(0, 40)
    for (let count = 2; this.names.has(name); count++) name = `${base.slice(0, 40 - String(count).length - 1)}_${count}`
    this.names.add(name)
    return name
  }

  /** `<w:bookmarkStart>` … `<w:bookmarkEnd>` around some XML. */
  around(label: string, inner: string): string {
    const [start, end] = this.ends(label)
    return start + inner + end
  }

  /** The bookmark's start and end, to put around content written apart from them (nothing for an unknown label). */
  ends(label: string): [string, string] {
    const target = this.targets.get(label)
    // A label used twice is bookmarked once (Word keeps one bookmark of a name).
    if (!target || this.placed.has(label)) return ['', '']
    this.placed.add(label)
    const id = this.nextId++
    return [`<w:bookmarkStart w:id="${id}" w:name="${target.bookmark}"/>`, `<w:bookmarkEnd w:id="${id}"/>`]
  }
}

/** A complex field: its instruction and its cached result (runs as XML). */
export function fieldXml(instruction: string, result: string, properties = ''): string {
  return (
    `<w:r>${properties}<w:fldChar w:fldCharType="begin"/></w:r>` +
    `<w:r>${properties}<w:instrText xml:space="preserve"> ${escapeXml(instruction)} </w:instrText></w:r>` +
    `<w:r>${properties}<w:fldChar w:fldCharType="separate"/></w:r>` +
    result +
    `<w:r>${properties}<w:fldChar w:fldCharType="end"/></w:r>`
  )
}

/**
 * A caption's number: a `SEQ Figure` (or `Table`, `Equation`) field when the number is a plain count, its text
 * otherwise (chapter numbers `6.3` and subfigure letters, which SEQ alone cannot make).
 */
export function sequenceXml(sequence: string, number: string, properties = ''): string {
  if (!/^\d+$/.test(number)) return runXml(number, properties)
  return fieldXml(`SEQ ${sequence} \\* ARABIC`, runXml(number, properties), properties)
}

/** A cross-reference to a label: `REF bookmark \h` showing what the bookmark holds. */
export function referenceXml(target: LabelTarget, shown: string, properties = ''): string {
  return fieldXml(`REF ${target.bookmark} \\h`, runXml(shown, properties), properties)
}
