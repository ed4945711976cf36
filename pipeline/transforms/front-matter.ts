/**
 * The entry file's YAML front matter (pandoc's metadata block) read into typed metadata. YAML errors are
 * reported at their real line in the manuscript file. Unknown keys are kept (pandoc templates use free keys): one
 * that looks like a misspelt known key is a warning naming the key meant, any other is noted as info.
 */
import type {Root, Yaml} from 'mdast'
import {YAMLException} from 'js-yaml'
import {decodeString} from 'micromark-util-decode-string'
import type {VFile} from 'vfile'
import {readYaml, YamlExpansionError, type ReadYaml} from '../config/yaml.ts'
import {report} from '../diagnostics/report.ts'
import {crossrefOptionKeys} from './crossref/options.ts'

export interface Author {
  name: string
  affiliation?: string
  email?: string
}

export interface FrontMatter {
  title?: string
  shortTitle?: string
  authors: Author[]
  date?: string
  abstract?: string
  keywords: string[]
  /** pandoc-style status line, e.g. "Incomplete Draft. Please do not cite without permission." */
  published?: string
  referenceSectionTitle?: string
  bibliography: string[]
  csl?: string
  lang?: string
  paper?: 'letter' | 'a4'
  numberSections?: boolean
  /** pandoc's `nocite`: keys (without `@`) to list in the bibliography without citing them; `*` for all. */
  nocite: string[]
  /** Everything else, as written (crossref words and the like). */
  raw: Record<string, unknown>
  /** Where each top-level key is written in the entry file. */
  keyPlaces?: Record<string, {line: number; column: number}>
  /** The front matter block itself (taken out of the tree), for messages about its keys. */
  node?: Yaml
}

/**
 * The keys the pipeline reads, then pandoc's common metadata and template variables and pandoc-crossref's
 * settings: a document written for pandoc keeps them without a warning, though most change nothing here.
 */
export const knownFrontMatterKeys: ReadonlySet<string> = new Set([
  // read by the pipeline
  'title', 'short-title', 'shorttitle', 'running-head', 'author', 'authors', 'date', 'abstract', 'keywords', 'published',
  'reference-section-title', 'bibliography', 'csl', 'lang', 'papersize', 'nocite', 'suppress-bibliography', 'references',
  ...crossrefOptionKeys,
  // pandoc metadata and common template variables
  'subtitle', 'institute', 'thanks', 'abstract-title', 'dir', 'toc', 'table-of-contents', 'toc-title', 'toc-depth', 'lof', 'lot',
  'documentclass', 'classoption', 'geometry', 'margin-left', 'margin-right', 'margin-top', 'margin-bottom', 'fontsize',
  'fontfamily', 'fontfamilyoptions', 'mainfont', 'sansfont', 'monofont', 'mathfont', 'mainfontoptions', 'sansfontoptions',
  'monofontoptions', 'CJKmainfont', 'linestretch', 'indent', 'pagestyle', 'secnumdepth', 'number-sections', 'header-includes',
  'include-before', 'include-after', 'linkcolor', 'urlcolor', 'citecolor', 'filecolor', 'toccolor', 'colorlinks',
  'links-as-notes', 'link-citations', 'link-bibliography', 'citation-abbreviations', 'notes-after-punctuation', 'cite-method',
  'biblio-title', 'biblio-style', 'natbiboptions', 'biblatexoptions', 'description', 'subject', 'category', 'pagetitle',
  'title-prefix', 'css', 'keywords', 'license', 'rights', 'copyright', 'publisher', 'identifier', 'cover-image', 'editor',
  'translator', 'version', 'link-citations', 'lang', 'dir', 'draft',
  // pandoc-crossref settings this pipeline does not use
  'chaptersDepth', 'figureTemplate', 'tableTemplate', 'listingTemplate', 'eqnTemplate', 'eqnIndexTemplate', 'eqnBlockTemplate',
  'eqnInlineTemplate', 'eqnInlineTableTemplate', 'eqnDisplayTemplate', 'eqnBlockInlineMath', 'secHeaderTemplate',
  'secHeaderDelim', 'secLevelLabels', 'refIndexTemplate', 'subfigureTemplate', 'subfigureChildTemplate',
  'subfigureRefIndexTemplate', 'subfigGrid', 'subfigColumns', 'subfigLabels', 'ccsDelim', 'ccsLabelSep', 'ccsTemplate',
  'chapDelim', 'lofTitle', 'lotTitle', 'lolTitle', 'lofItemTemplate', 'lotItemTemplate', 'lolItemTemplate', 'listings',
  'codeBlockCaptions', 'tableEqns', 'figLabels', 'eqLabels', 'eqnLabels', 'tblLabels', 'secLabels', 'lstLabels', 'listingTitle',
  'lstPrefix', 'cref', 'crossrefYaml', 'setLabelAttribute', 'equationNumberTeX', 'figPrefixTemplate', 'eqnPrefixTemplate',
  'tblPrefixTemplate', 'lstPrefixTemplate', 'secPrefixTemplate', 'adjustSubfigs'
])

export function frontMatterTransform(tree: Root, file: VFile): FrontMatter {
  const empty: FrontMatter = {authors: [], keywords: [], bibliography: [], nocite: [], raw: {}}
  const first = tree.children[0]
  if (first?.type !== 'yaml') {
    checkUnclosed(tree, file)
    return empty
  }
  tree.children.shift()
  const parsed = parseYaml(first, file)
  if (!parsed) return empty
  return readFrontMatter(parsed.data, first, file, parsed.placeOf)
}

function parseYaml(node: Yaml, file: VFile): {data: Record<string, unknown>; placeOf: ReadYaml['placeOf']} | undefined {
  // The YAML text starts on the line after the opening `---`.
  const first = (node.position?.start.line ?? 1) + 1
  try {
    const {data, placeOf} = readYaml(node.value)
    if (data === undefined || data === null) return {data: {}, placeOf}
    if (typeof data === 'object' && !Array.isArray(data)) return {data: data as Record<string, unknown>, placeOf}
    report(file, node, 'The front matter must be a YAML mapping of keys to values (like `title: My paper`).', 'front-matter', 'error')
  } catch (error) {
    if (error instanceof YamlExpansionError) {
      const key = error.key === undefined ? 'The front matter' : `Front matter key \`${error.key}\``
      report(file, node, `${key} cannot be read: ${error.message}.`, 'front-matter', 'error', {place: {line: first + error.place.line, column: error.place.column}})
      return undefined
    }
    if (!(error instanceof YAMLException)) throw error
    const exception = error
    const unclosed = unclosedBracket(node.value, exception)
    if (unclosed) {
      report(file, node, `The front matter is not valid YAML: ${unclosed.message}.`, 'front-matter', 'error', {place: {line: first + unclosed.line, column: unclosed.column}})
      return undefined
    }
    const line = first + (exception.mark?.line ?? 0)
    const column = (exception.mark?.column ?? 0) + 1
    report(file, node, `The front matter is not valid YAML: ${exception.reason}. Fix the YAML syntax on this line (quote values that contain \`: \` or start with special characters).`, 'front-matter', 'error', {
      place: {line, column}
    })
  }
  return undefined
}

/**
 * A `[` or `{` opened and never closed (`title: [Draft] A paper` is fine, `title: [Draft A paper` is not): js-yaml
 * notices only lines later ("deficient indentation", "end of the stream within a flow collection"), so the place
 * and the words it gives do not help. The bracket's line (0-based, in the YAML text) and column, and what to do.
 */
export function unclosedBracket(text: string, exception: YAMLException): {line: number; column: number; message: string} | undefined {
  if (!/deficient indentation|flow collection|missed comma|end of the stream/.test(exception.reason ?? '')) return undefined
  const lines = text.split(/\r?\n/)
  for (let index = Math.min(exception.mark?.line ?? lines.length - 1, lines.length - 1); index >= 0; index--) {
    // Brackets inside quotes and comments do not count.
    const code = lines[index].replace(/"(?:[^"\\]|\\.)*"|'[^']*'/g, (quoted) => ' '.repeat(quoted.length)).replace(/\s#.*$/, '')
    let depth = 0
    let opening = -1
    for (let column = 0; column < code.length; column++) {
      if (code[column] === '[' || code[column] === '{') {
        if (depth === 0) opening = column
        depth++
      } else if ((code[column] === ']' || code[column] === '}') && depth > 0) {
        depth--
      }
    }
    if (depth > 0) {
      const bracket = code[opening]
      return {
        line: index,
        column: opening + 1,
        message: `the \`${bracket}\` on this line is never closed. Close it with \`${bracket === '[' ? ']' : '}'}\`, or put the whole value in quotes if the bracket is part of the text (\`"${bracket}Draft${bracket === '[' ? ']' : '}'} A paper"\`)`
      }
    }
  }
  return undefined
}

/** `---` on the first line with `key: value` lines after it but no closing fence: pandoc would not read it as metadata either. */
function checkUnclosed(tree: Root, file: VFile): void {
  const first = tree.children[0]
  const second = tree.children[1]
  if (first?.type !== 'thematicBreak' || first.position?.start.line !== 1) return
  const looksLikeYaml = second?.type === 'paragraph' && second.children[0]?.type === 'text' && /^[\w-]+:\s/.test(second.children[0].value)
  if (looksLikeYaml) {
    report(file, first, 'The front matter opened on line 1 is never closed. End it with a line holding only `---` or `...`.', 'front-matter', 'error')
  }
}

/** What a value is, in a message: "a list", "a mapping", "true", "a number". */
function kindOf(value: unknown): string {
  if (Array.isArray(value)) return 'a list'
  if (value instanceof Date) return 'a date'
  if (typeof value === 'boolean') return String(value)
  if (typeof value === 'number') return 'a number'
  if (typeof value === 'object' && value !== null) return 'a mapping'
  return typeof value
}

type Path = readonly (string | number)[]

/**
 * The front matter's values with the types the outputs need. A value of another type (a list for `title`, a
 * mapping for an affiliation, a number for an author) is a warning at its own line, and is left out: the outputs
 * never show "[object Object]" or a stray number.
 */
function readFrontMatter(data: Record<string, unknown>, node: Yaml, file: VFile, placeOf: ReadYaml['placeOf']): FrontMatter {
  const first = (node.position?.start.line ?? 1) + 1
  const placeOfValue = (path: Path) => {
    const place = placeOf(path)
    return place ? {line: first + place.line, column: place.column} : keyPlace(node, String(path[0]))
  }
  const wrongType = (path: Path, what: string, expected: string, value: unknown) => {
    report(file, node, `Front matter ${what} must be ${expected}; found ${kindOf(value)}. Correct it; as written it is left out of the outputs.`, 'front-matter', 'warning', {place: placeOfValue(path)})
  }
  const text = (key: string): string | undefined => {
    const value = data[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return plain(value)
    wrongType([key], `key \`${key}\``, 'text', value)
    return undefined
  }
  const list = (key: string): string[] => {
    const value = data[key]
    if (value === undefined || value === null) return []
    if (typeof value === 'string') return value.split(/\s*[,;]\s*/).filter(Boolean).map(plain)
    if (!Array.isArray(value)) {
      wrongType([key], `key \`${key}\``, 'text or a list of texts', value)
      return []
    }
    return value.flatMap((item: unknown, index) => {
      if (typeof item === 'string' || typeof item === 'number') return [plain(item)]
      if (item !== null && item !== undefined) wrongType([key, index], `\`${key}\` item ${index + 1}`, 'text', item)
      return []
    })
  }
  const paper = text('papersize')?.toLowerCase()
  if (paper && paper !== 'a4' && paper !== 'letter') {
    report(file, node, `Front matter \`papersize\` must be \`letter\` or \`a4\`; found "${paper}". Correct it; the config's \`paper\` (else letter) is used meanwhile.`, 'front-matter', 'warning', {place: keyPlace(node, 'papersize')})
  }
  const suppress = data['suppress-bibliography']
  if (suppress !== undefined && suppress !== null && typeof suppress !== 'boolean') wrongType(['suppress-bibliography'], 'key `suppress-bibliography`', 'true or false', suppress)
  reportUnknownKeys(data, node, file)
  const authorKey = data.author !== undefined ? 'author' : 'authors'
  return {
    title: text('title'),
    shortTitle: text('short-title') ?? text('shorttitle') ?? text('running-head'),
    authors: readAuthors(data[authorKey], authorKey, wrongType),
    date: text('date'),
    abstract: text('abstract'),
    keywords: list('keywords'),
    published: text('published'),
    referenceSectionTitle: text('reference-section-title'),
    bibliography: list('bibliography'),
    csl: text('csl'),
    lang: text('lang'),
    paper: paper === 'a4' ? 'a4' : paper === 'letter' ? 'letter' : undefined,
    numberSections: typeof data.numberSections === 'boolean' ? data.numberSections : undefined,
    nocite: list('nocite').flatMap((value) => value.split(/[\s,;]+/)).map((key) => key.replace(/^@/, '')).filter(Boolean),
    raw: data,
    keyPlaces: Object.fromEntries(Object.keys(data).map((key) => [key, keyPlace(node, key)])),
    node
  }
}

/** A key that is nearly a known one (`titel`, `numbersections`) is a warning; any other unknown key, info. */
function reportUnknownKeys(data: Record<string, unknown>, node: Yaml, file: VFile): void {
  for (const key of Object.keys(data)) {
    if (knownFrontMatterKeys.has(key)) continue
    const meant = misspeltKey(key)
    if (meant) {
      report(file, node, `Unknown front matter key \`${key}\`: did you mean \`${meant}\`? Rename it; as written it changes nothing.`, 'unknown-front-matter-key', 'warning', {place: keyPlace(node, key)})
    } else {
      report(file, node, `Front matter key \`${key}\` is not one the pipeline reads (pandoc templates may); it changes nothing here. Remove it if it is a leftover.`, 'unknown-front-matter-key', 'info', {place: keyPlace(node, key)})
    }
  }
}

const normalizeKey = (key: string) => key.toLowerCase().replace(/[-_\s]/g, '')

/**
 * The known key that `key` is most likely a misspelling of: the same but for case and dashes, or one typing slip
 * away (two for long keys), a swap of neighbouring letters counting as one.
 */
function misspeltKey(key: string): string | undefined {
  const normalized = normalizeKey(key)
  let best: {key: string; distance: number} | undefined
  for (const known of knownFrontMatterKeys) {
    if (normalizeKey(known) === normalized) return known
    const edits = typingDistance(normalized, normalizeKey(known))
    if (!best || edits < best.distance) best = {key: known, distance: edits}
  }
  const allowed = normalized.length >= 9 ? 2 : normalized.length >= 4 ? 1 : 0
  return best && best.distance <= allowed ? best.key : undefined
}

/** Edits (insert, delete, replace, swap of neighbours) from `a` to `b`: the optimal string alignment distance. */
function typingDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({length: a.length + 1}, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) rows[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1)
    }
  }
  return rows[a.length][b.length]
}

/**
 * pandoc's authors: a name, a list of names, or a list of mappings with `name`, `affiliation` (or `institute`; text
 * or a list of texts) and `email`. A name is text, not a number.
 */
function readAuthors(value: unknown, key: string, wrongType: (path: Path, what: string, expected: string, value: unknown) => void): Author[] {
  if (value === undefined || value === null) return []
  const shape = 'a name, a list of names, or a list of mappings with `name`, `affiliation` and `email`'
  if (typeof value !== 'string' && (typeof value !== 'object' || value instanceof Date)) {
    wrongType([key], `key \`${key}\``, shape, value)
    return []
  }
  const listed = Array.isArray(value)
  const entries: unknown[] = listed ? value : [value]
  return entries.flatMap((entry, index): Author[] => {
    const path = listed ? [key, index] : [key]
    const which = listed ? `\`${key}\` ${index + 1}` : `\`${key}\``
    if (typeof entry === 'string') return [{name: plain(entry)}]
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry) || entry instanceof Date) {
      if (entry !== null) wrongType(path, which, listed ? 'a name, or a mapping with `name`, `affiliation` and `email`' : shape, entry)
      return []
    }
    const record = entry as Record<string, unknown>
    const field = (name: string): string | undefined => {
      const part = record[name]
      if (part === undefined || part === null) return undefined
      if (typeof part === 'string') return plain(part)
      wrongType([...path, name], `\`${name}\` of ${which}`, 'text', part)
      return undefined
    }
    const affiliationKey = record.affiliation !== undefined ? 'affiliation' : 'institute'
    const affiliation = record[affiliationKey]
    let affiliations: string | undefined
    if (Array.isArray(affiliation)) {
      const texts = affiliation.filter((item, position) => {
        if (typeof item === 'string') return true
        wrongType([...path, affiliationKey, position], `\`${affiliationKey}\` ${position + 1} of ${which}`, 'text', item)
        return false
      })
      affiliations = texts.length ? plain(texts.join('; ')) : undefined
    } else {
      affiliations = field(affiliationKey)
    }
    const name = field('name')
    if (name === undefined && record.name === undefined) wrongType(path, which, 'a mapping with a `name`', entry)
    return [{name: name ?? '', affiliation: affiliations, email: field('email')}]
  })
}

/** Metadata values are Markdown text: decode character references (`&#x40;` → `@`) and backslash escapes. */
function plain(value: string | number | Date): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10)
  return decodeString(String(value)).trim()
}

function keyPlace(node: Yaml, key: string): {line: number; column: number} {
  const lines = node.value.split(/\r?\n/)
  const index = lines.findIndex((line) => line.startsWith(`${key}:`))
  return {line: (node.position?.start.line ?? 1) + 1 + Math.max(index, 0), column: 1}
}
