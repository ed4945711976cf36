/**
 * Everything a build and a check share: config, entry, parse with includes and front matter, the transforms that
 * give the document its structure (attributes, notes, figures, table captions, smart punctuation,
 * cross-references) and the bibliography. Rendering (citation formatting, HTML, PDF) comes after, in build.ts.
 * Every file is read through ProjectFiles, which records the dependency graph.
 */
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {placeholdersTransform} from './check/placeholders.ts'
import {builtInStyleNames, loadBibliography, loadCitationStyle, reportUnshippedLocale, type Bibliography, type CitationStyle} from './bibliography/index.ts'
import {stopPoint} from './cli/stop.ts'
import type {ProjectConfig} from './config/config.ts'
import {openProject, type OpenProject} from './config/project.ts'
import {findEntry} from './config/entry.ts'
import {report} from './diagnostics/report.ts'
import {DerivedCache} from './graph/derived-cache.ts'
import {ProjectFiles} from './graph/project-files.ts'
import {parseMarkdown, parseMarkdownIn} from './syntax/parse.ts'
import {ParsePool} from './syntax/parse-pool.ts'
import {walk} from './syntax/walk.ts'
import {attributesTransform} from './transforms/attributes.ts'
import {crossrefTransform} from './transforms/crossref.ts'
import {exampleListsTransform} from './transforms/example-lists.ts'
import {figuresTransform} from './transforms/figures.ts'
import {headingIdentifiersTransform} from './transforms/heading-identifiers.ts'
import {frontMatterTransform, type FrontMatter, type MetadataPlace} from './transforms/front-matter.ts'
import {includesTransform, resolutionCandidates} from './transforms/includes.ts'
import {nestingTransform} from './transforms/nesting.ts'
import {notesTransform} from './transforms/notes.ts'
import {rawTexTransform} from './transforms/raw-tex.ts'
import {latexMacrosTransform} from './transforms/latex-macros.ts'
import {smartPunctuationTransform} from './transforms/smart-punctuation.ts'
import {tableCaptionsTransform} from './transforms/table-captions.ts'
import {ProjectSession} from './graph/project-session.ts'

export interface StageTiming {
  name: string
  milliseconds: number
  detail?: string
}

export interface AnalyseOptions {
  root: string
  onStage?: (stage: StageTiming) => void
  /** A project whose files and config the caller already opened (build reads the config first). */
  project?: OpenProject
  /** Where long files are parsed (a watch session keeps one); default: a pool of the analysis' own. */
  parsePool?: ParsePool
  /** Stops the analysis: a parse in a worker ends at once, and analyse rejects with the signal's reason. */
  signal?: AbortSignal
  /** What this project keeps in memory between builds (a watch session keeps one); default: a session of its own. */
  session?: ProjectSession
}

export interface ProjectBibliography extends Bibliography {
  /** Project-relative paths of the bibliography files. */
  paths: string[]
  style: CitationStyle
  /** The keys the manuscript cites or lists under `nocite` (`@*` aside), known to the bibliography or not. */
  citedKeys: ReadonlySet<string>
}

export interface Analysis {
  files: ProjectFiles
  config: ProjectConfig
  /** Project-relative path of the entry file. */
  entry: string
  /** Carries every diagnostic; each message's `file` is the file its text is in. */
  file: VFile
  tree: Root
  frontMatter: FrontMatter
  bibliography: ProjectBibliography
  /** Results derived from inputs, kept between processes in the output folder's `.cache/`. */
  cache: DerivedCache
  /** What is kept in memory between builds of this project (the one given, or this analysis' own). */
  session: ProjectSession
  stages: StageClock
  /** Where each config key is written (manuscript.yaml), for messages about a setting. */
  configPlaces: Record<string, MetadataPlace>
}

export async function analyse(options: AnalyseOptions): Promise<Analysis> {
  const stages = new StageClock(options.onStage)
  const session = options.session ?? new ProjectSession()
  const {files, config, configMessages, configPlaces} = options.project ?? openProject(options.root)
  if (session.keepsBuilds) files.useKeptReads(session.fileReads)
  const entry = findEntry(files, config.entry)
  const file = new VFile({path: entry, cwd: files.root})
  file.messages.push(...configMessages)
  stages.done('config')

  // An output folder that is (or holds) a symbolic link is not written into at all, the cache included.
  const outputProblem = files.outputFolderProblem(config.outputDir)
  const cache = new DerivedCache(outputProblem ? undefined : files.absolute(path.join(config.outputDir, '.cache')), undefined, {write: (cacheFile, text) => files.writeOutput(cacheFile, text)})
  const source = readEntry(files, file, entry)
  const pool = options.parsePool ?? new ParsePool()
  let parsed: ParsedFiles
  try {
    parsed = await parseReachable(entry, source, {files, cache, pool, session, signal: options.signal})
  } finally {
    if (!options.parsePool) await pool.close()
  }
  // A file included twice is parsed again for its second place (transforms change the tree they are given).
  const parse = (text: string, sourceFile: string) => parsed.take(sourceFile, text) ?? parseMarkdown(text, sourceFile, cache, session)
  const tree = parse(source, entry)
  includesTransform(tree, file, {files, parse})
  nestingTransform(tree, file)
  const frontMatter = frontMatterTransform(tree, file)
  if (outputProblem) report(file, undefined, `Cannot write the outputs: ${outputProblem}.`, 'outside-project', 'error', namedAt([frontMatter.keyPlaces, configPlaces], entry, 'output-dir'))
  reportEmptyManuscript(tree, file, entry, source)
  stages.done('parse', `${files.graph.files().filter((name) => name.endsWith('.md')).length} files`)
  await stopPoint(options.signal)

  attributesTransform(tree, file)
  exampleListsTransform(tree, file)
  headingIdentifiersTransform(tree)
  rawTexTransform(tree, file)
  latexMacrosTransform(tree, file)
  // A file refused as too large (the entry, reported above) has no text to point into.
  const sourceText = (sourceFile: string) => (files.refusal(sourceFile) ? undefined : files.readText(sourceFile, entry))
  figuresTransform(tree, file)
  tableCaptionsTransform(tree, file)
  // After the figures: a note written in a caption is read with the caption.
  notesTransform(tree, file)
  smartPunctuationTransform(tree, session)
  placeholdersTransform(tree, file, {...config.placeholders, sourceText, metadataBlocks: frontMatter.yamlBlocks, memo: session.keepsBuilds ? session.placeholders : undefined})
  crossrefTransform(tree, file, {numberSections: frontMatter.numberSections ?? config.numberSections, metadata: frontMatter.raw, metadataPlaces: frontMatter.keyPlaces})
  await stopPoint(options.signal)
  const bibliography = loadProjectBibliography(files, file, tree, entry, frontMatter, config, configPlaces, cache, session)
  stages.done('structure')

  return {files, config, entry, file, tree, frontMatter, bibliography, cache, session, stages, configPlaces}
}

interface ParsedFiles {
  /** The tree parsed for this file and text, the first time it is asked for. */
  take(sourceFile: string, source: string): Root | undefined
}

/**
 * Parses the entry and every Markdown file it includes, at any depth, before includesTransform splices them in:
 * long files in the pool's workers, side by side, so that the longest stretch of an analysis can be stopped. Files
 * that cannot be included (missing, refused, not text, a cycle) are left for includesTransform to report.
 */
async function parseReachable(entry: string, source: string, context: {files: ProjectFiles; cache: DerivedCache; pool: ParsePool; session: ProjectSession; signal?: AbortSignal}): Promise<ParsedFiles> {
  const {files, cache, pool, session, signal} = context
  const trees = new Map<string, {source: string; tree?: Root}>()
  const visit = async (sourceFile: string, text: string): Promise<void> => {
    const tree = await parseMarkdownIn(pool, text, sourceFile, cache, signal, session)
    trees.set(sourceFile, {source: text, tree})
    // Files short enough to parse on this thread are parsed one after another: a signal is handled between them.
    await stopPoint(signal)
    const included: Promise<void>[] = []
    walk(tree, 'include', (node) => {
      const includer = node.data?.sourceFile ?? sourceFile
      const found = files.locate(resolutionCandidates(node.path, includer), includer).found
      if (!found || trees.has(found)) return
      const text = files.readText(found, includer)
      trees.set(found, {source: text})
      if (files.textProblem(found)?.kind !== 'binary') included.push(visit(found, text))
    })
    await Promise.all(included)
  }
  trees.set(entry, {source})
  await visit(entry, source)
  return {
    take(sourceFile, text) {
      const parsed = trees.get(sourceFile)
      if (parsed?.source !== text || !parsed.tree) return undefined
      const tree = parsed.tree
      parsed.tree = undefined
      return tree
    }
  }
}

export class StageClock {
  private last = performance.now()
  constructor(private readonly onStage?: (stage: StageTiming) => void) {}
  done(name: string, detail?: string): void {
    const now = performance.now()
    this.onStage?.({name, milliseconds: now - this.last, detail})
    this.last = now
  }
}

/** The entry's text; a file that is too large or not UTF-8 text is reported at its place (and read as nothing if it cannot be read). */
function readEntry(files: ProjectFiles, file: VFile, entry: string): string {
  const refused = files.refusal(entry)
  if (refused) {
    report(file, undefined, `Cannot read the manuscript: ${refused.message}.`, refused.kind, 'error', {sourceFile: entry, place: {line: 1, column: 1}})
    return ''
  }
  const source = files.readText(entry, '<build>')
  const problem = files.textProblem(entry)
  if (!problem) return source
  const fix = problem.kind === 'binary' ? ' Point `entry:` in manuscript.yaml at the Markdown file.' : ''
  report(file, undefined, `${problem.message}.${fix}`, problem.kind === 'binary' ? 'not-text' : 'text-encoding', 'error', {sourceFile: entry, place: {line: problem.line, column: problem.column}})
  return problem.kind === 'binary' ? '' : source
}

/**
 * A manuscript with nothing in it is an error (an editor that truncated the file must not cost the last good PDF);
 * one with front matter but no text, a warning (the outputs hold only the title block).
 */
function reportEmptyManuscript(tree: Root, file: VFile, entry: string, source: string): void {
  if (tree.children.length > 0 || file.messages.some((message) => message.fatal && message.file === entry)) return
  if (source.trim() === '') {
    report(file, undefined, `The manuscript ${entry} is empty: there is nothing to build. Write the manuscript there, or name the file that holds it with \`entry:\` in manuscript.yaml; the previous outputs are kept.`, 'empty-manuscript', 'error', {sourceFile: entry, place: {line: 1, column: 1}})
  } else {
    const lines = source.trimEnd().split(/\r?\n/).length
    report(file, undefined, `The manuscript ${entry} has front matter but no text after it: the outputs hold only the title block. Write the text below the front matter.`, 'no-body-text', 'warning', {sourceFile: entry, place: {line: lines, column: 1}})
  }
}

/** Bibliography: the front matter's, else the config's, else the single .bib beside the entry. */
function loadProjectBibliography(files: ProjectFiles, file: VFile, tree: Root, entry: string, frontMatter: FrontMatter, config: ProjectConfig, configPlaces: Record<string, MetadataPlace>, cache: DerivedCache, session: ProjectSession): ProjectBibliography {
  const named = frontMatter.bibliography.length ? frontMatter.bibliography : (config.bibliography ?? [])
  // A path in the metadata resolves beside the file that holds it (the entry, or an included file), then from the root.
  const namer = (key: string) => frontMatter.keyPlaces[key]?.sourceFile ?? entry
  const paths: string[] = []
  for (const target of named) {
    const location = files.locate(resolutionCandidates(target, namer('bibliography')), namer('bibliography'))
    if (location.found) paths.push(location.found)
    else if (location.refused) report(file, undefined, `Cannot read bibliography "${target}": ${location.refused.message}.`, location.refused.kind, 'error', namedAt([frontMatter.keyPlaces, configPlaces], entry, 'bibliography'))
    else report(file, undefined, `Bibliography "${target}" not found (looked beside ${namer('bibliography')} and in the project root). Fix the path in the front matter or config.`, 'missing-bibliography', 'error', namedAt([frontMatter.keyPlaces, configPlaces], entry, 'bibliography'))
  }
  if (named.length === 0) {
    const siblings = files.listFolder(entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '.', '.bib', entry)
    if (siblings.length === 1) {
      const refused = files.refusal(siblings[0])
      if (refused) report(file, undefined, `Cannot read the bibliography: ${refused.message}.`, refused.kind, 'error', {sourceFile: siblings[0], place: {line: 1, column: 1}})
      else paths.push(siblings[0])
    }
  }
  // A file that is not UTF-8 text is reported (once) at its first bad byte; a binary one is read as empty.
  const reported = new Set<string>()
  const checkText = (target: string) => {
    const problem = files.textProblem(target)
    if (problem && !reported.has(target)) {
      reported.add(target)
      report(file, undefined, `${problem.message}.`, problem.kind === 'binary' ? 'not-text' : 'text-encoding', 'error', {sourceFile: files.relative(target), place: {line: problem.line, column: problem.column}})
    }
    return problem
  }
  const readFile = (target: string) => {
    const text = files.readText(target, entry)
    return checkText(target)?.kind === 'binary' ? '' : text
  }
  const contentHash = (target: string) => {
    const hash = files.hashOf(target, entry)
    checkText(target)
    return hash
  }
  const csl = frontMatter.csl ?? config.csl
  let style: string | undefined
  if (csl && !(builtInStyleNames as readonly string[]).includes(csl)) {
    const location = files.locate(resolutionCandidates(csl, namer('csl')), namer('csl'))
    style = location.found
    if (location.refused) report(file, undefined, `Cannot read CSL style "${csl}": ${location.refused.message}.`, location.refused.kind, 'error', namedAt([frontMatter.keyPlaces, configPlaces], entry, 'csl'))
    else if (!style) report(file, undefined, `CSL style "${csl}" not found (looked beside ${namer('csl')} and in the project root). Fix the \`csl\` path, or remove it to use the default style.`, 'missing-csl', 'error', namedAt([frontMatter.keyPlaces, configPlaces], entry, 'csl'))
  } else {
    style = csl
  }
  // A broken entry that the manuscript cites (or lists under `nocite`) is an error there; any other, a warning.
  // Only the cited entries are converted to CSL (most of a large shared .bib's cost), all of them for `nocite: '@*'`.
  const citedKeys = citedKeysOf(tree, frontMatter)
  const everything = frontMatter.nocite.some((listed) => listed.key === '*')
  const loaded = loadBibliography(paths, {file, readFile, contentHash, references: frontMatter.raw.references, cache, citedKeys, convertOnly: everything ? undefined : citedKeys, session})
  const citationStyle = loadCitationStyle(style, {readFile, file, memo: session.citationStyles})
  reportUnshippedLocale(file, citationStyle, frontMatter.lang, namedAt([frontMatter.keyPlaces, configPlaces], entry, 'lang'))
  return {...loaded, style: citationStyle, paths, citedKeys}
}

/**
 * The keys the manuscript cites (in notes, captions and affixes too; after the cross-references, so `@fig:x` is not
 * one) and those `nocite` names; `@*` names no entry in particular.
 */
function citedKeysOf(tree: Root, frontMatter: FrontMatter): Set<string> {
  const keys = new Set(frontMatter.nocite.map((listed) => listed.key).filter((key) => key !== '*'))
  walk(tree, 'citation', (node) => {
    for (const item of node.children) keys.add(item.key)
  })
  return keys
}

/** Where a setting is written: its key in the metadata, else in the config file, else the entry's first line. */
function namedAt(places: Array<Record<string, MetadataPlace>>, entry: string, key: string): {sourceFile: string; place: {line: number; column: number}} {
  const written = places.map((each) => each[key]).find(Boolean)
  if (written) return {sourceFile: written.sourceFile, place: {line: written.line, column: written.column}}
  return {sourceFile: entry, place: {line: 1, column: 1}}
}
