/**
 * The CSS a rendered page inlines, and the font files it references.
 * The page loads nothing but files in its assets folder: @fontsource's woff2 files under `fonts/`,
 * KaTeX's under `katex/fonts/` (only for a page with formulas: its CSS and fonts are 300 KB that a paper without
 * math would carry for nothing). `listRenderAssets()` names exactly the files the CSS points at, so the build copies
 * those and nothing else.
 */
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {ProfileOptions} from '../config/profiles.ts'

/** A file to copy into the assets folder (same shape as render/assets.ts's AssetCopy). */
export interface RenderAsset {
  /** Absolute path of the file in node_modules. */
  from: string
  /** Path under the assets folder, with forward slashes (`fonts/source-serif-4-latin-400-normal.woff2`). */
  to: string
}

export type PaperSize = 'letter' | 'a4'

interface TypefaceStyle {
  /** @fontsource package that holds the files. */
  packageName: string
  /** The package's CSS file for one weight and style (all unicode subsets), e.g. `400-italic.css`. */
  cssFile: string
}

/** The faces paper.css uses: serif text (regular, italic, bold) and sans display (regular, italic, semibold). */
const typefaceStyles: TypefaceStyle[] = [
  ...['400.css', '400-italic.css', '700.css', '700-italic.css'].map((cssFile) => ({
    packageName: '@fontsource/source-serif-4',
    cssFile
  })),
  ...['400.css', '400-italic.css', '600.css', '600-italic.css'].map((cssFile) => ({
    packageName: '@fontsource/source-sans-3',
    cssFile
  }))
]

const require = createRequire(import.meta.url)

const fontFacePattern = /@font-face\s*{[^}]*}/g
const woff2UrlPattern = /url\(\s*['"]?([^'")]+\.woff2)['"]?\s*\)/

/** A `@font-face` rule with its `src` reduced to the one woff2 file, and that file's name. */
interface FontFace {
  rule: string
  fileName: string
  source: string
}

let cachedFaces: {typefaces: FontFace[]; katex: FontFace[]; katexRules: string} | undefined

/**
 * Every `@font-face` in `css`, its `src` reduced to its woff2 file behind a placeholder URL
 * (Chromium reads woff2; the woff/ttf fallbacks would be copied for nothing).
 */
function woff2FontFaces(css: string, cssDirectory: string): FontFace[] {
  const faces: FontFace[] = []
  for (const match of css.matchAll(fontFacePattern)) {
    const block = match[0]
    const url = woff2UrlPattern.exec(block)
    if (!url) continue
    const relative = url[1]
    const fileName = path.posix.basename(relative)
    faces.push({
      rule: block.replace(/src\s*:[^;}]*/, `src: url(__FONT_URL__${fileName}) format('woff2')`),
      fileName,
      source: path.resolve(cssDirectory, relative)
    })
  }
  return faces
}

function loadFaces() {
  if (cachedFaces) return cachedFaces
  const typefaces: FontFace[] = []
  for (const style of typefaceStyles) {
    const cssPath = require.resolve(`${style.packageName}/${style.cssFile}`)
    typefaces.push(...woff2FontFaces(readFileSync(cssPath, 'utf8'), path.dirname(cssPath)))
  }
  const katexCssPath = require.resolve('katex/dist/katex.min.css')
  const katexCss = readFileSync(katexCssPath, 'utf8')
  const katex = woff2FontFaces(katexCss, path.dirname(katexCssPath))
  // KaTeX's own rules without its @font-face rules (those are re-emitted with local URLs).
  const katexRules = katexCss.replace(fontFacePattern, '')
  cachedFaces = {typefaces, katex, katexRules}
  return cachedFaces
}

/** Every file the page's CSS references, for the build to copy into the assets folder. */
export function listRenderAssets(page: {math: boolean}): RenderAsset[] {
  const {typefaces, katex} = loadFaces()
  return [
    ...typefaces.map((face) => ({from: face.source, to: `fonts/${face.fileName}`})),
    ...(page.math ? katex.map((face) => ({from: face.source, to: `katex/fonts/${face.fileName}`})) : [])
  ]
}

/** Where paper.css lives: beside this module in the source tree; a bundled copy looks up its folders for the source tree. */
function stylesDirectory(): string {
  const besideModule = fileURLToPath(new URL('./styles/', import.meta.url))
  if (existsSync(path.join(besideModule, 'paper.css'))) return besideModule
  let directory = path.dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = path.join(directory, 'pipeline', 'render', 'styles')
    if (existsSync(path.join(candidate, 'paper.css'))) return candidate
    const parent = path.dirname(directory)
    if (parent === directory) break
    directory = parent
  }
  throw new Error(
    `Cannot find pipeline/render/styles/paper.css near ${fileURLToPath(import.meta.url)}; ` +
      'keep the styles folder beside the renderer (or the bundle inside the project folder).'
  )
}

const cachedStyles = new Map<string, string>()

/** A CSS file of the styles folder: paper.css (the look), footnotes.css (notes at the foot of printed pages), a profile's. */
function styleFile(name: string): string {
  let css = cachedStyles.get(name)
  if (css === undefined) {
    css = readFileSync(path.join(stylesDirectory(), name), 'utf8')
    cachedStyles.set(name, css)
  }
  return css
}

function paperCss(): string {
  return styleFile('paper.css')
}

/** Width of the column of line numbers, taken from the left margin (Chromium prints nothing in the margins). */
const lineNumberGutter = '0.5in'

/**
 * A profile's CSS (see config/profiles.ts), after the page rules: its file, with the text size and spacing it sets.
 * With line numbers, the page's left margin gives up a column to them, and the root keeps the text block's width with
 * that column as its padding, so the lines break where they would without it.
 */
export function profileCss(profile: ProfileOptions, paperSize: PaperSize): string {
  const {margin, textWidth} = pageGeometry[paperSize] ?? pageGeometry.letter
  const marginLeft = margin.split(' ')[3]
  const rules = [
    ':root {',
    `  --submission-font-size: ${profile.fontSizePt}pt;`,
    // CSS's `line-height: 1` is set solid; single spacing is some 1.2 em (Word's for most typefaces), double twice that.
    `  --submission-line-height: ${Math.round(profile.lineSpacing * 1.2 * 1000) / 1000};`,
    `  --line-number-gutter: ${lineNumberGutter};`,
    '}'
  ]
  if (profile.lineNumbers) {
    rules.push(
      `@page { margin-left: calc(${marginLeft} - ${lineNumberGutter}); }`,
      `@media print { html { width: calc(${textWidth} + ${lineNumberGutter}); padding-left: ${lineNumberGutter}; } }`
    )
  }
  return `${rules.join('\n')}\n${styleFile(profile.stylesheet).trim()}`
}

/** A CSS string literal: quotes and backslashes escaped, line breaks as `\A`, `<` escaped so it cannot close the <style>. */
export function cssString(value: string): string {
  const escaped = value
    .replace(/[\\"]/g, (character) => `\\${character}`)
    .replace(/\r?\n/g, '\\A ')
    .replace(/</g, '\\3C ')
  return `"${escaped}"`
}

/**
 * Encodes a file path as a relative URL, component by component, keeping the slashes: `draft #2_files/a b.png` →
 * `draft%20%232_files/a%20b.png`. Quotes and parentheses too, so that it can stand in CSS `url('…')` and HTML.
 */
export function encodeUrlPath(value: string): string {
  return value
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/['()*!]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`))
    .join('/')
}

export interface PageStyleOptions {
  paperSize: PaperSize
  /** Text of the running head on every page but the first; omitted when empty. */
  runningHead?: string
  /** The profile's options (see config/profiles.ts); none for the default look. */
  profile?: ProfileOptions
  /** The page shows formulas typeset by KaTeX: its CSS and fonts are included. */
  math: boolean
}

const pageGeometry: Record<PaperSize, {size: string; margin: string; textWidth: string; textHeightPx: number}> = {
  // The text block's height in CSS pixels (96 to the inch): the page less its top and bottom margins.
  letter: {size: 'letter', margin: '1in 1in 1in 1in', textWidth: '6.5in', textHeightPx: 9 * 96},
  a4: {size: 'A4', margin: '25mm 24mm 25mm 24mm', textWidth: '162mm', textHeightPx: ((297 - 50) / 25.4) * 96}
}

/** How tall the text block of a printed page is, in CSS pixels (footnotes.ts fills pages to it). */
export function textHeightPx(paperSize: PaperSize): number {
  return (pageGeometry[paperSize] ?? pageGeometry.letter).textHeightPx
}

/**
 * Page geometry and margin boxes (Chromium >= 131 prints CSS `@page` margin boxes): the running head
 * at the top of every page but the first, the page number at the bottom of each. In print media the
 * root is as wide as the text block, so that the page laid out on screen with print media emulated
 * breaks its lines exactly where the printed one does (hyphenate.ts relies on it).
 */
export function pageCss({paperSize, runningHead}: PageStyleOptions): string {
  const {size, margin, textWidth} = pageGeometry[paperSize] ?? pageGeometry.letter
  const marginBoxFont =
    "font-family: 'Source Sans 3', 'Source Sans Pro', Arial, sans-serif; font-size: 8.5pt; color: #555; font-variant-numeric: lining-nums;"
  const head = runningHead?.trim()
  return [
    '@page {',
    `  size: ${size};`,
    `  margin: ${margin};`,
    head
      ? `  @top-center { content: ${cssString(head)}; ${marginBoxFont} letter-spacing: 0.04em; vertical-align: bottom; padding-bottom: 0.25in; }`
      : '',
    `  @bottom-center { content: counter(page); ${marginBoxFont} font-size: 9pt; vertical-align: top; padding-top: 0.3in; }`,
    '}',
    '@page :first {',
    '  @top-center { content: none; }',
    '}',
    `@media print { html { width: ${textWidth}; } }`
  ]
    .filter(Boolean)
    .join('\n')
}

/** The complete CSS of a page: fonts, KaTeX (when it has formulas), paper.css and the page rules, with font URLs under `assetBase`. */
export function documentCss(assetBase: string, page: PageStyleOptions): string {
  const {typefaces, katex, katexRules} = loadFaces()
  const base = assetBase.replace(/\/+$/, '')
  const prefix = base === '' ? '' : `${encodeUrlPath(base)}/`
  const withUrl = (faces: FontFace[], folder: string) =>
    faces.map((face) => face.rule.replace(`__FONT_URL__${face.fileName}`, `'${prefix}${folder}/${encodeURIComponent(face.fileName)}'`))
  return [
    '/* Typefaces: Source Serif 4 and Source Sans 3 (SIL Open Font License), from @fontsource. */',
    ...withUrl(typefaces, 'fonts'),
    ...(page.math ? ['/* KaTeX (MIT). */', ...withUrl(katex, 'katex/fonts'), katexRules.trim()] : []),
    paperCss().trim(),
    styleFile('footnotes.css').trim(),
    pageCss(page),
    ...(page.profile ? [profileCss(page.profile, page.paperSize)] : [])
  ].join('\n')
}
