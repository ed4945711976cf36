/**
 * An anonymous version for blind review (`anonymous: true` in the config or the front matter, in a profile build such
 * as `--profile submission`): the authors, their affiliations and e-mails go from the title block and the document
 * information (the caller leaves them out of the metadata), the acknowledgements section goes, and the works the
 * authors cite of their own are masked as APA's guide for masked review has it: "Author (2016)" in the text, and
 * "Author. (2016). [Details omitted for anonymous review]" in the references, each reported where it is first cited.
 * Text that names an author (a sentence, a link to the author's page) is the author's to reword: it is reported, not
 * changed.
 */
import type {Heading, Nodes, Parent, Root, RootContent} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import type {CslItem} from '../bibliography/csl-item.ts'
import {report} from '../diagnostics/report.ts'
import type {Citation, Div, HeadingData} from '../syntax/types.ts'
import {SKIP, walk} from '../syntax/walk.ts'
import type {Author} from './front-matter.ts'

export interface AnonymityOptions {
  authors: Author[]
  /** The bibliography's items. */
  items: CslItem[]
  /** The heading text of the acknowledgements section (config `acknowledgements`); default: its usual spellings. */
  acknowledgementsHeading?: string
}

export interface AnonymityResult {
  /** The bibliography with the authors' own works masked. */
  items: CslItem[]
  /** Keys of the works masked. */
  masked: string[]
  /** Acknowledgements sections left out. */
  removedSections: number
}

const acknowledgementsClasses = new Set(['acknowledgements', 'acknowledgments'])
const usualHeadings = ['acknowledgements', 'acknowledgments', 'acknowledgement', 'acknowledgment']

/** What a masked work shows in place of its title. */
export const omittedDetails = '[Details omitted for anonymous review]'

export function anonymityTransform(tree: Root, file: VFile, options: AnonymityOptions): AnonymityResult {
  const headings = options.acknowledgementsHeading ? [fold(options.acknowledgementsHeading)] : usualHeadings
  const removedSections = removeAcknowledgements(tree, headings)
  const surnames = [...new Set(options.authors.map((author) => surnameOf(author.name)).filter((name) => name !== ''))]
  const own = new Map<string, string[]>()
  for (const item of options.items) {
    const shared = namesOf(item).filter((name) => surnames.includes(name))
    if (shared.length > 0) own.set(item.id, shared)
  }
  const reported = new Set<string>()
  walk(tree, 'citation', (node: Citation) => {
    for (const item of node.children) {
      const names = own.get(item.key)
      if (!names || reported.has(item.key)) continue
      reported.add(item.key)
      const authors = options.authors.filter((author) => names.includes(surnameOf(author.name))).map((author) => author.name.trim())
      report(file, item, `Self-citation: @${item.key} is a work of ${authors.join(' and ')}, an author of this manuscript. The anonymous version shows it as "Author" with its details left out of the references; if the journal asks you to cite your own work in the third person instead, set \`anonymous: false\` and check the wording.`, 'self-citation', 'warning', {place: item.keyPosition})
    }
  })
  reportNamesInText(tree, file, options.authors, surnames)
  const items = options.items.map((item) => (own.has(item.id) ? maskedItem(item) : item))
  return {items, masked: [...own.keys()].sort(), removedSections}
}

/** The family name: what is before a comma ("Kelley, Judith"), else the last word ("Judith G. Kelley"), folded. */
export function surnameOf(name: string): string {
  const trimmed = name.trim()
  if (trimmed.includes(',')) return fold(trimmed.slice(0, trimmed.indexOf(',')))
  const words = trimmed.split(/\s+/).filter((word) => !/^(jr|sr|ii|iii|iv)\.?$/i.test(word))
  return fold(words[words.length - 1] ?? '')
}

/** Lower case without accents, so "Büthe" and "Buthe" are one name. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().trim()
}

const personFields = ['author', 'editor', 'translator', 'container-author', 'collection-editor', 'contributor', 'compiler']

/** The family names of the people of a work. */
function namesOf(item: CslItem): string[] {
  const names: string[] = []
  for (const field of personFields) {
    const people = item[field]
    if (!Array.isArray(people)) continue
    for (const person of people as {family?: unknown; literal?: unknown}[]) {
      if (typeof person.family === 'string') names.push(fold(person.family))
      else if (typeof person.literal === 'string') names.push(surnameOf(person.literal))
    }
  }
  return names
}

/** The work as "Author (year)": its year kept (so that works of one year get a, b), everything that names it gone. */
function maskedItem(item: CslItem): CslItem {
  return {id: item.id, type: 'manuscript', author: [{literal: 'Author'}], ...(item.issued ? {issued: item.issued} : {}), title: omittedDetails}
}

/**
 * Leaves out each section whose heading has the class `.acknowledgements` or one of `headings` as its text (up to the
 * next heading of its level or above), and each `::: {.acknowledgements}` div.
 */
function removeAcknowledgements(tree: Root, headings: string[]): number {
  let removed = 0
  const visit = (parent: Parent) => {
    const kept: RootContent[] = []
    let droppingBelow: number | undefined
    for (const child of parent.children as RootContent[]) {
      if (child.type === 'heading' && droppingBelow !== undefined && child.depth <= droppingBelow) droppingBelow = undefined
      // Note and link definitions are not part of the section they are written in (notes are gathered at the end).
      if (droppingBelow !== undefined && child.type !== 'footnoteDefinition' && child.type !== 'definition') continue
      if (child.type === 'heading' && isAcknowledgementsHeading(child, headings)) {
        droppingBelow = child.depth
        removed++
        continue
      }
      if ((child.type as string) === 'div' && (child as unknown as Div).classes?.some((name) => acknowledgementsClasses.has(name.toLowerCase()))) {
        removed++
        continue
      }
      if ('children' in child) visit(child as Parent)
      kept.push(child)
    }
    parent.children = kept as Parent['children']
  }
  visit(tree)
  return removed
}

function isAcknowledgementsHeading(node: Heading, headings: string[]): boolean {
  const classes = ((node.data ?? {}) as HeadingData).classes ?? []
  return classes.some((name) => acknowledgementsClasses.has(name.toLowerCase())) || headings.includes(fold(toString(node)))
}

/** Text and link addresses that name an author (a surname as a word; in an address, anywhere: github.com/janedoe). */
function reportNamesInText(tree: Root, file: VFile, authors: Author[], surnames: string[]): void {
  if (surnames.length === 0) return
  const words = new RegExp(`(?<![\\p{L}\\p{N}])(${surnames.map(escape).join('|')})(?![\\p{L}\\p{N}])`, 'iu')
  const anywhere = new RegExp(surnames.map(escape).join('|'), 'i')
  const whose = (found: string) => authors.find((author) => surnameOf(author.name) === fold(found))?.name.trim() ?? found
  walk(tree, (node: Nodes | unknown) => {
    const each = node as Nodes
    // Citations are masked; their keys are not text.
    if (each.type === ('citation' as string) || each.type === ('crossReference' as string)) return SKIP
    let found: RegExpExecArray | null = null
    if (each.type === 'link') found = anywhere.exec(fold(each.url))
    else if (each.type === 'text') found = words.exec(fold(each.value))
    if (!found) return undefined
    report(file, each, `The text names ${whose(found[0])}, an author of this manuscript${each.type === 'link' ? ` (in the address ${each.url})` : ''}; the anonymous version keeps it as written. Reword it or leave it out for the anonymous review.`, 'author-named', 'warning', {place: placeIn(each, found.index)})
    return each.type === 'link' ? SKIP : undefined
  })
}

/** Where the name is, when the text is as written (one line, no escapes); else where the text starts. */
function placeIn(node: Nodes, index: number): Point | undefined {
  const start = node.position?.start
  const end = node.position?.end
  if (node.type !== 'text' || !start || !end || start.offset === undefined || end.offset === undefined) return start
  if (end.offset - start.offset !== node.value.length || node.value.slice(0, index).includes('\n')) return start
  return {line: start.line, column: start.column + index, offset: start.offset + index}
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
