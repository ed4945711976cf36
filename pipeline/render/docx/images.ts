/**
 * Figures for Word: PNG, JPEG and GIF are embedded as they are; SVG (drawn or converted from a PDF figure for the
 * HTML, see ../assets.ts) is rasterised by resvg to a PNG sharp at print resolution. Each figure is shown at its own
 * size, made smaller to fit the text width.
 */
import {createRequire} from 'node:module'
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

/** Reads the figure file the HTML shows and makes what Word embeds; undefined for a format Word cannot take here. */
export function docxImage(file: string, bytes: Buffer, maxWidth: number): DocxImage | undefined {
  const extension = file.toLowerCase().replace(/^.*\./, '')
  if (extension === 'svg') return rasterised(bytes, maxWidth)
  const type = extension === 'png' ? 'png' : extension === 'jpg' || extension === 'jpeg' ? 'jpg' : extension === 'gif' ? 'gif' : undefined
  if (!type) return undefined
  const size = pixelSize(bytes, type === 'png' ? 'PNG' : type === 'jpg' ? 'JPEG' : 'GIF')
  if (!size) return undefined
  return {type, data: bytes, ...fitted(size.width, size.height, maxWidth)}
}

function fitted(width: number, height: number, maxWidth: number): {width: number; height: number} {
  if (width <= maxWidth) return {width: Math.round(width), height: Math.round(height)}
  return {width: Math.round(maxWidth), height: Math.round((height * maxWidth) / width)}
}

function rasterised(bytes: Buffer, maxWidth: number): DocxImage | undefined {
  const {Resvg} = require('@resvg/resvg-js') as typeof import('@resvg/resvg-js')
  try {
    const measure = new Resvg(bytes, {font: {loadSystemFonts: false}})
    const shown = fitted(measure.width, measure.height, maxWidth)
    const resvg = new Resvg(bytes, {fitTo: {mode: 'width', value: Math.round((shown.width * printResolution) / 96)}, background: 'white', font: {loadSystemFonts: true, serifFamily: 'Source Serif 4', sansSerifFamily: 'Source Sans 3'}})
    const data = resvg.render().asPng()
    return {type: 'png', data, ...shown}
  } catch {
    return undefined
  }
}
