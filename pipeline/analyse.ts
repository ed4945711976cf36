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
import type {VFileMessage} from 'vfile-message'
import {placeholdersTransform} from './check/placeholders.ts'
import {builtInStyleNames, loadBibliography, loadCitationStyle, type Bibliography, type CitationStyle} from './bibliography/index.ts'
import {loadConfig, type ProjectConfig} from './config/config.ts'
import {findEntry} from './config/entry.ts'
import {report} from './diagnostics/report.ts'
import {DependencyGraph} from './graph/dependency-graph.ts'
import {DerivedCache} from './graph/derived-cache.ts'
import {ProjectFiles} from './graph/project-files.ts'
import {parseMarkdown} from './syntax/parse.ts'
import {attributesTransform} from './transforms/attributes.ts'
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

export interface AnalyseOptions {
  root: string
  onStage?: (stage: StageTiming) => void
  /** A project whose files and config the caller already opened (build reads the config first). */
  project?: OpenProject
}

export interface OpenProject {
  files: ProjectFiles
  config: ProjectConfig
  /** Problems found in the config file, reported with the manuscript's. */
  configMessages: VFileMessage[]
}

/** Open a project: its files (with a fresh dependency graph) and its config. */
export function openProject(root: string): OpenProject {
  const files = new ProjectFiles(root, new DependencyGraph())
  const configFile = new VFile({path: 'manuscript.yaml'})
  const {config} = loadConfig(files, configFile)
  return {files, config, configMessages: configFile.messages}
}

export interface ProjectBibliography extends Bibliography {
  /** Project-relative paths of the bibliography files. */
  paths: string[]
  style: CitationStyle
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
  stages: StageClock
}

export function analyse(options: AnalyseOptions): Analysis {
  const stages = new StageClock(options.onStage)
  const {files, config, configMessages} = options.project ?? openProject(options.root)
  const entry = findEntry(files, config.entry)
  const file = new VFile({path: entry, cwd: files.root})
  file.messages.push(...configMessages)
  stages.done('config')

  const cache = new DerivedCache(files.absolute(path.join(config.outputDir, '.cache')))
  const parse = (source: string, sourceFile: string) => parseMarkdown(source, sourceFile, cache)
  const tree = parse(files.readText(entry, '<build>'), entry)
  includesTransform(tree, file, {files, parse})
  const frontMatter = frontMatterTransform(tree, file)
  stages.done('parse', `${files.graph.files().filter((name) => name.endsWith('.md')).length} files`)

  attributesTransform(tree, file)
  notesTransform(tree, file)
  figuresTransform(tree, file, {parse: parseMarkdown, sourceText: (sourceFile) => files.readText(sourceFile, entry)})
  tableCaptionsTransform(tree, file)
  smartPunctuationTransform(tree)
  placeholdersTransform(tree, file, {...config.placeholders, sourceText: (sourceFile) => files.readText(sourceFile, entry)})
  crossrefTransform(tree, file, {numberSections: frontMatter.numberSections ?? config.numberSections, metadata: frontMatter.raw})
  const bibliography = loadProjectBibliography(files, file, entry, frontMatter, config, cache)
  stages.done('structure')

  return {files, config, entry, file, tree, frontMatter, bibliography, cache, stages}
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

/** Bibliography: the front matter's, else the config's, else the single .bib beside the entry. */
function loadProjectBibliography(files: ProjectFiles, file: VFile, entry: string, frontMatter: FrontMatter, config: ProjectConfig, cache: DerivedCache): ProjectBibliography {
  const named = frontMatter.bibliography.length ? frontMatter.bibliography : (config.bibliography ?? [])
  const paths: string[] = []
  for (const target of named) {
    const found = resolutionCandidates(target, entry).find((candidate) => files.isFile(candidate, entry))
    if (found) paths.push(found)
    else report(file, undefined, `Bibliography "${target}" not found (looked beside ${entry} and in the project root). Fix the path in the front matter or config.`, 'missing-bibliography', 'error', {place: {line: 1, column: 1}})
  }
  if (named.length === 0) {
    const siblings = files.listFolder(entry.includes('/') ? entry.slice(0, entry.lastIndexOf('/')) : '.', '.bib', entry)
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
  const loaded = loadBibliography(paths, {file, readFile, references: frontMatter.raw.references, cache})
  return {...loaded, style: loadCitationStyle(style, {readFile, file}), paths}
}
