/**
 * The document's typefaces for figures: their real advance widths (and kerning), read from @fontsource's font
 * files with opentype.js, so that Vega lays out labels, axes and legends for the text the reader will see (without a
 * canvas, Vega would guess every character as 0.8 em wide), and the same faces as woff2 data for the SVG to carry
 * (an SVG shown as an image cannot use the page's fonts). Each face is read once per process, when first used.
 */
import {readFileSync} from 'node:fs'
import opentype, {type Font, type Glyph} from 'opentype.js'
import {families, fontFile, fontFolders, subsets, type FaceKey, type FontFolders} from './font-files.ts'

export type {FaceKey, FontFolders} from './font-files.ts'

/** The face a CSS font (family list, weight, style) resolves to among ours; undefined for a family we do not have. */
export function faceOf(fontFamily: string | undefined, fontWeight: string | number | undefined, fontStyle: string | undefined): FaceKey | undefined {
  const names = String(fontFamily ?? '')
    .split(',')
    .map((name) => name.trim().replace(/^['"]|['"]$/g, ''))
  const family = (Object.keys(families) as FaceKey['family'][]).find((candidate) => names[0] === candidate)
  if (!family) return undefined
  const requested = fontWeight === 'bold' ? 700 : fontWeight === 'normal' || fontWeight === undefined ? 400 : Number(fontWeight) || 400
  const bold = families[family].weights[1]
  return {family, weight: requested >= 600 ? bold : 400, style: fontStyle === 'italic' || fontStyle === 'oblique' ? 'italic' : 'normal'}
}

/** Reads and measures faces; one per process is enough (fonts do not change while it runs). */
export class FontMetrics {
  /** `folders` for a bundled script that cannot find the packages from where it is (the figure worker). */
  constructor(private readonly folders: FontFolders = fontFolders()) {}

  private readonly fonts = new Map<string, Font[]>()
  private readonly widths = new Map<string, number>()
  private readonly embedded = new Map<string, {subset: string; base64: string}[]>()

  /** The width of `text` set in `face` at `size` pixels, kerned as a browser sets it. */
  width(face: FaceKey, size: number, text: string): number {
    const key = `${face.family}|${face.weight}|${face.style}|${text}`
    let unitWidth = this.widths.get(key)
    if (unitWidth === undefined) {
      unitWidth = this.measure(face, text)
      this.widths.set(key, unitWidth)
    }
    return unitWidth * size
  }

  /** The woff2 files of a face's subsets in base64, for an @font-face in the SVG. */
  woff2(face: FaceKey): {subset: string; base64: string}[] {
    const key = `${face.family}|${face.weight}|${face.style}`
    let files = this.embedded.get(key)
    if (!files) this.embedded.set(key, (files = subsets.map((subset) => ({subset, base64: readFileSync(fontFile(face, subset, 'woff2', this.folders)).toString('base64')}))))
    return files
  }

  /** Width in ems; a character none of the subsets has counts as half an em (a browser would fall back to another font). */
  private measure(face: FaceKey, text: string): number {
    const fonts = this.load(face)
    let width = 0
    let previous: {font: Font; glyph: Glyph} | undefined
    for (const character of text) {
      const font = fonts.find((candidate) => candidate.charToGlyphIndex(character) > 0)
      if (!font) {
        width += 0.5
        previous = undefined
        continue
      }
      const glyph = font.charToGlyph(character)
      let advance = glyph.advanceWidth ?? 0
      if (previous?.font === font) advance += font.getKerningValue(previous.glyph, glyph)
      width += advance / font.unitsPerEm
      previous = {font, glyph}
    }
    return width
  }

  private load(face: FaceKey): Font[] {
    const key = `${face.family}|${face.weight}|${face.style}`
    let fonts = this.fonts.get(key)
    if (!fonts) {
      // opentype.js reads WOFF (zlib) but not WOFF2; both hold the same font.
      fonts = subsets.map((subset) => {
        const bytes = readFileSync(fontFile(face, subset, 'woff', this.folders))
        // Glyph outlines are read only when asked for (never: only advance widths and kerning are).
        return opentype.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength), {lowMemory: true})
      })
      this.fonts.set(key, fonts)
    }
    return fonts
  }
}
