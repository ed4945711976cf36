/**
 * The HTML page printed to PDF by Chromium (tagged, with an outline from the headings; the page to print is the
 * hyphenated variant, see hyphenate.ts), then given its document information by rewriting the few objects that
 * change (pdf-file.ts: every other object is copied as Chromium wrote it). Nothing in the file depends on when or
 * where it was made, so the same input gives the same bytes: the dates come from the caller (see pdf-date.ts),
 * Chromium's own dates and browser-dependent structure ids are replaced (not appended to: an incremental update
 * would keep them in the file), the document ID is a hash of the file's own content, and links Chromium made
 * absolute (`file:///home/…/build/data.csv`) are made relative again. The PDF is written to a temporary file
 * beside the target and renamed into place. A browser kept between prints (watch mode) keeps the page loaded and
 * takes only a new body (sent as what changed in it) when nothing else changed.
 */
import {createHash, randomBytes} from 'node:crypto'
import {rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Page} from 'puppeteer-core'
import {writeAtomically} from '../graph/write-atomically.ts'
import {sharedEnds} from '../shared-ends.ts'
import type {BrowserSession} from './browser.ts'
import type {DocumentMeta} from './document.ts'
import {PdfDict, PdfFile, PdfNumber, PdfRef, PdfString, type PdfValue} from './pdf-file.ts'
import {footnotePass, type FootnoteLayout} from './footnotes.ts'
import {softHyphenPass} from './hyphenate.ts'
import {lineNumberPass, unnumbered} from './line-numbers.ts'
import {textHeightPx} from './stylesheet.ts'
import {plainParagraphs} from './title-block.ts'

export const pdfCreator = 'manuscript-pipeline'
export const pdfProducer = 'manuscript-pipeline (Chromium)'

export interface PrintPdfOptions {
  htmlPath: string
  pdfPath: string
  meta: DocumentMeta
  /** Creation and modification date written into the PDF (pass a fixed one for byte-identical builds). */
  date: Date
  /** The folder whose files the page may load; default: the HTML file's folder. Everything else is blocked. */
  allowedRoot?: string
  /** Milliseconds to wait for the page to load; default 30 s. */
  timeout?: number
  /** Called once Chromium has printed, before the PDF is finished in Node: a one-off browser can close meanwhile. */
  afterPrinting?: () => void
  /**
   * Stop before writing the PDF when the page asked for something that was refused (a remote file, a file outside
   * the allowed folder): the print then rejects with a RefusedLoadsError and the last good PDF stays. A build sets
   * it: the PDF would silently lack what was refused.
   */
  refuseIncomplete?: boolean
  /**
   * Names the files the page loads (images, fonts) by their content. printPage replaces only the body of a page
   * already shown when this is the same: the browser would show a changed image from its memory otherwise.
   * Without it, every page is loaded afresh.
   */
  assetsVersion?: string
  /** Number the lines of the text in the margin (the `submission` profile; see line-numbers.ts). */
  lineNumbers?: boolean
}

export interface PrintedPdf {
  pages: number
  /** URLs the page asked for and did not get (remote files, files outside the allowed folder). */
  blockedRequests: string[]
  /** SHA-256 of the bytes written. */
  sha256: string
  /** How the page got into the browser: loaded from its file, or only its body replaced (see printPage). */
  loaded: 'loaded' | 'body replaced'
  /** What the footnote layout did (see footnotes.ts); absent when the notes stay endnotes. */
  footnotes?: FootnoteLayout
}

/** The page asked for files that were refused (see PrintPdfOptions.refuseIncomplete); nothing was written. */
export class RefusedLoadsError extends Error {
  override readonly name = 'RefusedLoadsError'
  constructor(readonly urls: string[]) {
    super(`The page asked for ${urls.length} file(s) that were refused: ${urls.join(', ')}`)
  }
}

export async function printPdf(browser: BrowserSession, options: PrintPdfOptions): Promise<PrintedPdf> {
  const page = await browser.page()
  shownPages.delete(page)
  const blockedBefore = await loadForPrint(browser, page, options.htmlPath, options)
  return printLoadedPage(browser, page, options, blockedBefore, 'loaded')
}

/**
 * Loads the page at `htmlPath` into the browser's page as it is printed, allowed to load files from `allowedRoot`
 * (default: its folder), and lays it out with its images and fonts ready. Returns how many requests the browser had
 * refused before this page's: the ones after are this page's.
 */
export async function loadForPrint(browser: BrowserSession, page: Page, htmlPath: string, options: {allowedRoot?: string; timeout?: number}): Promise<number> {
  // The page's previous document goes first: a late request of it (a face its print layout asks for once the media
  // changes) would otherwise be judged by, and counted against, this page's allowance.
  if (page.url() !== 'about:blank') await page.goto('about:blank')
  browser.allowFolders([options.allowedRoot ?? path.dirname(htmlPath)])
  const blockedBefore = browser.blockedRequests.length
  // The page is laid out as printed from the start: soft hyphens are kept where the printed lines break.
  await page.emulateMediaType('print')
  const url = pathToFileURL(path.resolve(htmlPath)).href
  browser.expectNavigation(url)
  await page.goto(url, {waitUntil: 'load', timeout: options.timeout ?? 30_000})
  await page.evaluate(settlePage)
  return blockedBefore
}

/**
 * What the printing page of a browser shows: the text of the page up to its body, the folder its URL is in, and
 * the version of the files it loaded. Kept only while the page shows it (a failed print or a printPdf forgets it).
 */
const shownPages = new WeakMap<Page, {head: string; folder: string; assetsVersion: string; body?: KeptBody}>()

/**
 * Prints `html`, the page to print (see hyphenate.ts), as the PDF of the page at `options.htmlPath`. The first
 * time, from a temporary file beside that page, so its relative asset URLs resolve the same, removed afterwards.
 * When the browser's page already shows a page with the same head (styles, fonts, title) from the same folder
 * and the same `assetsVersion`, as in watch mode, only the body is replaced: the fonts and styles stay loaded, which saves most of a page load
 * (some 100 ms of a trenches draft's 300). The DOM is the same, so the PDF has the same bytes either way.
 */
export async function printPage(browser: BrowserSession, html: string, options: PrintPdfOptions): Promise<PrintedPdf> {
  const page = await browser.page()
  const folder = path.dirname(path.resolve(options.htmlPath))
  const parts = splitAtBody(html)
  const shown = shownPages.get(page)
  if (parts && shown && shown.head === parts.head && shown.folder === folder && shown.assetsVersion === options.assetsVersion && !loadsMoreThanImages(parts.body)) {
    shownPages.delete(page)
    browser.allowFolders([options.allowedRoot ?? folder])
    const blockedBefore = browser.blockedRequests.length
    const body = await withTimeout(replaceBody(page, parts.body, shown.body), options.timeout ?? 30_000, 'replacing the printed page’s body')
    const printed = await printLoadedPage(browser, page, options, blockedBefore, 'body replaced')
    shownPages.set(page, {...shown, body})
    return printed
  }
  const pagePath = path.join(folder, `.${path.basename(options.htmlPath, '.html')}.${randomBytes(6).toString('hex')}.print.html`)
  try {
    writeAtomically(pagePath, html)
    const printed = await printPdf(browser, {...options, htmlPath: pagePath})
    if (parts && options.assetsVersion !== undefined) shownPages.set(page, {head: parts.head, folder, assetsVersion: options.assetsVersion})
    return printed
  } finally {
    rmSync(pagePath, {force: true})
  }
}

/**
 * The page (as pageToHtml writes it) up to and including its `<body>` tag, and the body's content. The head is
 * ours (the author's raw HTML is only ever inside the body), so the first `<body` is the tag; a `</body>` the
 * author wrote comes before the last one.
 */
export function splitAtBody(html: string): {head: string; body: string} | undefined {
  const open = html.indexOf('<body')
  const openEnd = open === -1 ? -1 : html.indexOf('>', open)
  const close = html.lastIndexOf('</body>')
  if (openEnd === -1 || close < openEnd) return undefined
  return {head: html.slice(0, openEnd + 1), body: html.slice(openEnd + 1, close)}
}

/**
 * Whether the body (the author's raw HTML, in practice) loads something other than plain images: a stylesheet,
 * frame, media, responsive or lazy image, or CSS image. A load waits for those; replaceBody waits only for images
 * and fonts, so such a page is loaded afresh.
 */
function loadsMoreThanImages(body: string): boolean {
  return /<(?:link|iframe|frame|object|embed|video|audio|source|picture)\b|\burl\(|@import|\bsrcset\s*=|\bloading\s*=/i.test(body)
}

/**
 * Runs in the page: lays it out, then waits until its images and the typefaces its text uses are ready. The layout
 * starts the loads of those typefaces (an italic used for the first time), which document.fonts.ready then waits
 * for; a printing browser paints no frames (browser.ts), so nothing else would lay the page out before the passes.
 */
async function settlePage(): Promise<void> {
  void document.body.offsetHeight
  // A picture that fails (blocked, damaged) fails as it does in a load: the page prints without it.
  await Promise.all(Array.from(document.images, (image) => image.decode().catch(() => undefined)))
  await document.fonts.ready
}

/** The text of the body last put in a page by replaceBody, which the page keeps too, under this token. */
export interface KeptBody {
  text: string
  token: string
}

/** Where the page keeps the body's text (its own scripts never run: browser.ts turns them off). */
const keptBodyKey = '__manuscriptPrintedBody'

/**
 * Puts `body` in place of the page's body and waits until its images and fonts are ready, as a load would. With
 * the body this page was last given (`previous`), only the part between what the two share at their start and at
 * their end is sent, and the page puts the text together from the copy it kept: sending a book's whole body
 * through the DevTools protocol took ~140 ms of a save's print, a one-paragraph change takes none of that. Should
 * the page not hold that copy, the whole body is sent.
 */
export async function replaceBody(page: Page, body: string, previous?: KeptBody): Promise<KeptBody> {
  const kept = {text: body, token: randomBytes(6).toString('hex')}
  // The script that gives the page its body: `textExpression` makes the body's text in the page (after `check`, which
  // may give up first); the page keeps that text and shows it.
  const replacement = (textExpression: string, check = '') => `(async () => {
    ${check}
    const text = ${textExpression}
    globalThis.${keptBodyKey} = {token: ${JSON.stringify(kept.token)}, text}
    document.body.innerHTML = text
    await (${settlePage.toString()})()
    return true
  })()`
  if (previous) {
    const {start, end} = sharedEnds(previous.text, body)
    const check = `const kept = globalThis.${keptBodyKey}
    if (kept?.token !== ${JSON.stringify(previous.token)} || kept.text.length !== ${previous.text.length}) return false`
    const spliced = `kept.text.slice(0, ${start}) + ${JSON.stringify(body.slice(start, body.length - end))} + kept.text.slice(${previous.text.length - end})`
    if ((await page.evaluate(replacement(spliced, check))) === true) return kept
  }
  await page.evaluate(replacement(JSON.stringify(body)))
  return kept
}

function withTimeout<T>(promise: Promise<T>, milliseconds: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Timed out after ${milliseconds} ms ${what}`)), milliseconds)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** Prints the page the browser shows (loaded, fonts ready) and finishes the PDF in Node. */
async function printLoadedPage(browser: BrowserSession, page: Page, options: PrintPdfOptions, blockedBefore: number, loaded: PrintedPdf['loaded']): Promise<PrintedPdf> {
  const {pdfPath, meta} = options
  const {footnotes, headings} = await page.evaluate(pagePasses({footnotes: meta.notes === 'endnotes' ? undefined : textHeightPx(meta.paperSize), lineNumbers: options.lineNumbers ?? false})) as {footnotes?: FootnoteLayout; headings: string[]}

  const printed = await chromiumPdf(page, meta, options.timeout)
  const refused = browser.blockedRequests.slice(blockedBefore)
  if (options.refuseIncomplete && refused.length > 0) throw new RefusedLoadsError([...new Set(refused)])
  options.afterPrinting?.()

  const {bytes, pages} = finishPrintedPdf(printed, {meta, date: options.date, folder: path.dirname(path.resolve(pdfPath)), headings})
  writeAtomically(pdfPath, bytes)
  return {pages, blockedRequests: browser.blockedRequests.slice(blockedBefore), sha256: createHash('sha256').update(bytes).digest('hex'), loaded, footnotes}
}

/** Chromium's print of the page as it is: tagged, with an outline, in the manuscript's paper size. */
export function chromiumPdf(page: Page, meta: DocumentMeta, timeout = 30_000): Promise<Uint8Array> {
  return page.pdf({
    format: meta.paperSize === 'a4' ? 'A4' : 'Letter',
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    displayHeaderFooter: false,
    waitForFonts: true,
    timeout
  })
}

/**
 * Chromium's PDF as we write it: our document information and dates, structure ids and outline titles that do not
 * depend on the browser's history, links relative to `folder` (the PDF's), an ID from the content. Only the objects
 * that change are written anew; the rest, streams included, are copied as Chromium wrote them.
 */
export function finishPrintedPdf(printed: Uint8Array, options: {meta: DocumentMeta; date: Date; folder: string; headings: string[]}): {bytes: Buffer; pages: number} {
  const pdf = PdfFile.read(printed)
  setDocumentInformation(pdf, options.meta, options.date)
  renumberStructureIds(pdf)
  repairOutlineTitles(pdf, options.headings)
  relativizeFileLinks(pdf, options.folder)
  return {bytes: saveWithContentId(pdf), pages: pageCount(pdf)}
}

/**
 * The passes over the loaded page before it is printed, as one script: sent in one message, they run one after the
 * other with no rendering of the page in between (a book's page, re-rendered after each pass that changed it, took
 * longer than the passes). Each pass is a function that runs in the page (see its module). The soft-hyphen pass
 * reads the line ends on the layout the footnote pass measured, once that pass has measured everything and before it
 * cuts the page (read after the cut, the whole page would be laid out again: for a book, a quarter of a second); it
 * moves no line, so the cut is where it was measured. The headings shown, for the outline, are picked on the same
 * layout, and their text read at the end. The lines are numbered last, where they break in print.
 */
function pagePasses(passes: {footnotes?: number; lineNumbers: boolean}): string {
  const shownHeadings = () => Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).filter((heading) => heading.getClientRects().length > 0)
  const headingTexts = (headings: Element[]) => headings.map((heading) => (heading.textContent ?? '').replace(/\s+/g, ' ').trim()).filter((text) => text !== '')
  return `(() => {
    let headings = [];
    let hyphensSettled = false;
    const settleHyphens = () => {
      hyphensSettled = true;
      const breaks = (${softHyphenPass.toString()})();
      headings = (${shownHeadings.toString()})();
      return breaks.removeUnused();
    };
    const footnotes = ${passes.footnotes === undefined ? 'undefined' : `(${footnotePass.toString()})(${JSON.stringify(passes.footnotes)}, settleHyphens)`};
    if (!hyphensSettled) settleHyphens();
    ${passes.lineNumbers ? `(${lineNumberPass.toString()})(${JSON.stringify(unnumbered)});` : ''}
    return {footnotes, headings: (${headingTexts.toString()})(headings)};
  })()`
}

/** 16 bytes, as the MD5 the PDF specification suggests; written as 32 hex digits. */
const idLength = 16

/**
 * Save with a document ID (the trailer's /ID, which viewers and PDF/A use to tell documents apart) that is a hash
 * of the document itself: saved once with a placeholder ID of the same length, hashed, and the placeholder
 * replaced in place, so the offsets in the cross-reference table stay right. The objects that are not streams
 * are packed into object streams (see PdfWriteOptions): a third smaller than Chromium's file, for a few ms.
 */
function saveWithContentId(pdf: PdfFile): Buffer {
  const placeholder = '0'.repeat(idLength * 2)
  const written = pdf.write({objectStreams: true, id: placeholder})
  const id = createHash('sha256').update(written).digest('hex').slice(0, idLength * 2).toUpperCase()
  const marker = Buffer.from(`<${placeholder}>`, 'latin1')
  // The trailer (or cross-reference stream dictionary) is at the end of the file; its two IDs are the last placeholders.
  for (let count = 0, end = written.length; count < 2; count++) {
    const at = written.lastIndexOf(marker, end)
    if (at === -1) throw new Error('the PDF writer did not write the document ID')
    written.write(`<${id}>`, at, 'latin1')
    end = at - 1
  }
  return written
}

function catalogOf(pdf: PdfFile): {objectNumber: number; catalog: PdfDict} {
  const root = pdf.trailer.get('Root') as PdfRef
  const catalog = pdf.get(root.objectNumber)
  if (!(catalog instanceof PdfDict)) throw new Error('the printed PDF has no document catalog')
  return {objectNumber: root.objectNumber, catalog}
}

/** The page tree's /Count. */
function pageCount(pdf: PdfFile): number {
  const pages = pdf.resolve(catalogOf(pdf).catalog.get('Pages'))
  const count = pages instanceof PdfDict ? pages.get('Count') : undefined
  if (!(count instanceof PdfNumber)) throw new Error('the printed PDF’s page tree gives no page count')
  return count.value
}

/** Every dictionary in a value, nested ones too. */
function* dictionariesIn(value: PdfValue): Generator<PdfDict> {
  if (value instanceof PdfDict) {
    yield value
    for (const entry of value.entries.values()) yield* dictionariesIn(entry)
  } else if (Array.isArray(value)) {
    for (const item of value) yield* dictionariesIn(item)
  }
}

/**
 * Chromium writes a relative link (`[data](data/x.csv)`) as an absolute `file://` URI of the printing machine;
 * rewritten relative to the PDF's folder, the link still works beside the PDF and the file names no folder.
 */
function relativizeFileLinks(pdf: PdfFile, folder: string): void {
  // Only the objects that hold `file:` (literal or hex) are read.
  for (const objectNumber of pdf.objectsContaining('file:', '66696C653A', '66696c653a')) {
    if (pdf.isStream(objectNumber)) continue
    const object = pdf.get(objectNumber)!
    let changed = false
    for (const action of dictionariesIn(object)) {
      const uri = action.get('URI')
      if (!(uri instanceof PdfString)) continue
      const value = uri.text()
      if (!value.startsWith('file:')) continue
      let relative: string
      try {
        const url = new URL(value)
        relative = path.relative(folder, fileURLToPath(url)).split(path.sep).map(encodeURIComponent).join('/') + url.hash
      } catch {
        continue
      }
      // Parentheses, legal in a URI, are written as its own %28 and %29: the same link, and a string without escapes.
      action.set('URI', new PdfString((relative || './').replace(/\(/g, '%28').replace(/\)/g, '%29')))
      changed = true
    }
    if (changed) pdf.set(objectNumber, object)
  }
}

/** A date as PDF writes it, in UTC: `D:20161105120000Z` (the form the PDF had when pdf-lib wrote it). */
function pdfDateString(date: Date): PdfString {
  const two = (value: number) => String(value).padStart(2, '0')
  return new PdfString(`D:${String(date.getUTCFullYear()).padStart(4, '0')}${two(date.getUTCMonth() + 1)}${two(date.getUTCDate())}${two(date.getUTCHours())}${two(date.getUTCMinutes())}${two(date.getUTCSeconds())}Z`)
}

/**
 * The document information dictionary (title, authors, abstract, keywords, our creator and producer, the dates) in
 * place of Chromium's (which has the time of printing), and the catalog's language and DisplayDocTitle (viewers
 * show the title, not the file name, in their title bar).
 */
function setDocumentInformation(pdf: PdfFile, meta: DocumentMeta, date: Date): void {
  const infoRef = pdf.trailer.get('Info')
  const chromiumInfo = infoRef instanceof PdfRef ? pdf.get(infoRef.objectNumber) : undefined
  const info = new PdfDict(new Map(chromiumInfo instanceof PdfDict ? chromiumInfo.entries : []))
  const {objectNumber: catalogNumber, catalog} = catalogOf(pdf)
  const title = meta.title?.trim()
  if (title) {
    info.set('Title', PdfString.fromText(title))
    const preferences = catalog.get('ViewerPreferences')
    const shared = preferences instanceof PdfRef ? pdf.get(preferences.objectNumber) : undefined
    if (shared instanceof PdfDict) {
      shared.set('DisplayDocTitle', true)
      pdf.set((preferences as PdfRef).objectNumber, shared)
    } else if (preferences instanceof PdfDict) {
      preferences.set('DisplayDocTitle', true)
    } else {
      catalog.set('ViewerPreferences', new PdfDict(new Map([['DisplayDocTitle', true]])))
    }
  }
  const authors = meta.authors.map((author) => author.name.trim()).filter(Boolean)
  if (authors.length > 0) info.set('Author', PdfString.fromText(authors.join(', ')))
  const subject = meta.abstract ? plainParagraphs(meta.abstract).join(' ') : ''
  if (subject) info.set('Subject', PdfString.fromText(subject))
  const keywords = meta.keywords.map((keyword) => keyword.trim()).filter(Boolean)
  // One string: semicolons keep multi-word keywords apart.
  if (keywords.length > 0) info.set('Keywords', PdfString.fromText(keywords.join('; ')))
  catalog.set('Lang', PdfString.fromText(meta.lang?.trim() || 'en'))
  pdf.set(catalogNumber, catalog)
  info.set('Creator', PdfString.fromText(pdfCreator))
  info.set('Producer', PdfString.fromText(pdfProducer))
  info.set('CreationDate', pdfDateString(date))
  info.set('ModDate', pdfDateString(date))
  if (infoRef instanceof PdfRef && chromiumInfo !== undefined) pdf.set(infoRef.objectNumber, info)
  else pdf.trailer.set('Info', pdf.add(info))
}

/**
 * Chromium (147) doubles the text of an outline entry whose heading was moved to the next page to keep
 * it with its paragraph (`break-after: avoid`): "1.21.2 Findings Findings". The entries follow the
 * headings in document order, so when the counts agree each entry gets its heading's text.
 */
function repairOutlineTitles(pdf: PdfFile, headings: string[]): void {
  const outlines = pdf.resolve(catalogOf(pdf).catalog.get('Outlines'))
  if (!(outlines instanceof PdfDict)) return
  const entries: {objectNumber: number; entry: PdfDict}[] = []
  const seen = new Set<number>()
  const collect = (first: PdfValue | undefined) => {
    for (let next = first; next instanceof PdfRef && !seen.has(next.objectNumber); ) {
      seen.add(next.objectNumber)
      const entry = pdf.get(next.objectNumber)
      if (!(entry instanceof PdfDict)) return
      entries.push({objectNumber: next.objectNumber, entry})
      collect(entry.get('First'))
      next = entry.get('Next')
    }
  }
  collect(outlines.get('First'))
  if (entries.length !== headings.length) return
  entries.forEach(({objectNumber, entry}, index) => {
    const title = PdfString.fromText(headings[index])
    const current = entry.get('Title')
    // Only the entries whose text differs are written anew.
    if (current instanceof PdfString && current.bytes === title.bytes) return
    entry.set('Title', title)
    pdf.set(objectNumber, entry)
  })
}

const structureIdPattern = /^node(\d+)$/

/**
 * Chromium names the tagged PDF's structure elements (table headers) after DOM node ids, which keep
 * counting across page loads; renumbered from 1 in their original order (which keeps the IDTree
 * sorted), a rebuild in a warm browser gives the same bytes as one in a fresh browser.
 */
function renumberStructureIds(pdf: PdfFile): void {
  // Only the objects that hold such an id (written literal, or hex `node`) are read; each place is recorded, then
  // given its new name. The places are where Chromium writes ids: a structure element's /ID, a table cell's /Headers,
  // the ID tree's /Names and /Limits. Text the author wrote (an image's /Alt "node42", a heading's id in the named
  // destinations) is left as it is.
  const idTree = idTreeObjects(pdf)
  const places: {id: string; objectNumber: number; rename: (name: PdfString) => void}[] = []
  const visit = (value: PdfValue, objectNumber: number) => {
    if (value instanceof PdfDict) {
      for (const [key, entry] of value.entries) {
        if (entry instanceof PdfString) {
          if (key === 'ID' && structureIdPattern.test(entry.bytes)) places.push({id: entry.bytes, objectNumber, rename: (name) => value.set(key, name)})
        } else if (Array.isArray(entry) && (key === 'Headers' || (idTree.has(objectNumber) && (key === 'Names' || key === 'Limits')))) {
          entry.forEach((item, index) => {
            if (item instanceof PdfString && structureIdPattern.test(item.bytes)) places.push({id: item.bytes, objectNumber, rename: (name) => (entry[index] = name)})
          })
        } else if (entry instanceof PdfDict || Array.isArray(entry)) {
          visit(entry, objectNumber)
        }
      }
    } else if (Array.isArray(value)) {
      for (const item of value) if (item instanceof PdfDict || Array.isArray(item)) visit(item, objectNumber)
    }
  }
  for (const objectNumber of pdf.objectsContaining('(node', '<6E6F6465', '<6e6f6465')) if (!pdf.isStream(objectNumber)) visit(pdf.get(objectNumber)!, objectNumber)
  if (places.length === 0) return
  const ordered = [...new Set(places.map((place) => place.id))].sort((left, right) => Number(structureIdPattern.exec(left)![1]) - Number(structureIdPattern.exec(right)![1]))
  const width = String(ordered.length).length
  const names = new Map(ordered.map((id, index) => [id, new PdfString(`node${String(index + 1).padStart(Math.max(8, width), '0')}`)]))
  for (const place of places) place.rename(names.get(place.id)!)
  for (const objectNumber of new Set(places.map((place) => place.objectNumber))) pdf.set(objectNumber, pdf.get(objectNumber)!)
}

/** The objects of the structure tree's ID tree (its root and the nodes below it), which list the structure ids. */
function idTreeObjects(pdf: PdfFile): Set<number> {
  const found = new Set<number>()
  const structure = pdf.resolve(catalogOf(pdf).catalog.get('StructTreeRoot'))
  const visit = (node: PdfValue | undefined) => {
    if (!(node instanceof PdfRef) || found.has(node.objectNumber)) return
    found.add(node.objectNumber)
    const object = pdf.get(node.objectNumber)
    const kids = object instanceof PdfDict ? object.get('Kids') : undefined
    if (Array.isArray(kids)) kids.forEach(visit)
  }
  if (structure instanceof PdfDict) visit(structure.get('IDTree'))
  return found
}
