/**
 * Rendering makes no network request and runs no script: a manuscript whose raw HTML asks for an image over HTTP,
 * a stylesheet over HTTPS, a frame, and has a script that would fetch a URL and rewrite the page is printed with
 * a real Chromium while a server on the loopback interface counts every connection made to it. The browser
 * session's request interception sees and refuses the requests; none reaches the server; the script never runs.
 * Skipped, with the reason printed, only when no browser exists at all.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PDFDocument} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BrowserNotFoundError, findBrowser, launchBrowser, type BrowserSession} from '../../pipeline/render/browser.ts'
import {listRenderAssets, renderHtmlDocument, type DocumentMeta} from '../../pipeline/render/document.ts'
import {printPdf, type PrintedPdf} from '../../pipeline/render/pdf.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'

const noBrowser = await findBrowser().then(
  () => undefined,
  (error: unknown) => {
    if (error instanceof BrowserNotFoundError) return error
    throw error
  }
)
if (noBrowser) console.warn(`Skipping the network tests: no browser. ${noBrowser.message}`)

const meta: DocumentMeta = {title: 'No network', authors: [], keywords: [], paperSize: 'letter'}

describe.skipIf(noBrowser)('printing a manuscript that asks for the network', () => {
  let server: Server
  let connections = 0
  let base: string
  let folder: string
  let browser: BrowserSession
  let printed: PrintedPdf
  /** Every request the page made, as the interception saw it. */
  const requested: string[] = []
  let pageText = ''
  let pageTitle = ''

  beforeAll(async () => {
    server = createServer((_request, response) => response.end('reached'))
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`

    const markdown = [
      '# Network',
      '',
      `A remote image: <img src="http://${base}/image.png" alt="remote">.`,
      '',
      `<link rel="stylesheet" href="https://${base}/style.css">`,
      '',
      `<script>fetch('http://${base}/fetched'); document.title = 'SCRIPT RAN'; document.body.insertAdjacentText('beforeend', 'SCRIPT RAN')</script>`,
      '',
      `<iframe src="http://${base}/frame"></iframe>`,
      '',
      'The text after.',
      ''
    ].join('\n')
    const {html} = renderHtmlDocument(parseMarkdown(markdown, 'manuscript/manuscript.md'), meta, {assetBase: 'page_files'})
    folder = mkdtempSync(path.join(tmpdir(), 'trust-network-'))
    for (const asset of listRenderAssets()) {
      mkdirSync(path.dirname(path.join(folder, 'page_files', asset.to)), {recursive: true})
      copyFileSync(asset.from, path.join(folder, 'page_files', asset.to))
    }
    writeFileSync(path.join(folder, 'page.html'), html)

    browser = await launchBrowser()
    const page = await browser.page()
    page.on('request', (request) => requested.push(request.url()))
    printed = await printPdf(browser, {htmlPath: path.join(folder, 'page.html'), pdfPath: path.join(folder, 'page.pdf'), meta, date: new Date(0)})
    // The rendered text (a script's own source is not part of it).
    pageText = await page.evaluate(() => document.body.innerText)
    pageTitle = await page.evaluate(() => document.title)
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await new Promise((resolve) => server?.close(resolve))
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  it('asked for the image, the stylesheet and the frame, and every request was refused', () => {
    const remote = requested.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))
    expect(remote).toEqual(expect.arrayContaining([`http://${base}/image.png`, `https://${base}/style.css`, `http://${base}/frame`]))
    for (const url of remote) expect(printed.blockedRequests).toContain(url)
  })

  it('let no request leave: the server saw no connection at all', () => {
    expect(connections).toBe(0)
  })

  it('ran no script: nothing was fetched, the page and its title are as written', async () => {
    expect(requested.some((url) => url.includes('/fetched'))).toBe(false)
    expect(pageText).toContain('The text after.')
    expect(pageText).not.toContain('SCRIPT RAN')
    expect(pageTitle).toBe('No network')
    const pdf = await PDFDocument.load(readFileSync(path.join(folder, 'page.pdf')), {updateMetadata: false})
    expect(pdf.getTitle()).toBe('No network')
  })
})
