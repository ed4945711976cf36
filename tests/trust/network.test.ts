/**
 * Rendering makes no network request, opens no connection and runs no script, whatever the browser: with every
 * browser this machine has (the system's Chromium and the packaged one, as findBrowsers lists them; set
 * MANUSCRIPT_BROWSER to test only one), a manuscript whose raw HTML asks for a server on the loopback interface in
 * every way a page can (an image, a stylesheet, a frame, a script, `<link rel="preconnect">`, `dns-prefetch` and
 * `prefetch`, a link, CSS `url()` and `@import`, an SVG `<image>`, a `<meta http-equiv="refresh">`) is printed while
 * the server counts the connections made to it. The browser session's request interception refuses the requests it
 * sees; the launch flags leave the rest nowhere to connect (Chromium 156 preconnects otherwise); the page printed is
 * the one given; the script never runs. Skipped, with the reason printed, only when no browser exists at all.
 */
import {copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {createServer, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {PDFDocument} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {BrowserNotFoundError, findBrowsers, launchBrowser, type BrowserLocation, type BrowserSession} from '../../pipeline/render/browser.ts'
import {listRenderAssets, renderHtmlDocument, type DocumentMeta} from '../../pipeline/render/document.ts'
import {printPdf, type PrintedPdf} from '../../pipeline/render/pdf.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'

const browsers = await findBrowsers().then(
  (found) => found,
  (error: unknown) => {
    if (error instanceof BrowserNotFoundError) {
      console.warn(`Skipping the network tests: no browser. ${error.message}`)
      return [] as BrowserLocation[]
    }
    throw error
  }
)

const meta: DocumentMeta = {title: 'No network', authors: [], keywords: [], paperSize: 'letter'}

/** The raw HTML of the manuscript: every way a page can reach `base` (`127.0.0.1:port`). */
function manuscript(base: string): string {
  return [
    '# Network',
    '',
    `A remote image: <img src="http://${base}/image.png" alt="remote">.`,
    '',
    `<link rel="stylesheet" href="https://${base}/style.css">`,
    '',
    `<link rel="preconnect" href="http://${base}">`,
    '',
    `<link rel="dns-prefetch" href="http://${base}">`,
    '',
    `<link rel="prefetch" href="http://${base}/prefetched">`,
    '',
    `<script>fetch('http://${base}/fetched'); document.title = 'SCRIPT RAN'; document.body.insertAdjacentText('beforeend', 'SCRIPT RAN')</script>`,
    '',
    `<iframe src="http://${base}/frame"></iframe>`,
    '',
    `A <a href="http://${base}/link">link</a> and a <span style="background-image: url(http://${base}/background.png)">styled</span> word.`,
    '',
    '<style>',
    `@import url("http://${base}/imported.css");`,
    `h1 { background: url('http://${base}/banner.png') }`,
    '</style>',
    '',
    '<svg width="20" height="20" xmlns="http://www.w3.org/2000/svg">',
    `  <image href="http://${base}/drawn.png" width="20" height="20"/>`,
    '</svg>',
    '',
    `<meta http-equiv="refresh" content="0;url=http://${base}/refreshed">`,
    '',
    'The text after.',
    ''
  ].join('\n')
}

for (const location of browsers) {
  describe(`printing a manuscript that asks for the network, with the ${location.source} browser ${location.executablePath}`, () => {
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
    let pageUrl = ''

    beforeAll(async () => {
      server = createServer((_request, response) => response.end('reached'))
      server.on('connection', () => connections++)
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      base = `127.0.0.1:${(server.address() as AddressInfo).port}`

      const {html, math} = renderHtmlDocument(parseMarkdown(manuscript(base), 'manuscript/manuscript.md'), meta, {assetBase: 'page_files'})
      folder = mkdtempSync(path.join(tmpdir(), 'trust-network-'))
      for (const asset of listRenderAssets({math})) {
        mkdirSync(path.dirname(path.join(folder, 'page_files', asset.to)), {recursive: true})
        copyFileSync(asset.from, path.join(folder, 'page_files', asset.to))
      }
      writeFileSync(path.join(folder, 'page.html'), html)

      browser = await launchBrowser({executable: location.executablePath})
      const page = await browser.page()
      page.on('request', (request) => requested.push(request.url()))
      printed = await printPdf(browser, {htmlPath: path.join(folder, 'page.html'), pdfPath: path.join(folder, 'page.pdf'), meta, date: new Date(0)})
      // A connection would be opened while the page loads or right after: the refresh fires once it has loaded.
      await new Promise((resolve) => setTimeout(resolve, 1000))
      // The rendered text (a script's own source is not part of it).
      pageText = await page.evaluate(() => document.body.innerText)
      pageTitle = await page.evaluate(() => document.title)
      pageUrl = page.url()
    }, 120_000)

    afterAll(async () => {
      await browser?.close()
      await new Promise((resolve) => server?.close(resolve))
      if (folder) rmSync(folder, {recursive: true, force: true})
    })

    it('asked for the image, the stylesheets, the frame and the CSS and SVG images, and every request was refused', () => {
      const remote = requested.filter((url) => !url.startsWith('file:') && !url.startsWith('data:'))
      const expected = ['image.png', 'style.css', 'frame', 'background.png', 'imported.css', 'drawn.png'].map((name) => expect.stringMatching(new RegExp(`^https?://${base}/${name}$`)))
      expect(remote).toEqual(expect.arrayContaining(expected))
      for (const url of remote.filter((each) => !each.endsWith('/refreshed'))) expect(printed.blockedRequests).toContain(url)
    })

    it('let nothing leave: the server saw no connection at all, not even a preconnect', () => {
      expect(connections).toBe(0)
    })

    it('stayed on the page it was given when the raw HTML asked for a refresh', () => {
      expect(pageUrl).toBe(pathToFileURL(path.join(folder, 'page.html')).href)
      expect(pageText).toContain('The text after.')
    })

    it('ran no script: nothing was fetched, the page and its title are as written', async () => {
      expect(requested.some((url) => url.includes('/fetched'))).toBe(false)
      expect(pageText).not.toContain('SCRIPT RAN')
      expect(pageTitle).toBe('No network')
      const pdf = await PDFDocument.load(readFileSync(path.join(folder, 'page.pdf')), {updateMetadata: false})
      expect(pdf.getTitle()).toBe('No network')
    })
  })
}

if (browsers.length === 0) describe.skip('printing a manuscript that asks for the network (no browser found)', () => it('opens no connection', () => undefined))
