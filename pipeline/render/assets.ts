/**
 * Images in the manuscript: resolve each path like an include (the file's folder, then the project root), find a
 * form a browser can show (a PDF figure uses its .svg sibling, else a vector conversion with poppler's
 * pdftocairo, else its .png sibling), and plan its copy into the output's asset folder. Missing files are errors
 * at the image.
 */
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, renameSync, rmSync} from 'node:fs'
import path from 'node:path'
import type {Image, Root} from 'mdast'
import {visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
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
  /** Only check that each image exists in a usable format (`check`): nothing is read, converted, copied or rewritten. */
  verifyOnly?: boolean
}

const browserImage = /\.(svg|png|jpe?g|gif|webp|avif)$/i

export function imagesTransform(tree: Root, file: VFile, options: ImagesOptions): AssetCopy[] {
  const copies = new Map<string, AssetCopy>()
  visit(tree, 'image', (image: Image) => {
    const url = image.url
    if (!url || url.startsWith('data:') || url.startsWith('#')) return
    if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
      report(file, image, `Remote image ${url} is not fetched (builds make no network requests). Download it into the project and use its path.`, 'remote-image', 'error')
      return
    }
    const includer = image.data?.sourceFile ?? file.path ?? ''
    const target = decodeURI(url.split(/[?#]/)[0])
    const candidates = resolutionCandidates(target, includer)
    const found = candidates.find((candidate) => options.files.isFile(candidate, includer))
    if (!found) {
      report(file, image, `Image not found: "${target}" (looked for ${candidates.map((c) => `\`${c}\``).join(' and ')}). Add the file or correct the path.`, 'missing-figure', 'error')
      return
    }
    if (options.verifyOnly) {
      // displayable() reports an unusable format before it touches the file.
      if (!browserImage.test(found) && !/\.pdf$/i.test(found)) displayable(found, includer, image, file, options)
      return
    }
    const shown = displayable(found, includer, image, file, options)
    if (!shown) return
    const to = `images/${shown.name}`
    copies.set(to, {from: shown.from, to})
    image.url = `${options.assetUrl}/${to}`
  })
  return [...copies.values()]
}

function displayable(found: string, includer: string, image: Image, file: VFile, options: ImagesOptions): {from: string; name: string} | undefined {
  const {files} = options
  if (browserImage.test(found)) {
    files.readBytes(found, includer) // records the edge and hash
    return {from: files.absolute(found), name: found}
  }
  if (!/\.pdf$/i.test(found)) {
    report(file, image, `Image "${found}" is not a format browsers show (use SVG, PNG, JPEG, GIF or WebP, or PDF with an .svg/.png beside it).`, 'unsupported-figure', 'error')
    return undefined
  }
  const sibling = (extension: string) => {
    const candidate = found.replace(/\.pdf$/i, extension)
    if (!files.isFile(candidate, includer)) return undefined
    files.readBytes(candidate, includer)
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

/** The first page of a PDF figure as SVG, made with poppler's pdftocairo and kept in the cache folder by content. */
function convertToSvg(found: string, includer: string, options: ImagesOptions): {svg?: string; why?: string} {
  const bytes = options.files.readBytes(found, includer)
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16)
  const converted = path.join(options.cacheDir, `${hash}.svg`)
  if (existsSync(converted)) return {svg: converted}
  mkdirSync(options.cacheDir, {recursive: true})
  const temporary = `${converted}.${process.pid}.tmp.svg`
  const result = spawnSync('pdftocairo', ['-svg', '-f', '1', '-l', '1', options.files.absolute(found), temporary], {encoding: 'utf8'})
  if (result.error || result.status !== 0) {
    rmSync(temporary, {force: true})
    return {why: result.error ? 'poppler’s pdftocairo is not installed (apt-get install poppler-utils)' : `pdftocairo failed: ${result.stderr.trim()}`}
  }
  renameSync(temporary, converted)
  return {svg: converted}
}
