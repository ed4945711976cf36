/**
 * Figures for Word: PNG, JPEG and GIF are embedded as they are; SVG (drawn or converted from a PDF figure for the
 * HTML, see ../assets.ts) is rasterised by resvg to a PNG sharp at print resolution, with the document's typefaces
 * given to it as font files (it reads no `@font-face`, so a generated figure's text would otherwise fall back to
 * another face, or vanish on a system without fonts). Each figure is shown at its own
 * size, made smaller to fit the text width. Rasterising is the slow part of a Word build: the figures are drawn side
 * by side (resvg's own threads), and each PNG is kept in the build's cache for the next build.
 */
import {createHash} from 'node:crypto'
import {createRequire} from 'node:module'
import {rasterFontFiles} from '../../figures/raster-fonts.ts'
import {DerivedCache} from '../../graph/derived-cache.ts'
import {pixelSize} from '../image-size.ts'

const require = createRequire(import.meta.url)

/** Dots per inch of a rasterised SVG at the size it is shown. */
export const printResolution = 300

export interface DocxImage {
  type: 'png' | 'jpg' | 'gif'
  data: Buffer
  /** Shown size in pixels at 96 to the inch (what docx's ImageRun takes). */
  width: number
  height: number
}

export interface FigureFile {
  /** The file's name (its extension says its format). */
  file: string
  bytes: Buffer
}

/** Each figure made ready for Word, by URL; undefined for one Word cannot be given (a format it does not take). */
export async function prepareImages(figures: Map<string, FigureFile>, maxWidth: number, cache: DerivedCache | undefined): Promise<Map<string, DocxImage | undefined>> {
  const fontFiles = [...figures.values()].some(({file}) => /\.svg$/i.test(file)) ? documentFontFiles() : []
  const entries = await Promise.all([...figures].map(async ([url, figure]) => [url, await docxImage(figure, maxWidth, cache, fontFiles)] as const))
  return new Map(entries)
}

async function docxImage({file, bytes}: FigureFile, maxWidth: number, cache: DerivedCache | undefined, fontFiles: string[]): Promise<DocxImage | undefined> {
  const extension = file.toLowerCase().replace(/^.*\./, '')
  if (extension === 'svg') return rasterised(file, bytes, maxWidth, cache, fontFiles)
  const type = extension === 'png' ? 'png' : extension === 'jpg' || extension === 'jpeg' ? 'jpg' : extension === 'gif' ? 'gif' : undefined
  if (!type) return undefined
  const size = pixelSize(bytes, type === 'png' ? 'PNG' : type === 'jpg' ? 'JPEG' : 'GIF')
  if (!size) return undefined
  return {type, data: bytes, ...fitted(size.width, size.height, maxWidth)}
}

/** The faces as files; none when they cannot be written (an unwritable temporary folder): then system fonts stand in. */
function documentFontFiles(): string[] {
  try {
    return rasterFontFiles()
  } catch {
    return []
  }
}

function fitted(width: number, height: number, maxWidth: number): {width: number; height: number} {
  if (width <= maxWidth) return {width: Math.round(width), height: Math.round(height)}
  return {width: Math.round(maxWidth), height: Math.round((height * maxWidth) / width)}
}

/**
 * The SVG as a PNG. Our faces match by family, weight and style as in a browser; system fonts stay available for an
 * author's SVG naming others.
 */
async function rasterised(file: string, bytes: Buffer, maxWidth: number, cache: DerivedCache | undefined, fontFiles: string[]): Promise<DocxImage | undefined> {
  const slot = DerivedCache.slot('docx-figure', file)
  const key = `${createHash('sha256').update(bytes).digest('hex')} ${maxWidth} ${printResolution}`
  const kept = cache?.read<{width: number; height: number; png: string}>(slot, key)
  if (kept) return {type: 'png', data: Buffer.from(kept.png, 'base64'), width: kept.width, height: kept.height}
  const {Resvg, renderAsync} = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js')
  try {
    const measure = new Resvg(bytes, {font: {loadSystemFonts: false}})
    const shown = fitted(measure.width, measure.height, maxWidth)
    const pixels = Math.round((shown.width * printResolution) / 96)
    const rendered = await renderAsync(bytes, {fitTo: {mode: 'width', value: pixels}, background: 'white', font: {loadSystemFonts: true, fontFiles, serifFamily: 'Source Serif 4', sansSerifFamily: 'Source Sans 3'}})
    const data = rendered.asPng()
    cache?.write(slot, key, {...shown, png: data.toString('base64')})
    return {type: 'png', data, ...shown}
  } catch {
    return undefined
  }
}
