/**
 * A figure's Vega-Lite specification as SVG, in the figure process (draw.ts, with the table time limit; the spec is
 * data, checked by spec.ts; the definition's code never runs here). Vega-Lite compiles it, Vega lays it out and
 * writes the SVG with no DOM and no canvas: text is measured with the document's typefaces (fonts.ts), every load
 * Vega might attempt is refused, the SVG carries the faces it uses (an SVG shown as an image cannot use the page's
 * fonts) and the specification as metadata (the numbers behind the figure, for readers and tests), and it is as wide
 * as the text block. The same spec gives the same bytes: Vega's ids for clip paths and gradients start again for
 * each figure.
 */
import {createHash} from 'node:crypto'
import * as vega from 'vega'
import {logger, parse, resetSVGDefIds, View, type Loader} from 'vega'
import {compile, type TopLevelSpec} from 'vega-lite'
import {sansSerif, textWidth} from './layout.ts'
import {faceOf, FontMetrics, type FaceKey, type FontFolders} from './fonts.ts'
import {checkSpec} from './spec.ts'
import type {FigureModel} from '../tables/model.ts'

/** The defaults a spec starts from (its own `config` wins): the document's sans-serif face, quiet greys. */
const baseConfig = {
  font: sansSerif,
  background: 'white',
  view: {stroke: null},
  axis: {labelFontSize: 10, titleFontSize: 10, titleFontWeight: 600, gridColor: '#e5e5e5', domain: false, tickColor: '#bbb', labelColor: '#333', titleColor: '#111'},
  legend: {labelFontSize: 10, titleFontSize: 10, titleFontWeight: 600},
  header: {labelFontSize: 10, titleFontSize: 10},
  title: {fontSize: 11, fontWeight: 600},
  text: {fontSize: 10},
  mark: {color: '#595959'}
}

/** Multi-view specs size their views themselves (Vega-Lite cannot fit them); a single view fills the text width. */
const compositions = ['hconcat', 'vconcat', 'concat', 'facet', 'repeat']

/** Unicode ranges of @fontsource's subsets, as its CSS declares them. */
const subsetRanges: Record<string, string> = {
  latin: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
  'latin-ext': 'U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, U+A720-A7FF'
}

/** A text item as Vega measures it. */
interface TextItem {
  font?: string
  fontSize?: number | string
  fontWeight?: number | string
  fontStyle?: string
}

/** Vega's text measurement (exported by vega, missing from its types). */
const textMetrics = (vega as unknown as {textMetrics: {width: (item: TextItem, text: unknown) => number; estimateWidth: (item: TextItem, text: unknown) => number}}).textMetrics

/** Renders figures; keeps the fonts it has read (one per process, or per generation run). */
export class FigureRenderer {
  private readonly metrics: FontMetrics

  constructor(folders?: FontFolders) {
    this.metrics = new FontMetrics(folders)
  }

  /** Reads the default face's regular and bold weights (text, titles) ahead of the figures, which are set in it unless a spec says otherwise. */
  readDefaultFaces(): void {
    for (const weight of [400, 700]) {
      const face = faceOf(sansSerif, weight, 'normal')
      if (!face) continue
      this.metrics.width(face, 10, 'x')
      this.metrics.woff2(face)
    }
  }

  /** The figure's SVG document (without the provenance comment). Throws a SpecProblem, or Vega's error for a spec it cannot render. */
  async render(figure: FigureModel): Promise<string> {
    checkSpec(figure.spec)
    const spec = withDefaults(figure)
    const metrics = this.metrics
    // Vega measures text through this one module-level function (as vl-convert sets it): our faces, else its estimate.
    const estimate = textMetrics.estimateWidth
    textMetrics.width = (item, text) => {
      const value = text == null ? '' : String(text).trim()
      const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11
      const face = faceOf(item.font, item.fontWeight, item.fontStyle)
      return face && size > 0 && value ? metrics.width(face, size, value) : estimate(item, text)
    }
    resetSVGDefIds()
    // Vega-Lite's warnings (a channel dropped, a scale adjusted) would be printed: the figure is what the author checks.
    const compiled = compile(spec as unknown as TopLevelSpec, {logger: logger(0)}).spec
    const view = new View(parse(compiled), {renderer: 'none', loader: refusingLoader, logLevel: 0})
    try {
      const svg = await view.toSVG()
      return this.finish(svg, figure)
    } finally {
      view.finalize()
    }
  }

  /** Sized to the text width, with the faces it uses and its specification inside. */
  private finish(svg: string, figure: FigureModel): string {
    const root = /^<svg\b[^>]*>/.exec(svg)
    if (!root) throw new Error('Vega wrote no <svg> element')
    const width = Number(/\swidth="([\d.]+)"/.exec(root[0])?.[1])
    const height = Number(/\sheight="([\d.]+)"/.exec(root[0])?.[1])
    const scaledHeight = Math.round((height * textWidth) / width * 100) / 100
    const opening = root[0]
      .replace(/\swidth="[\d.]+"/, ` width="${textWidth}"`)
      .replace(/\sheight="[\d.]+"/, ` height="${scaledHeight}"`)
      .replace(/>$/, ` role="img" aria-label="${escapeXml(figure.caption)}">`)
    const styles = this.fontFaces(svg, figure)
    const metadata = `<metadata id="vega-lite-specification">${escapeXml(JSON.stringify(figure.spec))}</metadata>`
    return `${opening}<title>${escapeXml(figure.caption)}</title>${metadata}${styles}${svg.slice(root[0].length)}\n`
  }

  /**
   * `@font-face` rules, as woff2 data, for each of our faces the SVG's text is set in (the Unicode subsets it needs).
   * Each figure's data URLs are its own (a `figure` parameter from its label): Chromium keeps a data URL's font in its
   * memory cache while anything uses it and hands it to any later request of the same URL, so with the same URLs in
   * every figure, a figure's SVG loaded while another's was shown drew with that one's font object, and the PDF got
   * one font subset for both where a fresh load gives one per figure. Which figures shared then depended on which
   * images the browser still held (watch mode replaces only the page's body), so the same page printed to other
   * bytes. With URLs of their own, no two figures can share a font object, whatever the browser holds.
   */
  private fontFaces(svg: string, figure: FigureModel): string {
    const faces = new Map<string, FaceKey>()
    let needsExtended = false
    for (const match of svg.matchAll(/<text\b([^>]*)>([^<]*)<\/text>/g)) {
      const attribute = (name: string) => new RegExp(`\\s${name}="([^"]*)"`).exec(match[1])?.[1]
      const face = faceOf(unescapeXml(attribute('font-family') ?? ''), attribute('font-weight'), attribute('font-style'))
      if (face) faces.set(`${face.family}|${face.weight}|${face.style}`, face)
      if (/[^\u0000-\u00ff\u2000-\u206f]/.test(unescapeXml(match[2]))) needsExtended = true
    }
    if (faces.size === 0) return ''
    const rules: string[] = []
    const owner = createHash('sha256').update(figure.label).digest('hex').slice(0, 16)
    for (const key of [...faces.keys()].sort()) {
      const face = faces.get(key)!
      for (const {subset, base64} of this.metrics.woff2(face)) {
        if (subset !== 'latin' && !needsExtended) continue
        rules.push(`@font-face{font-family:'${face.family}';font-style:${face.style};font-weight:${face.weight};src:url(data:font/woff2;figure=${owner};base64,${base64}) format('woff2');unicode-range:${subsetRanges[subset]}}`)
      }
    }
    return `<style>${rules.join('')}</style>`
  }
}

/** The spec with the document's defaults: config underneath its own, and a single view as wide as the text. */
function withDefaults(figure: FigureModel): Record<string, unknown> {
  const spec: Record<string, unknown> = {...figure.spec}
  const own = (spec.config ?? {}) as Record<string, unknown>
  const config: Record<string, unknown> = {...baseConfig}
  for (const [key, value] of Object.entries(own)) {
    const base = config[key]
    config[key] = isPlainObject(base) && isPlainObject(value) ? {...base, ...value} : value
  }
  spec.config = config
  spec.description ??= figure.caption
  const single = !compositions.some((key) => key in spec)
  if (single && spec.width === undefined) {
    spec.width = textWidth
    spec.autosize ??= {type: 'fit-x', contains: 'padding'}
  }
  return spec
}

/** Vega's loader, refusing everything: a figure's data is inline, so there is nothing to load. */
const refusingLoader = {
  load: refuse,
  sanitize: refuse,
  http: refuse,
  file: refuse
} as unknown as Loader

function refuse(): Promise<never> {
  return Promise.reject(new Error('a figure loads nothing: its data is inline'))
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function unescapeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
}
