/**
 * Images in the manuscript: resolve each path like an include (the file's folder, then the project root), find a
 * form a browser can show (a PDF figure uses its .svg sibling, else a vector conversion with poppler's
 * pdftocairo, else its .png sibling), and plan its copy into the output's asset folder. Missing, damaged, remote
 * and out-of-project files are errors at the image; so is anything raw HTML would fetch from the network.
 */
import {execFile, spawnSync} from 'node:child_process'
import {createHash, randomBytes} from 'node:crypto'
import {existsSync, readFileSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Element} from 'hast'
import {XMLValidator} from 'fast-xml-parser'
import {fromHtml} from 'hast-util-from-html'
import type {Html, Image, Root} from 'mdast'
import {walk} from '../syntax/walk.ts'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import {OutsideProjectWriteError, type ProjectFiles} from '../graph/project-files.ts'
import {resolutionCandidates} from '../transforms/includes.ts'

export interface AssetCopy {
  /** Absolute source path. */
  from: string
  /** Path under the asset folder, forward slashes. */
  to: string
}

export interface ImagesOptions {
  files: ProjectFiles
  /** The asset folder's URL relative to the HTML file, e.g. `manuscript_files`. */
  assetUrl: string
  /** Folder for converted figures (kept between builds). */
  cacheDir: string
  /** Where the hash of each converted figure is kept, verified: a converted SVG that is not the one made is made again. */
  cache?: DerivedCache
  /** Only check that each image exists in a usable format (`check`): nothing is read, converted, copied or rewritten. */
  verifyOnly?: boolean
}

const browserImage = /\.(svg|png|jpe?g|gif|webp|avif)$/i

export function imagesTransform(tree: Root, file: VFile, options: ImagesOptions): AssetCopy[] {
  const copies = new Map<string, AssetCopy>()
  walk(tree, 'html', (node: Html) => reportRemoteResources(node, file))
  walk(tree, 'image', (image: Image) => {
    const located = locateImage(image, file, options.files)
    if (!located) return
    if ('problem' in located) {
      report(file, image, located.problem, located.rule, 'error')
      return
    }
    const {found, includer} = located
    if (options.verifyOnly) {
      // The format and the file's first bytes are checked as in a build; nothing is converted, copied or rewritten.
      if (browserImage.test(found)) checkImageBytes(found, includer, image, file, options.files)
      else if (!/\.pdf$/i.test(found)) displayable(found, includer, image, file, options)
      else if (checkImageBytes(found, includer, image, file, options.files)) {
        // An .svg beside it is what a build shows in its place.
        const sibling = found.replace(/\.pdf$/i, '.svg')
        if (options.files.isFile(sibling, includer)) checkImageBytes(sibling, includer, image, file, options.files)
      }
      return
    }
    const shown = displayable(found, includer, image, file, options)
    if (!shown) return
    // A figure from an allowed folder outside the project (`../shared/x.png`, `/srv/lab/x.png`) is copied under the
    // asset folder too, named the same wherever the project is.
    const portable = options.files.portablePath(shown.name)
    const name = portable.split('/').map((segment) => (segment === '..' ? '_up' : segment === '' ? '_root' : segment)).join('/')
    const to = `images/${name}`
    copies.set(to, {from: shown.from, to})
    image.url = `${options.assetUrl}/${to}`
  })
  return [...copies.values()]
}

/**
 * Where an image's file is, resolved like an include (its file's folder, then the project root); undefined for an
 * image that names no file (`data:`, `#…`), a problem for one that cannot be shown from a file here.
 */
function locateImage(image: Image, file: VFile, files: ProjectFiles): {found: string; includer: string} | {problem: string; rule: string} | undefined {
  const url = image.url
  if (!url || url.startsWith('data:') || url.startsWith('#')) return undefined
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) {
    return {problem: `Remote image ${url} is not fetched (builds make no network requests). Download it into the project and use its path.`, rule: 'remote-image'}
  }
  const includer = image.data?.sourceFile ?? file.path ?? ''
  let target: string
  try {
    target = decodeURI(url.split(/[?#]/)[0])
  } catch {
    return {problem: `Image path "${url}" has a broken %-escape. Write the path as it is on disk (spaces may stay as spaces in <…>).`, rule: 'missing-figure'}
  }
  const candidates = resolutionCandidates(target, includer)
  const location = files.locate(candidates, includer)
  if (location.refused) return {problem: `Cannot show image "${target}": ${location.refused.message}.`, rule: location.refused.kind}
  if (!location.found) {
    return {problem: `Image not found: "${target}" (looked for ${candidates.map((c) => `\`${c}\``).join(' and ')}). Add the file or correct the path.`, rule: 'missing-figure'}
  }
  return {found: location.found, includer}
}

function displayable(found: string, includer: string, image: Image, file: VFile, options: ImagesOptions): {from: string; name: string} | undefined {
  const {files} = options
  if (browserImage.test(found)) {
    if (!checkImageBytes(found, includer, image, file, files)) return undefined
    return {from: files.absolute(found), name: found}
  }
  if (!/\.pdf$/i.test(found)) {
    report(file, image, `Image "${found}" is not a format browsers show (use SVG, PNG, JPEG, GIF or WebP, or PDF with an .svg/.png beside it).`, 'unsupported-figure', 'error')
    return undefined
  }
  if (!checkImageBytes(found, includer, image, file, files)) return undefined
  const sibling = (extension: string) => {
    const candidate = found.replace(/\.pdf$/i, extension)
    if (!files.isFile(candidate, includer)) return undefined
    if (!checkImageBytes(candidate, includer, image, file, files)) return undefined
    return {from: files.absolute(candidate), name: candidate}
  }
  // The author's vector figure is preferred: an .svg beside the PDF, else the PDF converted to SVG. A raster .png
  // beside it is the fallback where poppler is missing: it prints less sharply and (at the sizes R writes them)
  // makes Chromium's printing several times slower.
  const svg = sibling('.svg')
  if (svg) return svg
  const converted = convertToSvg(found, includer, options)
  if (converted.svg) return {from: converted.svg, name: found.replace(/\.pdf$/i, '.svg')}
  const png = sibling('.png')
  if (png) return png
  report(file, image, `Cannot show PDF figure "${found}": it has no .svg or .png beside it and ${converted.why}. Export the figure as SVG or PNG next to the PDF.`, 'figure-conversion', 'error')
  return undefined
}

/**
 * Starts converting the PDF figures that have no .svg beside them, each in its own pdftocairo process, and
 * resolves when all have ended: run while the citations are formatted, the conversions cost a first build
 * nothing. imagesTransform then finds them done; it also reports any that failed.
 */
export async function convertPdfFigures(tree: Root, file: VFile, options: ImagesOptions): Promise<void> {
  const conversions: Promise<unknown>[] = []
  const seen = new Set<string>()
  walk(tree, 'image', (image: Image) => {
    if (!/\.pdf(?:[?#]|$)/i.test(image.url)) return
    const located = locateImage(image, file, options.files)
    // Problems are imagesTransform's to report.
    if (!located || 'problem' in located) return
    const {found, includer} = located
    if (seen.has(found) || !/\.pdf$/i.test(found) || options.files.isFile(found.replace(/\.pdf$/i, '.svg'), includer)) return
    seen.add(found)
    const converted = convertedPath(found, includer, options)
    if (!cacheFolderReady(options) || isConverted(converted, found, includer, options)) return
    const temporary = temporaryBeside(converted)
    conversions.push(
      new Promise<void>((resolve) => {
        execFile('pdftocairo', ['-svg', '-f', '1', '-l', '1', options.files.absolute(found), temporary], (error) => {
          if (error) rmSync(temporary, {force: true})
          else keepConverted(temporary, converted, found, includer, options)
          resolve()
        })
      })
    )
  })
  await Promise.all(conversions)
}

/**
 * Make the cache folder for converted figures, inside the project: pdftocairo writes there, and a link on the way
 * (`build/.cache -> elsewhere`) would have it write elsewhere. False when it may not be written into.
 */
function cacheFolderReady(options: ImagesOptions): boolean {
  try {
    options.files.outputFolder(options.cacheDir)
    return true
  } catch (error) {
    if (error instanceof OutsideProjectWriteError) return false
    throw error
  }
}

/** A new, unpredictable name beside `file` for pdftocairo to write to (it follows a link at its output's name). */
function temporaryBeside(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp.svg`)
}

/** Where the SVG made of a PDF figure is kept: in the cache folder, named by the PDF's content. */
function convertedPath(found: string, includer: string, options: ImagesOptions): string {
  return path.join(options.cacheDir, `${options.files.hashOf(found, includer).slice(0, 16)}.svg`)
}

/** The first page of a PDF figure as SVG, made with poppler's pdftocairo and kept in the cache folder by content. */
function convertToSvg(found: string, includer: string, options: ImagesOptions): {svg?: string; why?: string} {
  const converted = convertedPath(found, includer, options)
  if (!cacheFolderReady(options)) return {why: `its cache folder ${options.files.relative(options.cacheDir)} cannot be written into (see the error about the output folder)`}
  if (isConverted(converted, found, includer, options)) return {svg: converted}
  const temporary = temporaryBeside(converted)
  const result = spawnSync('pdftocairo', ['-svg', '-f', '1', '-l', '1', options.files.absolute(found), temporary], {encoding: 'utf8'})
  if (result.error || result.status !== 0) {
    rmSync(temporary, {force: true})
    return {why: result.error ? 'poppler’s pdftocairo is not installed (apt-get install poppler-utils)' : `pdftocairo could not read it (${result.stderr.trim().split('\n')[0].replace(/\.+$/, '') || `exit code ${result.status}`})`}
  }
  keepConverted(temporary, converted, found, includer, options)
  return {svg: converted}
}

/**
 * Is the SVG made of a PDF figure in the cache folder, as it was made? Its hash is kept in the derived cache, whose
 * entries are verified, so that an SVG edited in build/.cache (or shipped there with a cloned project) is made again
 * instead of printed. Without a cache on disk (running from source) the file is taken as it is.
 */
function isConverted(converted: string, found: string, includer: string, options: ImagesOptions): boolean {
  if (!existsSync(converted)) return false
  if (!options.cache?.enabled) return true
  const made = options.cache.read<string>(DerivedCache.slot('pdf-figure', path.basename(converted)), options.files.hashOf(found, includer))
  return made === createHash('sha256').update(readFileSync(converted)).digest('hex')
}

/** Move a fresh conversion into place, and keep its hash for isConverted. */
function keepConverted(temporary: string, converted: string, found: string, includer: string, options: ImagesOptions): void {
  renameSync(temporary, converted)
  options.cache?.write(DerivedCache.slot('pdf-figure', path.basename(converted)), options.files.hashOf(found, includer), createHash('sha256').update(readFileSync(converted)).digest('hex'))
}

/** The signature each format's file starts with (and, where the format has one, ends with). */
const signatures: {pattern: RegExp; format: string; valid: (bytes: Buffer) => boolean}[] = [
  {pattern: /\.png$/i, format: 'PNG', valid: (bytes) => startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) && bytes.subarray(-1024).includes('IEND')},
  {pattern: /\.jpe?g$/i, format: 'JPEG', valid: (bytes) => startsWith(bytes, [0xff, 0xd8, 0xff])},
  {pattern: /\.gif$/i, format: 'GIF', valid: (bytes) => /^GIF8[79]a/.test(bytes.subarray(0, 6).toString('latin1'))},
  {pattern: /\.webp$/i, format: 'WebP', valid: (bytes) => bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP'},
  {pattern: /\.avif$/i, format: 'AVIF', valid: (bytes) => bytes.subarray(4, 8).toString('latin1') === 'ftyp'},
  {pattern: /\.pdf$/i, format: 'PDF', valid: (bytes) => bytes.subarray(0, 1024).includes('%PDF-')},
  {pattern: /\.svg$/i, format: 'SVG', valid: (bytes) => svgProblem(bytes) === undefined}
]

/** Well-formed XML (checked whole up to 8 MB, some 200 ms) with an `<svg>` element near its start. */
function svgProblem(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8')
  if (!/<svg[\s>/]/.test(text.slice(0, 4096))) return 'no <svg> element at its start'
  if (bytes.length > 8 * 1024 * 1024) return /<\/svg>\s*$|\/>\s*$/.test(text.slice(-4096)) ? undefined : 'it does not end with </svg>'
  const validation = XMLValidator.validate(text)
  return validation === true ? undefined : `${validation.err.msg.replace(/\.$/, '')} at its line ${validation.err.line}`
}

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte)
}

/**
 * Read an image (recording its edge and hash) and check that it is what its extension says, whole: a damaged or
 * truncated file would print as an empty frame without a word. False (and reported) when it is not.
 */
function checkImageBytes(found: string, includer: string, image: Image, file: VFile, files: ProjectFiles): boolean {
  const bytes = files.readBytes(found, includer)
  const signature = signatures.find((candidate) => candidate.pattern.test(found))
  if (!signature || signature.valid(bytes)) return true
  const detail = signature.format === 'SVG' ? `: ${svgProblem(bytes)}` : ''
  const what = bytes.length === 0 ? 'empty' : `not a valid ${signature.format} file (damaged, cut short, or another format under a .${found.split('.').pop()} name${detail})`
  report(file, image, `Image "${found}" is ${what}. Export the figure again, or give the file the extension of its real format.`, 'corrupt-image', 'error')
  return false
}

/** Attributes through which raw HTML makes the page fetch something, by element. */
const fetchingAttributes: Record<string, string[]> = {
  img: ['src', 'srcSet'],
  source: ['src', 'srcSet'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  embed: ['src'],
  object: ['data'],
  link: ['href'],
  script: ['src'],
  input: ['src'],
  image: ['href', 'xLinkHref'],
  use: ['href', 'xLinkHref']
}

/**
 * Raw HTML that would fetch a remote file (`<img src="https://…">`, `<link href="https://…">`): the printing page
 * blocks every such request, so the PDF would silently lack it. An error at the attribute, naming the URL.
 */
function reportRemoteResources(node: Html, file: VFile): void {
  if (!/\b(?:src|srcset|href|poster|data)\s*=/i.test(node.value)) return
  const fragment = fromHtml(node.value, {fragment: true})
  walk(fragment, 'element', (element: Element) => {
    for (const attribute of fetchingAttributes[element.tagName] ?? []) {
      const value = element.properties[attribute]
      const urls = attribute === 'srcSet' ? String(value ?? '').split(',').map((part) => part.trim().split(/\s+/)[0]) : [value]
      for (const url of urls) {
        if (typeof url !== 'string' || !(/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) || /^(data|about):/i.test(url)) continue
        const start = element.position?.start
        const place = start && node.position ? {line: node.position.start.line + start.line - 1, column: start.line === 1 ? node.position.start.column + start.column - 1 : start.column} : undefined
        report(file, node, `Raw HTML <${element.tagName}> loads ${url}, which is not fetched (builds make no network requests), so it would be missing from the PDF. Download it into the project and refer to it by its path, or use Markdown image syntax.`, 'remote-resource', 'error', place ? {place} : {})
      }
    }
  })
}
