/**
 * The cross-reference settings: words and delimiters, with our defaults (full words, en-dash ranges), and the
 * pandoc-crossref front matter keys we honour. Front matter written for pandoc-crossref keeps working; keys we do
 * not implement are ignored.
 */
import type {VFile} from 'vfile'
import {report, type ReportOptions} from '../../diagnostics/report.ts'
import type {MetadataPlace} from '../front-matter.ts'

/** The word before one number, and before several. */
export type PrefixWords = [singular: string, plural: string]

export interface CrossrefOptions {
  /** Show section numbers (`1`, `1.1`) in headings. References to `sec:` labels get numbers either way, as in pandoc-crossref. */
  numberSections: boolean
  /** Number headings down to this level only; 0 or -1: all levels. */
  sectionsDepth: number
  /** Give every heading without an id the label `sec:<pandoc auto identifier>`. */
  autoSectionLabels: boolean
  /** Number every display equation, labelled or not (pandoc-crossref `autoEqnLabels`). */
  autoEqnLabels: boolean
  /** Link each number to its target. */
  linkReferences: boolean
  /** Put the word inside the link when a reference shows one number (`[Figure 1](#fig:a)`). */
  nameInLink: boolean
  /** Caption label words: `Figure 1:` / `Table 1:` / `Listing 1:`. */
  figureTitle: string
  tableTitle: string
  listingTitle: string
  /** Number figures, tables, equations and listings within chapters: `Figure 6.1`, counters starting again in each chapter. */
  chapters: boolean
  /** How many heading levels make the chapter part of a number (`2` gives `Figure 6.2.1`). */
  chaptersDepth: number
  /** Between the chapter part and the number. */
  chapDelim: string
  /** A `Listing: caption` (or `: caption`) paragraph beside a code block is its caption. */
  codeBlockCaptions: boolean
  /** Put a list of figures, tables, listings at the start of the document. */
  lof: boolean
  lot: boolean
  lol: boolean
  /** The headings of those lists (and of `\listoffigures` …). */
  lofTitle: string
  lotTitle: string
  lolTitle: string
  /** After the number in a caption label. */
  titleDelim: string
  figPrefix: PrefixWords
  tblPrefix: PrefixWords
  eqnPrefix: PrefixWords
  secPrefix: PrefixWords
  lstPrefix: PrefixWords
  /** Between the ends of three or more consecutive numbers: `Figures 1–3`. */
  rangeDelim: string
  /** Between two numbers: `Figures 1, 3`. */
  pairDelim: string
  /** Between numbers in a list of three or more, except the last two. */
  refDelim: string
  /** Before the last number of a list of three or more. */
  lastDelim: string
}

/**
 * Our defaults. They differ from pandoc-crossref's on purpose: full words (`Figure 1`, not `fig. 1`), and an en
 * dash in ranges. Equations read `Equation 1` (pandoc-crossref: `eq. 1`); the equation itself shows `(1)`.
 */
export const defaultCrossrefOptions: CrossrefOptions = {
  numberSections: false,
  sectionsDepth: 0,
  autoSectionLabels: false,
  autoEqnLabels: false,
  linkReferences: true,
  nameInLink: true,
  figureTitle: 'Figure',
  tableTitle: 'Table',
  listingTitle: 'Listing',
  chapters: false,
  chaptersDepth: 1,
  chapDelim: '.',
  codeBlockCaptions: false,
  lof: false,
  lot: false,
  lol: false,
  lofTitle: 'List of Figures',
  lotTitle: 'List of Tables',
  lolTitle: 'List of Listings',
  titleDelim: ':',
  figPrefix: ['Figure', 'Figures'],
  tblPrefix: ['Table', 'Tables'],
  eqnPrefix: ['Equation', 'Equations'],
  secPrefix: ['Section', 'Sections'],
  lstPrefix: ['Listing', 'Listings'],
  rangeDelim: '\u2013',
  pairDelim: ', ',
  refDelim: ', ',
  lastDelim: ', '
}

/** pandoc-crossref's own defaults, for documents that must read exactly as pandoc-crossref renders them. */
export const pandocCrossrefDefaults: Partial<CrossrefOptions> = {
  linkReferences: false,
  nameInLink: false,
  figPrefix: ['fig.', 'figs.'],
  tblPrefix: ['tbl.', 'tbls.'],
  eqnPrefix: ['eq.', 'eqns.'],
  secPrefix: ['sec.', 'secs.'],
  lstPrefix: ['lst.', 'lsts.'],
  rangeDelim: '-'
}

type Reader = (value: unknown) => unknown

const asBoolean: Reader = (value) =>
  typeof value === 'boolean' ? value : value === 'true' || value === 'True' ? true : value === 'false' || value === 'False' ? false : undefined
const asInteger: Reader = (value) => (typeof value === 'number' && Number.isInteger(value) ? value : undefined)
const asText: Reader = (value) => (typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : undefined)
// Delimiters keep their spaces: `pairDelim: " and "`.
const asDelimiter: Reader = (value) => (typeof value === 'string' ? value : undefined)
// pandoc-crossref's list titles are Markdown headings (`lofTitle: "## List of Figures"`): the heading's text.
const asTitle: Reader = (value) => (typeof value === 'string' ? value.trim().replace(/^#+[ \t]+/, '').trim() : undefined)
const asWords: Reader = (value) => {
  if (typeof value === 'string') return [value.trim(), value.trim()]
  if (Array.isArray(value) && value.length > 0 && value.length <= 2 && value.every((item) => typeof item === 'string')) {
    return [value[0].trim(), (value[1] ?? value[0]).trim()]
  }
  return undefined
}

const readers: Record<keyof CrossrefOptions, [Reader, string]> = {
  numberSections: [asBoolean, 'true or false'],
  sectionsDepth: [asInteger, 'a whole number'],
  autoSectionLabels: [asBoolean, 'true or false'],
  autoEqnLabels: [asBoolean, 'true or false'],
  linkReferences: [asBoolean, 'true or false'],
  nameInLink: [asBoolean, 'true or false'],
  figureTitle: [asText, 'text'],
  tableTitle: [asText, 'text'],
  listingTitle: [asText, 'text'],
  chapters: [asBoolean, 'true or false'],
  chaptersDepth: [asInteger, 'a whole number'],
  chapDelim: [asDelimiter, 'text'],
  codeBlockCaptions: [asBoolean, 'true or false'],
  lof: [asBoolean, 'true or false'],
  lot: [asBoolean, 'true or false'],
  lol: [asBoolean, 'true or false'],
  lofTitle: [asTitle, 'text'],
  lotTitle: [asTitle, 'text'],
  lolTitle: [asTitle, 'text'],
  titleDelim: [asDelimiter, 'text'],
  figPrefix: [asWords, 'a word, or a list of a singular and a plural word'],
  tblPrefix: [asWords, 'a word, or a list of a singular and a plural word'],
  eqnPrefix: [asWords, 'a word, or a list of a singular and a plural word'],
  secPrefix: [asWords, 'a word, or a list of a singular and a plural word'],
  lstPrefix: [asWords, 'a word, or a list of a singular and a plural word'],
  rangeDelim: [asDelimiter, 'text'],
  pairDelim: [asDelimiter, 'text'],
  refDelim: [asDelimiter, 'text'],
  lastDelim: [asDelimiter, 'text']
}

/** The front matter keys read as cross-reference settings. */
export const crossrefOptionKeys: readonly string[] = Object.keys(readers)

/** The settings a document's metadata makes. A wrong value is reported (rule `crossref-option`) at its key and ignored. */
export function crossrefOptionsFromMetadata(metadata: Record<string, unknown>, file?: VFile, places: Record<string, MetadataPlace> = {}): Partial<CrossrefOptions> {
  const at = (key: string): ReportOptions => {
    const place = places[key]
    return place ? {sourceFile: place.sourceFile, place: {line: place.line, column: place.column}} : {}
  }
  const options: Record<string, unknown> = {}
  for (const key of Object.keys(readers) as Array<keyof CrossrefOptions>) {
    if (!(key in metadata)) continue
    const [read, expected] = readers[key]
    const value = read(metadata[key])
    if (value === undefined) {
      if (file) report(file, undefined, `Front matter \`${key}\` must be ${expected}; the default is used. Correct the value or remove the key.`, 'crossref-option', 'warning', at(key))
      continue
    }
    options[key] = value
  }
  return options as Partial<CrossrefOptions>
}
