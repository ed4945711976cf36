/**
 * One build of a manuscript project: analyse (config, parse, structure, bibliography) → format citations → HTML →
 * PDF → manifest. Outputs are written only when the manuscript has no errors, each to a temporary file renamed
 * into place, and the HTML only once the PDF is printed, so a failed build (a manuscript error, a browser that
 * would not start, two builds at once) never costs the author the last good HTML or PDF, nor leaves half a file.
 * The outputs hold no time and no absolute path: the same inputs give the same bytes in any folder, at any time.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {walk} from './syntax/walk.ts'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {createManifest, fileSha256, manifestName, manifestText, sha256, type ManifestFile} from './graph/manifest.ts'
import type {ProjectFiles} from './graph/project-files.ts'
import {readKept} from './graph/file-reads.ts'
import type {NewFileWriter} from './graph/write-atomically.ts'
import {analyse, openProject, type Analysis, type OpenProject, type ProjectBibliography, type StageTiming} from './analyse.ts'
import {EnvironmentError} from './cli/errors.ts'
import {stopPoint, untilStopped} from './cli/stop.ts'
import type {OutputFormat, ProjectConfig} from './config/config.ts'
import {hasErrors, report} from './diagnostics/report.ts'
import {profileOptions, profileOutputName, type ProfileName} from './config/profiles.ts'
import {defaultLabels} from './render/to-hast.ts'
import {anonymityTransform} from './transforms/anonymity.ts'
import {floatsAtEndTransform} from './transforms/floats-at-end.ts'
import {citedBibliography} from './bibliography/cited-bibliography.ts'
import {formatOf} from './bibliography/load.ts'
import type {BuildSummary} from './diagnostics/reporter.ts'
import type {DependencyGraph} from './graph/dependency-graph.ts'
import {convertPdfFigures, imagesTransform, type AssetCopy} from './render/assets.ts'
import type {BrowserSession} from './render/browser.ts'
import {listRenderAssets, renderHtmlDocument, type DocumentMeta} from './render/document.ts'
import {pdfDate, sourceDateEpoch, type PdfDate} from './render/pdf-date.ts'
import {reportRefusedLoads} from './render/raw-html-loads.ts'
import type {WordCount} from './render/word-count.ts'
import type {DerivedCache} from './graph/derived-cache.ts'
import {encodeUrlPath} from './render/stylesheet.ts'
import {loadReferenceDoc} from './render/docx/reference-doc.ts'
import type {ParsePool} from './syntax/parse-pool.ts'
import {regenerateTables} from './tables/regenerate.ts'
import type {ProjectSession} from './graph/project-session.ts'
import {citationsTransform, type CitationsOptions} from './transforms/citations.ts'
import type {FrontMatter} from './transforms/front-matter.ts'

export type {StageTiming} from './analyse.ts'

export interface BuildOptions {
  root: string
  /** Formats to write; default: the config's `to`. */
  to?: OutputFormat[]
  onStage?: (stage: StageTiming) => void
  /** A browser kept warm by the caller (watch mode); otherwise one is launched and closed. */
  browser?: BrowserSession
  /** The browser to launch (`--browser`): a path or a command name; default: MANUSCRIPT_BROWSER, then the system's. */
  browserExecutable?: string
  /** Make the page to print even when no PDF is written (watch mode prints it in the background). */
  printPage?: boolean
  /** Where long files are parsed (a watch session keeps one); default: a pool of the build's own. */
  parsePool?: ParsePool
  /**
   * Stops the build (Ctrl-C, SIGTERM): a parse in a worker ends at once, PDF figure conversions are killed, the
   * browser launched for the build is closed (which ends a print), and build rejects with the signal's reason once
   * its temporary files are removed. Outputs are written in one synchronous stretch at the end, so a stopped build
   * leaves the previous ones as they were.
   */
  signal?: AbortSignal
  /** How the bytes of each file written are written (default: to disk; tests pass one that fails as a full disk does). */
  writeNewFile?: NewFileWriter
  /** The profile to build (`--profile`); default: the config's `profile`, else `default` (see config/profiles.ts). */
  profile?: ProfileName
  /** What this project keeps in memory between builds (a watch session keeps one); default: the build's own. */
  session?: ProjectSession
}

export interface BuildResult {
  messages: VFileMessage[]
  /** True when the outputs were written (no errors). */
  written: boolean
  /** Project-relative paths of the outputs written: the HTML (when asked for) first, then the PDF, then the docx. */
  outputs: string[]
  /** Project-relative path of the manifest written with them (`build/manifest.json`). */
  manifest?: string
  summary: BuildSummary
  graph: DependencyGraph
  entry: string
  /**
   * What printing needs (watch mode prints in the background): metadata, the front matter's date, and with
   * `printPage` the page to print and a hash of the files beside it that it loads (see PrintPdfOptions).
   */
  document?: {meta: DocumentMeta; date?: string; printHtml?: string; assetsVersion?: string}
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const {signal} = options
  signal?.throwIfAborted()
  const project = openProject(options.root, options.writeNewFile)
  const formats = options.to ?? project.config.to
  // A malformed SOURCE_DATE_EPOCH stops the build before a browser is started or anything is written.
  if (formats.includes('pdf')) sourceDateEpoch()
  // Chromium starts while the manuscript is analysed; a launch failure surfaces when the PDF is printed. The
  // analysis keeps the main thread busy for long stretches, so the browser process is started before it begins, not
  // queued behind it.
  const early = formats.includes('pdf') && !options.browser ? launchBrowserEarly(options.browserExecutable, project.files.root, signal) : undefined
  const launching = early?.launched
  // Stopping closes the browser at once, whether it is still starting, waiting, or printing; the build ends once it
  // is closed and its profile folder removed.
  let closingOnStop: Promise<void> | undefined
  const closeOnStop = () => (closingOnStop = launching?.then((launched) => launched.browser?.close()))
  signal?.addEventListener('abort', closeOnStop, {once: true})
  try {
    if (early) {
      await early.starting
      await new Promise((resolve) => setImmediate(resolve))
    }
    return await buildProject(options, project, formats, launching)
  } finally {
    signal?.removeEventListener('abort', closeOnStop)
    // Still unused when the build stopped short of printing (errors in the manuscript): close it.
    const launched = await launching
    if (launched?.browser && !launched.used) await launched.browser.close()
    await closingOnStop
  }
}

interface EarlyLaunch {
  browser?: BrowserSession
  error?: unknown
  /** Set once the build took the browser (and closes it itself). */
  used?: boolean
}

/** `starting` resolves once the browser process is starting (or could not be); `launched` once it is ready. */
function launchBrowserEarly(executable: string | undefined, root: string, signal: AbortSignal | undefined): {starting: Promise<void>; launched: Promise<EarlyLaunch>} {
  let started: () => void = () => undefined
  const starting = new Promise<void>((resolve) => (started = resolve))
  const launched = launchOrExplain(executable, root, started, signal).then(
    // The printing page (and its renderer process) is made ready too, while the build goes on.
    async (browser): Promise<EarlyLaunch> => {
      await browser.page()
      return {browser}
    },
    (error: unknown): EarlyLaunch => {
      started()
      return {error}
    }
  )
  return {starting, launched}
}

async function buildProject(options: BuildOptions, project: OpenProject, formats: OutputFormat[], launching: Promise<EarlyLaunch> | undefined): Promise<BuildResult> {
  const {signal} = options
  // Table definitions run in workers, which end with the process: a stopped build does not wait for them.
  const tables = await untilStopped(regenerateTables({root: options.root, onStage: options.onStage, files: project.files, timeLimitMs: project.config.tableTimeLimitMs}), signal)
  const {files, config, entry, file, tree, frontMatter, bibliography, cache, session, stages} = await analyse({...options, project})
  await stopPoint(signal)
  file.messages.unshift(...tables.messages)
  const name = path.posix.basename(entry, '.md')
  const profileName = options.profile ?? config.profile
  const profile = profileOptions(profileName)
  // A profile's outputs are named after it (`manuscript-submission.pdf`) and share the default outputs' assets folder.
  const outputName = profileOutputName(name, profileName)
  const anonymous = profile !== undefined && isAnonymous(frontMatter, config, file)
  const outputDir = config.outputDir
  const assetUrl = `${name}_files`
  const imageOptions = {files, assetUrl, outputDir, cacheDir: files.absolute(path.join(outputDir, '.cache')), cache, signal: options.signal, failedConversions: new Map<string, string>()}
  // PDF figures are converted in other processes while this one formats the citations.
  const conversions = convertPdfFigures(tree, file, imageOptions)

  const items = anonymous ? anonymityTransform(tree, file, {authors: frontMatter.authors, items: bibliography.items, acknowledgementsHeading: config.acknowledgements}).items : bibliography.items
  const citationStats = citationsTransform(tree, file, citationsOptions(frontMatter, {...bibliography, items}, cache, session))
  stages.done('citations', `${citationStats.citations} citations`)
  // After the citations: the references are in place, and the figures and tables go after them.
  if (profile?.floatsAtEnd) floatsAtEndTransform(tree, {labels: defaultLabels})

  await conversions
  await stopPoint(signal)
  const copies = imagesTransform(tree, file, imageOptions)
  const counts = countObjects(tree)
  const meta = documentMeta(frontMatter, config)
  if (anonymous) meta.authors = []
  const {html, page, wordCount} = renderHtmlDocument(tree, meta, {assetBase: assetUrl, file, profile, session, cache})
  stages.done('html')
  await stopPoint(signal)

  // The Word template is read (and its problems reported) before deciding whether the outputs are written.
  const referenceDoc = formats.includes('docx') ? loadReferenceDoc(files, file, entry, frontMatter, config.referenceDoc, project.configPlaces) : undefined

  const summary: BuildSummary = {words: wordCount.words.body, figures: counts.figures, tables: counts.tables, citations: citationStats.citations, works: citationStats.works}
  const result: BuildResult = {messages: file.messages, written: false, outputs: [], summary, graph: files.graph, entry, document: {meta, date: frontMatter.date}}
  if (hasErrors(file)) return result
  // Hyphenation (hyphen and its patterns) loads only when a page is to be printed.
  let printing: Promise<string> | undefined
  const printHtml = () => (printing ??= import('./render/hyphenate.ts').then(({printPageHtml}) => printPageHtml(page, meta.lang?.trim() || 'en', cache, session)))

  const date = formats.includes('pdf') ? pdfDate(frontMatter.date) : undefined
  // The Word document is made in memory before anything is written; it is written with the other outputs.
  let docx: Uint8Array | undefined
  if (formats.includes('docx')) {
    const {renderDocx} = await import('./render/docx/document.ts')
    const figures = new Map(copies.map((copy) => [encodeUrlPath(`${assetUrl}/${copy.to}`), copy.from]))
    docx = await renderDocx(tree, meta, {
      profile,
      date: pdfDate(frontMatter.date).date,
      referenceDoc,
      cache,
      image: (url) => {
        const from = figures.get(url)
        return from === undefined ? undefined : {file: from, bytes: readFileSync(from)}
      }
    })
    stages.done('docx')
    await stopPoint(signal)
  }
  const outputAbsolute = files.outputFolder(outputDir)
  const assets = copyAssets(files, path.join(outputAbsolute, assetUrl), [...copies, ...listRenderAssets()], session)
  const htmlPath = path.join(outputAbsolute, `${outputName}.html`)
  const pdfPath = path.join(outputAbsolute, `${outputName}.pdf`)
  const docxPath = path.join(outputAbsolute, `${outputName}.docx`)
  const written: ManifestFile[] = assets.map((asset) => ({path: files.relative(path.join(outputAbsolute, assetUrl, asset.to)), sha256: asset.sha256}))
  let browserVersion: string | undefined
  // The HTML is written only after the PDF: a printing failure leaves the previous HTML too.
  if (formats.includes('pdf')) {
    const page = await printHtml()
    await stopPoint(signal)
    // Printing modules (puppeteer, hyphenation patterns) load only when a PDF is asked for.
    const {printPage, RefusedLoadsError} = await import('./render/pdf.ts')
    let footnoteDetail: string | undefined
    const browser = options.browser ?? (await takeBrowser(launching!))
    // A browser launched for this build closes while the PDF is finished in Node.
    let closing: Promise<void> | undefined
    const close = options.browser ? undefined : () => (closing ??= browser.close())
    try {
      browserVersion = await browser.version()
      const printed = await printPage(browser, page, {htmlPath, pdfPath, meta, allowedRoot: outputAbsolute, date: date!.date, afterPrinting: close, refuseIncomplete: true, lineNumbers: profile?.lineNumbers})
      summary.pages = printed.pages
      footnoteDetail = printed.footnotes ? `footnotes ${Math.round(printed.footnotes.milliseconds)} ms` : undefined
      written.push({path: files.relative(pdfPath), sha256: printed.sha256})
    } catch (error) {
      // The page asked for something the checks before printing did not see (a file that a file of the page loads).
      if (!(error instanceof RefusedLoadsError)) throw error
      reportRefusedLoads(tree, file, error.urls, {folder: outputAbsolute, shown: outputDir})
      return result
    } finally {
      await close?.()
    }
    stages.done('pdf', footnoteDetail)
    // The PDF is written; the HTML and the manifest follow at once, with no stop between.
  }
  if (formats.includes('html')) {
    files.writeOutput(htmlPath, html)
    written.push({path: files.relative(htmlPath), sha256: sha256(html)})
  }
  if (docx) {
    files.writeOutput(docxPath, docx)
    written.push({path: files.relative(docxPath), sha256: sha256(docx)})
  }
  if (formats.includes('html')) result.outputs.push(files.relative(htmlPath))
  if (formats.includes('pdf')) result.outputs.push(files.relative(pdfPath))
  if (docx) result.outputs.push(files.relative(docxPath))
  // The cited-only bibliography comes with the usual outputs: a profile's version is the same paper (and an anonymous
  // one must not carry the authors' own entries that its references mask).
  const citedBibliography = profile ? [] : writeCitedBibliography(files, file, {bibliography, nocite: frontMatter.nocite, entry, folder: outputAbsolute, name, session})
  for (const output of citedBibliography) {
    written.push(output)
    result.outputs.push(output.path)
  }
  const manifestPath = path.join(outputAbsolute, manifestName)
  files.writeOutput(manifestPath, manifestText(createManifest({graph: files.graph, portablePath: (file) => files.portablePath(file), outputs: written, browser: browserVersion, pdfDate: date && {date: date.date, from: describeDateSource(date)}})))
  result.manifest = files.relative(manifestPath)
  result.written = true
  // Made after the HTML is written, so that the preview is not kept waiting for the printed variant.
  if (options.printPage) {
    result.document!.printHtml = await printHtml()
    result.document!.assetsVersion = sha256(assets.map((asset) => `${asset.to} ${asset.sha256}`).join('\n'))
  }
  return result
}

/**
 * `build/<name>.bib` and `build/<name>.json`: the cited (and `nocite`d) entries alone, for a submission (see
 * bibliography/cited-bibliography.ts). Nothing is written when nothing is cited. A file there that the last build
 * did not write (it is not in the last manifest with its hash) is a person's, and is left as it is, with a warning.
 */
function writeCitedBibliography(files: ProjectFiles, file: VFile, options: {bibliography: ProjectBibliography; nocite: FrontMatter['nocite']; entry: string; folder: string; name: string; session: ProjectSession}): ManifestFile[] {
  const {bibliography, folder, name} = options
  const everything = options.nocite.some((listed) => listed.key === '*')
  if (!everything && ![...bibliography.citedKeys].some((key) => bibliography.byId.has(key))) return []
  const bibtexSources = bibliography.paths.filter((source) => formatOf(source) === 'bibtex').map((source) => ({path: source, text: files.readText(source, options.entry)}))
  const cited = citedBibliography({items: bibliography.items, cited: bibliography.citedKeys, everything, bibtexSources, sourceOf: (id) => bibliography.origins.get(id)?.path, memo: options.session.bibtexSources})
  const previous = previousOutputs(path.join(folder, manifestName))
  const written: ManifestFile[] = []
  for (const [extension, text] of [['.bib', cited.bibtex], ['.json', cited.cslJson]] as const) {
    if (text === undefined) continue
    const target = path.join(folder, `${name}${extension}`)
    const shown = files.relative(target)
    const hash = sha256(text)
    const onDisk = existsSync(target) ? fileSha256(target) : undefined
    if (onDisk !== undefined && onDisk !== hash && previous.get(shown) !== onDisk) {
      report(file, undefined, `${shown} was not written by the last build (a file of yours, or one edited since), so the cited-only bibliography was not written there. Move the file out of ${files.relative(folder)}/ to get the bibliography of the cited entries there.`, 'cited-bibliography-conflict', 'warning', {sourceFile: shown, place: {line: 1, column: 1}})
      continue
    }
    if (onDisk !== hash) files.writeOutput(target, text)
    written.push({path: shown, sha256: hash})
  }
  return written
}

/** The outputs the last build's manifest lists, with their hashes (none when there is no readable manifest). */
function previousOutputs(manifestPath: string): Map<string, string> {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as {outputs?: ManifestFile[]}
    return new Map((manifest.outputs ?? []).map((output) => [output.path, output.sha256]))
  } catch {
    return new Map()
  }
}

/** How the build formats citations: from the bibliography and the front matter's settings. */
export function citationsOptions(frontMatter: FrontMatter, bibliography: ProjectBibliography, cache: DerivedCache, session?: ProjectSession): CitationsOptions {
  return {
    items: bibliography.items,
    style: bibliography.style,
    bibliographyFile: bibliography.paths[0],
    referenceSectionTitle: frontMatter.referenceSectionTitle,
    defaultReferenceSectionTitle: 'References',
    locale: frontMatter.lang,
    nocite: frontMatter.nocite,
    suppressBibliography: frontMatter.raw['suppress-bibliography'] === true,
    linkBibliography: frontMatter.raw['link-bibliography'] !== false,
    linkCitations: frontMatter.linkCitations,
    notesAfterPunctuation: frontMatter.notesAfterPunctuation,
    cache,
    session
  }
}

/**
 * The words of the page as the build renders it (citations formatted on the way), for `count` and `check`.
 * Problems met while rendering (a formula KaTeX cannot set) are reported only when `renderProblems` is given.
 */
export function renderedWordCount(analysis: Pick<Analysis, 'file' | 'tree' | 'frontMatter' | 'bibliography' | 'cache' | 'config'> & Partial<Pick<Analysis, 'session'>>, renderProblems?: VFile): WordCount {
  const {file, tree, frontMatter, bibliography, cache, config, session} = analysis
  citationsTransform(tree, file, citationsOptions(frontMatter, bibliography, cache, session))
  return renderHtmlDocument(tree, documentMeta(frontMatter, config), {assetBase: '', file: renderProblems}).wordCount
}

/**
 * Whether a profile build leaves the authors out: the front matter's `anonymous`, else the config's. A value that
 * is not true or false is reported at the key and read as false.
 */
function isAnonymous(frontMatter: FrontMatter, config: ProjectConfig, file: VFile): boolean {
  const written = frontMatter.raw.anonymous
  if (written === undefined) return config.anonymous
  if (typeof written === 'boolean') return written
  const place = frontMatter.keyPlaces.anonymous
  report(file, undefined, `Front matter key \`anonymous\` must be true or false; found ${JSON.stringify(written)}. The authors are kept.`, 'front-matter', 'warning', place ? {sourceFile: place.sourceFile, place: {line: place.line, column: place.column}} : {})
  return false
}

function describeDateSource(date: PdfDate): string {
  return date.source === 'SOURCE_DATE_EPOCH' ? 'SOURCE_DATE_EPOCH' : date.source === 'front matter date' ? 'the front matter `date`' : 'no usable date: the fixed date 1970-01-01'
}

/** The document information the HTML and PDF are given, from the front matter and the config. */
export function documentMeta(frontMatter: FrontMatter, config: ProjectConfig): DocumentMeta {
  return {
    title: frontMatter.title,
    shortTitle: frontMatter.shortTitle,
    authors: frontMatter.authors,
    date: frontMatter.date,
    abstract: frontMatter.abstract,
    keywords: frontMatter.keywords,
    published: frontMatter.published,
    lang: frontMatter.lang,
    paperSize: frontMatter.paper ?? config.paper,
    notes: config.notes
  }
}

function countObjects(tree: Root): {figures: number; tables: number} {
  let figures = 0
  let tables = 0
  // A group of subfigures is one figure; a listing is neither.
  walk(tree, 'figure', (node, _index, parent) => {
    if (node.kind === 'table') tables++
    else if (node.kind === 'figure' && parent?.type !== 'figure') figures++
  })
  walk(tree, 'table', (_node, _index, parent) => {
    if (parent?.type !== 'figure') tables++
  })
  return {figures, tables}
}

async function takeBrowser(launching: Promise<EarlyLaunch>): Promise<BrowserSession> {
  const launched = await launching
  if (!launched.browser) throw launched.error
  launched.used = true
  return launched.browser
}

async function launchOrExplain(executable: string | undefined, root: string, onStarting: () => void, signal: AbortSignal | undefined): Promise<BrowserSession> {
  const {launchBrowser} = await import('./render/browser.ts')
  try {
    return await launchBrowser({executable, root, onStarting, signal})
  } catch (error) {
    throw new EnvironmentError((error as Error).message)
  }
}

/**
 * Copy images and fonts beside the HTML; a copy already there with the same bytes is kept (one edited there, or
 * shipped there with a cloned project, is replaced). Each copy goes to a temporary file renamed into place, so a
 * build printing at the same moment never reads half a font. Returns what is in the folder for this build, with each
 * file's hash, for the manifest.
 */
function copyAssets(files: ProjectFiles, folder: string, copies: AssetCopy[], session: ProjectSession): {to: string; sha256: string}[] {
  // A watch session keeps what it read of each asset and of each copy while their stat proves them unchanged.
  const reads = session.keepsBuilds ? session.fileReads : undefined
  return copies.map((copy) => {
    const target = path.join(folder, copy.to)
    const {bytes, hash} = readKept(copy.from, reads)
    if (!existsSync(target) || readKept(target, reads).hash !== hash) {
      files.writeOutput(target, bytes)
      reads?.forget(target)
    }
    return {to: copy.to, sha256: hash}
  })
}
