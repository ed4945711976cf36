/**
 * The build of a manuscript project once build.ts has started it (project opened, browser starting): analyse →
 * format citations → HTML → PDF (and DOCX) → manifest. See build.ts for what a build guarantees.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {walk} from './syntax/walk.ts'
import type {VFile} from 'vfile'
import {createManifest, fileSha256, manifestName, manifestText, sha256, type ManifestFile} from './graph/manifest.ts'
import type {ProjectFiles} from './graph/project-files.ts'
import {KnownHashes, readKept} from './graph/file-reads.ts'
import {analyse, type Analysis, type ProjectBibliography} from './analyse.ts'
import type {BuildOptions, BuildResult} from './build.ts'
import type {OpenProject} from './config/project.ts'
import {stopPoint, untilStopped} from './cli/stop.ts'
import type {OutputFormat, ProjectConfig} from './config/config.ts'
import {hasErrors, report} from './diagnostics/report.ts'
import {profileOptions, profileOutputName} from './config/profiles.ts'
import {defaultLabels} from './render/to-hast.ts'
import {anonymityTransform} from './transforms/anonymity.ts'
import {floatsAtEndTransform} from './transforms/floats-at-end.ts'
import {citedBibliography} from './bibliography/cited-bibliography.ts'
import {formatOf} from './bibliography/load.ts'
import type {BuildSummary} from './diagnostics/reporter.ts'
import {convertPdfFigures, imagesTransform, type AssetCopy} from './render/assets.ts'
import type {BrowserSession} from './render/browser.ts'
import {listRenderAssets, pageWordCount, renderHtmlDocument, type DocumentMeta} from './render/document.ts'
import {pdfDate, type PdfDate} from './render/pdf-date.ts'
import {reportRefusedLoads} from './render/raw-html-loads.ts'
import {countWordsOfPage, type WordCount} from './render/word-count.ts'
import {DerivedCache} from './graph/derived-cache.ts'
import {encodeUrlPath} from './render/stylesheet.ts'
import {regenerateTables} from './tables/regenerate.ts'
import type {ProjectSession} from './graph/project-session.ts'
import {citationsTransform, type CitationsOptions} from './transforms/citations.ts'
import type {FrontMatter} from './transforms/front-matter.ts'


/**
 * The build once it is started (build.ts): `takeBrowser` gives the browser build.ts launched, when no browser was
 * given in `options`.
 */
export async function buildProject(options: BuildOptions, project: OpenProject, formats: OutputFormat[], takeBrowser: () => Promise<BrowserSession>): Promise<BuildResult> {
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

  // An anonymous profile's citations are of the masked items, looked up in a map of their own.
  const masked = anonymous ? anonymityTransform(tree, file, {authors: frontMatter.authors, items: bibliography.items, acknowledgementsHeading: config.acknowledgements}).items : undefined
  const forCitations = masked ? {...bibliography, items: masked, byId: new Map(masked.map((item) => [item.id, item]))} : bibliography
  const citationStats = citationsTransform(tree, file, citationsOptions(frontMatter, forCitations, cache, session))
  stages.done('citations', `${citationStats.citations} citations`)
  // After the citations: the references are in place, and the figures and tables go after them.
  if (profile?.floatsAtEnd) floatsAtEndTransform(tree, {labels: defaultLabels})

  await conversions
  await stopPoint(signal)
  const copies = imagesTransform(tree, file, imageOptions)
  const counts = countObjects(tree)
  const meta = documentMeta(frontMatter, config)
  if (anonymous) meta.authors = []
  const {html, page, bytes, math} = renderHtmlDocument(tree, meta, {assetBase: assetUrl, file, profile, session, cache})
  // Encoded and hashed once: the word count is kept under the hash, the manifest lists it, and the bytes are written
  // (encoding and hashing the book's HTML each took ~10 ms).
  let htmlBytes: Buffer | undefined
  const bytesOfHtml = () => (htmlBytes ??= bytes ?? Buffer.from(html, 'utf8'))
  let htmlHash: string | undefined
  const hashOfHtml = () => (htmlHash ??= sha256(bytesOfHtml()))
  const words = options.countWords === false ? undefined : pageWordCount(page, hashOfHtml(), cache).words.body
  stages.done('html')
  await stopPoint(signal)

  // The Word template is read (and its problems reported) before deciding whether the outputs are written. Its module
  // (and fflate's tables) loads only for a Word document.
  const referenceDoc = formats.includes('docx') ? (await import('./render/docx/reference-doc.ts')).loadReferenceDoc(files, file, entry, frontMatter, config.referenceDoc, project.configPlaces) : undefined

  const summary: BuildSummary = {words, figures: counts.figures, tables: counts.tables, citations: citationStats.citations, works: citationStats.works}
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
  const assets = copyAssets(files, path.join(outputAbsolute, assetUrl), [...copies, ...listRenderAssets({math})], session, cache)
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
    const browser = options.browser ?? (await takeBrowser())
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
    files.writeOutput(htmlPath, bytesOfHtml())
    written.push({path: files.relative(htmlPath), sha256: hashOfHtml()})
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
  const manifestPath = path.join(outputAbsolute, manifestName)
  const previous = previousOutputs(manifestPath)
  const citedBibliography = profile ? [] : writeCitedBibliography(files, file, {bibliography, nocite: frontMatter.nocite, references: frontMatter.raw.references, entry, folder: outputAbsolute, name, session, cache, previous})
  for (const output of citedBibliography) {
    written.push(output)
    result.outputs.push(output.path)
  }
  // What the last build copied beside the HTML and this one does not (a figure taken out, the last formula deleted)
  // goes, each file only while it is what that build wrote: the folder holds what the page loads.
  const assetFolder = files.relative(path.join(outputAbsolute, assetUrl))
  const kept = new Set(written.map((output) => output.path))
  for (const [output, hash] of previous) if (output.startsWith(`${assetFolder}/`) && !kept.has(output)) files.removeOutput(output, hash, assetFolder)
  files.writeOutput(manifestPath, manifestText(createManifest({graph: files.graph, portablePath: (file) => files.portablePath(file), outputs: written, browser: browserVersion, pdfDate: date && {date: date.date, from: describeDateSource(date)}})))
  result.manifest = files.relative(manifestPath)
  result.written = true
  // Made when the caller asks, once the HTML is written: the preview is told of the new page first.
  if (options.printPage) {
    result.document!.printHtml = printHtml
    result.document!.assetsVersion = sha256(assets.map((asset) => `${asset.to} ${asset.sha256}`).join('\n'))
  }
  return result
}

/**
 * `build/<name>.bib` and `build/<name>.json`: the cited (and `nocite`d) entries alone, for a submission (see
 * bibliography/cited-bibliography.ts). Nothing is written when nothing is cited. A file there that the last build
 * did not write (it is not in the last manifest with its hash) is a person's, and is left as it is, with a warning.
 */
function writeCitedBibliography(files: ProjectFiles, file: VFile, options: {bibliography: ProjectBibliography; nocite: FrontMatter['nocite']; references: unknown; entry: string; folder: string; name: string; session: ProjectSession; cache: DerivedCache; previous: Map<string, string>}): ManifestFile[] {
  const {bibliography, folder, name} = options
  const everything = options.nocite.some((listed) => listed.key === '*')
  if (!everything && ![...bibliography.citedKeys].some((key) => bibliography.byId.has(key))) return []
  const sources = bibliography.paths.map((source) => ({path: source, identity: files.hashOf(source, options.entry), text: () => files.readText(source, options.entry)}))
  const bibtexSources = sources.filter((source) => formatOf(source.path) === 'bibtex')
  // The bibliography's files (by content) and inline references decide which file each kept key comes from.
  const slot = DerivedCache.slot('cited-bibtex', options.name)
  const keyOf = (keys: string[]) => options.cache.hash(...sources.map((source) => `${source.path}\u0000${source.identity}`), JSON.stringify(options.references ?? null), ...keys)
  const store = {
    read: (keys: string[]) => options.cache.read<{bibtex?: string}>(slot, keyOf(keys)),
    write: (keys: string[], made: {bibtex?: string}) => options.cache.write(slot, keyOf(keys), made)
  }
  // What the texts are made from: the sources' contents, the inline references and the keys cited.
  const madeFrom = keyOf([String(everything), ...[...bibliography.citedKeys].sort()])
  const remembered = options.session.citedBibliography
  if (remembered.last?.key !== madeFrom) {
    const cited = citedBibliography({items: bibliography.items, cited: bibliography.citedKeys, everything, bibtexSources, sourceOf: (id) => bibliography.origins.get(id)?.path, memo: options.session.bibtexSources, store})
    const texts = ([['.bib', cited.bibtex], ['.json', cited.cslJson]] as const).flatMap(([extension, text]) => (text === undefined ? [] : [{extension, text, hash: sha256(text)}]))
    remembered.last = {key: madeFrom, texts}
  }
  const {previous} = options
  const written: ManifestFile[] = []
  for (const {extension, text, hash} of remembered.last.texts) {
    const target = path.join(folder, `${name}${extension}`)
    const shown = files.relative(target)
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
    itemsById: bibliography.byId,
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
  return countWordsOfPage(renderHtmlDocument(tree, documentMeta(frontMatter, config), {assetBase: '', file: renderProblems}).page)
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

/**
 * Copy images and fonts beside the HTML; a copy already there with the same bytes is kept (one edited there, or
 * shipped there with a cloned project, is replaced). Each copy goes to a temporary file renamed into place, so a
 * build printing at the same moment never reads half a font. Returns what is in the folder for this build, with each
 * file's hash, for the manifest.
 */
function copyAssets(files: ProjectFiles, folder: string, copies: AssetCopy[], session: ProjectSession, cache: DerivedCache): {to: string; sha256: string}[] {
  // A watch session keeps what it read of each asset and of each copy while their stat proves them unchanged; the
  // derived cache keeps their hashes for the next process, under the same proof.
  const reads = session.keepsBuilds ? session.fileReads : undefined
  const read = (file: string) => readKept(file, reads)
  const hashes = new KnownHashes(cache)
  const copied = copies.map((copy) => {
    const target = path.join(folder, copy.to)
    const source = hashes.hash(copy.from, read)
    if (!existsSync(target) || hashes.hash(target, read).hash !== source.hash) {
      files.writeOutput(target, (source.read ?? read(copy.from)).bytes)
      reads?.forget(target)
    }
    return {to: copy.to, sha256: source.hash}
  })
  hashes.save()
  return copied
}
