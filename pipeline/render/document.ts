/**
 * The manuscript as one standalone HTML page: title block, body, endnotes, references, with its CSS
 * inlined and math pre-rendered, so the page runs no script and loads only files from its assets folder.
 * The same page is what Chromium prints to PDF (see pdf.ts).
 */
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {ProfileOptions} from '../config/profiles.ts'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {documentCss, type PaperSize} from './stylesheet.ts'
import {plainParagraphs, titleBlock} from './title-block.ts'
import {countWordsOfPage, type WordCount} from './word-count.ts'
import {defaultLabels, manuscriptToHast, type RenderLabels} from './to-hast.ts'

export {listRenderAssets, type RenderAsset, type PaperSize} from './stylesheet.ts'
export {defaultLabels, type RenderLabels} from './to-hast.ts'

export interface DocumentAuthor {
  name: string
  affiliation?: string
  email?: string
}

export interface DocumentMeta {
  title?: string
  /** Running head of the printed pages; defaults to the title. */
  shortTitle?: string
  authors: DocumentAuthor[]
  /** Shown as written. */
  date?: string
  /** Plain text; paragraphs separated by blank lines. */
  abstract?: string
  keywords: string[]
  /** Status line above the title ("Preprint", "Draft: do not cite"). */
  published?: string
  /** BCP 47 language tag of the text (`en`, `de-CH`); drives hyphenation. Defaults to `en`. */
  lang?: string
  paperSize: PaperSize
  /** Where the PDF prints notes (see footnotes.ts); the HTML always has them at the end. Default: `footnotes`. */
  notes?: 'footnotes' | 'endnotes'
}

export interface RenderHtmlOptions {
  /** URL of the assets folder relative to the HTML file, e.g. `manuscript_files`. */
  assetBase: string
  /** Receives diagnostics (e.g. formulas KaTeX cannot typeset). */
  file?: VFile
  /** Words around the author's text (caption labels, "Abstract", "Notes"), for manuscripts not in English. */
  labels?: Partial<RenderLabels>
  /** The profile's options (see config/profiles.ts): its stylesheet is added; none for the default look. */
  profile?: ProfileOptions
  /** Keeps what the project's next build reuses (typeset formulas). */
  session?: ProjectSession
  /** Keeps typeset formulas between processes. */
  cache?: DerivedCache
}

export interface RenderedDocument {
  html: string
  /** The same page as a tree, from which the printed variant is made (see hyphenate.ts). */
  page: HastRoot
  /** Words as a journal counts them (see word-count.ts). */
  wordCount: WordCount
}

export function renderHtmlDocument(tree: Root, meta: DocumentMeta, options: RenderHtmlOptions): RenderedDocument {
  const labels: RenderLabels = {...defaultLabels, ...options.labels}
  const body = manuscriptToHast(tree, {labels, file: options.file, session: options.session, cache: options.cache})
  const header = titleBlock(meta, labels)
  const lang = meta.lang?.trim() || 'en'
  const title = meta.title?.trim() || meta.shortTitle?.trim() || 'Manuscript'
  const runningHead = meta.shortTitle?.trim() || meta.title?.trim()

  const head: ElementContent[] = [
    element('meta', {charSet: 'utf-8'}),
    element('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
    element('meta', {name: 'generator', content: 'manuscript-pipeline'}),
    element('title', {}, [{type: 'text', value: title}])
  ]
  const authorNames = meta.authors.map((author) => author.name.trim()).filter(Boolean)
  if (authorNames.length > 0) head.push(element('meta', {name: 'author', content: authorNames.join(', ')}))
  if (meta.keywords.length > 0) head.push(element('meta', {name: 'keywords', content: meta.keywords.join(', ')}))
  const abstract = meta.abstract ? plainParagraphs(meta.abstract).join(' ') : ''
  if (abstract) head.push(element('meta', {name: 'description', content: abstract}))
  head.push(
    element('style', {}, [
      {type: 'text', value: `\n${documentCss(options.assetBase, {paperSize: meta.paperSize, runningHead, profile: options.profile})}\n`}
    ])
  )

  const headContent = interleave(head)
  const pageWith = (main: Element): HastRoot => ({
    type: 'root',
    children: [{type: 'doctype'}, element('html', {lang}, [element('head', {}, headContent), element('body', {}, interleave(header ? [header, main] : [main]))])]
  })
  const main = element('main', {}, body.children as ElementContent[])
  const page = pageWith(main)
  // In watch mode, the blocks a save left as they were are not written out again (a book is 1 MB of HTML).
  const html = options.session?.keepsBuilds ? pageToHtml(pageWith(element('main', {}, [{type: 'raw', value: blocksToHtml(main.children, options.session.renderedBlocks)}]))) : pageToHtml(page)
  return {html, page, wordCount: countWordsOfPage(page)}
}

export function pageToHtml(page: HastRoot): string {
  return `${toHtml(page, {allowDangerousHtml: true})}\n`
}

/**
 * The last build's HTML of each top-level block of the page's `<main>`, by the block's tree as JSON (a project
 * session's, for watch mode). A block's HTML depends on nothing but its tree (no optional tags are left out, and
 * `<main>` is no raw-text element), so equal JSON is the same HTML. JSON writes NaN, ±Infinity and holes as `null`,
 * where HTML would differ, so a block whose JSON holds `null` is not kept.
 */
export interface RenderedBlocks {
  html: Map<string, string>
}

/** The blocks' HTML, as `toHtml` of their parent writes its content; blocks the last build wrote come from `memo`. */
export function blocksToHtml(blocks: ElementContent[], memo: RenderedBlocks): string {
  const previous = memo.html
  const kept = new Map<string, string>()
  let html = ''
  for (const block of blocks) {
    const key = JSON.stringify(block)
    let written = previous.get(key) ?? kept.get(key)
    if (written === undefined) {
      written = toHtml(block, {allowDangerousHtml: true})
      if (!key.includes('null')) kept.set(key, written)
    } else {
      kept.set(key, written)
    }
    html += written
  }
  // Only this build's blocks are kept: memory stays the size of one page.
  memo.html = kept
  return html
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element {
  return {type: 'element', tagName, properties, children}
}

function interleave(nodes: ElementContent[]): ElementContent[] {
  return nodes.flatMap((node, index) => (index === 0 ? [{type: 'text' as const, value: '\n'}, node] : [node])).concat({type: 'text', value: '\n'})
}

