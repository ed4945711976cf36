/**
 * Images in the manuscript: resolve each path like an include (the file's folder, then the project root), find a
 * form a browser can show (a PDF figure uses its .svg sibling, else a vector conversion with poppler's
 * pdftocairo, else its .png sibling), and plan its copy into the output's asset folder. Missing, damaged, remote,
 * too large and out-of-project files are errors at the image; so is anything raw HTML would load that the printed
 * page cannot (see raw-html-loads.ts). Every file copied is one ProjectFiles let the build read, or a conversion
 * in the cache folder that is a regular file of the project, not a link.
 */
import {createHash, randomBytes} from 'node:crypto'
import {lstatSync, readFileSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import {XMLValidator} from 'fast-xml-parser'
import type {Image, Root} from 'mdast'
import {walk} from '../syntax/walk.ts'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import {OutsideProjectWriteError, type ProjectFiles} from '../graph/project-files.ts'
import {resolutionCandidates} from '../transforms/includes.ts'
import {pixelLimits, pixelSize, type RasterFormat} from './image-size.ts'
import {defaultProcessLimits, runLimited, runLimitedSync, type LimitedRunResult, type ProcessLimits} from './limited-process.ts'
import {checkRawHtmlLoads} from './raw-html-loads.ts'
import {encodeUrlPath} from './stylesheet.ts'
import type {RuleId} from '../diagnostics/rules.ts'

export interface AssetCopy {
  /** Absolute source path. */
  from: string
  /** Path under the asset folder, forward slashes. */
  to: string
}

export interface ImagesOptions {
  files: ProjectFiles
  /** The asset folder's path relative to the HTML file, e.g. `manuscript_files` (not URL-encoded: the URLs written are). */
  assetUrl: string
  /** Folder for converted figures (kept between builds). */
  cacheDir: string
  /** The output folder, project-relative (`build`): raw HTML's relative URLs resolve from the HTML page in it. */
  outputDir?: string
  /** Where the hash of each converted figure is kept, verified: a converted SVG that is not the one made is made again. */
  cache?: DerivedCache
  /** Only check that each image exists in a usable format (`check`): nothing is read, converted, copied or rewritten. */
  verifyOnly?: boolean
  /** Cancels the build: a running pdftocairo is killed, and the conversion rejects with the signal's reason. */
  signal?: AbortSignal
  /** Limits for one pdftocairo run (default: defaultProcessLimits). */
  conversionLimits?: ProcessLimits
  /**
   * PDF figures whose conversion failed in this build (project path → why), filled by convertPdfFigures: imagesTransform
   * reports them instead of running pdftocairo on them a second time.
   */
  failedConversions?: Map<string, string>
}

const browserImage = /\.(svg|png|jpe?g|gif|webp|avif)$/i

export function imagesTransform(tree: Root, file: VFile, options: ImagesOptions): AssetCopy[] {
  const copies = new Map<string, AssetCopy>()
  checkRawHtmlLoads(tree, file, options.outputDir === undefined ? undefined : {folder: options.files.absolute(options.outputDir), shown: options.files.relative(options.outputDir)})
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
      if (browserImage.test(found)) checkImageBytes(found, includer, image, file, options.files, options.cache)
      else if (!/\.pdf$/i.test(found)) displayable(found, includer, image, file, options)
      else if (checkImageBytes(found, includer, image, file, options.files, options.cache)) {
        // An .svg beside it is what a build shows in its place.
        const sibling = found.replace(/\.pdf$/i, '.svg')
        if (options.files.isFile(sibling, includer)) checkImageBytes(sibling, includer, image, file, options.files, options.cache)
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
    // A name may hold `#`, `?`, `%` or spaces (`draft #2_files/`, `figures/a b.png`): the URL is encoded.
    image.url = encodeUrlPath(`${options.assetUrl}/${to}`)
  })
  return [...copies.values()]
}

/**
 * Where an image's file is, resolved like an include (its file's folder, then the project root); undefined for an
 * image that names no file (`data:`, `#…`), a problem for one that cannot be shown from a file here.
 */
function locateImage(image: Image, file: VFile, files: ProjectFiles): {found: string; includer: string} | {problem: string; rule: RuleId} | undefined {
  const url = image.url
  if (!url || url.startsWith('data:') || url.startsWith('#')) return undefined
  if (/^[a-z][a-z0-9+.-]*:/i.test(url) || url.startsWith('//')) {
    return {problem: `Remote image ${url} is not fetched (builds make no network requests). Download it into the project and use its path.`, rule: 'remote-image'}
  }
  const includer = image.data?.sourceFile ?? file.path ?? ''
  // A file named as written (`<figures/draft #2.png>`, `figures/100%.png`), else the path the URL means
  // (`figures/draft%20%232.png`, `figures/x.svg#view`).
  const targets = [...new Set([url, decodedPath(url)].filter((target): target is string => target !== undefined && target !== ''))]
  const target = targets[0] ?? url
  const candidates = [...new Set(targets.flatMap((each) => resolutionCandidates(each, includer)))]
  const location = files.locate(candidates, includer)
  if (location.refused) return {problem: `Cannot show image "${target}": ${location.refused.message}.`, rule: location.refused.kind}
  if (!location.found) {
    return {problem: `Image not found: "${target}" (looked for ${candidates.map((c) => `\`${c}\``).join(' and ')}). Add the file or correct the path.`, rule: 'missing-figure'}
  }
  return {found: location.found, includer}
}

/** The file path a relative URL names: without its query and fragment, %-escapes decoded; undefined if malformed. */
function decodedPath(url: string): string | undefined {
  try {
    return decodeURIComponent(url.split(/[?#]/)[0])
  } catch {
    return undefined
  }
}

function displayable(found: string, includer: string, image: Image, file: VFile, options: ImagesOptions): {from: string; name: string} | undefined {
  const {files} = options
  if (browserImage.test(found)) {
    if (!checkImageBytes(found, includer, image, file, files, options.cache)) return undefined
    return {from: files.absolute(found), name: found}
  }
  if (!/\.pdf$/i.test(found)) {
    report(file, image, `Image "${found}" is not a format browsers show (use SVG, PNG, JPEG, GIF or WebP, or PDF with an .svg/.png beside it).`, 'unsupported-figure', 'error')
    return undefined
  }
  if (!checkImageBytes(found, includer, image, file, files, options.cache)) return undefined
  const sibling = (extension: string) => {
    const candidate = found.replace(/\.pdf$/i, extension)
    if (!files.isFile(candidate, includer)) return undefined
    if (!checkImageBytes(candidate, includer, image, file, files, options.cache)) return undefined
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
 * nothing. imagesTransform then finds them done; it also reports any that failed. Rejects with the signal's reason
 * when the build is cancelled (the running conversions are killed).
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
      runLimited('pdftocairo', pdftocairoArguments(options.files.absolute(found), temporary), {limits: options.conversionLimits, signal: options.signal}).then(
        (result) => finishConversion(result, temporary, converted, found, includer, options),
        (error: unknown) => {
          rmSync(temporary, {force: true})
          throw error
        }
      )
    )
  })
  await Promise.all(conversions)
}

/** The first page, as SVG. */
function pdftocairoArguments(pdf: string, svg: string): string[] {
  return ['-svg', '-f', '1', '-l', '1', pdf, svg]
}

/** Puts a finished conversion in its place, or says why there is none. */
function finishConversion(result: LimitedRunResult, temporary: string, converted: string, found: string, includer: string, options: ImagesOptions): {svg?: string; why?: string} {
  if (result.outcome === 'done') {
    keepConverted(temporary, converted, found, includer, options)
    return {svg: converted}
  }
  rmSync(temporary, {force: true})
  const why = conversionProblem(result, options.conversionLimits ?? defaultProcessLimits)
  options.failedConversions?.set(found, why)
  return {why}
}

function conversionProblem(result: Exclude<LimitedRunResult, {outcome: 'done'}>, limits: ProcessLimits): string {
  switch (result.outcome) {
    case 'missing':
      return 'poppler’s pdftocairo is not installed (apt-get install poppler-utils)'
    case 'limit':
      return result.limit === 'time'
        ? `converting it took pdftocairo more than the ${limits.cpuSeconds} s a figure may take (the PDF holds a very large drawing or image; export a smaller PDF)`
        : `converting it made an SVG of more than ${Math.round(limits.outputBytes / 1024 ** 2)} MB (export a smaller PDF)`
    case 'failed':
      return `pdftocairo could not read it (${result.stderr.trim().split('\n')[0].replace(/\.+$/, '') || (result.signal ? `it was ended by ${result.signal}` : `exit code ${result.status}`)})`
  }
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

/**
 * A conversion kept from an earlier build that may be copied beside the page: a regular file inside the project.
 * Anything else in its place (a link to a file elsewhere, a folder) is removed, and the figure converted again.
 */
function usableConversion(converted: string, files: ProjectFiles): boolean {
  let regular: boolean
  try {
    regular = lstatSync(converted).isFile()
  } catch {
    return false
  }
  if (regular && !files.refusal(converted)) return true
  rmSync(converted, {recursive: true, force: true})
  return false
}

/** The first page of a PDF figure as SVG, made with poppler's pdftocairo and kept in the cache folder by content. */
function convertToSvg(found: string, includer: string, options: ImagesOptions): {svg?: string; why?: string} {
  const failed = options.failedConversions?.get(found)
  if (failed) return {why: failed}
  const converted = convertedPath(found, includer, options)
  if (!cacheFolderReady(options)) return {why: `its cache folder ${options.files.relative(options.cacheDir)} cannot be written into (see the error about the output folder)`}
  if (isConverted(converted, found, includer, options)) return {svg: converted}
  const temporary = temporaryBeside(converted)
  let result: LimitedRunResult
  try {
    result = runLimitedSync('pdftocairo', pdftocairoArguments(options.files.absolute(found), temporary), {limits: options.conversionLimits, signal: options.signal})
  } catch (error) {
    rmSync(temporary, {force: true})
    throw error
  }
  return finishConversion(result, temporary, converted, found, includer, options)
}

/**
 * Is the SVG made of a PDF figure in the cache folder, as it was made? Its hash is kept in the derived cache, whose
 * entries are verified, so that an SVG edited in build/.cache (or shipped there with a cloned project) is made again
 * instead of printed. Without a cache on disk (running from source) the file is taken as it is.
 */
function isConverted(converted: string, found: string, includer: string, options: ImagesOptions): boolean {
  if (!usableConversion(converted, options.files)) return false
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
  // SVG is checked by checkSvg, which remembers its verdicts.
]

/** Well-formed XML (checked whole up to 8 MB, some 200 ms) with an `<svg>` element near its start. */
function svgProblem(bytes: Buffer): string | undefined {
  const text = bytes.toString('utf8')
  if (!/<svg[\s>/]/.test(text.slice(0, 4096))) return 'no <svg> element at its start'
  if (bytes.length > 8 * 1024 * 1024) return /<\/svg>\s*$|\/>\s*$/.test(text.slice(-4096)) ? undefined : 'it does not end with </svg>'
  const validation = XMLValidator.validate(text)
  return validation === true ? undefined : `${validation.err.msg.replace(/\.$/, '')} at its line ${validation.err.line}`
}

/**
 * svgProblem, remembered in the derived cache by the file's content hash: checking a figure's XML whole (its fonts
 * inline, a few hundred KB) took a tenth of a second of every build of the trenches draft, for files that rarely change.
 */
function checkSvg(bytes: Buffer, found: string, includer: string, files: ProjectFiles, cache: DerivedCache | undefined): string | undefined {
  if (!cache?.enabled) return svgProblem(bytes)
  const slot = DerivedCache.slot('svg-check', files.relative(found))
  const hash = files.hashOf(found, includer)
  const known = cache.read<{problem?: string}>(slot, hash)
  if (known) return known.problem
  const problem = svgProblem(bytes)
  cache.write(slot, hash, {problem})
  return problem
}

function startsWith(bytes: Buffer, signature: number[]): boolean {
  return signature.every((byte, index) => bytes[index] === byte)
}

/**
 * Read an image (recording its edge and hash) and check that it is what its extension says, whole: a damaged or
 * truncated file would print as an empty frame without a word. False (and reported) when it is not.
 */
function checkImageBytes(found: string, includer: string, image: Image, file: VFile, files: ProjectFiles, cache: DerivedCache | undefined): boolean {
  const bytes = files.readBytes(found, includer)
  const reportCorrupt = (format: string, detail = '') => {
    const what = bytes.length === 0 ? 'empty' : `not a valid ${format} file (damaged, cut short, or another format under a .${found.split('.').pop()} name${detail})`
    report(file, image, `Image "${found}" is ${what}. Export the figure again, or give the file the extension of its real format.`, 'corrupt-image', 'error')
    return false
  }
  if (/\.svg$/i.test(found)) {
    const problem = checkSvg(bytes, found, includer, files, cache)
    return problem === undefined || reportCorrupt('SVG', `: ${problem}`)
  }
  const signature = signatures.find((candidate) => candidate.pattern.test(found))
  if (!signature) return true
  if (!signature.valid(bytes)) return reportCorrupt(signature.format)
  if (!(signature.format in pixelLimits)) return true
  const format = signature.format as RasterFormat
  const size = pixelSize(bytes, format)
  if (!size || size.width * size.height <= pixelLimits[format]) return true
  const megapixels = (pixels: number) => `${Math.round(pixels / 1_000_000)} megapixels`
  report(
    file,
    image,
    `Image "${found}" is ${size.width} × ${size.height} pixels (${megapixels(size.width * size.height)}): Chromium shows a ${format} of more than ${megapixels(pixelLimits[format])} as a broken-image icon. Export it at the size it is printed (a full page at 300 dpi is some 2500 × 3300 pixels).`,
    'image-too-large',
    'error'
  )
  return false
}
