/**
 * The manuscript as one standalone HTML page: title block, body, endnotes, references, with its CSS
 * inlined and math pre-rendered, so the page runs no script and loads only files from its assets folder.
 * The same page is what Chromium prints to PDF (see pdf.ts).
 */
import type {Element, ElementContent, Root as HastRoot, RootContent} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import type {ProfileOptions} from '../config/profiles.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {documentCss, type PaperSize} from './stylesheet.ts'
import {plainParagraphs, titleBlock} from './title-block.ts'
import {countWordsOfPage, type WordCount} from './word-count.ts'
import {defaultLabels, manuscriptToHast, type RenderLabels} from './to-hast.ts'
import type {RenderedBlocks} from './rendered-blocks.ts'

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
  /** Keeps what the project's next build reuses (typeset formulas; in a watch session, the body's blocks). */
  session?: ProjectSession
  /** Keeps typeset formulas between processes. */
  cache?: DerivedCache
}

export interface RenderedDocument {
  html: string
  /** The HTML's UTF-8 bytes, when a watch session's kept blocks made them (the unchanged blocks' bytes reused). */
  bytes?: Buffer
  /** The same page as a tree, from which the printed variant is made (see hyphenate.ts). */
  page: HastRoot
  /** The page shows formulas typeset by KaTeX, whose fonts it loads (see listRenderAssets). */
  math: boolean
}

export function renderHtmlDocument(tree: Root, meta: DocumentMeta, options: RenderHtmlOptions): RenderedDocument {
  const labels: RenderLabels = {...defaultLabels, ...options.labels}
  const blocks = options.session?.keepsBuilds ? options.session.renderedBlocks : undefined
  const body = manuscriptToHast(tree, {labels, file: options.file, session: options.session, cache: options.cache, blocks})
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
      {type: 'text', value: `\n${documentCss(options.assetBase, {paperSize: meta.paperSize, runningHead, profile: options.profile, math: body.data?.typesetMath === true})}\n`}
    ])
  )

  const main = element('main', {}, body.children as ElementContent[])
  const page: HastRoot = {
    type: 'root',
    children: [
      {type: 'doctype'},
      element('html', {lang}, [
        element('head', {}, interleave(head)),
        element('body', {}, interleave(header ? [header, main] : [main]))
      ])
    ]
  }
  return {...writePage(page, blocks), page, math: body.data?.typesetMath === true}
}

/**
 * The words of a rendered page as a journal counts them (see word-count.ts), kept in the derived cache under its HTML
 * (its SHA-256 `htmlHash`, which the manifest lists too; the HTML says everything the count reads): a rebuild of an
 * unchanged manuscript does not count its words again (for the trenches draft, a fresh process's 35 ms).
 */
export function pageWordCount(page: HastRoot, htmlHash: string, cache: DerivedCache | undefined): WordCount {
  if (!cache?.enabled) return countWordsOfPage(page)
  const slot = DerivedCache.slot('word-count', 'page')
  const key = cache.hash(htmlHash)
  const kept = cache.read<WordCount>(slot, key)
  if (kept) return kept
  const counted = countWordsOfPage(page)
  cache.write(slot, key, counted)
  return counted
}

/**
 * The page as HTML. hast-util-to-html joins each element's content into one string, so a book's megabyte of body
 * would be copied again at `<main>`, `<body>`, `<html>` and the root (some 8 ms each): the content of `<main>` is
 * written once and put into the page written around a placeholder. The bytes are toHtml's of the whole page: what
 * `<main>`'s children are written as does not depend on their parent (no optional tags are left out, and `<main>`
 * holds no raw text as `<script>` and `<style>` do), nor on their siblings: with `blocks` (a watch session's), an
 * element of `<main>` that is the one the last page had is not written again.
 */
export function pageToHtml(page: HastRoot): string {
  return writePage(page).html
}

/**
 * pageToHtml's work; with `blocks`, the page's bytes too, put together from each element's (encoding a book's page
 * as UTF-8 took ~5 ms of a save).
 */
function writePage(page: HastRoot, blocks?: RenderedBlocks): {html: string; bytes?: Buffer} {
  const main = mainOf(page)
  if (main) {
    const placeholder = '\u0000manuscript-main\u0000'
    const shell = toHtml(withContent(page, main, placeholder), {allowDangerousHtml: true})
    const at = shell.indexOf(placeholder)
    // Where the text around happens to hold the placeholder too, the page is written whole.
    if (at !== -1 && shell.indexOf(placeholder, at + 1) === -1) {
      const before = shell.slice(0, at)
      const after = `${shell.slice(at + placeholder.length)}\n`
      if (!blocks) return {html: `${before}${toHtml({type: 'root', children: main.children}, {allowDangerousHtml: true})}${after}`}
      const write = (node: RootContent) => toHtml(node, {allowDangerousHtml: true})
      let html = before
      const parts: Buffer[] = [Buffer.from(before)]
      let text = ''
      for (const child of main.children) {
        if (child.type !== 'element') {
          text += write(child)
          continue
        }
        if (text) parts.push(Buffer.from(text))
        html += text
        text = ''
        const written = blocks.html(child, write)
        written.bytes ??= Buffer.from(written.html)
        parts.push(written.bytes)
        html += written.html
      }
      html += `${text}${after}`
      parts.push(Buffer.from(`${text}${after}`))
      blocks.written()
      // Bytes put together are the text's bytes unless a part starts or ends inside a character (a surrogate pair).
      return {html, bytes: parts.every(wholeCharacters) ? Buffer.concat(parts) : undefined}
    }
  }
  return {html: `${toHtml(page, {allowDangerousHtml: true})}\n`}
}

/** Whether UTF-8 bytes start and end with whole characters (U+FFFD stands for half of a pair when it is encoded). */
function wholeCharacters(bytes: Buffer): boolean {
  const replacement = (at: number) => bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd
  return bytes.length < 3 || (!replacement(0) && !replacement(bytes.length - 3))
}

/** The `<main>` element of a page as renderHtmlDocument makes it (`<html>`, `<body>`, then `<main>`). */
function mainOf(page: HastRoot): Element | undefined {
  const html = page.children.find((child): child is Element => child.type === 'element' && child.tagName === 'html')
  const body = html?.children.find((child): child is Element => child.type === 'element' && child.tagName === 'body')
  return body?.children.find((child): child is Element => child.type === 'element' && child.tagName === 'main')
}

/** A copy of the page's path down to `main` (the rest shared), with `main` holding only `placeholder` as raw HTML. */
function withContent(page: HastRoot, main: Element, placeholder: string): HastRoot {
  const copy = <Node extends HastRoot | Element>(node: Node): Node => ({
    ...node,
    children: node.children.map((child) => (child === main ? {...main, children: [{type: 'raw', value: placeholder}]} : child.type === 'element' && contains(child, main) ? copy(child) : child))
  })
  return copy(page)
}

function contains(node: Element, main: Element): boolean {
  return node.children.some((child) => child === main || (child.type === 'element' && (child.tagName === 'html' || child.tagName === 'body') && contains(child, main)))
}

function element(tagName: string, properties: Element['properties'], children: ElementContent[] = []): Element {
  return {type: 'element', tagName, properties, children}
}

function interleave(nodes: ElementContent[]): ElementContent[] {
  return nodes.flatMap((node, index) => (index === 0 ? [{type: 'text' as const, value: '\n'}, node] : [node])).concat({type: 'text', value: '\n'})
}

