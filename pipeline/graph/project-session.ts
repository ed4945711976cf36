/**
 * What the pipeline keeps in memory between builds of one project: the memos and caches that make a rebuild cheap
 * (parsed trees, formatted citations, typeset formulas, hyphenated words…). One session per project: a watch session
 * keeps one for its life, a one-off build makes its own, and tests make theirs, so two projects in one process never
 * share or leak state. Module-level state is kept for what never depends on a project (a loaded library, a shipped
 * file's index).
 *
 * Each area owns the fields it needs; what is on disk between processes is the derived cache (derived-cache.ts).
 */
import type {ElementContent} from 'hast'
import {ParseMemory} from '../syntax/parse-memory.ts'
import {TextMemo} from '../syntax/text-memo.ts'

export class ProjectSession {
  /** Whether builds in this session come one after another (watch mode): memos keep what a next build reuses. */
  readonly keepsBuilds: boolean

  constructor(options: {keepsBuilds?: boolean} = {}) {
    this.keepsBuilds = options.keepsBuilds ?? false
  }

  // --- Parsing, transforms and rendering (syntax/parse.ts, transforms/, render/math.ts) ---

  /** Parsed trees of the latest texts: a watch rebuild re-parses only the file that changed (kept when keepsBuilds). */
  readonly parsing = new ParseMemory()
  /** Smart punctuation of a paragraph's text, by text: a rebuild educates only the paragraphs that changed. */
  readonly educatedText = new TextMemo<string>()
  /** citeproc's HTML of citations and entries parsed to hast, by HTML: a rebuild meets the same few hundred strings. */
  readonly citationHast = new TextMemo<ElementContent[]>(undefined, 10_000)
  /** KaTeX's HTML of a formula, by display mode and TeX (formulas that define no macro): typesetting is slow. A few KB each: 5,000 a generation. */
  readonly typesetFormulas = new TextMemo<string>(undefined, 5_000)

  /** The session ends: trees re-parsed around edits go to the disk cache, and what was kept is let go. */
  close(): void {
    this.parsing.close()
  }
}
