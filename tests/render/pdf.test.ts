/**
 * Prints the sample manuscript with a real Chromium and inspects the PDF with pdf-lib and, when it is
 * installed, poppler (pdftotext). Skipped, with the reason printed, only when no browser exists at all.
 */
import {spawnSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import type {Root} from 'mdast'
import {PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FigureRenderer} from '../../pipeline/figures/render.ts'
import {BrowserNotFoundError, findBrowser, launchBrowser, type BrowserSession} from '../../pipeline/render/browser.ts'
import {listRenderAssets, renderHtmlDocument, type DocumentMeta} from '../../pipeline/render/document.ts'
import {printPageHtml} from '../../pipeline/render/hyphenate.ts'
import {pdfCreator, pdfProducer, printPage, printPdf, RefusedLoadsError, replaceBody, type PrintedPdf} from '../../pipeline/render/pdf.ts'
import {findAll, parsePage, textOf} from './hast-query.ts'
import {sampleFigureSvg, sampleMeta, sampleTree} from './sample-manuscript.ts'
import {readNotePlacement} from '../support/pdf-notes.ts'

const browserSearch = await findBrowser().then(
  (location) => location,
  (error: unknown) => {
    if (error instanceof BrowserNotFoundError) return error
    throw error
  }
)
const noBrowser = browserSearch instanceof BrowserNotFoundError ? browserSearch : undefined
if (noBrowser) console.warn(`Skipping the PDF tests: no browser. ${noBrowser.message}\n  ${noBrowser.attempts.join('\n  ')}`)

const hasPoppler = spawnSync('pdftotext', ['-v']).status === 0
if (!noBrowser && !hasPoppler) console.warn('Skipping the PDF text checks: pdftotext (poppler-utils) is not installed.')

const printDate = new Date(Date.UTC(2016, 2, 5, 12, 0, 0))
const assetBase = 'sample_files'

/** Writes the page to print (hyphenated) and its assets into `folder` as a build would. */
async function writePage(folder: string, name: string, tree: Root, meta: DocumentMeta): Promise<string> {
  const rendered = renderHtmlDocument(tree, meta, {assetBase})
  const html = await printPageHtml(rendered.page, meta.lang ?? 'en')
  for (const asset of listRenderAssets(rendered)) {
    const target = path.join(folder, assetBase, asset.to)
    mkdirSync(path.dirname(target), {recursive: true})
    copyFileSync(asset.from, target)
  }
  writeFileSync(path.join(folder, 'figure.svg'), sampleFigureSvg)
  const htmlPath = path.join(folder, `${name}.html`)
  writeFileSync(htmlPath, html)
  return htmlPath
}

function pageText(pdfPath: string, page: number): string[] {
  const result = spawnSync('pdftotext', ['-layout', '-f', String(page), '-l', String(page), pdfPath, '-'], {encoding: 'utf8'})
  return result.stdout.split('\n').map((line) => line.trim()).filter((line) => line !== '')
}

function outlineTitles(pdf: PDFDocument): string[] {
  const outlines = pdf.catalog.lookupMaybe(PDFName.of('Outlines'), PDFDict)
  const titles: string[] = []
  const walk = (first: PDFDict | undefined) => {
    for (let entry = first; entry; entry = entry.lookupMaybe(PDFName.of('Next'), PDFDict)) {
      titles.push((entry.lookup(PDFName.of('Title')) as PDFString | PDFHexString).decodeText())
      walk(entry.lookupMaybe(PDFName.of('First'), PDFDict))
    }
  }
  walk(outlines?.lookupMaybe(PDFName.of('First'), PDFDict))
  return titles
}

function fontNames(pdf: PDFDocument): string[] {
  const names = new Set<string>()
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')) {
      names.add(object.get(PDFName.of('FontName'))!.toString().replace(/^\/([A-Z]{6}\+)?/, ''))
    }
  }
  return [...names]
}

/** The embedded fonts by their subset names (`AAAAAA+SourceSerif4-Regular`): one per font object the browser drew with. */
function fontSubsets(pdf: PDFDocument): string[] {
  const names: string[] = []
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFDict && object.get(PDFName.of('Type')) === PDFName.of('FontDescriptor')) names.push(object.get(PDFName.of('FontName'))!.toString().slice(1))
  }
  return names
}

function linkDestinations(pdf: PDFDocument): string[] {
  const destinations: string[] = []
  for (const page of pdf.getPages()) {
    const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (let index = 0; index < (annotations?.size() ?? 0); index++) {
      const destination = annotations!.lookup(index, PDFDict).get(PDFName.of('Dest'))
      if (destination instanceof PDFName) destinations.push(destination.decodeText())
    }
  }
  return destinations
}

describe.skipIf(noBrowser)('printing the manuscript to PDF', () => {
  let folder: string
  let browser: BrowserSession
  let htmlPath: string
  let pdfPath: string
  let printed: PrintedPdf
  let pdf: PDFDocument

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'manuscript-pdf-test-'))
    htmlPath = await writePage(folder, 'sample', sampleTree(), sampleMeta)
    pdfPath = path.join(folder, 'sample.pdf')
    browser = await launchBrowser()
    printed = await printPdf(browser, {htmlPath, pdfPath, meta: sampleMeta, date: printDate})
    pdf = await PDFDocument.load(readFileSync(pdfPath), {updateMetadata: false})
  })

  afterAll(async () => {
    await browser?.close()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  it('prints Letter pages and reports how many', () => {
    expect(printed.pages).toBeGreaterThanOrEqual(3)
    expect(pdf.getPageCount()).toBe(printed.pages)
    for (const page of pdf.getPages()) expect(page.getSize()).toEqual({width: 612, height: 792})
  })

  it('writes the document information', () => {
    expect(pdf.getTitle()).toBe(sampleMeta.title)
    expect(pdf.getAuthor()).toBe('Ana Lopez, Ben Okoro')
    expect(pdf.getSubject()).toBe(
      'We surveyed community organisations in 94 countries. Most of them value the advice of their donors, including those that receive little money from them.'
    )
    expect(pdf.getKeywords()).toBe('community organisations; NGOs; foreign aid')
    expect(pdf.getCreator()).toBe(pdfCreator)
    expect(pdf.getProducer()).toBe(pdfProducer)
    expect(pdf.getCreationDate()?.toISOString()).toBe(printDate.toISOString())
    expect(pdf.getModificationDate()?.toISOString()).toBe(printDate.toISOString())
  })

  it('keeps an outline with one entry per heading, in order, each with its text once', () => {
    // The endnotes' heading is not printed: the notes are at the foot of their pages.
    const headings = findAll(parsePage(readFileSync(htmlPath, 'utf8')), (element) => /^h[1-6]$/.test(element.tagName) && element.properties.id !== 'footnote-label').map(textOf)
    expect(headings).toContain('1.2 Findings')
    expect(outlineTitles(pdf)).toEqual(headings)
  })

  it('keeps internal links (footnotes, references) working', () => {
    const destinations = linkDestinations(pdf)
    expect(destinations).toContain('user-content-fn-first')
    // (No link back from a note to its call: they are on the same page.)
    expect(destinations).toContain('ref-Haddad:2011')
    const named = pdf.catalog.lookup(PDFName.of('Dests'), PDFDict)
    for (const destination of destinations) expect(named.has(PDFName.of(destination))).toBe(true)
  })

  it('embeds the bundled typefaces and KaTeX fonts', () => {
    const fonts = fontNames(pdf)
    expect(fonts.some((name) => name.startsWith('SourceSerif4'))).toBe(true)
    expect(fonts.some((name) => name.startsWith('SourceSans3'))).toBe(true)
    expect(fonts.some((name) => name.startsWith('KaTeX_Main'))).toBe(true)
    expect(fonts.some((name) => /DejaVu|OpenSans|Liberation/.test(name))).toBe(false)
  })

  it('makes no network request: the remote image was blocked, nothing else was', () => {
    expect(printed.blockedRequests).toEqual(['http://example.com/x.png'])
  })

  it.skipIf(!hasPoppler)('does not run scripts from the raw HTML', () => {
    const first = pageText(pdfPath, 1).join(' ')
    expect(first).toContain('Small Grants, Long Shadows:')
    expect(first).not.toContain('Changed by a script')
  })

  it.skipIf(!hasPoppler)('has the running head on every page but the first, and page numbers', () => {
    for (let page = 1; page <= printed.pages; page++) {
      const lines = pageText(pdfPath, page)
      expect(lines.at(-1)).toBe(String(page))
      if (page === 1) expect(lines[0]).toBe(sampleMeta.published!.toUpperCase())
      else expect(lines[0]).toBe('Small Grants, Long Shadows')
    }
  })

  it.skipIf(!hasPoppler)('hyphenates running text, leaving soft hyphens only where lines break', () => {
    const text = spawnSync('pdftotext', ['-layout', pdfPath, '-'], {encoding: 'utf8'}).stdout
    const lines = text.split('\n')
    const hyphenatedLines = lines.filter((line) => line.includes('\u00AD'))
    expect(hyphenatedLines.length).toBeGreaterThan(5)
    for (const line of hyphenatedLines) expect(line.trimEnd()).toMatch(/\u00AD-$/)
  })

  it.skipIf(!hasPoppler)('prints each note at the foot of the page of its call, and no endnotes', async () => {
    const placement = await readNotePlacement(pdfPath)
    expect(placement.calls.size).toBeGreaterThanOrEqual(2)
    for (const [number, page] of placement.calls) expect({number, pages: placement.notes.get(number)}).toEqual({number, pages: [page]})
    expect(placement.pages.flat()).not.toContain('Notes')
  })

  it.skipIf(!hasPoppler)('prints the notes before the references with notes: endnotes', async () => {
    const endnotesPath = path.join(folder, 'sample-endnotes.pdf')
    const endnotes = await printPdf(browser, {htmlPath, pdfPath: endnotesPath, meta: {...sampleMeta, notes: 'endnotes'}, date: printDate})
    expect(endnotes.footnotes).toBeUndefined()
    const last = pageText(endnotesPath, endnotes.pages).join('\n')
    expect(last.indexOf('Notes')).toBeGreaterThanOrEqual(0)
    expect(last.indexOf('Notes')).toBeLessThan(last.indexOf('References'))
    expect(last.indexOf('An inline note, numbered with the others.')).toBeLessThan(last.indexOf('Haddad, Lina.'))
  })

  it('gives the same bytes when printed again, and leaves no temporary file', async () => {
    const first = readFileSync(pdfPath)
    const again = await printPdf(browser, {htmlPath, pdfPath, meta: sampleMeta, date: printDate})
    expect(again.pages).toBe(printed.pages)
    expect(readFileSync(pdfPath).equals(first)).toBe(true)
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('prints a page whose body alone changed, as watch mode does, into the bytes of a fresh load', async () => {
    const longer = sampleTree()
    longer.children.push({
      type: 'paragraph',
      children: [
        {type: 'text', value: 'A sentence added since the last print, with '},
        {type: 'emphasis', children: [{type: 'strong', children: [{type: 'text', value: 'bold italic words'}]}]},
        {type: 'text', value: ' that no other sentence of the sample uses.'}
      ]
    })
    const firstHtml = await writePage(folder, 'watched-first', sampleTree(), sampleMeta)
    const secondHtml = await writePage(folder, 'watched-second', longer, sampleMeta)
    const target = path.join(folder, 'watched.html')
    // The same files beside the page (fonts, the figure) for both: only the body differs.
    const options = {htmlPath: target, meta: sampleMeta, date: printDate, assetsVersion: 'fonts and figure, unchanged'}
    const first = await printPage(browser, readFileSync(firstHtml, 'utf8'), {...options, pdfPath: path.join(folder, 'watched-1.pdf')})
    const second = await printPage(browser, readFileSync(secondHtml, 'utf8'), {...options, pdfPath: path.join(folder, 'watched-2.pdf')})
    const fresh = await printPdf(browser, {...options, htmlPath: secondHtml, pdfPath: path.join(folder, 'watched-fresh.pdf')})
    expect([first.loaded, second.loaded, fresh.loaded]).toEqual(['loaded', 'body replaced', 'loaded'])
    expect(second.pages).toBe(fresh.pages)
    expect(readFileSync(path.join(folder, 'watched-2.pdf')).equals(readFileSync(path.join(folder, 'watched-fresh.pdf')))).toBe(true)
    expect(readFileSync(path.join(folder, 'watched-2.pdf')).equals(readFileSync(path.join(folder, 'watched-1.pdf')))).toBe(false)
    if (hasPoppler) expect(pageText(path.join(folder, 'watched-2.pdf'), second.pages).join(' ')).toContain('bold italic words')
    // A page with another head (here another title) is loaded afresh.
    const retitled = await writePage(folder, 'watched-retitled', longer, {...sampleMeta, title: 'Another title'})
    const third = await printPage(browser, readFileSync(retitled, 'utf8'), {...options, meta: {...sampleMeta, title: 'Another title'}, pdfPath: path.join(folder, 'watched-3.pdf')})
    expect(third.loaded).toBe('loaded')
  })

  it('prints a body changed in the middle, sent as the change alone, into the bytes of a fresh load', async () => {
    // A save in watch mode changes a word: the page is sent only what changed, and puts the body together from its copy.
    const paragraph = (words: string) => ({type: 'paragraph' as const, children: [{type: 'text' as const, value: words}]})
    const tree = (middle: string) => {
      const changed = sampleTree()
      changed.children.splice(2, 0, paragraph(middle))
      return changed
    }
    const texts = ['Café 🌱 first wording of a sentence.', 'Café 🌿 second wording of a sentence, longer.', 'Caf 🌿 third.']
    const htmls = await Promise.all(texts.map((words, index) => writePage(folder, `spliced-${index}`, tree(words), sampleMeta)))
    const options = {htmlPath: path.join(folder, 'spliced.html'), meta: sampleMeta, date: printDate, assetsVersion: 'fonts and figure, unchanged'}
    const print = (index: number, name: string) => printPage(browser, readFileSync(htmls[index], 'utf8'), {...options, pdfPath: path.join(folder, `${name}.pdf`)})
    expect((await print(0, 'spliced-0')).loaded).toBe('loaded')
    await print(1, 'spliced-1')
    const page = await browser.page()
    const bodyBefore = await page.evaluate(() => document.body.innerHTML.length)
    expect((await print(2, 'spliced-2')).loaded).toBe('body replaced')
    // The page lost its copy (say, it was reloaded): the whole body is sent instead.
    await page.evaluate(() => delete (globalThis as {__manuscriptPrintedBody?: unknown}).__manuscriptPrintedBody)
    expect((await print(1, 'spliced-1-again')).loaded).toBe('body replaced')
    for (const [index, name] of [[2, 'spliced-2'], [1, 'spliced-1-again']] as const) {
      await printPdf(browser, {...options, htmlPath: htmls[index], pdfPath: path.join(folder, `${name}-fresh.pdf`)})
      expect(readFileSync(path.join(folder, `${name}.pdf`)).equals(readFileSync(path.join(folder, `${name}-fresh.pdf`)))).toBe(true)
    }
    expect(bodyBefore).toBeGreaterThan(0)
    // (The emoji has no glyph in the bundled faces: its code units still test the splice, above.)
    if (hasPoppler) expect(pageText(path.join(folder, 'spliced-2.pdf'), 1).join(' ')).toMatch(/is inline\. Caf\s+third\./)
  })

  it('sends a page only the part of a body that changed', async () => {
    const page = await browser.page()
    const sent: number[] = []
    // The page as the printer sees it, recording the size of each script sent to it.
    const recording = new Proxy(page, {
      get(target, key) {
        if (key === 'evaluate') return (script: string) => (sent.push(script.length), target.evaluate(script))
        const value = Reflect.get(target, key) as unknown
        return typeof value === 'function' ? value.bind(target) : value
      }
    })
    const body = (word: string) => Array.from({length: 300}, (_, index) => `<p>Paragraph ${index}${index === 150 ? ` ${word}` : ''} of the body.</p>`).join('')
    const first = await replaceBody(recording, body('one'))
    await replaceBody(recording, body('two, a changed word'), first)
    expect(await page.evaluate(() => document.body.innerHTML)).toBe(body('two, a changed word'))
    expect(sent[0]).toBeGreaterThan(body('one').length)
    expect(sent[1]).toBeLessThan(3000)
  })

  it('loads the page afresh when a file it shows changed, so that the PDF does not keep the old figure', async () => {
    const svg = (width: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="40"><rect width="${width}" height="40"/></svg>`
    const page = (words: string) => `<!doctype html><html><head><title>Figure</title></head><body><p>${words}</p><img id="figure" src="changing.svg" alt=""></body></html>`
    const target = path.join(folder, 'changing.html')
    const shownWidth = async () => (await browser.page()).evaluate(() => (document.getElementById('figure') as HTMLImageElement).naturalWidth)
    const print = (words: string, assetsVersion: string) => printPage(browser, page(words), {htmlPath: target, pdfPath: path.join(folder, 'changing.pdf'), meta: sampleMeta, date: printDate, assetsVersion})
    writeFileSync(path.join(folder, 'changing.svg'), svg(100))
    expect((await print('first', 'figure 1')).loaded).toBe('loaded')
    expect(await shownWidth()).toBe(100)
    writeFileSync(path.join(folder, 'changing.svg'), svg(300))
    expect((await print('second', 'figure 2')).loaded).toBe('loaded')
    expect(await shownWidth()).toBe(300)
    expect((await print('third', 'figure 2')).loaded).toBe('body replaced')
    expect(await shownWidth()).toBe(300)
    // Raw HTML that loads a stylesheet: a load waits for it, a replaced body would not.
    writeFileSync(path.join(folder, 'changing.css'), 'p { color: #333 }')
    expect((await print('fourth <link rel="stylesheet" href="changing.css">', 'figure 2')).loaded).toBe('loaded')
  })

  it('prints A4 when the manuscript asks for it', async () => {
    const meta: DocumentMeta = {...sampleMeta, paperSize: 'a4'}
    const a4Html = await writePage(folder, 'sample-a4', sampleTree(), meta)
    const a4Path = path.join(folder, 'sample-a4.pdf')
    await printPdf(browser, {htmlPath: a4Html, pdfPath: a4Path, meta, date: printDate})
    const a4 = await PDFDocument.load(readFileSync(a4Path))
    const {width, height} = a4.getPage(0).getSize()
    expect(Math.round(width)).toBe(595)
    expect(Math.round(height)).toBe(842)
  })

  it('blocks files outside the allowed folder', async () => {
    const inner = path.join(folder, 'output')
    mkdirSync(inner, {recursive: true})
    writeFileSync(path.join(folder, 'secret.svg'), sampleFigureSvg)
    const tree: Root = {
      type: 'root',
      children: [{type: 'html', value: '<p><img src="../secret.svg" alt="outside"><img src="figure.svg" alt="inside"></p>'}]
    }
    const innerHtml = await writePage(inner, 'outside', tree, {authors: [], keywords: [], paperSize: 'letter'})
    const result = await printPdf(browser, {htmlPath: innerHtml, pdfPath: path.join(inner, 'outside.pdf'), meta: sampleMeta, date: printDate})
    expect(result.blockedRequests).toEqual([pathToFileURL(path.join(folder, 'secret.svg')).href])
  })

  it('loads only regular files whose real path is inside the allowed folder: no link out of it, no folder', async () => {
    const inner = path.join(folder, 'linked')
    mkdirSync(path.join(inner, 'a folder'), {recursive: true})
    writeFileSync(path.join(folder, 'secret.txt'), 'TEXT FROM OUTSIDE THE OUTPUT FOLDER')
    symlinkSync(path.join(folder, 'secret.txt'), path.join(inner, 'leak.html'))
    symlinkSync('figure.svg', path.join(inner, 'alias.svg'))
    const tree: Root = {
      type: 'root',
      children: [{type: 'html', value: '<p><iframe src="leak.html"></iframe><iframe src="a%20folder/"></iframe><img id="alias" src="alias.svg" alt="a link inside"></p>'}]
    }
    const innerHtml = await writePage(inner, 'linked', tree, {authors: [], keywords: [], paperSize: 'letter'})
    const pdfFile = path.join(inner, 'linked.pdf')
    const result = await printPdf(browser, {htmlPath: innerHtml, pdfPath: pdfFile, meta: sampleMeta, date: printDate})
    expect(result.blockedRequests).toEqual([pathToFileURL(path.join(inner, 'leak.html')).href, `${pathToFileURL(path.join(inner, 'a folder')).href}/`])
    // A link to a file inside the folder is a file inside it.
    expect(await (await browser.page()).evaluate(() => (document.getElementById('alias') as HTMLImageElement).naturalWidth)).toBe(600)
    if (hasPoppler) expect(spawnSync('pdftotext', [pdfFile, '-'], {encoding: 'utf8'}).stdout).not.toContain('TEXT FROM OUTSIDE')
  })

  it('with refuseIncomplete, writes no PDF when a load was refused, and says which', async () => {
    const tree: Root = {type: 'root', children: [{type: 'html', value: '<p><img src="../secret.svg" alt="outside"></p>'}]}
    const inner = path.join(folder, 'refused')
    mkdirSync(inner, {recursive: true})
    const innerHtml = await writePage(inner, 'refused', tree, {authors: [], keywords: [], paperSize: 'letter'})
    const pdfFile = path.join(inner, 'refused.pdf')
    writeFileSync(pdfFile, 'the last good PDF')
    const error = await printPdf(browser, {htmlPath: innerHtml, pdfPath: pdfFile, meta: sampleMeta, date: printDate, refuseIncomplete: true}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(RefusedLoadsError)
    expect((error as RefusedLoadsError).urls).toEqual([pathToFileURL(path.join(folder, 'secret.svg')).href])
    expect(readFileSync(pdfFile, 'utf8')).toBe('the last good PDF')
  })

  it('prints the page it was given when its raw HTML asks for a refresh, to another page or to itself', async () => {
    writeFileSync(path.join(folder, 'elsewhere.html'), '<!doctype html><title>Elsewhere</title><p>ANOTHER PAGE</p>')
    for (const content of ['0;url=elsewhere.html', '0']) {
      const tree: Root = {type: 'root', children: [{type: 'html', value: `<meta http-equiv="refresh" content="${content}">`}, {type: 'paragraph', children: [{type: 'text', value: 'The page itself.'}]}]}
      const refreshing = await writePage(folder, 'refreshing', tree, sampleMeta)
      const pdfFile = path.join(folder, 'refreshing.pdf')
      await printPdf(browser, {htmlPath: refreshing, pdfPath: pdfFile, meta: sampleMeta, date: printDate})
      // Time for the refresh to be tried.
      await new Promise((resolve) => setTimeout(resolve, 500))
      const page = await browser.page()
      expect(page.url()).toBe(pathToFileURL(refreshing).href)
      expect(await page.evaluate(() => document.body.innerText)).toContain('The page itself.')
      if (hasPoppler) expect(spawnSync('pdftotext', [pdfFile, '-'], {encoding: 'utf8'}).stdout).toContain('The page itself.')
    }
  })

  it('ends every process of the browser and deletes its temporary profile when closed', async () => {
    const second = await launchBrowser()
    // Each of the browser's processes names its profile on its command line.
    const running = () => (existsSync('/proc') ? readdirSync('/proc').filter((pid) => /^\d+$/.test(pid) && commandLineOf(pid).includes(second.profileDirectory)) : [])
    expect(existsSync(second.profileDirectory)).toBe(true)
    if (existsSync('/proc')) expect(running().length).toBeGreaterThan(0)
    await second.close()
    expect(running()).toEqual([])
    expect(existsSync(second.profileDirectory)).toBe(false)
  })
})

describe.skipIf(noBrowser)('a generated figure in the PDF', () => {
  it('sets its text in the Source Sans 3 faces the SVG carries, regular and semibold', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'manuscript-pdf-figure-'))
    const browser = await launchBrowser()
    try {
      const spec = {
        data: {values: [{region: 'North', yield: 43.8}, {region: 'Centre', yield: 46.5}]},
        mark: 'bar',
        encoding: {x: {field: 'region', type: 'nominal', title: 'Region of the garden'}, y: {field: 'yield', type: 'quantitative', title: 'Yield per plot'}}
      }
      writeFileSync(path.join(folder, 'figure.svg'), await new FigureRenderer().render({label: 'fig:yield', caption: 'Yield', spec}))
      // The page sets no text of its own in Source Sans 3: whatever of it the PDF holds is the figure's.
      const htmlPath = path.join(folder, 'figure.html')
      writeFileSync(htmlPath, '<!doctype html><html><body style="font-family: serif"><p>Page text.</p><img src="figure.svg" width="600"></body></html>')
      const pdfPath = path.join(folder, 'figure.pdf')
      await printPdf(browser, {htmlPath, pdfPath, meta: sampleMeta, date: printDate})
      const fonts = fontNames(await PDFDocument.load(readFileSync(pdfPath), {updateMetadata: false})).filter((name) => name.startsWith('SourceSans3'))
      expect(fonts.some((name) => name.endsWith('-Regular'))).toBe(true)
      expect(fonts.some((name) => name.endsWith('-SemiBold'))).toBe(true)
      if (hasPoppler) expect(pageText(pdfPath, 1).join(' ')).toMatch(/Yield per plot.*Centre North Region of the garden/)
    } finally {
      await browser.close()
      rmSync(folder, {recursive: true, force: true})
    }
  }, 60_000)

  it('prints each figure with fonts of its own, in a replaced body as in a fresh load, whichever figure was shown before', async () => {
    // Watch mode: the page showed one figure; a save brings in another (the author's new text shows it, or the browser
    // dropped the image it held). The PDF must have the bytes of a fresh load of the page with both.
    const folder = mkdtempSync(path.join(tmpdir(), 'manuscript-pdf-figures-'))
    const renderer = new FigureRenderer()
    const bars = (title: string) => ({
      data: {values: [{region: 'North', yield: 43.8}, {region: 'Centre', yield: 46.5}]},
      mark: 'bar',
      encoding: {x: {field: 'region', type: 'nominal', title}, y: {field: 'yield', type: 'quantitative', title: 'Yield per plot'}}
    })
    writeFileSync(path.join(folder, 'first.svg'), await renderer.render({label: 'fig:first', caption: 'First', spec: bars('Region of the garden')}))
    writeFileSync(path.join(folder, 'second.svg'), await renderer.render({label: 'fig:second', caption: 'Second', spec: bars('Region of the field')}))
    const page = (images: string[]) => `<!doctype html><html><head><title>Figures</title></head><body style="font-family: serif"><p>Page text.</p>${images.map((name) => `<p><img src="${name}.svg" width="600"></p>`).join('')}</body></html>`
    const options = {htmlPath: path.join(folder, 'figures.html'), meta: sampleMeta, date: printDate, assetsVersion: 'both figures'}
    const watching = await launchBrowser()
    const fresh = await launchBrowser()
    try {
      expect((await printPage(watching, page(['first']), {...options, pdfPath: path.join(folder, 'one.pdf')})).loaded).toBe('loaded')
      const replaced = await printPage(watching, page(['first', 'second']), {...options, pdfPath: path.join(folder, 'replaced.pdf')})
      const loaded = await printPage(fresh, page(['first', 'second']), {...options, pdfPath: path.join(folder, 'loaded.pdf')})
      expect([replaced.loaded, loaded.loaded]).toEqual(['body replaced', 'loaded'])
      // Regular and semibold for each figure: four subsets of Source Sans 3 (two when the figures shared their fonts).
      for (const name of ['replaced.pdf', 'loaded.pdf']) {
        const subsets = fontSubsets(await PDFDocument.load(readFileSync(path.join(folder, name)), {updateMetadata: false}))
        expect(subsets.filter((subset) => subset.includes('+SourceSans3')), name).toHaveLength(4)
      }
      expect(replaced.sha256).toBe(loaded.sha256)
    } finally {
      await watching.close()
      await fresh.close()
      rmSync(folder, {recursive: true, force: true})
    }
  }, 60_000)
})

/** A process's command line, or '' when it has ended meanwhile. */
function commandLineOf(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}
