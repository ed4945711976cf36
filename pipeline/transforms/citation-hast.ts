/**
 * citeproc's HTML (a citation, a bibliography entry) as hast. Parsing HTML is a good part of formatting a long
 * manuscript's citations, so what is parsed is kept: in the project's session (a watch rebuild meets the same few
 * hundred strings again) and in the derived cache (a fresh process building unchanged citations parses none).
 */
import type {ElementContent, Root} from 'hast'
import {fromParse5} from 'hast-util-from-parse5'
import {parseFragment} from 'parse5'
import type {DerivedCache} from '../graph/derived-cache.ts'
import {StoredTextMemo, TextMemo} from '../syntax/text-memo.ts'
import {cloneTree} from '../syntax/clone-tree.ts'

export class CitationHast {
  private readonly kept: StoredTextMemo<ElementContent[]>

  constructor(memo: TextMemo<ElementContent[]> = new TextMemo<ElementContent[]>(undefined, 10_000), cache?: DerivedCache) {
    this.kept = new StoredTextMemo(memo, cache, 'citation-hast')
  }

  /** A fresh copy each time: the caller's tree is changed later (capitalised, wrapped), the kept one must not be. */
  of(html: string): ElementContent[] {
    return html ? cloneTree(this.kept.get(html, parseHtml)) : []
  }

  /** Keeps what this build used in the derived cache (when it parsed anything). */
  save(): void {
    this.kept.save()
  }
}

/**
 * The HTML's elements and text, without positions (they would be in citeproc's string, not in any file): parse5 is
 * not asked for locations, which took a third of the time of parsing a book's citations and bibliography.
 */
function parseHtml(html: string): ElementContent[] {
  const root = fromParse5(parseFragment(html)) as Root
  return root.children.filter((child): child is ElementContent => child.type === 'element' || child.type === 'text')
}
