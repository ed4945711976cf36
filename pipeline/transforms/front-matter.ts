/**
 * The entry file's YAML front matter (pandoc's metadata block) read into typed metadata. YAML errors are
 * reported at their real line in the manuscript file; unknown keys are kept (pandoc templates use free keys).
 */
import type {Root, Yaml} from 'mdast'
import {load as loadYaml, YAMLException} from 'js-yaml'
import {decodeString} from 'micromark-util-decode-string'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'

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
}

export function frontMatterTransform(tree: Root, file: VFile): FrontMatter {
  const empty: FrontMatter = {authors: [], keywords: [], bibliography: [], nocite: [], raw: {}}
  const first = tree.children[0]
  if (first?.type !== 'yaml') {
    checkUnclosed(tree, file)
    return empty
  }
  tree.children.shift()
  const data = parseYaml(first, file)
  if (!data) return empty
  return readFrontMatter(data, first, file)
}

function parseYaml(node: Yaml, file: VFile): Record<string, unknown> | undefined {
  try {
    const data = loadYaml(node.value)
    if (data === undefined || data === null) return {}
    if (typeof data === 'object' && !Array.isArray(data)) return data as Record<string, unknown>
    report(file, node, 'The front matter must be a YAML mapping of keys to values (like `title: My paper`).', 'front-matter', 'error')
  } catch (error) {
    const exception = error as YAMLException
    // The YAML text starts on the line after the opening `---`.
    const line = (node.position?.start.line ?? 1) + 1 + (exception.mark?.line ?? 0)
    const column = (exception.mark?.column ?? 0) + 1
    report(file, node, `The front matter is not valid YAML: ${exception.reason}. Fix the YAML syntax on this line (quote values that contain \`: \` or start with special characters).`, 'front-matter', 'error', {
      place: {line, column}
    })
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

function readFrontMatter(data: Record<string, unknown>, node: Yaml, file: VFile): FrontMatter {
  const text = (key: string): string | undefined => {
    const value = data[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string' || typeof value === 'number' || value instanceof Date) return plain(value)
    report(file, node, `Front matter key \`${key}\` must be text; found ${Array.isArray(value) ? 'a list' : typeof value}.`, 'front-matter', 'warning', {
      place: keyPlace(node, key)
    })
    return undefined
  }
  const list = (key: string): string[] => {
    const value = data[key]
    if (value === undefined || value === null) return []
    if (Array.isArray(value)) return value.map((item) => plain(item as string))
    if (typeof value === 'string') return value.split(/\s*[,;]\s*/).filter(Boolean).map(plain)
    return []
  }
  const paper = text('papersize')?.toLowerCase()
  return {
    title: text('title'),
    shortTitle: text('short-title') ?? text('shorttitle') ?? text('running-head'),
    authors: readAuthors(data.author ?? data.authors),
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
    raw: data
  }
}

function readAuthors(value: unknown): Author[] {
  if (value === undefined || value === null) return []
  const entries = Array.isArray(value) ? value : [value]
  return entries.flatMap((entry): Author[] => {
    if (typeof entry === 'string') return [{name: plain(entry)}]
    if (entry && typeof entry === 'object') {
      const record = entry as Record<string, unknown>
      const affiliation = record.affiliation ?? record.institute
      return [
        {
          name: plain(String(record.name ?? '')),
          affiliation: affiliation === undefined ? undefined : plain(Array.isArray(affiliation) ? affiliation.join('; ') : String(affiliation)),
          email: record.email === undefined ? undefined : plain(String(record.email))
        }
      ]
    }
    return []
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
