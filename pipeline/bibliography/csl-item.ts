/**
 * CSL-JSON items: the one form every bibliography takes before citeproc-js formats it.
 * Items written by hand (a `.json`/`.yaml` file, or `references:` in the front matter) are normalised here the
 * way pandoc reads them: dates as `2012`, `2012-03-04`, `{year: 2012}` or EDTF ranges; names as objects, or
 * strings taken as written (literal names); a single name or value where CSL wants a list. Variable names are read
 * regardless of case (`doi` is `DOI`), as pandoc reads them. The strings of CSL YAML are Markdown (see
 * markdown-field.ts); those of CSL JSON are citeproc's own markup, read as they are.
 */
import {parse as parseDate} from '@citation-js/date'
import {readMarkdownFields, type MarkdownField} from './markdown-field.ts'

export interface CslName {
  family?: string
  given?: string
  literal?: string
  'non-dropping-particle'?: string
  'dropping-particle'?: string
  suffix?: string
}

export interface CslDate {
  'date-parts'?: (number | string)[][]
  raw?: string
  literal?: string
  circa?: boolean | string | number
  season?: string | number
}

export interface CslItem {
  id: string
  type: string
  [field: string]: unknown
}

const nameFields = new Set([
  'author', 'editor', 'translator', 'container-author', 'collection-editor', 'composer', 'director', 'editorial-director',
  'illustrator', 'interviewer', 'original-author', 'recipient', 'reviewed-author', 'chair', 'compiler', 'contributor',
  'curator', 'executive-producer', 'guest', 'host', 'narrator', 'organizer', 'performer', 'producer', 'script-writer',
  'series-creator'
])

const dateFields = new Set(['issued', 'accessed', 'submitted', 'event-date', 'original-date', 'available-date'])

/** Fields citeproc-js reads as numbers or strings; anything else non-string is left to citeproc. */
const passThroughFields = new Set(['id', 'type', 'custom', 'citation-key', 'language'])

/** Fields whose text is an identifier or a code, never formatted: Markdown in them is read for its plain text. */
const plainTextFields = new Set(['id', 'type', 'citation-key', 'language', 'URL', 'DOI', 'ISBN', 'ISSN', 'PMID', 'PMCID', 'call-number'])

/** The CSL variables spelt in capitals; every other variable name is lower case. */
const capitalVariables = new Set(['DOI', 'ISBN', 'ISSN', 'PMID', 'PMCID', 'URL'])

/** A variable name as CSL spells it, however it was written (`doi`, `Doi` → `DOI`; `Title` → `title`). */
function cslVariableName(name: string): string {
  const upper = name.toUpperCase()
  return capitalVariables.has(upper) ? upper : name.toLowerCase()
}

/**
 * How the strings of hand-written items are read: `markdown` for CSL YAML (pandoc reads every YAML string as
 * Markdown), `markup` for CSL JSON and for items made here (citeproc-js's markup, as they are).
 */
export type CslTextReading = 'markdown' | 'markup'

export type CslProblem = {itemIndex: number; reason: string}

/**
 * Turn parsed JSON/YAML data (a list of items, or `{references: [...]}` as pandoc writes it) into CSL items.
 * Returns the items and the problems found (an entry without `id`, a value of the wrong shape), so the
 * caller can report them at the right place.
 */
export function cslItemsFromData(data: unknown, reading: CslTextReading = 'markup'): {items: CslItem[]; problems: CslProblem[]} {
  const list = Array.isArray(data)
    ? data
    : data && typeof data === 'object' && Array.isArray((data as {references?: unknown}).references)
      ? (data as {references: unknown[]}).references
      : undefined
  const problems: CslProblem[] = []
  if (!list) {
    problems.push({itemIndex: -1, reason: 'expected a list of references (or a `references:` key holding one)'})
    return {items: [], problems}
  }
  const entries: Record<string, unknown>[] = []
  list.forEach((raw, itemIndex) => {
    if (!raw || typeof raw !== 'object' || Array.isArray(raw)) {
      problems.push({itemIndex, reason: `reference ${itemIndex + 1} is not a mapping of fields to values`})
      return
    }
    const entry = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([field, value]) => [cslVariableName(field), value]))
    const id = entry.id ?? entry['citation-key']
    if (typeof id !== 'string' && typeof id !== 'number') {
      problems.push({itemIndex, reason: `reference ${itemIndex + 1} has no \`id\``})
      return
    }
    entries.push({...entry, id: String(id)})
  })
  const items = (reading === 'markdown' ? readMarkdownEntries(entries) : entries).map(normalizeCslItem)
  return {items, problems}
}

/**
 * Items' strings read as pandoc reads CSL YAML: Markdown, as citeproc-js markup or (identifiers, name parts) plain
 * text. Every string of every item is read in one pass (see markdown-field.ts); dates are not Markdown.
 */
function readMarkdownEntries(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const fields: MarkdownField[] = []
  const assign: ((value: string) => void)[] = []
  /** A copy of `value` in which each string is read later: `set` puts its reading in place. */
  const copy = (value: unknown, plain: boolean, set: (value: unknown) => void): void => {
    if (typeof value === 'string') {
      fields.push({text: value, plain})
      assign.push(set)
      set(value)
    } else if (Array.isArray(value)) {
      const list: unknown[] = []
      value.forEach((part, index) => copy(part, plain, (read) => (list[index] = read)))
      set(list)
    } else if (value && typeof value === 'object' && !(value instanceof Date)) {
      const mapping: Record<string, unknown> = {}
      for (const [key, part] of Object.entries(value)) copy(part, plain, (read) => (mapping[key.toLowerCase()] = read))
      set(mapping)
    } else {
      set(value)
    }
  }
  const copies = entries.map((entry) => {
    const result: Record<string, unknown> = {}
    for (const [field, value] of Object.entries(entry)) {
      if (dateFields.has(field)) result[field] = value
      // Name parts are plain text: pandoc takes the text of their Markdown.
      else copy(value, nameFields.has(field) || plainTextFields.has(field), (read) => (result[field] = read))
    }
    return result
  })
  readMarkdownFields(fields).forEach((value, index) => assign[index](value))
  return copies
}

/** Normalise one hand-written item in place of pandoc's lenient reading; BibTeX items pass through it too. */
export function normalizeCslItem(entry: Record<string, unknown>): CslItem {
  const item: CslItem = {id: String(entry.id), type: typeof entry.type === 'string' && entry.type ? entry.type : 'document'}
  for (const [field, value] of Object.entries(entry)) {
    if (field === 'id' || field === 'type' || value === undefined || value === null || value === '') continue
    if (passThroughFields.has(field)) item[field] = value
    else if (nameFields.has(field)) item[field] = normalizeNames(value)
    else if (dateFields.has(field)) item[field] = normalizeDate(value)
    else if (Array.isArray(value)) item[field] = value.every((part) => typeof part === 'string' || typeof part === 'number') ? value.join('; ') : value
    else if (typeof value === 'number' || typeof value === 'boolean') item[field] = String(value)
    else item[field] = value
  }
  return item
}

function normalizeNames(value: unknown): CslName[] {
  const list = Array.isArray(value) ? value : [value]
  return list.flatMap((name): CslName[] => {
    // pandoc reads a name written as one string (`author: John Doe`) as a literal name.
    if (typeof name === 'string') return name.trim() ? [{literal: name.trim()}] : []
    if (name && typeof name === 'object') {
      const parts = name as Record<string, unknown>
      const result: Record<string, string> = {}
      for (const [key, part] of Object.entries(parts)) {
        // pandoc's YAML allows `given: [John, Paul]`.
        if (Array.isArray(part)) result[key] = part.join(' ')
        else if (part !== undefined && part !== null) result[key] = String(part)
      }
      return [result as CslName]
    }
    return []
  })
}

function normalizeDate(value: unknown): CslDate {
  return evenRange(readDate(value))
}

/**
 * citeproc-js stops the whole build ("element mismatch in date range input") on a range whose ends have different
 * precision (`2001-02-03/2001-04`): both ends keep the parts they share.
 */
function evenRange(date: CslDate): CslDate {
  const parts = date['date-parts']
  if (!Array.isArray(parts) || parts.length !== 2 || !Array.isArray(parts[0]) || !Array.isArray(parts[1]) || parts[0].length === parts[1].length) return date
  const length = Math.min(parts[0].length, parts[1].length)
  return {...date, 'date-parts': parts.map((end) => end.slice(0, length))}
}

function readDate(value: unknown): CslDate {
  if (value instanceof Date) return {'date-parts': [[value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()]]}
  if (typeof value === 'number') return {'date-parts': [[value]]}
  if (typeof value === 'string') return dateFromText(value)
  if (Array.isArray(value)) {
    // pandoc-citeproc wrote ranges as a list of two {year, month, day} mappings.
    const parts = value.map((part) => normalizeDate(part)['date-parts']?.[0]).filter((part) => part !== undefined)
    return parts.length > 0 ? {'date-parts': parts} : {literal: String(value)}
  }
  if (value && typeof value === 'object') {
    const date = value as Record<string, unknown>
    // pandoc reads a `literal` (or `raw`) date that is a date or a range `1996_2004` as that date, else as written.
    for (const key of ['literal', 'raw'] as const) {
      const text = date[key]
      const parts = typeof text === 'string' && !('date-parts' in date) ? underscoreRange(text) : undefined
      if (parts) {
        const {[key]: _written, ...rest} = date
        return {...rest, 'date-parts': parts} as CslDate
      }
    }
    if ('date-parts' in date || 'raw' in date || 'literal' in date) return date as CslDate
    if ('year' in date) {
      const parts = [date.year, date.month, date.day].filter((part) => part !== undefined && part !== null && part !== '')
      return {'date-parts': [parts.map((part) => (typeof part === 'number' ? part : Number.isNaN(Number(part)) ? String(part) : Number(part)))]}
    }
  }
  return {literal: String(value)}
}

/** `2012`, `2012-03-04`, EDTF `2001/2002` and `2012?` (uncertain), or any text citeproc-js can only print as written. */
function dateFromText(text: string): CslDate {
  const trimmed = text.trim()
  const range = underscoreRange(trimmed)
  if (range) return {'date-parts': range}
  const uncertain = /[?~]$/.test(trimmed)
  const core = trimmed.replace(/[?~]$/, '')
  const ends = core.split('/')
  if (ends.length === 2) {
    const parts = ends.map((end) => parseDate(end.trim())['date-parts']?.[0])
    if (parts[0] && parts[1]) return withCirca({'date-parts': [parts[0], parts[1]]}, uncertain)
  }
  const parsed = parseDate(core)
  if (parsed['date-parts']) return withCirca({'date-parts': parsed['date-parts']}, uncertain)
  return {literal: trimmed}
}

const numericDate = /^(\d{1,4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/

/** pandoc's older date form: `1996`, `1996-05`, `1996-05-02`, or two of them joined by `_` for a range. */
function underscoreRange(text: string): number[][] | undefined {
  const ends = text.trim().split('_')
  if (ends.length > 2) return undefined
  const parts = ends.map((end) => numericDate.exec(end.trim())?.slice(1).filter(Boolean).map(Number))
  return parts.every((part) => part !== undefined) ? (parts as number[][]) : undefined
}

function withCirca(date: CslDate, circa: boolean): CslDate {
  return circa ? {...date, circa: true} : date
}
