/**
 * A book-length manuscript made at run time from real text in ../shared/corpus (never copied into the checkout):
 * the dissertation chapters and the two NGO manuscripts (with their earlier versions and supplements) from peers/,
 * and the trenches draft, each a part of its own that one entry joins with `!INCLUDE` (about 10× the trenches draft);
 * and a large shared bibliography made from the real `.bib` files of the corpus (about 5,000 entries, a quarter of
 * them chapters that take their book's fields by `crossref`), holding every key the book cites.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {corpus, trenches} from '../tests/support/project.ts'
import {addTrenchesTables} from '../tests/support/trenches-tables.ts'

const peers = path.join(corpus, 'peers')

/** The parts of the book, in order: file under peers/ (or the trenches draft) and the folder its includes resolve from. */
const parts = [
  'Dissertation/Writing/1_cs_regime_stability/cs_regime_stability.md',
  'Dissertation/Writing/4_gatekeeping/gatekeeping.md',
  'Dissertation/Writing/8_results_appendix/results_appendix.md',
  'donors-ngo-restrictions/HEAD/Writing/Manuscript/are_funders_really_responding.md',
  'donors-ngo-restrictions/HEAD/Writing/Manuscript/supplement.md',
  'donors-ngo-restrictions/at-0573137/Writing/Manuscript/are_funders_really_responding.md',
  'ngo-crackdowns-philanthropy/HEAD/manuscript/manuscript.md',
  'ngo-crackdowns-philanthropy/at-989a4b2/Manuscript/manuscript.md',
  'ngo-crackdowns-philanthropy/at-989a4b2/Manuscript/supplement.md',
  'ngo-crackdowns-philanthropy/at-989a4b2/text/experiment.md',
  'trenches'
]

const realBibliographies = [
  path.join(trenches, 'manuscript/references.bib'),
  path.join(peers, 'donors-ngo-restrictions/HEAD/Writing/bibliography.bib'),
  path.join(peers, 'donors-ngo-restrictions/at-0573137/Writing/bibliography.bib'),
  path.join(peers, 'ngo-crackdowns-philanthropy/HEAD/manuscript/bibliography.bib'),
  path.join(peers, 'ngo-crackdowns-philanthropy/at-989a4b2/Manuscript/bibliography.bib'),
  path.join(peers, 'scientific-articles-markdown/agile-markdown.bib')
]

/** A document's body: its YAML front matter (the first block, `---` … `---` or `...`) left out. */
function body(source: string): string {
  const match = /^---\r?\n[\s\S]*?\r?\n(?:---|\.\.\.)\r?\n/.exec(source)
  return match ? source.slice(match[0].length) : source
}

/**
 * Part `index`'s text, its labels (and references to them, and note names) made its own so that the parts build
 * together; `!INCLUDE` lines whose file the corpus lacks (the dissertation's generated tables) are left out.
 */
function partText(source: string, index: number, includeExists: (target: string) => boolean): string {
  return withFigures(body(source))
    .replace(/^!INCLUDE "([^"]+)"\s*$/gm, (line, target: string) => (includeExists(target) ? line : ''))
    .replace(/([#@])((?:fig|tbl|sec|eq):[\w-]+)/g, `$1$2-p${index}`)
    .replace(/\[\^([\w-]+)\]/g, `[^$1-p${index}]`)
}

/**
 * The corpus keeps none of the peers' figures (nor the dissertation's generated ones): each image shows one of the
 * trenches figures instead, so that the book builds (a missing figure is an error) with as many figures as written.
 */
function withFigures(text: string): string {
  return text.replace(/(!\[[^\]]*\]\()([^)\s]+)/g, (whole, opening: string, target: string) => (target.startsWith('figures/fig_') ? whole : `${opening}figures/fig_activities.png`))
}

/** Citation keys a text cites (`@key`, `[@key]`), cross-references left out. */
function citedKeys(text: string): Set<string> {
  const keys = new Set<string>()
  for (const [, key] of text.matchAll(/(?<![\w.])-?@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&+?<>~/-]*[\p{L}\p{N}_])/gu)) {
    if (!/^(fig|tbl|sec|eq):/.test(key)) keys.add(key)
  }
  return keys
}

/** The entries of a .bib file as text, with their type and key (macros, comments and preambles left out). */
function entriesOf(text: string): {type: string; key: string; text: string}[] {
  const entries: {type: string; key: string; text: string}[] = []
  for (const chunk of text.split(/^(?=@)/m)) {
    const header = /^@\s*([A-Za-z]+)\s*\{\s*([^,\s]+)\s*,/.exec(chunk)
    if (!header || /^(string|comment|preamble)$/i.test(header[1])) continue
    entries.push({type: header[1].toLowerCase(), key: header[2], text: chunk.trimEnd()})
  }
  return entries
}

function renamed(entry: {type: string; text: string}, key: string, type = entry.type, extraFields = ''): string {
  return entry.text.replace(/^@\s*[A-Za-z]+\s*\{\s*[^,\s]+\s*,/, `@${type}{${key},${extraFields}`)
}

/**
 * About `size` entries: every real entry once (the first of a key), then, for each key the book cites that no real
 * file holds, a real entry under that key; then variants of the real entries under new keys. Every fourth entry
 * made is a chapter (`@incollection`) whose `crossref` names a book made from another real entry.
 */
export function largeBibliography(cited: Set<string>, size = 5000): string {
  const real = new Map<string, {type: string; key: string; text: string}>()
  for (const file of realBibliographies) for (const entry of entriesOf(readFileSync(file, 'utf8'))) if (!real.has(entry.key)) real.set(entry.key, entry)
  const templates = [...real.values()]
  const out = templates.map((entry) => entry.text)
  let made = 0
  const make = (key: string) => {
    const template = templates[made % templates.length]
    if (made % 4 === 3) {
      const parent = `${key}-book`
      const book = templates[(made * 7 + 3) % templates.length]
      out.push(renamed(book, parent, 'book'))
      out.push(renamed(template, key, 'incollection', `\n  crossref = {${parent}},`))
    } else {
      out.push(renamed(template, key))
    }
    made++
  }
  for (const key of [...cited].sort()) if (!real.has(key)) make(key)
  for (let index = 0; out.length < size; index++) make(`${templates[index % templates.length].key}-v${index}`)
  return `${out.join('\n\n')}\n`
}

/** Turns `project`, a copy of the trenches project (its figures and data are the book's), into the book. */
export function writeBookProject(project: string): {entry: string; bibliography: string; cited: number; entries: number; kib: number} {
  mkdirSync(path.join(project, 'manuscript/parts'), {recursive: true})
  addTrenchesTables(project)
  const texts = parts.map((part, index) => {
    const file = part === 'trenches' ? path.join(trenches, 'manuscript/manuscript.md') : path.join(peers, part)
    const folder = path.dirname(file)
    // Includes resolve beside the part, then from the project root (the trenches tables are in tables/).
    const exists = (target: string) => {
      if (part === 'trenches') return true
      try {
        const text = readFileSync(path.join(folder, target), 'utf8')
        // The NGO manuscript's tables go where the part's includes find them.
        const copy = path.join(project, 'manuscript/parts', target)
        mkdirSync(path.dirname(copy), {recursive: true})
        writeFileSync(copy, withFigures(text))
        return true
      } catch {
        return false
      }
    }
    return partText(readFileSync(file, 'utf8'), index + 1, exists)
  })
  texts.forEach((text, index) => writeFileSync(path.join(project, `manuscript/parts/part-${String(index + 1).padStart(2, '0')}.md`), text))
  const cited = new Set(texts.flatMap((text) => [...citedKeys(text)]))
  const bibliography = largeBibliography(cited)
  writeFileSync(path.join(project, 'manuscript/shared.bib'), bibliography)
  const front = `---\ntitle: "A Book of Real Chapters"\nauthor: Benchmark\nbibliography: shared.bib\nreference-section-title: References\n...\n`
  const entry = front + texts.map((_, index) => `\n!INCLUDE "parts/part-${String(index + 1).padStart(2, '0')}.md"\n`).join('')
  writeFileSync(path.join(project, 'manuscript/manuscript.md'), entry)
  const kib = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1024
  return {entry: 'manuscript/manuscript.md', bibliography: 'manuscript/shared.bib', cited: cited.size, entries: entriesOf(bibliography).length, kib}
}

/**
 * The draft's front matter, then its body `times` times, each copy's labels made its own so that the document
 * builds: in the entry itself (`one-file`), or each copy in a file of its own that the entry includes (`included`),
 * as a long manuscript is often split.
 */
export function lengthen(project: string, times: number, layout: 'one-file' | 'included'): void {
  const entry = path.join(project, 'manuscript/manuscript.md')
  const source = readFileSync(entry, 'utf8')
  const end = source.indexOf('\n...\n') + '\n...\n'.length
  const body = source.slice(end)
  const copy = (index: number) =>
    index === 0
      ? body
      : body
          // The tables are included once; the copies' references to them are then warnings, not errors.
          .replace(/^!INCLUDE .*$/gm, '')
          .replace(/([#@])((?:fig|tbl|sec|eq):[\w-]+)/g, `$1$2-copy${index}`)
          .replace(/\[\^([\w-]+)\]/g, `[^$1-copy${index}]`)
  const copies = Array.from({length: times}, (_, index) => copy(index))
  if (layout === 'one-file') {
    writeFileSync(entry, source.slice(0, end) + copies.join('\n'))
    return
  }
  mkdirSync(path.join(project, 'manuscript/parts'))
  // The draft's paths (tables/, figures/) resolve from the project root in parts/ as in the entry.
  copies.forEach((text, index) => writeFileSync(path.join(project, `manuscript/parts/part-${index + 1}.md`), text))
  writeFileSync(entry, source.slice(0, end) + copies.map((_, index) => `\n!INCLUDE "parts/part-${index + 1}.md"\n`).join(''))
}
