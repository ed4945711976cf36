/**
 * The optional project config file, `manuscript.yaml` at the project root. Every key is optional; with no file at
 * all the defaults below build a pandoc-style project as it is. Problems are reported at the key's line.
 */
import {statSync} from 'node:fs'
import path from 'node:path'
import {closest} from 'fastest-levenshtein'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
import {compilePattern} from '../check/patterns.ts'
import {unclosedBracket} from '../transforms/front-matter.ts'
import {readYaml, YAMLException, YamlExpansionError, type ReadYaml} from './yaml.ts'
import {profileNames, type ProfileName} from './profiles.ts'

export const configFileNames = ['manuscript.yaml', 'manuscript.yml']

export type OutputFormat = 'html' | 'pdf' | 'docx'

export interface ProjectConfig {
  /** The entry Markdown file, project-relative. Default: manuscript/manuscript.md, else the single top-level .md in manuscript/ that no other file includes. */
  entry?: string
  /** Bibliography files, used when the front matter names none. Default: the single .bib in the entry's folder. */
  bibliography?: string[]
  /** CSL style file; default: the bundled author-date style. */
  csl?: string
  paper: 'letter' | 'a4'
  /** Where the PDF prints notes: at the foot of the page of their call (default), or gathered as endnotes. */
  notes: NotePlacement
  /** Formats built when the command line gives no --to. */
  to: OutputFormat[]
  /** A Word document whose styles the docx takes (pandoc's `reference-doc`), as written. */
  referenceDoc?: string
  /** Output folder, project-relative. */
  outputDir: string
  /** Number sections 1, 1.1, … (pandoc-crossref's numberSections). */
  numberSections: boolean
  /** What `check` (and the build's highlighting) counts as a placeholder besides the built-in words. */
  placeholders: PlaceholderConfig
  /** Folders outside the project that the build may read, as written (absolute or relative to the project). */
  allowedFolders: string[]
  /** How long one table definition may run, in milliseconds. */
  tableTimeLimitMs: number
  /** `check` warns when the body (text and notes, counted as in Word) has more words. */
  wordLimit?: number
  /** The profile `build` uses when the command line names none (see profiles.ts). */
  profile: ProfileName
  /** A profile build (`--profile submission`) leaves out the authors and the acknowledgements (see transforms/anonymity.ts). */
  anonymous: boolean
  /** The heading text of the acknowledgements section an anonymous build leaves out, besides a heading marked `.acknowledgements`. */
  acknowledgements?: string
}

export type NotePlacement = 'footnotes' | 'endnotes'

export interface PlaceholderConfig {
  /** Extra regular expressions, as written (`source` or `/source/flags`). */
  patterns: string[]
  /** Also look inside code blocks. */
  codeBlocks: boolean
  /** Where each pattern is written (the config file, 1-based line and column), for messages about a pattern. */
  patternPlaces?: {sourceFile: string; line: number; column: number}[]
}

export const defaultConfig: ProjectConfig = {
  paper: 'letter',
  notes: 'footnotes',
  to: ['html', 'pdf'],
  outputDir: 'build',
  numberSections: false,
  placeholders: {patterns: [], codeBlocks: false},
  allowedFolders: [],
  tableTimeLimitMs: 10_000,
  profile: 'default',
  anonymous: false
}

type KeyCheck = (value: unknown) => string | undefined

const stringValue: KeyCheck = (value) => (typeof value === 'string' && value.trim() ? undefined : 'a non-empty string')
const booleanValue: KeyCheck = (value) => (typeof value === 'boolean' ? undefined : 'true or false')
const stringOrList: KeyCheck = (value) =>
  typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'))
    ? undefined
    : 'a path or a list of paths'
const oneOf =
  (...choices: string[]): KeyCheck =>
  (value) =>
    typeof value === 'string' && choices.includes(value.toLowerCase()) ? undefined : `one of ${choices.join(', ')}`
const formats: KeyCheck = (value) => {
  const list = typeof value === 'string' ? value.split(',') : value
  return Array.isArray(list) && list.length > 0 && list.every((item) => item === 'html' || item === 'pdf' || item === 'docx')
    ? undefined
    : 'html, pdf, docx, or a list of them'
}
const placeholderSettings: KeyCheck = (value) => {
  const shape = 'a mapping with `patterns` (a list of regular expressions) and `code-blocks` (true or false)'
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return shape
  for (const [key, setting] of Object.entries(value)) {
    if (key === 'code-blocks' && typeof setting !== 'boolean') return `${shape}; \`code-blocks\` is not true or false`
    if (key === 'patterns') {
      if (!Array.isArray(setting) || !setting.every((pattern) => typeof pattern === 'string')) return `${shape}; \`patterns\` is not a list of strings`
      for (const pattern of setting as string[]) {
        try {
          compilePattern(pattern)
        } catch (error) {
          return `${shape}; pattern ${JSON.stringify(pattern)} is not usable: ${(error as Error).message}`
        }
      }
    }
    if (key !== 'patterns' && key !== 'code-blocks') return `${shape}; \`${key}\` is not one of them`
  }
  return undefined
}

const seconds: KeyCheck = (value) => (typeof value === 'number' && value > 0 && value <= 3600 ? undefined : 'a number of seconds from 0 to 3600, such as 30')

const wordCount: KeyCheck = (value) => (Number.isInteger(value) && (value as number) > 0 ? undefined : 'a whole number of words, such as 8000')

const keys: Record<string, KeyCheck> = {
  entry: stringValue,
  bibliography: stringOrList,
  csl: stringValue,
  paper: oneOf('letter', 'a4'),
  notes: oneOf('footnotes', 'endnotes'),
  to: formats,
  'output-dir': stringValue,
  'number-sections': booleanValue,
  placeholders: placeholderSettings,
  'allowed-folders': stringOrList,
  'table-time-limit': seconds,
  'word-limit': wordCount,
  'reference-doc': stringValue,
  profile: oneOf(...profileNames),
  anonymous: booleanValue,
  acknowledgements: stringValue
}

/**
 * The browser is the user's choice, not the project's: a `browser:` key in a cloned project's config would have the
 * build run a program of the project's choosing (`browser: ./evil.sh`).
 */
const browserKeyMessage =
  'Config key `browser` is not read: a project may not choose the program a build runs (a cloned project could name a script of its own). Remove the key, and name your browser with the MANUSCRIPT_BROWSER environment variable or with `--browser PATH` for `manuscript build` and `manuscript watch`.'

/**
 * Read the config file if there is one. Problems are reported on `file` (rule `config`) at the key's line;
 * the returned config then holds the defaults for the keys that were wrong.
 */
export function loadConfig(files: ProjectFiles, file: VFile): {config: ProjectConfig; path?: string; keyPlaces?: Record<string, {line: number; column: number}>} {
  const config: ProjectConfig = {...defaultConfig}
  let configPath: string | undefined
  for (const name of configFileNames) {
    const location = files.locate([name], '<config>')
    if (location.refused) {
      report(file, undefined, `Cannot read the config file: ${location.refused.message}.`, location.refused.kind, 'error', {sourceFile: name, place: {line: 1, column: 1}})
      files.allowFolders(config.allowedFolders)
      return {config, path: name}
    }
    if (location.found) {
      configPath = location.found
      break
    }
  }
  if (!configPath) return {config}
  const source = files.readText(configPath, '<config>')
  const textProblem = files.textProblem(configPath)
  if (textProblem) {
    report(file, undefined, `${textProblem.message}.`, 'text-encoding', 'error', {sourceFile: configPath, place: {line: textProblem.line, column: textProblem.column}})
    return {config, path: configPath}
  }
  let data: unknown
  let placeOf: ReadYaml['placeOf']
  let placeOfKey: ReadYaml['placeOfKey']
  try {
    ;({data, placeOf, placeOfKey} = readYaml(source, {filename: configPath}))
  } catch (error) {
    if (error instanceof YamlExpansionError) {
      const key = error.key === undefined ? 'The config file' : `Config key \`${error.key}\``
      report(file, undefined, `${key} cannot be read: ${error.message}.`, 'config', 'error', {sourceFile: configPath, place: {line: error.place.line + 1, column: error.place.column}})
      files.allowFolders(config.allowedFolders)
      return {config, path: configPath}
    }
    if (!(error instanceof YAMLException)) throw error
    const mark = (error as YAMLException).mark
    const unclosed = unclosedBracket(source, error as YAMLException)
    report(file, undefined, unclosed ? `The config file is not valid YAML: ${unclosed.message}.` : `The config file is not valid YAML: ${(error as YAMLException).reason}. Fix the YAML syntax there.`, 'config', 'error', {
      sourceFile: configPath,
      place: unclosed ? {line: unclosed.line + 1, column: unclosed.column} : {line: (mark?.line ?? 0) + 1, column: (mark?.column ?? 0) + 1}
    })
    files.allowFolders(config.allowedFolders)
    return {config, path: configPath}
  }
  if (data === undefined || data === null) return {config, path: configPath}
  if (typeof data !== 'object' || Array.isArray(data)) {
    report(file, undefined, 'The config file must be a mapping of keys to values (like `paper: a4`).', 'config', 'error', {
      sourceFile: configPath,
      place: {line: 1, column: 1}
    })
    return {config, path: configPath}
  }
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    const place = {line: lineOfKey(source, key), column: 1}
    if (key === 'browser') {
      report(file, undefined, browserKeyMessage, 'config', 'error', {sourceFile: configPath, place})
      continue
    }
    const check = keys[key]
    if (!check) {
      const suggestion = closest(key, Object.keys(keys))
      report(file, undefined, `Unknown config key \`${key}\` (did you mean \`${suggestion}\`?). Known keys: ${Object.keys(keys).join(', ')}.`, 'config', 'error', {
        sourceFile: configPath,
        place
      })
      continue
    }
    const problem = check(value) ?? placeProblem(files, key, value)
    if (problem) {
      report(file, undefined, `Config key \`${key}\` must be ${problem}; found ${JSON.stringify(value)}.`, 'config', 'error', {sourceFile: configPath, place})
      continue
    }
    apply(config, key, value)
    if (key === 'placeholders') {
      config.placeholders.patternPlaces = config.placeholders.patterns.map((_, index) => {
        const written = placeOf(['placeholders', 'patterns', index]) ?? {line: place.line - 1, column: 1}
        return {sourceFile: configPath, line: written.line + 1, column: written.column}
      })
    }
  }
  files.allowFolders(config.allowedFolders)
  // Where each key is written (1-based lines), for messages about a setting made here.
  const keyPlaces = Object.fromEntries(
    Object.keys(data as Record<string, unknown>).flatMap((key) => {
      const place = placeOfKey([key])
      return place ? [[key, {line: place.line + 1, column: place.column}]] : []
    })
  )
  return {config, path: configPath, keyPlaces}
}

/**
 * Keys naming places: the output folder must be inside the project (a build writes nowhere else), and an allowed
 * folder must exist.
 */
function placeProblem(files: ProjectFiles, key: string, value: unknown): string | undefined {
  if (key === 'output-dir') {
    const relative = path.relative(files.root, files.absolute(value as string))
    if (relative === '' || relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)) {
      return 'a folder inside the project (a build writes nowhere else), such as `build`'
    }
  }
  if (key === 'allowed-folders') {
    for (const folder of typeof value === 'string' ? [value] : (value as string[])) {
      let isFolder = false
      try {
        isFolder = statSync(files.absolute(folder)).isDirectory()
      } catch {
        isFolder = false
      }
      if (!isFolder) return `a list of existing folders (absolute, or relative to the project); \`${folder}\` is not a folder`
    }
  }
  return undefined
}

function apply(config: ProjectConfig, key: string, value: unknown): void {
  switch (key) {
    case 'entry':
      config.entry = value as string
      break
    case 'bibliography':
      config.bibliography = typeof value === 'string' ? [value] : (value as string[])
      break
    case 'csl':
      config.csl = value as string
      break
    case 'paper':
      config.paper = (value as string).toLowerCase() as ProjectConfig['paper']
      break
    case 'notes':
      config.notes = (value as string).toLowerCase() as NotePlacement
      break
    case 'to':
      config.to = (typeof value === 'string' ? value.split(',') : (value as string[])) as OutputFormat[]
      break
    case 'output-dir':
      config.outputDir = value as string
      break
    case 'number-sections':
      config.numberSections = value as boolean
      break
    case 'allowed-folders':
      config.allowedFolders = typeof value === 'string' ? [value] : (value as string[])
      break
    case 'reference-doc':
      config.referenceDoc = value as string
      break
    case 'table-time-limit':
      config.tableTimeLimitMs = Math.round((value as number) * 1000)
      break
    case 'word-limit':
      config.wordLimit = value as number
      break
    case 'profile':
      config.profile = (value as string).toLowerCase() as ProfileName
      break
    case 'anonymous':
      config.anonymous = value as boolean
      break
    case 'acknowledgements':
      config.acknowledgements = (value as string).trim()
      break
    case 'placeholders': {
      const settings = value as {patterns?: string[]; 'code-blocks'?: boolean}
      config.placeholders = {patterns: settings.patterns ?? [], codeBlocks: settings['code-blocks'] ?? false}
      break
    }
  }
}

/** The 1-based line of a top-level key (keys of the config are all top-level). */
function lineOfKey(source: string, key: string): number {
  const lines = source.split(/\r?\n/)
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const pattern = new RegExp(`^(['"]?)${escaped}\\1\\s*:`)
  const index = lines.findIndex((line) => pattern.test(line))
  return index === -1 ? 1 : index + 1
}
