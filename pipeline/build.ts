/**
 * One build of a manuscript project: config → parse (with includes and front matter) → transforms → HTML → PDF.
 * Every file is read through ProjectFiles (recording the dependency graph). Outputs are written only when the
 * manuscript has no errors, each to a temporary file renamed into place, so a failed build never costs the
 * author the last good HTML or PDF.
 */
import {copyFileSync, mkdirSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {Root} from 'mdast'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {EnvironmentError} from './cli/errors.ts'
import {loadConfig, type OutputFormat, type ProjectConfig} from './config/config.ts'
import {findEntry} from './config/entry.ts'
import {hasErrors, report} from './diagnostics/report.ts'
import type {BuildSummary} from './diagnostics/reporter.ts'
import {DependencyGraph} from './graph/dependency-graph.ts'
import {ProjectFiles} from './graph/project-files.ts'
import {builtInStyleNames, loadBibliography, loadCitationStyle, type Bibliography, type CitationStyle} from './bibliography/index.ts'
import {imagesTransform, type AssetCopy} from './render/assets.ts'
import {launchBrowser, type BrowserSession} from './render/browser.ts'
import {renderHtmlDocument, listRenderAssets, type DocumentMeta} from './render/document.ts'
import {printPdf} from './render/pdf.ts'
import {parseMarkdown} from './syntax/parse.ts'
import {attributesTransform} from './transforms/attributes.ts'
import {citationsTransform} from './transforms/citations.ts'
import {crossrefTransform} from './transforms/crossref.ts'
import {figuresTransform} from './transforms/figures.ts'
import {frontMatterTransform, type FrontMatter} from './transforms/front-matter.ts'
import {includesTransform, resolutionCandidates} from './transforms/includes.ts'
import {notesTransform} from './transforms/notes.ts'
import {smartPunctuationTransform} from './transforms/smart-punctuation.ts'
import {tableCaptionsTransform} from './transforms/table-captions.ts'

export interface StageTiming {
  name: string
  milliseconds: number
  detail?: string
}

export interface BuildOptions {
  root: string
  /** Formats to write; default: the config's `to`. */
  to?: OutputFormat[]
  onStage?: (stage: StageTiming) => void
  /** A browser kept warm by the caller (watch mode); otherwise one is launched and closed. */
  browser?: BrowserSession
}

export interface BuildResult {
  messages: VFileMessage[]
  /** True when the outputs were written (no errors). */
  written: boolean
  /** Project-relative paths of the outputs written. */
  outputs: string[]
  summary: BuildSummary
  graph: DependencyGraph
  entry: string
}

export async function build(options: BuildOptions): Promise<BuildResult> {
  const files = new ProjectFiles(options.root, new DependencyGraph())
  const stages = new StageClock(options.onStage)

  const configFile = new VFile({path: 'manuscript.yaml'})
  const {config} = loadConfig(files, configFile)
  const entry = findEntry(files, config.entry)
  const file = new VFile({path: entry, cwd: files.root})
  file.messages.push(...configFile.messages)
  stages.done('config')

  const tree = parseMarkdown(files.readText(entry, '<build>'), entry)
  includesTransform(tree, file, {files, parse: parseMarkdown})
  const frontMatter = frontMatterTransform(tree, file)
  smartPunctuationTransform(tree)
  stages.done('parse', `${files.graph.importsOf(entry).length + 1} files`)

  attributesTransform(tree, file)
  notesTransform(tree, file)
  figuresTransform(tree, file, {parse: parseMarkdown, sourceText: (sourceFile) => files.readText(sourceFile, entry)})
  tableCaptionsTransform(tree, file)
  crossrefTransform(tree, file, {numberSections: frontMatter.numberSections ?? config.numberSections, metadata: frontMatter.raw})
  stages.done('crossref')

  const bibliography = loadProjectBibliography(files, file, entry, frontMatter, config)
  const citationStats = citationsTransform(tree, file, {
    items: bibliography.items,
    style: bibliography.style,
    bibliographyFile: bibliography.paths[0],
    referenceSectionTitle: frontMatter.referenceSectionTitle ?? 'References',
    locale: frontMatter.lang,
    nocite: frontMatter.nocite,
    suppressBibliography: frontMatter.raw['suppress-bibliography'] === true
  })
  stages.done('citations', `${citationStats.citations} citations`)

  const name = path.posix.basename(entry, '.md')
  const outputDir = config.outputDir
  const assetUrl = `${name}_files`
  const copies = imagesTransform(tree, file, {files, assetUrl, cacheDir: files.absolute(path.join(outputDir, '.cache'))})
  const counts = countObjects(tree)
  const meta = documentMeta(frontMatter, config)
  const {html, stats} = renderHtmlDocument(tree, meta, {assetBase: assetUrl})
  stages.done('html')

  const summary: BuildSummary = {words: stats.words, figures: counts.figures, tables: counts.tables, citations: citationStats.citations, works: citationStats.works}
  const result: BuildResult = {messages: file.messages, written: false, outputs: [], summary, graph: files.graph, entry}
  if (hasErrors(file)) return result

  const formats = options.to ?? config.to
  const outputAbsolute = files.absolute(outputDir)
  mkdirSync(outputAbsolute, {recursive: true})
  copyAssets(path.join(outputAbsolute, assetUrl), [...copies, ...listRenderAssets()])
  const htmlPath = path.join(outputAbsolute, `${name}.html`)
  writeAtomically(htmlPath, html)
  if (formats.includes('html')) result.outputs.push(files.relative(htmlPath))

  if (formats.includes('pdf')) {
    const browser = options.browser ?? (await launchOrExplain(config, files.root))
    try {
      const pdfPath = path.join(outputAbsolute, `${name}.pdf`)
      const {pages} = await printPdf(browser, {htmlPath, pdfPath, meta, allowedRoot: outputAbsolute, date: documentDate(files)})
      summary.pages = pages
      result.outputs.push(files.relative(pdfPath))
    } finally {
      if (!options.browser) await browser.close()
    }
    stages.done('pdf')
  }
  if (!formats.includes('html')) rmSync(htmlPath, {force: true})
  result.written = true
  return result
}

class StageClock {
  private last = performance.now()
  constructor(private readonly onStage?: (stage: StageTiming) => void) {}
  done(name: string, detail?: string): void {
    const now = performance.now()
    this.onStage?.({name, milliseconds: now - this.last, detail})
    this.last = now
  }
}

interface ProjectBibliography extends Bibliography {
  paths: string[]
  style: CitationStyle
}

/** Bibliography: the front matter's, else the config's, else the single .bib beside the entry. */
function loadProjectBibliography(files: ProjectFiles, file: VFile, entry: string, frontMatter: FrontMatter, config: ProjectConfig): ProjectBibliography {
  const named = frontMatter.bibliography.length ? frontMatter.bibliography : (config.bibliography ?? [])
  const paths: string[] = []
  for (const target of named) {
    const found = resolutionCandidates(target, entry).find((candidate) => files.isFile(candidate, entry))
    if (found) paths.push(found)
    else report(file, undefined, `Bibliography "${target}" not found (looked beside ${entry} and in the project root). Fix the path in the front matter or config.`, 'missing-bibliography', 'error', {place: {line: 1, column: 1}})
  }
  if (named.length === 0) {
    const siblings = files.listFolder(path.posix.dirname(entry), '.bib', entry)
    if (siblings.length === 1) paths.push(siblings[0])
  }
  const readFile = (target: string) => files.readText(target, entry)
  const csl = frontMatter.csl ?? config.csl
  let style: string | undefined
  if (csl && !(builtInStyleNames as readonly string[]).includes(csl)) {
    style = resolutionCandidates(csl, entry).find((candidate) => files.isFile(candidate, entry))
    if (!style) report(file, undefined, `CSL style "${csl}" not found (looked beside ${entry} and in the project root). Fix the \`csl\` path, or remove it to use the default style.`, 'missing-csl', 'error', {place: {line: 1, column: 1}})
  } else {
    style = csl
  }
  const loaded = loadBibliography(paths, {file, readFile, references: frontMatter.raw.references})
  return {...loaded, style: loadCitationStyle(style, {readFile, file}), paths}
}

function documentMeta(frontMatter: FrontMatter, config: ProjectConfig): DocumentMeta {
  return {
    title: frontMatter.title,
    shortTitle: frontMatter.shortTitle,
    authors: frontMatter.authors,
    date: frontMatter.date,
    abstract: frontMatter.abstract,
    keywords: frontMatter.keywords,
    published: frontMatter.published,
    lang: frontMatter.lang,
    paperSize: frontMatter.paper ?? config.paper
  }
}

function countObjects(tree: Root): {figures: number; tables: number} {
  let figures = 0
  let tables = 0
  visit(tree, 'figure', (node) => {
    if (node.kind === 'table') tables++
    else figures++
  })
  visit(tree, 'table', (_node, _index, parent) => {
    if (parent?.type !== 'figure') tables++
  })
  return {figures, tables}
}

/** The PDF's dates: SOURCE_DATE_EPOCH when set, else the newest input's modification time is not stable, so a fixed epoch. */
function documentDate(_files: ProjectFiles): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH)
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date(0)
}

async function launchOrExplain(config: ProjectConfig, root: string): Promise<BrowserSession> {
  try {
    return await launchBrowser({executable: config.browser, root})
  } catch (error) {
    throw new EnvironmentError((error as Error).message)
  }
}

function copyAssets(folder: string, copies: AssetCopy[]): void {
  for (const copy of copies) {
    const target = path.join(folder, copy.to)
    mkdirSync(path.dirname(target), {recursive: true})
    copyFileSync(copy.from, target)
  }
}

export function writeAtomically(target: string, content: string | Uint8Array): void {
  const temporary = `${target}.${process.pid}.tmp`
  writeFileSync(temporary, content)
  renameSync(temporary, target)
}
