/**
 * The cited-only bibliography a journal asks for with a submission: the entries the manuscript cites (and those
 * `nocite` lists, `@*` for all), as `build/<name>.bib` in the author's own BibTeX text and `build/<name>.json` as
 * CSL JSON, each sorted by key.
 *
 * The `.bib` holds each entry's text exactly as written (from its `@` to its closing brace: fields, comments and
 * layout untouched), the entries that a kept entry names in `crossref` or `xdata` (so that it still inherits their
 * fields), and the `@string` macros the kept entries use, before them. It is written only when some kept entry
 * comes from a `.bib` file: entries from CSL JSON/YAML files or inline `references` are in the `.json` alone (it
 * always holds every kept entry).
 */
import type {CslItem} from './csl-item.ts'

/** One `@type{key, …}` entry of a `.bib` file, or an `@string` macro, as written. */
export interface BibtexSourceEntry {
  /** Lower case: `article`, `string`, … */
  type: string
  /** The entry's key; for `@string`, the macro's name. */
  key: string
  /** The entry's text from its `@` to its closing `}` or `)`. */
  text: string
}

/**
 * The entries and `@string` macros of a `.bib` file as written, in file order (`@comment` and `@preamble` left
 * out). An entry whose braces never close is left out: the bibliography reports it (see load.ts).
 */
export function bibtexSourceEntries(text: string): BibtexSourceEntry[] {
  const entries: BibtexSourceEntry[] = []
  const header = /@[ \t]*([A-Za-z]+)[ \t\r\n]*([{(])/g
  for (let match = header.exec(text); match; match = header.exec(text)) {
    const type = match[1].toLowerCase()
    const end = closingOf(text, match.index + match[0].length, match[2] === '{' ? '}' : ')')
    if (end === -1) continue
    header.lastIndex = end + 1
    if (type === 'comment' || type === 'preamble') continue
    const body = text.slice(match.index + match[0].length, end)
    const key = type === 'string' ? /^\s*([^\s=#{}"]+)\s*=/.exec(body)?.[1] : /^\s*([^,\s{}()]+)\s*,/.exec(body)?.[1]
    if (key) entries.push({type, key, text: text.slice(match.index, end + 1)})
  }
  return entries
}

/** Where the entry opened at `from` closes: the `closer` at brace depth 0 (BibTeX's quotes hold balanced braces). */
function closingOf(text: string, from: number, closer: '}' | ')'): number {
  // By character code: a 3 MB shared `.bib` is scanned whole.
  const closesWithParenthesis = closer === ')'
  let depth = 0
  for (let index = from; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code === 0x7b) depth++
    else if (code === 0x7d) {
      if (depth === 0) return closesWithParenthesis ? -1 : index
      depth--
    } else if (code === 0x29 && closesWithParenthesis && depth === 0) return index
  }
  return -1
}

/** The keys an entry's `crossref` and `xdata` fields name. */
function parentKeys(entry: BibtexSourceEntry): string[] {
  const keys: string[] = []
  for (const match of entry.text.matchAll(/[,{(]\s*(crossref|xdata)\s*=\s*(?:\{([^{}]*)\}|"([^"]*)"|([^\s,}#]+))/gi)) {
    const value = match[2] ?? match[3] ?? match[4] ?? ''
    keys.push(...(match[1].toLowerCase() === 'xdata' ? value.split(',') : [value]).map((key) => key.trim()).filter(Boolean))
  }
  return keys
}

/** Whether an entry uses the `@string` macro `name` (a bare word in a field's value, alone or joined with `#`). */
function usesMacro(entry: BibtexSourceEntry, name: string): boolean {
  const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return new RegExp(`[=#]\\s*${escaped}\\s*(?=[,#}\\)]|$)`, 'i').test(entry.text)
}

export interface CitedBibliography {
  /** The `.bib` text; undefined when no kept entry comes from a `.bib` file. */
  bibtex?: string
  /** The CSL JSON text (an array of items sorted by id). */
  cslJson: string
}

export interface CitedBibliographyOptions {
  /** The bibliography's items, in the order loaded (the first definition of a key is the one used). */
  items: CslItem[]
  /** The keys cited or listed in `nocite` (unknown keys are ignored). */
  cited: ReadonlySet<string>
  /** `nocite: '@*'`: every entry is kept. */
  everything: boolean
  /** Each `.bib` file, by the path the bibliography names it with, in the bibliography's order. */
  bibtexSources: BibtexSource[]
  /** The `.bib` file each item comes from (undefined for CSL JSON/YAML and inline references). */
  sourceOf: (id: string) => string | undefined
  /** The entries of the files split last time (a project session's): a watch rebuild splits the same `.bib` again. */
  memo?: BibtexSourcesMemo
  /**
   * Where the `.bib` text made last time is kept (the derived cache), by the keys kept. The caller's store answers
   * only for the same bibliography (its files' contents and inline references), which with the keys decides the text:
   * a build of an unchanged bibliography then reads no `.bib` file to write it.
   */
  store?: CitedBibtexStore
}

/** A `.bib` file: `identity` names its content (the hash of its bytes), `text` reads it. */
export interface BibtexSource {
  path: string
  identity: string
  text: () => string
}

export interface CitedBibtexStore {
  read(keys: string[]): {bibtex?: string} | undefined
  write(keys: string[], made: {bibtex?: string}): void
}

/** Each `.bib` file's last content (by identity) and its entries, by path. */
export type BibtexSourcesMemo = Map<string, {identity: string; split: SplitSource}>

/** A `.bib` text's entries: its `@string` macros in order, and the first entry of each key. */
interface SplitSource {
  macros: BibtexSourceEntry[]
  firstByKey: Map<string, BibtexSourceEntry>
}

/** The entries of a source, from the memo when its content is the one split last time. */
function splitSource(source: BibtexSource, memo: BibtexSourcesMemo | undefined): SplitSource {
  const kept = memo?.get(source.path)
  if (kept && kept.identity === source.identity) return kept.split
  const split: SplitSource = {macros: [], firstByKey: new Map()}
  for (const entry of bibtexSourceEntries(source.text())) {
    if (entry.type === 'string') split.macros.push(entry)
    else if (!split.firstByKey.has(entry.key)) split.firstByKey.set(entry.key, entry)
  }
  memo?.set(source.path, {identity: source.identity, split})
  return split
}

export function citedBibliography(options: CitedBibliographyOptions): CitedBibliography {
  const itemsById = new Map<string, CslItem>()
  for (const item of options.items) if (!itemsById.has(item.id)) itemsById.set(item.id, item)
  const kept = sortedKeys(options.everything ? itemsById.keys() : [...options.cited].filter((key) => itemsById.has(key)))
  const stored = options.store?.read(kept)
  const made = stored ?? {bibtex: citedBibtex(kept, options)}
  if (!stored) options.store?.write(kept, made)
  const items = kept.map((key) => itemsById.get(key)!)
  return {bibtex: made.bibtex, cslJson: `${JSON.stringify(items, null, 2)}\n`}
}

function sortedKeys(keys: Iterable<string>): string[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/** The `.bib` text of the kept entries (with their parents and the macros they use), if any comes from a `.bib`. */
function citedBibtex(kept: string[], options: CitedBibliographyOptions): string | undefined {
  const sources = options.bibtexSources.map((source) => ({path: source.path, split: splitSource(source, options.memo)}))
  const macros = sources.flatMap((source) => source.split.macros)
  // The first definition of a key is the one the bibliography uses (an `@xdata` entry is no item: its first), in the
  // file the bibliography took the key from. Looked up for the keys kept only (a shared `.bib` has thousands).
  const found = new Map<string, BibtexSourceEntry | undefined>()
  const entryOf = (key: string): BibtexSourceEntry | undefined => {
    if (found.has(key)) return found.get(key)
    const origin = options.sourceOf(key)
    const entry = sources.find((source) => (origin ?? source.path) === source.path && source.split.firstByKey.has(key))?.split.firstByKey.get(key)
    found.set(key, entry)
    return entry
  }
  // The parents a kept entry inherits fields from, at any depth (BibTeX text only: CSL items carry what they inherited).
  const bibtexKeys = new Set<string>()
  const queue = [...kept].filter((key) => entryOf(key) !== undefined)
  while (queue.length > 0) {
    const key = queue.pop()!
    if (bibtexKeys.has(key)) continue
    bibtexKeys.add(key)
    for (const parent of parentKeys(entryOf(key)!)) if (entryOf(parent) !== undefined && !bibtexKeys.has(parent)) queue.push(parent)
  }
  const entries = sortedKeys(bibtexKeys).map((key) => entryOf(key)!)
  if (entries.length === 0) return undefined
  const usedMacros = macros.filter((macro, index) => macros.findIndex((other) => other.key.toLowerCase() === macro.key.toLowerCase()) === index && entries.some((entry) => usesMacro(entry, macro.key)))
  return [...usedMacros, ...entries].map((entry) => entry.text).join('\n\n') + '\n'
}
