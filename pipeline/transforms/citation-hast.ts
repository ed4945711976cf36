/**
 * citeproc's HTML (a citation, a bibliography entry) as hast. Parsing HTML is a good part of formatting a long
 * manuscript's citations, so what is parsed is kept: in the project's session (a watch rebuild meets the same few
 * hundred strings again) and in the derived cache (a fresh process building unchanged citations parses none).
 */
import type {ElementContent, Nodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {DerivedCache} from '../graph/derived-cache.ts'
import {TextMemo} from '../syntax/text-memo.ts'

type Stored = Record<string, ElementContent[]>

const slot = 'citation-hast'

export class CitationHast {
  private stored: Stored | undefined
  /** What this build used, by HTML: what the derived cache keeps for the next build. */
  private readonly used = new Map<string, ElementContent[]>()
  private parsedAny = false

  constructor(
    private readonly memo: TextMemo<ElementContent[]> = new TextMemo<ElementContent[]>(undefined, 10_000),
    private readonly cache?: DerivedCache
  ) {}

  /** A fresh copy each time: the caller's tree is changed later (capitalised, wrapped), the kept one must not be. */
  of(html: string): ElementContent[] {
    if (!html) return []
    let parsed = this.used.get(html) ?? this.memo.peek(html)
    if (!parsed) {
      this.stored ??= (this.cache?.enabled ? this.cache.read<Stored>(slot, this.cache.hash(slot)) : undefined) ?? {}
      parsed = Object.hasOwn(this.stored, html) ? this.stored[html] : undefined
    }
    if (!parsed) {
      this.parsedAny = true
      parsed = parseHtml(html)
    }
    this.used.set(html, parsed)
    this.memo.set(html, parsed)
    return copy(parsed)
  }

  /** Keeps what this build used in the derived cache, when it parsed anything (else the stored entries are those). */
  save(): void {
    if (!this.cache?.enabled || !this.parsedAny) return
    this.cache.write(slot, this.cache.hash(slot), Object.fromEntries(this.used))
  }
}

/** The HTML's elements and text; positions (in citeproc's string, not in any file) are left out. */
function parseHtml(html: string): ElementContent[] {
  const children = fromHtml(html, {fragment: true}).children.filter((child): child is ElementContent => child.type === 'element' || child.type === 'text')
  return children.map(withoutPositions)
}

function withoutPositions<Node extends Nodes>(node: Node): Node {
  delete node.position
  if ('children' in node) node.children.forEach(withoutPositions)
  return node
}

/** A deep copy of plain data (hast is), several times faster than structuredClone. */
function copy<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(copy) as T
  const result: Record<string, unknown> = {}
  for (const key in value) result[key] = copy((value as Record<string, unknown>)[key])
  return result as T
}
