/**
 * What the pipeline keeps in memory between builds of one project: the memos and caches that make a rebuild cheap
 * (parsed trees, formatted citations, typeset formulas, hyphenated words…). One session per project: a watch session
 * keeps one for its life, a one-off build makes its own, and tests make theirs, so two projects in one process never
 * share or leak state. Module-level state is kept for what never depends on a project (a loaded library, a shipped
 * file's index).
 *
 * Each area owns the fields it needs; what is on disk between processes is the derived cache (derived-cache.ts).
 */
export class ProjectSession {
  /** Whether builds in this session come one after another (watch mode): memos keep what a next build reuses. */
  readonly keepsBuilds: boolean

  /**
   * The last hyphenation of the page to print, by text (hyphenate.ts): a rebuild hyphenates only the text that
   * changed. Replaced at each hyphenation, so it holds one page's text.
   */
  hyphenated: {lang: string; results: Map<string, string>} = {lang: '', results: new Map()}

  constructor(options: {keepsBuilds?: boolean} = {}) {
    this.keepsBuilds = options.keepsBuilds ?? false
  }
}
