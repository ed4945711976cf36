/**
 * Load a document's bibliography files (`.bib`, `.json`, `.yaml`/`.yml`) and inline `references` into one set
 * of CSL items. File access goes through `readFile`, so the caller records what the build depends on.
 * Problems are reported on the vfile: syntax errors at their line in the bibliography file (`bibliography-parse`;
 * a broken entry that nothing cites is only left out, with a warning: `unreadable-bibliography-entry`), keys defined twice (`duplicate-bibliography-key`, the first definition wins, as in
 * pandoc).
 */
import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {readYaml, YAMLException, YamlExpansionError} from '../config/yaml.ts'
import {report} from '../diagnostics/report.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {parseBibtex, type ParsedBibtex} from './bibtex.ts'
import {cslItemsFromData, type CslItem, type CslTextReading} from './csl-item.ts'

export interface BibliographyEntryOrigin {
  /** The bibliography file as the caller named it, or `undefined` for inline `references`. */
  path?: string
  /** 1-based line of the entry in that file, when known. */
  line?: number
}

export interface Bibliography {
  items: CslItem[]
  byId: Map<string, CslItem>
  /** Where each item was defined, for messages. */
  origins: Map<string, BibliographyEntryOrigin>
  /** The files read, in order. */
  paths: string[]
}

export interface LoadBibliographyOptions {
  /** Reads a bibliography file; throws if it cannot (the error is reported, the build goes on without it). */
  readFile: (path: string) => string
  /**
   * The SHA-256 of a bibliography file's bytes, when the caller has it (it throws as `readFile` does). A `.bib`
   * file's parse is then found in the derived cache by it, and the file is decoded only when it is not there.
   */
  contentHash?: (path: string) => string
  /** The document's vfile: problems are reported on it. */
  file: VFile
  /** The node that named the bibliography (the front matter), for problems that have no place in the file. */
  node?: Node
  /** Inline references (pandoc's `references:` metadata), already parsed from YAML. They come first. */
  references?: unknown
  /** Where parsed BibTeX is kept between processes (keyed by the file's content). */
  cache?: DerivedCache
  /**
   * The keys the document cites, when known: a broken `.bib` entry with one of these keys is an error (the build
   * would print a citation of nothing); any other broken entry is a warning and is left out. Without it, every
   * broken entry whose key can be read is a warning (a citation of it is then reported as an unknown key).
   */
  citedKeys?: ReadonlySet<string>
  /**
   * Convert only these BibTeX entries to CSL (the keys the document cites and lists under `nocite`); the others
   * are items of their key alone (see parseBibtex). Without it (or for `nocite: '@*'`), every entry is converted.
   */
  convertOnly?: ReadonlySet<string>
  /** The project session: keeps the last files read and converted. */
  session?: ProjectSession
}

const origins = new WeakMap<CslItem, BibliographyEntryOrigin>()

/** Where a loaded item was defined (file and line), for messages about it; undefined for items made elsewhere. */
export function originOf(item: CslItem): BibliographyEntryOrigin | undefined {
  return origins.get(item)
}

export function loadBibliography(paths: string[], options: LoadBibliographyOptions): Bibliography {
  const parts: BibliographyPart[] = []
  if (options.references !== undefined) {
    const {items, problems} = readCslItems(options.references, 'markdown', options.cache, DerivedCache.slot('csl-yaml', '(inline references)'), () => JSON.stringify(options.references))
    for (const problem of problems) {
      // A reference without an id (or not a mapping) cannot be cited: it is left out, with a warning.
      const rule = problem.itemIndex >= 0 ? 'unreadable-bibliography-entry' : 'bibliography-parse'
      report(options.file, options.node, `Inline \`references\`: ${problem.reason}${problem.itemIndex >= 0 ? ', so it is left out' : ''}. Give each reference an \`id\` and its fields as a YAML mapping.`, rule)
    }
    parts.push({entries: items.map((item) => ({item}))})
  }
  for (const path of paths) {
    let source: BibliographySource
    try {
      const hash = options.contentHash?.(path)
      let text: string | undefined
      source = {identity: hash, text: () => (text ??= options.readFile(path))}
      if (hash === undefined) source.text()
    } catch (error) {
      const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error instanceof Error ? error.message : String(error)})`
      report(options.file, options.node, `Bibliography file '${path}' ${reason}: fix the path under \`bibliography:\` in the front matter.`, 'bibliography-parse', 'error')
      continue
    }
    parts.push({path, entries: parseBibliographyText(source, path, options)})
  }
  // A watch rebuild meets the same parses of the same files (parseBibliographyText keeps them): the bibliography
  // they made last time is used again, its maps of a large shared .bib not built anew.
  const memo = options.session?.assembledBibliography
  const kept = memo?.last
  const assembled = kept && sameParts(kept.parts, parts) && kept.paths.join('\u0000') === paths.join('\u0000') ? kept : assemble(paths, parts)
  if (memo) memo.last = assembled
  for (const duplicate of assembled.duplicates) reportDuplicate(duplicate, options)
  return assembled.bibliography
}

/** The entries of one source: the inline references (no path) or a file's. */
interface BibliographyPart {
  path?: string
  entries: {item: CslItem; line?: number}[]
}

/** A key defined again after its first definition: reported, and the first is used (as pandoc does). */
interface DuplicateKey {
  id: string
  first: BibliographyEntryOrigin
  again: BibliographyEntryOrigin
}

export interface AssembledBibliography {
  paths: string[]
  parts: BibliographyPart[]
  bibliography: Bibliography
  duplicates: DuplicateKey[]
}

/** The same sources, read to the same entries (the same arrays: a file parsed again gives new ones). */
function sameParts(a: BibliographyPart[], b: BibliographyPart[]): boolean {
  return a.length === b.length && a.every((part, index) => part.path === b[index].path && part.entries === b[index].entries)
}

function assemble(paths: string[], parts: BibliographyPart[]): AssembledBibliography {
  const bibliography: Bibliography = {items: [], byId: new Map(), origins: new Map(), paths: [...paths]}
  const duplicates: DuplicateKey[] = []
  for (const part of parts) {
    for (const {item, line} of part.entries) {
      const origin: BibliographyEntryOrigin = part.path === undefined ? {} : {path: part.path, line}
      const first = bibliography.origins.get(item.id)
      if (first) {
        duplicates.push({id: item.id, first, again: origin})
        continue
      }
      bibliography.items.push(item)
      bibliography.byId.set(item.id, item)
      bibliography.origins.set(item.id, origin)
      origins.set(item, origin)
    }
  }
  // Never changed once loaded: engine.ts keeps the items' JSON by the list.
  Object.freeze(bibliography.items)
  return {paths: [...paths], parts, bibliography, duplicates}
}

function reportDuplicate({id, first, again}: DuplicateKey, options: LoadBibliographyOptions): void {
  const firstPlace = first.path ? `${first.path}${first.line ? `:${first.line}` : ''}` : 'the inline references'
  const place = again.line ? {line: again.line, column: 1} : undefined
  report(options.file, place ? undefined : options.node, `Bibliography key '${id}' is defined twice (first in ${firstPlace}); the first definition is used. Rename or remove one of them.`, 'duplicate-bibliography-key', 'warning', {place, sourceFile: again.path})
}

/** A bibliography file: its text, read when asked for, and the hash of its bytes when the caller gave one. */
interface BibliographySource {
  identity?: string
  text(): string
}

function parseBibliographyText(source: BibliographySource, path: string, options: LoadBibliographyOptions): {item: CslItem; line?: number}[] {
  const format = formatOf(path)
  if (format === 'bibtex') {
    const {cache, convertOnly} = options
    // The bytes' hash stands for the text, which is then decoded only to be parsed; without it, the text itself.
    const identity = source.identity ?? source.text()
    // A watch rebuild reads the same file with the same cited keys: the session's last parse of this file is used
    // without reading it back from the disk cache.
    const converted = convertOnly ? [...convertOnly].sort().join('\u0000') : '\u0001every entry'
    const kept = options.session?.parsedBibliographies.get(path)
    if (kept && kept.converted === converted && kept.identity === identity) {
      reportBibtexProblems(kept.parsed, path, options)
      return kept.withLines
    }
    const slot = DerivedCache.slot('bibtex', path)
    const key = (convertOnly ? cache?.hash(identity, ...[...convertOnly].sort()) : cache?.hash(identity)) ?? ''
    let parsed = cache?.read<ParsedBibtex>(slot, key)
    if (!parsed) {
      parsed = parseBibtex(source.text(), {convertOnly, memo: options.session?.bibtex})
      cache?.write(slot, key, parsed)
    }
    reportBibtexProblems(parsed, path, options)
    // Entry headers and parsed items are in the same file order, but broken entries may be missing from the items.
    const linesByKey = new Map<string, number[]>()
    for (const {key, line} of parsed.entryLines) linesByKey.set(key, [...(linesByKey.get(key) ?? []), line])
    const withLines = parsed.items.map((item) => ({item, line: linesByKey.get(item.id)?.shift()}))
    options.session?.parsedBibliographies.set(path, {identity, converted, parsed, withLines})
    return withLines
  }
  const text = source.text()
  let data: unknown
  try {
    data = format === 'json' ? JSON.parse(text) : readYaml(text).data
  } catch (error) {
    const place = placeOfDataError(error, text)
    report(options.file, undefined, `Cannot parse ${path}: ${place.detail}. Fix the ${format === 'json' ? 'JSON' : 'YAML'} syntax there.`, 'bibliography-parse', 'error', {
      place: {line: place.line, column: place.column},
      sourceFile: path
    })
    return []
  }
  const {items, problems} = readCslItems(data, format === 'yaml' ? 'markdown' : 'markup', options.cache, DerivedCache.slot('csl-yaml', path), () => text)
  for (const problem of problems) {
    const rule = problem.itemIndex >= 0 ? 'unreadable-bibliography-entry' : 'bibliography-parse'
    report(options.file, undefined, `Cannot use ${path}: ${problem.reason}${problem.itemIndex >= 0 ? ', so it is left out' : ''}. A CSL ${format === 'json' ? 'JSON' : 'YAML'} bibliography is a list of references, each with an \`id\`.`, rule, undefined, {
      place: {line: 1, column: 1},
      sourceFile: path
    })
  }
  return items.map((item) => ({item, line: lineOfId(text, item.id)}))
}

/** The syntax errors and `crossref` problems of a parsed `.bib` file, at their lines. */
function reportBibtexProblems(parsed: ParsedBibtex, path: string, options: LoadBibliographyOptions): void {
  const howToFix = 'often a missing comma between fields or an unbalanced brace or quote'
  for (const error of parsed.errors) {
    const place = {place: {line: error.line, column: error.column}, sourceFile: path}
    if (error.key !== undefined && !options.citedKeys?.has(error.key)) {
      report(options.file, undefined, `Entry '${error.key}' in ${path} cannot be parsed: ${error.detail} at line ${error.line}, column ${error.column}. It is left out of the bibliography${options.citedKeys ? ' (nothing cites it)' : ''}; fix the entry there (${howToFix}) or remove it.`, 'unreadable-bibliography-entry', 'warning', place)
    } else {
      const cited = error.key !== undefined ? ` Entry '${error.key}' is cited, so it must be fixed.` : ''
      report(options.file, undefined, `Cannot parse ${path}: ${error.detail} at line ${error.line}, column ${error.column}.${cited} Fix the entry there (${howToFix}); the other entries are still used.`, 'bibliography-parse', 'error', place)
    }
  }
  for (const problem of parsed.problems) {
    report(options.file, undefined, `${problem.message}.`, 'bibliography-crossref', 'error', {place: {line: problem.line, column: problem.column}, sourceFile: path})
  }
}

/**
 * CSL items from JSON/YAML data. Reading CSL YAML's Markdown costs a parse of every string, so its result is kept
 * in the cache (keyed by the text it came from), as parsed BibTeX is.
 */
function readCslItems(data: unknown, reading: CslTextReading, cache: DerivedCache | undefined, slot: string, source: () => string): ReturnType<typeof cslItemsFromData> {
  if (reading !== 'markdown' || !cache) return cslItemsFromData(data, reading)
  const key = cache.hash(source())
  const kept = cache.read<ReturnType<typeof cslItemsFromData>>(slot, key)
  if (kept) return kept
  const read = cslItemsFromData(data, reading)
  cache.write(slot, key, read)
  return read
}

export type BibliographyFormat = 'bibtex' | 'json' | 'yaml'

export function formatOf(path: string): BibliographyFormat {
  const extension = path.toLowerCase().split('.').pop()
  if (extension === 'json') return 'json'
  if (extension === 'yaml' || extension === 'yml') return 'yaml'
  return 'bibtex'
}

function placeOfDataError(error: unknown, text: string): {line: number; column: number; detail: string} {
  if (error instanceof YamlExpansionError) return {line: error.place.line + 1, column: error.place.column, detail: error.message}
  if (error instanceof YAMLException) {
    return {line: (error.mark?.line ?? 0) + 1, column: (error.mark?.column ?? 0) + 1, detail: error.reason}
  }
  const message = error instanceof Error ? error.message : String(error)
  const lineColumn = /line (\d+) column (\d+)/.exec(message)
  if (lineColumn) return {line: Number(lineColumn[1]), column: Number(lineColumn[2]), detail: message.split('\n')[0]}
  const position = /at position (\d+)/.exec(message)
  if (position) {
    const lines = text.slice(0, Number(position[1])).split('\n')
    return {line: lines.length, column: lines[lines.length - 1].length + 1, detail: message.split('\n')[0]}
  }
  // Node 20's JSON.parse does not say where; JSON is YAML, and the YAML reader does (for most errors).
  try {
    readYaml(text)
  } catch (yamlError) {
    if (yamlError instanceof YAMLException) return {...placeOfDataError(yamlError, text), detail: message.split('\n')[0]}
  }
  return {line: 1, column: 1, detail: message.split('\n')[0]}
}

/** The line of an item's `id` in a JSON or YAML file, for messages; `undefined` if it is not found as written. */
function lineOfId(text: string, id: string): number | undefined {
  // A YAML id is Markdown: `timmory\_\_justice` is written with backslashes before the characters it escapes.
  const escaped = [...id].map((char) => `\\\\?${char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).join('')
  const match = new RegExp(`["']?id["']?\\s*:\\s*["']?${escaped}["']?\\s*[,}\\n]`).exec(text)
  return match ? text.slice(0, match.index).split('\n').length : undefined
}
