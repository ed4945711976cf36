import type {BibtexMemo, ParsedBibtex} from '../bibliography/bibtex.ts'
import type {BibtexSourcesMemo} from '../bibliography/cited-bibliography.ts'
import type {CslItem} from '../bibliography/csl-item.ts'
import type {CiteprocHost, Formatting} from '../bibliography/engine.ts'
import type {AssembledBibliography} from '../bibliography/load.ts'
import type {StyleMemo} from '../bibliography/style.ts'
import type {ElementContent} from 'hast'
import {ParseMemory} from '../syntax/parse-memory.ts'
import type {UnusedEntryReports} from '../transforms/citations.ts'
import type {PlaceholderMemo} from '../check/placeholders.ts'
import {RenderedBlocks} from '../render/rendered-blocks.ts'
import {FileReads} from './file-reads.ts'
import {TextMemo} from '../syntax/text-memo.ts'

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

  // Reading (graph/project-files.ts).
  /** The files the last build read: a rebuild does not read, hash and decode again a file that provably did not change. */
  readonly fileReads = new FileReads()

  // Printing (render/hyphenate.ts).
  /**
   * The last hyphenation of the page to print, by text (hyphenate.ts): a rebuild hyphenates only the text that
   * changed. Replaced at each hyphenation, so it holds one page's text.
   */
  hyphenated: {lang: string; results: Map<string, string>} = {lang: '', results: new Map()}

  // Bibliography (pipeline/bibliography/*).
  /**
   * Where citeproc-js engines are built and format (engine.ts): compiling a style costs more than formatting a
   * manuscript, so engines are kept for the session. Made on first need.
   */
  citeprocHost?: CiteprocHost
  /** The JSON of each loaded (frozen) list of bibliography items, part of what a formatting is kept by (engine.ts). */
  readonly citationItemsJson = new WeakMap<Iterable<CslItem>, string>()
  /** The last formatting per style and locale: a rebuild whose citations did not change formats nothing (engine.ts). */
  readonly citationFormatting = new Map<string, Formatting>()
  /** The last few `.bib` files read and converted: a watch rebuild reads the same file again (bibtex.ts). */
  readonly bibtex: BibtexMemo = {reads: new Map(), parses: new Map()}
  /**
   * The last parse of each `.bib` file, by path, with what it was made from (the hash of the file's bytes, or its
   * text, and the converted keys; load.ts): a rebuild with the same file and citations uses it without reading the
   * disk cache.
   */
  readonly parsedBibliographies = new Map<string, {identity: string; converted: string; parsed: ParsedBibtex; withLines: {item: CslItem; line?: number}[]}>()
  /**
   * The bibliography the last build assembled from those parses (and the keys defined twice): a rebuild with the same
   * parses uses it as it is (load.ts).
   */
  readonly assembledBibliography: {last?: AssembledBibliography} = {}
  /** Each `.bib` file's entries as written, split for the cited-only bibliography (cited-bibliography.ts). */
  readonly bibtexSources: BibtexSourcesMemo = new Map()
  /**
   * The last cited-only bibliography with the hashes of its texts, by what it is made from (build-project.ts): a
   * rebuild whose citations and sources did not change neither makes nor hashes it again.
   */
  readonly citedBibliography: {last?: {key: string; texts: {extension: '.bib' | '.json'; text: string; hash: string}[]}} = {}
  /** The last build's reports of bibliography entries never cited (citations.ts): the same for the same entries and citations. */
  readonly unusedEntryReports: {last?: UnusedEntryReports} = {}
  /** Styles and locales parsed from their XML: re-reading the XML for every build costs more than formatting (style.ts). */
  readonly citationStyles: StyleMemo = {styles: new Map(), locales: new Map()}

  // Parsing, transforms and rendering (syntax/parse.ts, transforms/, render/math.ts).
  /** Parsed trees of the latest texts: a watch rebuild re-parses only the file that changed (kept when keepsBuilds). */
  readonly parsing = new ParseMemory()
  /** Each file's line index and the placeholder words found in its text: a rebuild scans only the files that changed. */
  readonly placeholders: PlaceholderMemo = new Map()
  /** Smart punctuation of a paragraph's text, by text: a rebuild educates only the paragraphs that changed. */
  readonly educatedText = new TextMemo<string>()
  /** citeproc's HTML of citations and entries parsed to hast, by HTML: a rebuild meets the same few hundred strings. */
  readonly citationHast = new TextMemo<ElementContent[]>(undefined, 10_000)
  /** The body's blocks as the last build converted them to hast and HTML: a rebuild converts only the changed ones (kept when keepsBuilds). */
  readonly renderedBlocks = new RenderedBlocks()
  /** KaTeX's HTML of a formula, by display mode and TeX (formulas that define no macro): typesetting is slow. A few KB each: 5,000 a generation. */
  readonly typesetFormulas = new TextMemo<string>(undefined, 5_000)

  constructor(options: {keepsBuilds?: boolean} = {}) {
    this.keepsBuilds = options.keepsBuilds ?? false
  }

  /** The session ends: trees re-parsed around edits go to the disk cache, and what was kept is let go. */
  close(): void {
    this.parsing.close()
  }
}
