/**
 * The document's metadata: every metadata block (pandoc's `yaml_metadata_block`: the front matter, blocks later in
 * a file, blocks in included files; and a `%` title block), merged in reading order as pandoc merges them, read into
 * typed metadata. A block's YAML is parsed here only, by config/yaml.ts; every value keeps the file, line and column
 * it is written at, so YAML errors and problems with a value are reported there, through includes. Unknown keys are
 * kept (pandoc templates use free keys): one that looks like a misspelt known key is a warning naming the key meant,
 * any other is noted as info.
 */
import type {Nodes, Root, Yaml} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import type {Parent} from 'unist'
import {decodeString} from 'micromark-util-decode-string'
import type {VFile} from 'vfile'
import {readYaml, YAMLException, YamlExpansionError} from '../config/yaml.ts'
import {citationFromMarkdown, citationSyntax} from '../syntax/citation/index.ts'
import type {TitleBlock, TitleBlockField} from '../syntax/types.ts'
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
  nocite: NociteKey[]
  /** pandoc's `link-citations`: each citation links to its bibliography entry. */
  linkCitations?: boolean
  /** pandoc's `notes-after-punctuation`; undefined when not set (pandoc's default depends on the style). */
  notesAfterPunctuation?: boolean
  /** Everything else, as written (crossref words and the like). */
  raw: Record<string, unknown>
  /** Where each top-level key the metadata holds is written (in the block whose value is used). */
  keyPlaces: Record<string, MetadataPlace>
  /** The YAML blocks read, in reading order (taken out of the tree), for `check` to look into. */
  yamlBlocks: Yaml[]
}

/**
 * The keys the pipeline reads, then pandoc's common metadata and template variables and pandoc-crossref's
 * settings: a document written for pandoc keeps them without a warning, though most change nothing here.
 */
export const knownFrontMatterKeys: ReadonlySet<string> = new Set([
  // read by the pipeline
  'title', 'short-title', 'shorttitle', 'running-head', 'author', 'authors', 'date', 'abstract', 'keywords', 'published',
  'reference-section-title', 'bibliography', 'csl', 'lang', 'papersize', 'nocite', 'suppress-bibliography', 'references',
  'link-citations', 'link-bibliography', 'notes-after-punctuation', 'reference-doc', 'anonymous',
  ...crossrefOptionKeys,
  // pandoc metadata and common template variables
  'subtitle', 'institute', 'thanks', 'abstract-title', 'dir', 'toc', 'table-of-contents', 'toc-title', 'toc-depth', 'lof', 'lot',
  'documentclass', 'classoption', 'geometry', 'margin-left', 'margin-right', 'margin-top', 'margin-bottom', 'fontsize',
  'fontfamily', 'fontfamilyoptions', 'mainfont', 'sansfont', 'monofont', 'mathfont', 'mainfontoptions', 'sansfontoptions',
  'monofontoptions', 'CJKmainfont', 'linestretch', 'indent', 'pagestyle', 'secnumdepth', 'number-sections', 'header-includes',
  'include-before', 'include-after', 'linkcolor', 'urlcolor', 'citecolor', 'filecolor', 'toccolor', 'colorlinks',
  'links-as-notes', 'citation-abbreviations', 'cite-method',
  'biblio-title', 'biblio-style', 'natbiboptions', 'biblatexoptions', 'description', 'subject', 'category', 'pagetitle',
  'title-prefix', 'css', 'keywords', 'license', 'rights', 'copyright', 'publisher', 'identifier', 'cover-image', 'editor',
  'translator', 'version', 'draft',
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
  const blocks = takeMetadataBlocks(tree)
  const yamlBlocks = blocks.filter((node): node is Yaml => node.type === 'yaml')
  const empty: FrontMatter = {authors: [], keywords: [], bibliography: [], nocite: [], raw: {}, keyPlaces: {}, yamlBlocks}
  checkUnclosed(tree, file)
  const merged = mergeMetadata(
    blocks.flatMap((node) => (node.type === 'yaml' ? (parseYaml(node, file) ?? []) : readTitleBlock(node))),
    file
  )
  if (merged.blocks.length === 0) return empty
  return {...readFrontMatter(merged, file), yamlBlocks}
}

/**
 * Every metadata block of the document (YAML blocks and `%` title blocks), in reading order (includes are spliced
 * in by now, so an included file's blocks come where it is included), taken out of the tree: they are metadata,
 * not text.
 */
function takeMetadataBlocks(tree: Root): Array<Yaml | TitleBlock> {
  const blocks: Array<Yaml | TitleBlock> = []
  const isMetadata = (node: Parent['children'][number]): node is Yaml | TitleBlock => node.type === 'yaml' || node.type === 'titleBlock'
  // A list of children is made anew only where a block is taken out of it: a book has thousands of others.
  const take = (parent: Parent): void => {
    let found = false
    for (const child of parent.children) {
      if (isMetadata(child)) {
        blocks.push(child)
        found = true
      } else if ('children' in child) take(child as Parent)
    }
    if (found) parent.children = parent.children.filter((child) => !isMetadata(child))
  }
  take(tree)
  return blocks
}

/** One block's values and where each is written. */
interface MetadataBlock {
  node: Yaml | TitleBlock
  data: Record<string, unknown>
  /** Where the value at `path` (or, with `key`, the key naming it) is written in the block's file. */
  placeOf: (path: Path, key?: boolean) => {line: number; column: number} | undefined
}

/** A key listed under `nocite`, and where it is written (its `@`). */
export interface NociteKey {
  key: string
  place?: MetadataPlace
}

/** Where a metadata value is written: the file (an included file's own path) and its line and column there. */
export interface MetadataPlace {
  sourceFile: string
  line: number
  column: number
}

/** The document's metadata, merged from its blocks, with the block each top-level key was taken from. */
interface MergedMetadata {
  data: Record<string, unknown>
  origins: Map<string, MetadataBlock>
  blocks: MetadataBlock[]
}

/**
 * Merge the blocks as pandoc 2.17 does: a key set in a later block replaces the value of an earlier one (the whole
 * value: lists and mappings are not combined), so a YAML block's `title` replaces a `%` title block's; keys ending
 * in `_` are ignored. A key set twice is noted (info) at the later one, naming the earlier place, so that an author
 * can tell which value the build uses.
 */
function mergeMetadata(blocks: MetadataBlock[], file: VFile): MergedMetadata {
  const data: Record<string, unknown> = {}
  const origins = new Map<string, MetadataBlock>()
  for (const block of blocks) {
    for (const [key, value] of Object.entries(block.data)) {
      if (key.endsWith('_')) continue
      const earlier = origins.get(key)
      if (earlier && earlier !== block) {
        const before = keyPlaceIn(earlier, key)
        const place = keyPlaceIn(block, key)
        report(file, block.node, `Metadata key \`${key}\` is also set at ${before.sourceFile}:${before.line}; as in pandoc, this later value is the one used. Remove the one you do not mean.`, 'repeated-metadata-key', 'info', {sourceFile: place.sourceFile, place: {line: place.line, column: place.column}})
      }
      data[key] = value
      origins.set(key, block)
    }
  }
  return {data, origins, blocks}
}

/** The place of `path`'s value, or of its key when `key` is set, in the block's file (else the block's first line). */
function placeIn(block: MetadataBlock, path: Path, key = false): MetadataPlace {
  const sourceFile = block.node.data?.sourceFile ?? ''
  const place = block.placeOf(path, key) ?? block.placeOf(path.slice(0, 1), true)
  const start = block.node.position?.start
  return {sourceFile, ...(place ?? {line: start?.line ?? 1, column: start?.column ?? 1})}
}

function keyPlaceIn(block: MetadataBlock, key: string): MetadataPlace {
  return placeIn(block, [key], true)
}

/** A `%` title block's title, authors (a list, as pandoc makes it) and date, each placed at its own text. */
function readTitleBlock(node: TitleBlock): MetadataBlock {
  const values = (field: TitleBlockField['field']) => node.children.filter((child) => child.field === field && child.value !== '')
  const [title] = values('title')
  const authors = values('author')
  const [date] = values('date')
  const data: Record<string, unknown> = {}
  const fields: Record<string, TitleBlockField[]> = {}
  if (title) {
    // A title over several lines is one title; pandoc joins its lines with a (soft) line break.
    data.title = title.value.replace(/\n/g, ' ')
    fields.title = [title]
  }
  if (authors.length > 0) {
    data.author = authors.map((author) => author.value)
    fields.author = authors
  }
  if (date) {
    data.date = date.value
    fields.date = [date]
  }
  const placeOf = (path: Path) => {
    const written = fields[String(path[0])]
    const field = written?.[typeof path[1] === 'number' ? path[1] : 0]
    return field?.position ? {line: field.position.start.line, column: field.position.start.column} : undefined
  }
  return {node, data, placeOf}
}

/** "The front matter" for a block on a file's first line, else "The YAML metadata block". */
function blockName(node: Yaml): string {
  return node.position?.start.line === 1 ? 'The front matter' : 'The YAML metadata block'
}

function parseYaml(node: Yaml, file: VFile): MetadataBlock | undefined {
  // The YAML text starts on the line after the opening `---`.
  const first = (node.position?.start.line ?? 1) + 1
  const name = blockName(node)
  try {
    const read = readYaml(node.value)
    const {data} = read
    const placeOf = (path: Path, key = false) => {
      const place = key ? read.placeOfKey(path) : read.placeOf(path)
      return place && {line: first + place.line, column: place.column}
    }
    if (data === undefined || data === null) return {node, data: {}, placeOf}
    if (typeof data === 'object' && !Array.isArray(data) && !(data instanceof Date)) return {node, data: data as Record<string, unknown>, placeOf}
    report(file, node, `${name} must be a YAML mapping of keys to values (like \`title: My paper\`).`, 'front-matter', 'error')
  } catch (error) {
    if (error instanceof YamlExpansionError) {
      const key = error.key === undefined ? name : `${name === 'The front matter' ? 'Front matter' : 'Metadata'} key \`${error.key}\``
      report(file, node, `${key} cannot be read: ${error.message}.`, 'front-matter', 'error', {place: {line: first + error.place.line, column: error.place.column}})
      return undefined
    }
    if (!(error instanceof YAMLException)) throw error
    const exception = error
    const unclosed = unclosedBracket(node.value, exception)
    if (unclosed) {
      report(file, node, `${name} is not valid YAML: ${unclosed.message}.`, 'front-matter', 'error', {place: {line: first + unclosed.line, column: unclosed.column}})
      return undefined
    }
    const line = first + (exception.mark?.line ?? 0)
    const column = (exception.mark?.column ?? 0) + 1
    report(file, node, `${name} is not valid YAML: ${exception.reason}. Fix the YAML syntax on this line (quote values that contain \`: \` or start with special characters).`, 'front-matter', 'error', {
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

/**
 * `---` on a file's first line (the entry's or an included file's) with `key: value` lines after it but no closing
 * fence: pandoc would not read it as metadata either.
 */
function checkUnclosed(tree: Root, file: VFile): void {
  tree.children.forEach((first, index) => {
    const second = tree.children[index + 1]
    if (first.type !== 'thematicBreak' || first.position?.start.line !== 1) return
    const looksLikeYaml = second?.type === 'paragraph' && second.children[0]?.type === 'text' && /^[\w-]+:\s/.test(second.children[0].value)
    if (looksLikeYaml) {
      report(file, first, 'The front matter opened on line 1 is never closed. End it with a line holding only `---` or `...`.', 'front-matter', 'error')
    }
  })
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
function readFrontMatter(merged: MergedMetadata, file: VFile): Omit<FrontMatter, 'yamlBlocks'> {
  const {data, origins} = merged
  const at = (path: Path, key = false) => {
    const block = origins.get(String(path[0]))!
    const {sourceFile, line, column} = placeIn(block, path, key)
    return {node: block.node, options: {sourceFile, place: {line, column}}}
  }
  const wrongType = (path: Path, what: string, expected: string, value: unknown) => {
    const {node, options} = at(path)
    report(file, node, `Front matter ${what} must be ${expected}; found ${kindOf(value)}. Correct it; as written it is left out of the outputs.`, 'front-matter', 'warning', options)
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
    const {node, options} = at(['papersize'], true)
    report(file, node, `Front matter \`papersize\` must be \`letter\` or \`a4\`; found "${paper}". Correct it; the config's \`paper\` (else letter) is used meanwhile.`, 'front-matter', 'warning', options)
  }
  for (const key of ['suppress-bibliography', 'link-bibliography']) {
    const value = data[key]
    if (value !== undefined && value !== null && typeof value !== 'boolean') wrongType([key], `key \`${key}\``, 'true or false', value)
  }
  for (const block of merged.blocks) reportUnknownKeys(block, file)
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
    nocite: readNocite(merged, file, wrongType),
    linkCitations: data['link-citations'] === undefined ? undefined : truish(data['link-citations']),
    notesAfterPunctuation: data['notes-after-punctuation'] === undefined ? undefined : truish(data['notes-after-punctuation']),
    raw: data,
    keyPlaces: Object.fromEntries([...origins].map(([key, block]) => [key, keyPlaceIn(block, key)]))
  }
}

/**
 * pandoc's `nocite`: Markdown whose citations name the entries to list (`[@a; @b]`, `@a, @b`, `@*` for every
 * entry), as a text or a list of texts, read with the citation syntax of the text. Each key keeps the place of its
 * `@` in the YAML, so that a key the bibliography lacks is reported there. A value with no citation is a warning.
 */
function readNocite(merged: MergedMetadata, file: VFile, wrongType: (path: Path, what: string, expected: string, value: unknown) => void): NociteKey[] {
  const value = merged.data.nocite
  if (value === undefined || value === null) return []
  const block = merged.origins.get('nocite')!
  const expected = 'citations such as `[@a; @b]`, `@a, @b` or `@*`'
  let texts: Array<{text: string; path: Path}>
  if (typeof value === 'string') texts = [{text: value, path: ['nocite']}]
  else if (Array.isArray(value)) {
    texts = value.flatMap((item: unknown, index) => {
      if (typeof item === 'string') return [{text: item, path: ['nocite', index]}]
      if (item !== null && item !== undefined) wrongType(['nocite', index], `\`nocite\` item ${index + 1}`, expected, item)
      return []
    })
  } else {
    wrongType(['nocite'], 'key `nocite`', expected, value)
    return []
  }
  const yamlLines = block.node.type === 'yaml' ? block.node.value.split(/\r?\n/) : []
  const firstYamlLine = (block.node.position?.start.line ?? 1) + 1
  return texts.flatMap(({text, path}) => {
    const start = placeIn(block, path)
    const keys = citationKeysIn(text)
    if (keys.length === 0 && text.trim()) {
      report(file, block.node, `Front matter \`nocite\` holds no citation: write the keys as citations (\`[@a; @b]\`, \`@a, @b\`, or \`@*\` for every entry); as written it lists nothing.`, 'front-matter', 'warning', {sourceFile: start.sourceFile, place: {line: start.line, column: start.column}})
    }
    return keys.map(({key, line, column}): NociteKey => {
      const fileLine = start.line + line - 1
      // The text starts at the value (after its quote), or, in a block scalar (`nocite: |`), after the line's
      // indentation.
      const yamlLine = yamlLines[fileLine - firstYamlLine] ?? ''
      const from = line === 1 ? start.column - 1 : 0
      const textStart = from + /^[ \t]*/.exec(yamlLine.slice(from))![0].length
      return {key, place: {sourceFile: start.sourceFile, line: fileLine, column: textStart + column}}
    })
  })
}

/** The citation keys in a Markdown text, with the line and column of each `@` in it. */
function citationKeysIn(text: string): Array<{key: string; line: number; column: number}> {
  const tree = fromMarkdown(text, {extensions: [citationSyntax()], mdastExtensions: [citationFromMarkdown()]})
  const keys: Array<{key: string; line: number; column: number}> = []
  const visit = (node: Nodes): void => {
    if (node.type === 'citation') {
      for (const item of node.children) {
        const at = item.keyPosition.start
        // `-@a` is a key too; its place is the `@`.
        keys.push({key: item.key, line: at.line, column: at.column + (item.mode === 'suppress-author' ? 1 : 0)})
      }
      return
    }
    if ('children' in node) for (const child of (node as Parent).children) visit(child as Nodes)
  }
  visit(tree)
  return keys
}

/** pandoc's reading of a yes/no key: `true`, or the text `true`, `yes` or `t` in any case; anything else is no. */
function truish(value: unknown): boolean {
  if (typeof value === 'boolean') return value
  return typeof value === 'string' && ['t', 'true', 'yes'].includes(value.trim().toLowerCase())
}

/** A key that is nearly a known one (`titel`, `numbersections`) is a warning; any other unknown key, info. */
function reportUnknownKeys(block: MetadataBlock, file: VFile): void {
  const {node} = block
  for (const key of Object.keys(block.data)) {
    if (key.endsWith('_')) continue
    const place = keyPlaceIn(block, key)
    const options = {sourceFile: place.sourceFile, place: {line: place.line, column: place.column}}
    if (knownFrontMatterKeys.has(key)) continue
    const meant = misspeltKey(key)
    if (meant) {
      report(file, node, `Unknown front matter key \`${key}\`: did you mean \`${meant}\`? Rename it; as written it changes nothing.`, 'unknown-front-matter-key', 'warning', options)
    } else {
      report(file, node, `Front matter key \`${key}\` is not one the pipeline reads (pandoc templates may); it changes nothing here. Remove it if it is a leftover.`, 'unknown-front-matter-key', 'info', options)
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
