/**
 * The blocks of the last build's body as converted to hast and written as HTML, kept by a watch session so that a
 * rebuild converts and writes only the blocks that changed. A save changes a paragraph or two of a book; converting
 * and writing its other thousand blocks again was a third of a rebuild.
 *
 * A block is reused only when it is the same as the one converted last time, compared in full (every field of every
 * node, positions and the data the transforms put on it), and when what it took from the conversion's running state
 * is the same too: the numbers its note calls get (the notes before it decide them), and its formulas' HTML (their
 * TeX's alone while no formula has defined a macro). A block whose conversion depends on anything else (a formula
 * after a macro definition, an inline note made into a note there, a reference to a link definition elsewhere, a
 * Plain paragraph or a table of contents that a pass rewrites afterwards) or that reported something is never
 * kept. So a kept block's hast and HTML are exactly what converting it again gives.
 */
import type {ElementContent, RootContent} from 'hast'
import type {RootContent as MdastContent} from 'mdast'
import type {Point, Position} from 'unist'

/** A note call of a block: which note, its number, and which call to that note it is (1 for the first). */
export interface NoteCall {
  id: string
  number: number
  call: number
}

interface RenderedBlock {
  node: MdastContent
  hast: ElementContent | ElementContent[]
  calls: NoteCall[]
  /** Its formulas, typeset from their TeX alone (no formula before them had defined a macro). */
  formulas: Formula[]
}

/** A formula's TeX and whether it is displayed. */
export type Formula = [tex: string, display: boolean]

/** A block of the body, or a note's content (converted by the notes section, after the body). */
export type BlockRole = 'body' | 'note'

/** An element of the page as written: its HTML, and that HTML's UTF-8 bytes once asked for. */
export interface WrittenHtml {
  html: string
  bytes?: Buffer
}

interface WrittenElement {
  node: RootContent
  written: WrittenHtml
}

/** What the note calls' numbering has given out so far (mdast-util-to-hast's footnoteOrder and footnoteCounts). */
export interface NoteNumbering {
  footnoteOrder: string[]
  footnoteCounts: Map<string, number>
}

export class RenderedBlocks {
  /** The blocks of the last conversion by place (see placeOf), in document order where a place repeats. */
  private last = new Map<string, (RenderedBlock | undefined)[]>()
  private next = new Map<string, (RenderedBlock | undefined)[]>()
  /** How many blocks of each place this conversion has met (a file included twice puts its blocks at two places). */
  private met = new Map<string, number>()
  /** The HTML of the last page's top-level body elements, by element, and by what they are (see elementKey). */
  private lastHtml = new Map<RootContent, WrittenHtml>()
  private nextHtml = new Map<RootContent, WrittenHtml>()
  private lastWritten = new Map<string, WrittenElement[]>()
  private nextWritten = new Map<string, WrittenElement[]>()
  private metWritten = new Map<string, number>()
  /** What holdsReferences found of each element. */
  private readonly referencesHeld = new WeakMap<RootContent, boolean>()
  /** What the kept blocks were converted with (the page's labels): other settings convert them afresh. */
  private settings = ''

  /** A conversion starts, with these settings. */
  start(settings: string): void {
    if (settings !== this.settings) {
      this.last.clear()
      this.lastHtml.clear()
      this.lastWritten.clear()
      this.settings = settings
    }
    this.next = new Map()
    this.met = new Map()
    // (What a page left half written had set down is dropped.)
    this.nextHtml = new Map()
    this.nextWritten = new Map()
    this.metWritten = new Map()
  }

  /**
   * The hast of `node` as the last conversion made it, when `node` is the same and its note calls get the same
   * numbers now; their numbering is then taken as the conversion would take it.
   */
  reuse(node: MdastContent, role: BlockRole, numbering: NoteNumbering, mathPure: boolean): Pick<RenderedBlock, 'hast' | 'formulas'> | undefined {
    const place = placeOf(node, role)
    const index = this.met.get(place) ?? 0
    this.met.set(place, index + 1)
    const kept = this.last.get(place)?.[index]
    if (!kept || (kept.formulas.length > 0 && !mathPure) || !sameNode(kept.node, node) || !sameCalls(kept.calls, numbering)) return undefined
    for (const call of kept.calls) {
      if (!numbering.footnoteCounts.has(call.id)) numbering.footnoteOrder.push(call.id)
      numbering.footnoteCounts.set(call.id, call.call)
    }
    this.keep(place, kept)
    return kept
  }

  /**
   * A block converted afresh, kept for the next conversion with its note calls in order; `hast` undefined: one that
   * cannot be kept (it holds its place, so that a file included twice pairs its blocks in order).
   */
  converted(node: MdastContent, role: BlockRole, hast: ElementContent | ElementContent[] | undefined, calls: NoteCall[], formulas: Formula[]): void {
    this.keep(placeOf(node, role), hast ? {node, hast, calls, formulas} : undefined)
  }

  /** The conversion is done: what it kept replaces what the last one kept. */
  finish(): void {
    this.last = this.next
    this.next = new Map()
  }

  /**
   * The HTML of a top-level element of the body: as written last time when it is the element written then (a kept
   * block), or the same as the one written then in its place (the notes section, made anew by each conversion).
   */
  html(node: RootContent & {type: 'element'}, write: (node: RootContent) => string): WrittenHtml {
    const key = elementKey(node)
    const index = this.metWritten.get(key) ?? 0
    this.metWritten.set(key, index + 1)
    let written = this.lastHtml.get(node)
    if (written === undefined) {
      const previous = this.lastWritten.get(key)?.[index]
      written = previous && sameNode(previous.node, node) ? previous.written : {html: write(node)}
    }
    this.nextHtml.set(node, written)
    const list = this.nextWritten.get(key)
    if (list) list.push({node, written})
    else this.nextWritten.set(key, [{node, written}])
    return written
  }

  /** The page is written: the HTML of its elements replaces the last page's. */
  written(): void {
    this.lastHtml = this.nextHtml
    this.nextHtml = new Map()
    this.lastWritten = this.nextWritten
    this.nextWritten = new Map()
    this.metWritten = new Map()
  }

  /**
   * Whether a top-level element of the page holds the references (`search` looks through it), kept with the
   * element: a kept block's hast is the same object from one conversion to the next, and is not changed once converted.
   */
  holdsReferences(node: RootContent, search: (node: RootContent) => boolean): boolean {
    let holds = this.referencesHeld.get(node)
    if (holds === undefined) {
      holds = search(node)
      this.referencesHeld.set(node, holds)
    }
    return holds
  }

  private keep(place: string, block: RenderedBlock | undefined): void {
    const list = this.next.get(place)
    if (list) list.push(block)
    else this.next.set(place, [block])
  }
}

/**
 * Where a block was written: its type, file and offset (blocks made by a transform, without them, pair in their
 * order). Only pairs a block with the one to compare it with: what decides is the comparison.
 */
function placeOf(node: MdastContent, role: BlockRole): string {
  const sourceFile = (node.data as {sourceFile?: string} | undefined)?.sourceFile ?? ''
  return `${role}\u0000${node.type}\u0000${sourceFile}\u0000${node.position?.start.offset ?? ''}`
}

/** What a top-level element of the page is, to pair it with the last page's: its tag, id and classes. */
function elementKey(node: RootContent & {type: 'element'}): string {
  const {id, className} = node.properties
  return `${node.tagName}\u0000${String(id ?? '')}\u0000${Array.isArray(className) ? className.join(' ') : String(className ?? '')}`
}

/**
 * Whether the calls would get the numbers they got, given the numbering so far (which is not changed): as
 * mdast-util-to-hast numbers them, a note gets the next number at its first call, and each call counts its note's calls.
 */
function sameCalls(calls: NoteCall[], numbering: NoteNumbering): boolean {
  const added: string[] = []
  const counts = new Map<string, number>()
  for (const call of calls) {
    const before = counts.get(call.id) ?? numbering.footnoteCounts.get(call.id)
    let number: number
    if (numbering.footnoteCounts.has(call.id)) number = numbering.footnoteOrder.indexOf(call.id) + 1
    else {
      if (!added.includes(call.id)) added.push(call.id)
      number = numbering.footnoteOrder.length + added.indexOf(call.id) + 1
    }
    const count = (before ?? 0) + 1
    if (number !== call.number || count !== call.call) return false
    counts.set(call.id, count)
  }
  return true
}

/**
 * Deep equality of two trees' plain data (objects, arrays, strings, numbers, booleans, null, undefined). Runs over
 * every block of a book on each rebuild: what the two trees share is not walked, and positions are compared as
 * the points they are.
 */
export function sameNode(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false
    for (let index = 0; index < a.length; index++) if (a[index] !== b[index] && !sameNode(a[index], b[index])) return false
    return true
  }
  // Plain objects only: two Maps (or other instances) have no fields to compare, and are the same only if one.
  const prototype = Object.getPrototypeOf(a)
  if (Array.isArray(b) || (prototype !== Object.prototype && prototype !== null) || Object.getPrototypeOf(b) !== prototype) return false
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  for (const key in left) {
    const x = left[key]
    const y = right[key]
    if (x === y) {
      if (x === undefined && !(key in right)) return false
    } else if (key === 'position' ? !samePosition(x, y) : !sameNode(x, y)) return false
  }
  for (const key in right) if (!(key in left)) return false
  return true
}

/**
 * A unist position, by where it starts and ends (line, column, offset): what a conversion takes of it (hast keeps
 * those alone, unist-util-position).
 */
function samePosition(a: unknown, b: unknown): boolean {
  const x = a as Position | undefined
  const y = b as Position | undefined
  if (!x || !y || typeof x !== 'object' || typeof y !== 'object') return sameNode(a, b)
  return samePoint(x.start, y.start) && samePoint(x.end, y.end)
}

function samePoint(a: Point | undefined, b: Point | undefined): boolean {
  if (!a || !b) return a === b
  return a.line === b.line && a.column === b.column && a.offset === b.offset
}
