/**
 * The HTML page printed to PDF by Chromium (tagged, with an outline from the headings), then given
 * its document information with pdf-lib. Dates come from the caller, so the same input gives the
 * same bytes. The PDF is written to a temporary file beside the target and renamed into place.
 */
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString, type PDFObject} from 'pdf-lib'
import {writeAtomically} from '../graph/write-atomically.ts'
import type {BrowserSession} from './browser.ts'
import type {DocumentMeta} from './document.ts'
import {hyphenatePage, hyphenatorFor} from './hyphenate.ts'
import {plainParagraphs} from './title-block.ts'

export const pdfCreator = 'manuscript-pipeline'
export const pdfProducer = 'manuscript-pipeline (Chromium, pdf-lib)'

export interface PrintPdfOptions {
  htmlPath: string
  pdfPath: string
  meta: DocumentMeta
  /** Creation and modification date written into the PDF (pass a fixed one for byte-identical builds). */
  date: Date
  /** The folder whose files the page may load; default: the HTML file's folder. Everything else is blocked. */
  allowedRoot?: string
  /** Add soft hyphens to the running text before printing (default true); skipped for languages without bundled patterns. */
  hyphenate?: boolean
  /** Milliseconds to wait for the page to load; default 30 s. */
  timeout?: number
}

export interface PrintedPdf {
  pages: number
  /** URLs the page asked for and did not get (remote files, files outside the allowed folder). */
  blockedRequests: string[]
}

export async function printPdf(browser: BrowserSession, options: PrintPdfOptions): Promise<PrintedPdf> {
  const {htmlPath, pdfPath, meta} = options
  const page = await browser.page()
  browser.allowFolders([options.allowedRoot ?? path.dirname(htmlPath)])
  const blockedBefore = browser.blockedRequests.length

  await page.goto(pathToFileURL(path.resolve(htmlPath)).href, {waitUntil: 'load', timeout: options.timeout ?? 30_000})
  await page.evaluate(() => document.fonts.ready.then(() => undefined))
  // The hyphenation pass measures lines, which must be the printed ones.
  await page.emulateMediaType('print')
  if (options.hyphenate !== false) {
    const hyphenate = await hyphenatorFor(meta.lang ?? 'en')
    if (hyphenate) await hyphenatePage(page, hyphenate)
  }
  const headings = await page.evaluate(() =>
    Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .filter((heading) => heading.getClientRects().length > 0)
      .map((heading) => (heading.textContent ?? '').replace(/\s+/g, ' ').trim())
      .filter((text) => text !== '')
  )

  const printed = await page.pdf({
    format: meta.paperSize === 'a4' ? 'A4' : 'Letter',
    preferCSSPageSize: true,
    printBackground: true,
    outline: true,
    tagged: true,
    displayHeaderFooter: false,
    waitForFonts: true,
    timeout: options.timeout ?? 30_000
  })

  // No yielding to the event loop while parsing and writing: a build waits for the PDF anyway.
  const pdf = await PDFDocument.load(printed, {updateMetadata: false, parseSpeed: Infinity})
  setDocumentInformation(pdf, meta, options.date)
  renumberStructureIds(pdf)
  repairOutlineTitles(pdf, headings)
  const bytes = await pdf.save({objectsPerTick: Infinity})
  writeAtomically(pdfPath, bytes)
  return {pages: pdf.getPageCount(), blockedRequests: browser.blockedRequests.slice(blockedBefore)}
}

function setDocumentInformation(pdf: PDFDocument, meta: DocumentMeta, date: Date): void {
  const title = meta.title?.trim()
  if (title) pdf.setTitle(title, {showInWindowTitleBar: true})
  const authors = meta.authors.map((author) => author.name.trim()).filter(Boolean)
  if (authors.length > 0) pdf.setAuthor(authors.join(', '))
  const subject = meta.abstract ? plainParagraphs(meta.abstract).join(' ') : ''
  if (subject) pdf.setSubject(subject)
  const keywords = meta.keywords.map((keyword) => keyword.trim()).filter(Boolean)
  // pdf-lib joins the list with spaces; one string keeps multi-word keywords apart.
  if (keywords.length > 0) pdf.setKeywords([keywords.join('; ')])
  pdf.setLanguage(meta.lang?.trim() || 'en')
  pdf.setCreator(pdfCreator)
  pdf.setProducer(pdfProducer)
  pdf.setCreationDate(date)
  pdf.setModificationDate(date)
}

/**
 * Chromium (147) doubles the text of an outline entry whose heading was moved to the next page to keep
 * it with its paragraph (`break-after: avoid`): "1.21.2 Findings Findings". The entries follow the
 * headings in document order, so when the counts agree each entry gets its heading's text.
 */
function repairOutlineTitles(pdf: PDFDocument, headings: string[]): void {
  const outlines = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  if (!outlines) return
  const entries: PDFDict[] = []
  const collect = (first: PDFDict | undefined) => {
    for (let entry = first; entry; entry = entry.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      entries.push(entry)
      collect(entry.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  collect(outlines.lookupMaybe(PDFName.of('First'), PDFDict))
  if (entries.length !== headings.length) return
  entries.forEach((entry, index) => entry.set(PDFName.of('Title'), PDFHexString.fromText(headings[index])))
}

const structureIdPattern = /^node(\d+)$/

/**
 * Chromium names the tagged PDF's structure elements (table headers) after DOM node ids, which keep
 * counting across page loads; renumbered from 1 in their original order (which keeps the IDTree
 * sorted), a rebuild in a warm browser gives the same bytes as one in a fresh browser.
 */
function renumberStructureIds(pdf: PDFDocument): void {
  const found = new Set<string>()
  const visit = (object: PDFObject, replace: ((value: PDFObject) => void) | undefined, rename?: Map<string, string>) => {
    if (object instanceof PDFString) {
      const value = object.asString()
      if (!structureIdPattern.test(value)) return
      if (rename) {
        const renamed = rename.get(value)
        if (renamed && replace) replace(PDFString.of(renamed))
      } else {
        found.add(value)
      }
    } else if (object instanceof PDFDict) {
      for (const [key, value] of object.entries()) visit(value, (next) => object.set(key, next), rename)
    } else if (object instanceof PDFArray) {
      for (let index = 0; index < object.size(); index++) visit(object.get(index), (next) => object.set(index, next), rename)
    }
  }
  const objects = pdf.context.enumerateIndirectObjects()
  for (const [, object] of objects) visit(object, undefined)
  if (found.size === 0) return
  const ordered = [...found].sort((left, right) => Number(structureIdPattern.exec(left)![1]) - Number(structureIdPattern.exec(right)![1]))
  const width = String(ordered.length).length
  const rename = new Map(ordered.map((id, index) => [id, `node${String(index + 1).padStart(Math.max(8, width), '0')}`]))
  for (const [, object] of objects) visit(object, undefined, rename)
}
