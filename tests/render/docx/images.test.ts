/**
 * A generated figure in Word looks as it does in the PDF: the PNG resvg makes of its SVG (whose text is set in
 * woff2 faces resvg cannot read) is compared, pixel by pixel, with the same SVG drawn by Chromium, which prints the
 * PDF. Text in another face, or missing, moves or loses the ink of every label. Skipped when there is no browser.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {Resvg} from '@resvg/resvg-js'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {FigureRenderer} from '../../../pipeline/figures/render.ts'
import {BrowserNotFoundError, findBrowser, launchBrowser, type BrowserSession} from '../../../pipeline/render/browser.ts'
import {prepareImages} from '../../../pipeline/render/docx/images.ts'
import {readPng, type GreyImage} from '../../support/png.ts'

const browserSearch = await findBrowser().then(
  () => undefined,
  (error: unknown) => {
    if (error instanceof BrowserNotFoundError) return error
    throw error
  }
)
if (browserSearch) console.warn(`Skipping the Word figure comparison: no browser. ${browserSearch.message}`)

/**
 * Regular labels, semibold axis titles, a text mark, and a label outside Latin-1 (from the latin-ext subset; resvg
 * finds such a letter in the second subset's file unless the next letter is one it decomposes, as in 'Łó').
 */
const spec = {
  data: {
    values: [
      {region: 'North', yield: 43.8},
      {region: 'Centre', yield: 46.5},
      {region: 'Świdnik', yield: 53.3}
    ]
  },
  encoding: {x: {field: 'region', type: 'nominal', sort: null, title: 'Region of the garden'}, y: {field: 'yield', type: 'quantitative', title: 'Yield per plot (kg)'}},
  layer: [{mark: 'bar'}, {mark: {type: 'text', dy: -6}, encoding: {text: {field: 'yield', type: 'quantitative', format: '.1f'}}}],
  height: 160
}

describe.skipIf(browserSearch)('a figure in Word', () => {
  let browser: BrowserSession
  let folder: string
  let svg: Buffer
  let chromium: GreyImage
  let word: GreyImage

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'docx-figure-'))
    svg = Buffer.from(await new FigureRenderer().render({label: 'fig:yield', caption: 'Yield by region', spec}))
    const png = (await prepareImages(new Map([['figures/yield.svg', {file: 'figures/yield.svg', bytes: svg}]]), 612, undefined)).get('figures/yield.svg')!
    expect(png.type).toBe('png')
    word = readPng(png.data)
    chromium = await drawnByChromium(svg, word.width, word.height)
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  async function drawnByChromium(image: Buffer, width: number, height: number): Promise<GreyImage> {
    browser = await launchBrowser({screenshots: true})
    browser.allowFolders([folder])
    const page = await browser.page()
    const html = path.join(folder, 'figure.html')
    writeFileSync(html, `<!doctype html><body style="margin:0;background:white"><img style="display:block;width:${width}px;height:${height}px" src="data:image/svg+xml;base64,${image.toString('base64')}">`)
    await page.setViewport({width, height})
    browser.expectNavigation(pathToFileURL(html).href)
    await page.goto(pathToFileURL(html).href, {waitUntil: 'load'})
    return readPng(Buffer.from(await page.screenshot({type: 'png'})))
  }

  /** resvg's drawing of the SVG with the given fonts, at the PNG's size. */
  function drawnByResvg(font: {loadSystemFonts: boolean; fontFiles?: string[]}): GreyImage {
    return readPng(new Resvg(svg, {fitTo: {mode: 'width', value: word.width}, background: 'white', font}).render().asPng())
  }

  it('shows the text in the same faces, where Chromium shows it', () => {
    const fallback = drawnByResvg({loadSystemFonts: true})
    const none = drawnByResvg({loadSystemFonts: false})
    const difference = inkDifference(word, chromium)
    expect(difference).toBeLessThan(0.002)
    // What the comparison tells apart: the same SVG rasterised without our faces (system fonts, or none at all).
    expect(inkDifference(fallback, chromium)).toBeGreaterThan(3 * difference)
    expect(inkDifference(none, chromium)).toBeGreaterThan(3 * difference)
  })
})

/**
 * How far apart two drawings' ink is: both are averaged over 4 × 4 pixel cells (so that anti-aliasing and
 * hinting do not count) and the mean difference of the cells is returned as a share of full black.
 */
function inkDifference(a: GreyImage, b: GreyImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height])
  const cell = 4
  let total = 0
  let cells = 0
  for (let top = 0; top + cell <= a.height; top += cell) {
    for (let left = 0; left + cell <= a.width; left += cell) {
      let difference = 0
      for (let y = top; y < top + cell; y++) for (let x = left; x < left + cell; x++) difference += a.grey[y * a.width + x] - b.grey[y * a.width + x]
      total += Math.abs(difference) / (cell * cell * 255)
      cells++
    }
  }
  return total / cells
}
