/**
 * BibTeX / BibLaTeX to CSL-JSON with citation-js (its file grammar, then its BibLaTeX mapping), read the way
 * pandoc reads a `.bib` file: LaTeX accents and commands decoded, `--` as an en dash, titles of English
 * entries turned into sentence case, and every case-protecting `{...}` in a title kept as a citeproc
 * `<span class="nocase">` so that styles that change case leave it alone.
 *
 * A syntax error does not lose the whole file: the entries are then parsed one by one, and each broken entry is
 * reported at its own line.
 */
import {Module, createRequire} from 'node:module'
import {finishLikePandoc, localeOf, prepareEntries, type RawEntry} from './bibtex-pandoc.ts'
import {normalizeCslItem, type CslItem} from './csl-item.ts'

/** An entry as citation-js's BibTeX grammar reads it, before the BibLaTeX-to-CSL mapping. */
type RawBibtexEntry = RawEntry

// citation-js's building blocks are CommonJS modules without types; `require` loads them the same way under
// Node, vitest and the esbuild bundle (where ESM default-import interop differs). They load on first use, so a
// build whose bibliography comes from the cache never pays for them.
const require = createRequire(import.meta.url)
interface CitationJsBibtex {
  file: {parse(text: string): (RawBibtexEntry | undefined)[]}
  crossref: {crossref(type: string, properties: RawBibtexEntry['properties'], registry: Record<string, Pick<RawBibtexEntry, 'type' | 'properties'>>): RawBibtexEntry['properties']}
  entries: {parse(entries: RawBibtexEntry[]): Record<string, unknown>[]}
  value: {parse(text: string, field: string): unknown}
  config: {parse: {sentenceCase: string}}
  constants: {
    formattingCommands: Record<string, string | undefined>
    fieldTypes: Record<string, [string, string] | undefined>
  }
  shared: {Converters: {TITLE: {toTarget(title: string, subtitle?: string, addon?: string): string}}}
}
let citationJs: CitationJsBibtex | undefined
function loadCitationJs(): CitationJsBibtex {
  if (!citationJs) {
    provideCoreParts()
    // As pandoc reads them, a title is "Title: Subtitle. Addon" (citation-js drops the addendum), and subtitles and
    // addenda are title text (sentence-cased in English, case-protected). The converter is changed before the
    // mapping that uses it loads.
    const shared: CitationJsBibtex['shared'] = require('@citation-js/plugin-bibtex/lib/mapping/shared.js')
    shared.Converters.TITLE.toTarget = (title, subtitle, addon) => title + (subtitle ? `: ${subtitle}` : '') + (addon ? `. ${addon}` : '')
    citationJs = {
      file: require('@citation-js/plugin-bibtex/lib/input/file.js'),
      crossref: require('@citation-js/plugin-bibtex/lib/mapping/crossref.js'),
      entries: require('@citation-js/plugin-bibtex/lib/input/entries.js'),
      value: require('@citation-js/plugin-bibtex/lib/input/value.js'),
      config: require('@citation-js/plugin-bibtex/lib/config.js').default,
      constants: require('@citation-js/plugin-bibtex/lib/input/constants.js'),
      shared
    }
    citationJs.constants.formattingCommands[noCaseCommand] = 'nocase'
    for (const field of ['subtitle', 'titleaddon', 'booksubtitle', 'booktitleaddon', 'mainsubtitle', 'maintitleaddon']) citationJs.constants.fieldTypes[field] = ['field', 'title']
    // A `type` field (the genre: "Working Paper") is printed as written, not sentence-cased.
    citationJs.constants.fieldTypes.type = ['field', 'literal']
  }
  return citationJs
}

/**
 * The BibTeX plugin takes three things from `@citation-js/core`: its Translator, its Grammar and its logger. The
 * core's own entry point also loads its fetching code (sync-fetch, node-fetch) and its Cite machinery: some 50–80 ms
 * of every build that reads a `.bib` afresh, and network code a build never runs. Unless something loaded the whole
 * core first, the plugin is given one made of those three parts, from the core's own files.
 */
function provideCoreParts(): void {
  const corePath = require.resolve('@citation-js/core')
  if (require.cache[corePath]) return
  const core = new Module(corePath)
  core.filename = corePath
  core.loaded = true
  core.exports = {
    util: {
      Translator: require('@citation-js/core/lib/util/translator.js').Translator,
      Grammar: require('@citation-js/core/lib/util/grammar.js').Grammar
    },
    logger: require('@citation-js/core/lib/logger.js').default
  }
  require.cache[corePath] = core
}

export interface BibtexSyntaxError {
  /** 1-based line and column in the `.bib` file. */
  line: number
  column: number
  /** What the parser expected, in its words ("expected "comma", got "label""). */
  detail: string
  /** The key of the entry the error is in, when it is one entry's (its `@type{key,` header reads); the entry is left out. */
  key?: string
}

/** A problem of an entry that parsed (a `crossref` cycle), at the entry's header line; the message says what to do. */
export interface BibtexEntryProblem {
  key: string
  line: number
  column: number
  message: string
}

export interface ParsedBibtex {
  items: CslItem[]
  /** Line (1-based) of each entry's `@type{key,` header, in file order; a key written twice appears twice. */
  entryLines: {key: string; line: number}[]
  errors: BibtexSyntaxError[]
  problems: BibtexEntryProblem[]
}

// biblatex's own command for "do not change the case of this": citation-js lacks it; the protected braces of
// titles are rewritten to it so that citation-js emits a nocase span for every one of them.
const noCaseCommand = 'NoCaseChange'

// Watch mode rebuilds read the same file again: the last few files read (entries with their `crossref` resolved,
// which converting never changes) and the last few conversions are kept (items are never modified later).
export interface ReadBibtex {
  raw: RawBibtexEntry[]
  entryLines: ParsedBibtex['entryLines']
  errors: BibtexSyntaxError[]
  problems: BibtexEntryProblem[]
}
/** The last few files read and converted, kept by a project session. */
export interface BibtexMemo {
  reads: Map<string, ReadBibtex>
  parses: Map<string, ParsedBibtex>
}
const recentKept = 4

function remember<Value>(recent: Map<string, Value>, key: string, value: Value): Value {
  recent.set(key, value)
  if (recent.size > recentKept) recent.delete(recent.keys().next().value!)
  return value
}

export interface ParseBibtexOptions {
  /**
   * Convert to CSL only the entries with these keys (the ones a document cites). Converting is most of the cost of
   * a large shared `.bib`; every other entry is still read (its syntax errors and `crossref` problems are reported)
   * and is an item of its key alone (`{id, type: 'document'}`), enough to say that it is never cited or to suggest
   * it for a mistyped key. A chapter is converted with what it inherits from its book by `crossref`, so its book
   * need not be. Without it, every entry is converted.
   */
  convertOnly?: ReadonlySet<string>
  /** The last files read and converted (a project session's): a watch rebuild reads the same file again. */
  memo?: BibtexMemo
}

export function parseBibtex(text: string, options: ParseBibtexOptions = {}): ParsedBibtex {
  const {convertOnly} = options
  const memo = options.memo ?? {reads: new Map(), parses: new Map()}
  const parseKey = convertOnly ? `${[...convertOnly].sort().join('\u0000')}\u0001${text}` : text
  const cached = memo.parses.get(parseKey)
  if (cached) return cached
  const read = memo.reads.get(text) ?? remember(memo.reads, text, readBibtex(text))
  return remember(memo.parses, parseKey, {items: convert(read.raw, convertOnly), entryLines: read.entryLines, errors: read.errors, problems: read.problems})
}

/** A `.bib` file read (its entries with their `crossref` resolved), before any entry is converted to CSL. */
export function readBibtex(text: string): ReadBibtex {
  const {file: bibtexFile, config: bibtexConfig} = loadCitationJs()
  bibtexConfig.parse.sentenceCase = 'english'
  const entryLines = findEntryHeaders(text)
  const errors: BibtexSyntaxError[] = []
  let raw: RawBibtexEntry[]
  try {
    raw = present(bibtexFile.parse(text))
  } catch (error) {
    raw = parseEntryByEntry(text, errors, error)
  }
  raw = prepareEntries(raw)
  for (const entry of raw) protectTitleCase(entry)
  const problems = resolveCrossrefs(raw, entryLines)
  return {raw, entryLines, errors, problems}
}

/** CSL items of the entries (of those in `convertOnly`, the others their key alone), in file order. */
function convert(raw: RawBibtexEntry[], convertOnly: ReadonlySet<string> | undefined): CslItem[] {
  const {entries: bibtexEntries, config: bibtexConfig, value: bibtexValue} = loadCitationJs()
  // Sentence-case English titles (as pandoc does); styles that want title case (Chicago) re-capitalise them.
  bibtexConfig.parse.sentenceCase = 'english'
  // Copies: the mapping may change what it is given, and a kept read is converted again for other keys.
  const converting = (convertOnly ? raw.filter((entry) => convertOnly.has(entry.label)) : raw).map((entry) => ({...entry, properties: {...entry.properties}}))
  const written = converting.map((entry) => {
    const howPublished = entry.properties.howpublished
    return {type: entry.type, properties: {...entry.properties}, locale: localeOf(entry), howPublished: howPublished === undefined ? undefined : String(bibtexValue.parse(String(howPublished), 'howpublished'))}
  })
  const converted = bibtexEntries.parse(converting).map((item, index) => normalizeCslItem(finishText(finishLikePandoc(item, written[index])) as Record<string, unknown>))
  if (!convertOnly) return converted
  let next = 0
  return raw.map((entry): CslItem => (convertOnly.has(entry.label) ? converted[next++] : {id: entry.label, type: 'document'}))
}

/**
 * BibTeX's `crossref`: an entry takes the fields it lacks from the entry it names (a chapter from its book), through
 * any number of steps (a chapter, its book, the book's series). citation-js resolves this by recursion for every
 * entry again: a chain of n entries costs n² steps and overflows the stack at a few thousand, and a cycle (`a`
 * names `b`, `b` names `a`) never ends. Here each entry is resolved once, parents first, with a loop, and
 * citation-js is given entries without `crossref` (its mapping of the fields still decides what is inherited and
 * under which name). An entry that names itself, or closes a cycle, is a problem at its line: it keeps its own
 * fields, and the others of the cycle inherit from it.
 */
function resolveCrossrefs(raw: RawBibtexEntry[], entryLines: {key: string; line: number}[]): BibtexEntryProblem[] {
  const {crossref: mapping} = loadCitationJs()
  const problems: BibtexEntryProblem[] = []
  const byKey = new Map<string, RawBibtexEntry>()
  for (const entry of raw) if (!byKey.has(entry.label)) byKey.set(entry.label, entry)
  const lineOf = (key: string) => entryLines.find((header) => header.key === key)?.line ?? 1
  const parentOf = (entry: RawBibtexEntry): RawBibtexEntry | undefined => {
    const key = entry.properties.crossref
    return typeof key === 'string' ? byKey.get(key) : undefined
  }
  const resolved = new Set<RawBibtexEntry>()
  for (const entry of raw) {
    // Up the chain to an entry resolved already or without a parent; a cycle is cut where it closes.
    const chain: RawBibtexEntry[] = []
    const onChain = new Set<RawBibtexEntry>()
    for (let current: RawBibtexEntry | undefined = entry; current && !resolved.has(current); current = parentOf(current)) {
      if (onChain.has(current)) {
        const cycle = [...chain.slice(chain.indexOf(current)), current].map((member) => `\`${member.label}\``)
        const what = cycle.length === 2 ? `names itself in \`crossref\`` : `closes a \`crossref\` cycle: ${cycle.join(' → ')}`
        problems.push({
          key: current.label,
          line: lineOf(current.label),
          column: 1,
          message: `Entry \`${current.label}\` ${what}, so what it inherits never ends. Remove the \`crossref\` field from one of them (an entry names the one it takes its fields from, such as a chapter its book); it is read without it meanwhile`
        })
        delete current.properties.crossref
        break
      }
      onChain.add(current)
      chain.push(current)
    }
    for (let index = chain.length - 1; index >= 0; index--) {
      const child = chain[index]
      const parent = parentOf(child)
      if (parent && parent !== child) {
        // The parent is resolved (it has no `crossref` left), so citation-js's mapping takes one step. It names the
        // fields a parent lacks too (`booksubtitle`), as undefined: they are left out, as citation-js leaves them.
        const merged = mapping.crossref(child.type, child.properties, {[child.properties.crossref as string]: parent})
        child.properties = Object.fromEntries(Object.entries(merged).filter(([, value]) => value !== undefined))
      }
      delete child.properties.crossref
      resolved.add(child)
    }
  }
  return problems
}

const verbatimFields = new Set(['URL', 'DOI', 'ISBN', 'ISSN', 'PMID', 'PMCID', 'id', 'citation-key', 'type', 'language'])

/**
 * What citation-js leaves of TeX in text: a single opening quote written `` ` `` (→ ‘), and accents on a
 * dotless i or j (`{\'\i}` → í rather than ı́).
 */
function finishText(value: unknown, field?: string): unknown {
  if (typeof value === 'string') {
    if (field && verbatimFields.has(field)) return value
    return value.replace(/`/g, '\u2018').replace(/([\u0131\u0237])([\u0300-\u036f]+)/g, (_, letter: string, marks: string) => ((letter === '\u0131' ? 'i' : 'j') + marks).normalize('NFC'))
  }
  if (Array.isArray(value)) return value.map((part) => finishText(part, field))
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, part]) => [key, finishText(part, field === undefined ? key : field)]))
  }
  return value
}

function present(entries: (RawBibtexEntry | undefined)[]): RawBibtexEntry[] {
  return entries.filter((entry): entry is RawBibtexEntry => entry !== undefined)
}

/** Parse each `@...` chunk alone (with the file's `@string` macros before it), reporting every chunk that fails. */
function parseEntryByEntry(text: string, errors: BibtexSyntaxError[], wholeFileError: unknown): RawBibtexEntry[] {
  const {file: bibtexFile} = loadCitationJs()
  const chunks = splitIntoChunks(text)
  const macros = chunks.filter((chunk) => /^@\s*string\b/i.test(chunk.text)).map((chunk) => chunk.text).join('\n')
  const macroLines = macros ? macros.split('\n').length : 0
  const entries: RawBibtexEntry[] = []
  for (const chunk of chunks) {
    const isMacro = /^@\s*string\b/i.test(chunk.text)
    const source = isMacro || !macros ? chunk.text : `${macros}\n${chunk.text}`
    const offset = isMacro || !macros ? 0 : macroLines
    try {
      if (!isMacro) entries.push(...present(bibtexFile.parse(source)))
      else bibtexFile.parse(source)
    } catch (error) {
      const place = syntaxErrorOf(error)
      const key = isMacro ? undefined : /^@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()]+)\s*,/.exec(chunk.text)?.[1]
      errors.push({...place, line: chunk.line + Math.max(place.line - offset, 1) - 1, ...(key ? {key} : {})})
    }
  }
  if (errors.length === 0) errors.push(syntaxErrorOf(wholeFileError))
  return entries
}

/** Chunks start at each line whose first non-blank character is `@`, which is how every entry begins. */
function splitIntoChunks(text: string): {text: string; line: number}[] {
  const lines = text.split('\n')
  const chunks: {text: string; line: number}[] = []
  let current: {lines: string[]; line: number} | undefined
  lines.forEach((lineText, index) => {
    if (/^\s*@/.test(lineText)) {
      if (current) chunks.push({text: current.lines.join('\n'), line: current.line})
      current = {lines: [lineText.trimStart()], line: index + 1}
    } else if (current) {
      current.lines.push(lineText)
    }
  })
  if (current) chunks.push({text: current.lines.join('\n'), line: current.line})
  return chunks.filter((chunk) => !/^@\s*(comment|preamble)\b/i.test(chunk.text))
}

/** What the parser's own limits mean in a .bib file: braces nested beyond its stack, `@string` macros beyond memory. */
const limitErrors: [RegExp, string][] = [
  [/Maximum call stack size exceeded/, 'braces or quotes nested too deep to read'],
  [/Invalid string length/, '`@string` macros that expand to more text than memory holds (a macro made of another twice, again and again)']
]

function syntaxErrorOf(error: unknown): BibtexSyntaxError {
  const message = error instanceof Error ? error.message : String(error)
  const limit = limitErrors.find(([pattern]) => pattern.test(message))
  if (limit) return {line: 1, column: 1, detail: limit[1]}
  const place = /at line (\d+) col (\d+)/.exec(message)
  const detail = message.split('\n')[0].replace(/ at line \d+ col \d+:?$/, '').trim()
  return {line: place ? Number(place[1]) : 1, column: place ? Number(place[2]) : 1, detail: detail || 'invalid syntax'}
}

/** Where each entry starts: `@type{key,` (or `@type(key,`), skipping `@string`, `@preamble` and `@comment`. */
function findEntryHeaders(text: string): {key: string; line: number}[] {
  const headers: {key: string; line: number}[] = []
  const header = /@\s*([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,/g
  let line = 1
  let lastIndex = 0
  for (let match = header.exec(text); match; match = header.exec(text)) {
    for (let index = lastIndex; index < match.index; index++) if (text.charCodeAt(index) === 10) line++
    lastIndex = match.index
    if (/^(string|preamble|comment)$/i.test(match[1])) continue
    headers.push({key: match[2], line})
  }
  return headers
}

/**
 * In title fields, rewrite each top-level `{...}` that BibTeX treats as case protection (one that is neither a
 * command's argument nor a `{\"u}` special character) to `\NoCaseChange{...}`.
 */
function protectTitleCase(entry: RawBibtexEntry): void {
  for (const [field, value] of Object.entries(entry.properties)) {
    if (typeof value !== 'string' || !value.includes('{')) continue
    if (loadCitationJs().constants.fieldTypes[field]?.[1] !== 'title') continue
    entry.properties[field] = markProtectedGroups(value)
  }
}

export function markProtectedGroups(value: string): string {
  let result = ''
  let index = 0
  while (index < value.length) {
    const char = value[index]
    if (char === '\\') {
      // A command and its name (or escaped character) are copied as they are, with any braced arguments.
      const command = /^\\([A-Za-z]+|.)\s*/.exec(value.slice(index))
      const length = command ? command[0].length : 1
      result += value.slice(index, index + length)
      index += length
      while (value[index] === '{') {
        const end = matchingBrace(value, index)
        result += value.slice(index, end + 1)
        index = end + 1
      }
      continue
    }
    if (char === '$') {
      // Braces inside math are TeX grouping, not case protection.
      const close = value.indexOf('$', index + 1)
      const end = close === -1 ? value.length - 1 : close
      result += value.slice(index, end + 1)
      index = end + 1
      continue
    }
    if (char === '{') {
      const end = matchingBrace(value, index)
      const inner = value.slice(index + 1, end)
      // Only whole words become nocase spans: citeproc-js would take the rest of `{T}he` for a word of its own
      // and capitalise it ("THe"). A group inside a word keeps its case anyway (case changes act on whole words).
      const insideWord = isWordCharacter(value[index - 1]) || isWordCharacter(value[end + 1])
      result += inner.startsWith('\\') || insideWord ? value.slice(index, end + 1) : `\\${noCaseCommand}{${inner}}`
      index = end + 1
      continue
    }
    result += char
    index++
  }
  return result
}

function isWordCharacter(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char)
}

/** Index of the `}` closing the `{` at `open` (escaped braces skipped); the last index if it never closes. */
function matchingBrace(value: string, open: number): number {
  let depth = 0
  for (let index = open; index < value.length; index++) {
    const char = value[index]
    if (char === '\\') {
      index++
      continue
    }
    if (char === '{') depth++
    else if (char === '}' && --depth === 0) return index
  }
  return value.length - 1
}
