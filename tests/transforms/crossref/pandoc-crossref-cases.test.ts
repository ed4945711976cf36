/**
 * pandoc-crossref's own test cases (test/m2m/<case>/{input.md,expect.md}) and its demo, run through our parser and
 * transforms with pandoc-crossref's words (`fig.`, `eqns.`, `-` ranges), so that every reference must read exactly
 * as in expect.md, in order; and every numbered object must carry the number expect.md gives it.
 *
 * Cases left out, and why:
 * - chapters / custom numbering: numberOverride, setLabelAttribute (chapters: true), label-precedence, secLabels,
 *   secLevelLabels, emptyChapterLabels (custom `label=` / label styles), section-template (heading template);
 * - custom templates: eqnBlockTemplate, eqnDisplayTemplate, eqnInlineTemplate, eqnInlineTableTemplate;
 * - lists of figures/tables/listings: listOfHidden, listOfLinked, listOfOrdering, listOfTemplates*, refsInListOf,
 *   loxItemTitle, standalone-listOfMetadata;
 * - listings: listing-captions-ids, listings-code-block-caption-278 (the `.listing` div form is not read);
 * - subfigures: subfigures* and preserveAltText (a subfigure reads `2a`, pandoc-crossref's template `2 (a)`), and
 *   divTable (a table in a `tbl:` div is not read).
 * In refsInObjects and the demo, references to listings, subfigures and custom-labelled sections are skipped.
 * @module-tag corpus
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Link, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Node} from 'unist'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, test} from 'vitest'
import type {CrossReference, Figure, HeadingData, MathData} from '../../../pipeline/syntax/types.ts'
import {pandocCrossrefDefaults} from '../../../pipeline/transforms/crossref.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'
import {runPipeline} from './run-pipeline.ts'
import {corpus} from '../../support/project.ts'

const crossrefRoot = path.join(corpus, 'peers/pandoc-crossref')

interface CaseSpec {
  name: string
  input: string
  expect: string
  /** Labels whose objects or references we do not support (listings, subfigures, custom labels). */
  skipLabels?: RegExp
  /** pandoc-crossref's `chapDelim` between section number parts. */
  sectionDelimiter?: string
  /** The case has no references at all. */
  noReferences?: boolean
  /** A known defect of another stage that makes some of this case's checks fail until it is fixed. */
  blockedBy?: {defect: string; checks: Check[]}
}

type Check = 'numbers' | 'references' | 'links' | 'unresolved'

const m2m = (name: string, extra: Partial<CaseSpec> = {}): CaseSpec => ({
  name,
  input: `test/m2m/${name}/input.md`,
  expect: `test/m2m/${name}/expect.md`,
  ...extra
})

const cases: CaseSpec[] = [
  m2m('equations'),
  m2m('equations-auto'),
  m2m('equations-tables'),
  m2m('equations-tables-auto'),
  m2m('equationNumberLaTeX'),
  m2m('links'),
  m2m('links-names'),
  m2m('delim'),
  m2m('multiple-eqn-same-para'),
  m2m('altAttribute', {noReferences: true}),
  m2m('titlesInRefs'),
  m2m('chapDelim', {sectionDelimiter: 'delim', noReferences: true}),
  m2m('refsInObjects', {skipLabels: /^(lst:|fig:subfig)/}),
  {name: 'demo', input: 'docs/demo/demo.md', expect: 'docs/demo/output.md', skipLabels: /^(lst:|fig:subfig|sec:custlabs$)/}
]

// ------------------------------------------------------------------------------------------------------------
// What we produce

interface Numbered {
  number: string
  label?: string
}

interface Ours {
  figures: Numbered[]
  tables: Numbered[]
  equations: Numbered[]
  sections: Numbered[]
  references: Array<{text: string; links: Array<[string, string]>; unknown: number}>
  /** Every label in the document, numbered or not. */
  labels: Set<string>
}

function normalise(value: string): string {
  return value.replace(/\u00A0/g, ' ').replace(/\s+/g, ' ').trim()
}

function ours(tree: Root, skip: RegExp | undefined): Ours {
  const skipped = (label: string | undefined) => Boolean(label && skip?.test(label))
  const result: Ours = {figures: [], tables: [], equations: [], sections: [], references: [], labels: new Set()}
  walk(tree, (node: Node, _index, parent) => {
    const id = (node.data as {id?: string} | undefined)?.id ?? (node as {identifier?: string}).identifier
    if (id && node.type !== 'definition' && node.type !== 'footnoteDefinition') result.labels.add(id)
    if (node.type === 'figure') {
      const figure = node as Figure
      // Subfigures (`2a`) and listings are read from expect.md by no rule here: their references are skipped too.
      if (figure.number === undefined || skipped(figure.identifier) || parent?.type === 'figure' || figure.kind === 'listing') return
      ;(figure.kind === 'table' ? result.tables : result.figures).push({number: figure.number, label: figure.identifier})
    } else if (node.type === 'inlineMath' || node.type === 'math') {
      const data = node.data as MathData | undefined
      if (data?.number !== undefined) result.equations.push({number: data.number, label: data.id})
    } else if (node.type === 'heading') {
      const data = node.data as HeadingData | undefined
      if (data?.number !== undefined) result.sections.push({number: data.number, label: data.id})
    } else if (node.type === 'crossReference') {
      const reference = node as CrossReference
      if (reference.items.some((item) => skipped(item.label))) return
      const links: Array<[string, string]> = []
      visit(reference as never, 'link', (link: Link) => {
        links.push([normalise(toString(link)), link.url])
      })
      let unknown = 0
      visit(reference as never, 'strong', () => {
        unknown++
      })
      result.references.push({text: normalise(toString(reference as never)), links, unknown})
    }
  })
  return result
}

// ------------------------------------------------------------------------------------------------------------
// What pandoc-crossref produced (read from expect.md)

interface Expected {
  /** The document as one line: links reduced to their text, `**` and escapes dropped. */
  text: string
  links: Array<[string, string]>
  figures: Numbered[]
  tables: string[]
  equations: Numbered[]
  sections: Numbered[]
  unknown: number
}

function expected(markdown: string, spec: CaseSpec, numberSections: boolean): Expected {
  const raw = normalise(markdown)
  const flat = normalise(markdown.replace(/\\([#[\]^*$])/g, '$1'))
  const links: Array<[string, string]> = []
  for (const match of flat.matchAll(/(?<!!)\[([^\]]*)\]\(#((?:fig|tbl|eq|sec):[^)\s]+)\)/g)) {
    if (!spec.skipLabels?.test(match[2])) links.push([match[1], `#${match[2]}`])
  }
  const text = flat.replace(/(?<!!)\[([^\]]*)\]\(#[^)\s]+\)/g, '$1').replace(/\*\*/g, '')

  const figures: Numbered[] = []
  for (const match of raw.matchAll(/!\[((?:\\.|[^\]\\])*?): (?:\\.|[^\]\\])*\]\([^)]*\)\{#(fig:[^\s}]+)/g)) {
    const number = match[1].split(' ').pop()!
    if (!spec.skipLabels?.test(match[2])) figures.push({number, label: match[2]})
  }
  const tables = [...flat.matchAll(/ : \*?Table (\S+?)\*?:/g)].map((match) => match[1])

  const equations: Numbered[] = []
  const equation = /(?:::: \{(?:#(eq:[^\s}]+))?\} [^$]*\$\$[^$]*\$\$ \| \$\$\((\S+?)\)\$\$)|(?:\$\$[^$]*?(?:\\qquad\{\((\S+?)\)\}|\\tag\{(\S+?)\})\$\$(?:\]\{#(eq:[^\s}]+)\})?)/g
  for (const match of raw.matchAll(equation)) {
    equations.push({number: match[2] ?? match[3] ?? match[4], label: match[1] ?? match[5]})
  }

  const sections: Numbered[] = []
  if (numberSections) {
    for (const line of markdown.split('\n')) {
      const heading = /^#{1,6} (\S+) .*?(?:\{#(sec:[^\s}]+)[^}]*\})?$/.exec(line)
      if (!heading) continue
      const number = spec.sectionDelimiter ? heading[1].split(spec.sectionDelimiter).join('.') : heading[1]
      sections.push({number, label: heading[2]})
    }
  }
  return {text, links, figures, tables, equations, sections, unknown: (flat.match(/¿/g) ?? []).length}
}

/** Where `needle` occurs in `text` at or after `from` as a whole reference (not `1` inside `10`). */
function findReference(text: string, needle: string, from: number): number {
  for (let at = text.indexOf(needle, from); at >= 0; at = text.indexOf(needle, at + 1)) {
    if (!/[\p{L}\p{N}]/u.test(text[at + needle.length] ?? '') && !/[\p{L}\p{N}]/u.test(text[at - 1] ?? '')) return at
  }
  return -1
}

describe.each(cases)('pandoc-crossref case $name', (spec) => {
  let mine: Ours
  let theirs: Expected
  beforeAll(() => {
    const input = readFileSync(path.join(crossrefRoot, spec.input), 'utf8')
    const expectMarkdown = readFileSync(path.join(crossrefRoot, spec.expect), 'utf8')
    const {tree} = runPipeline(input, `${spec.name}.md`, pandocCrossrefDefaults)
    const numberSections = /^numberSections:\s*(true|True)/m.test(input)
    mine = ours(tree, spec.skipLabels)
    theirs = expected(expectMarkdown, spec, numberSections)
  })
  // test.fails turns red as soon as the blocking defect is fixed, so the mark cannot outlive it.
  const check = (name: Check) => (spec.blockedBy?.checks.includes(name) ? test.fails : test)

  check('numbers')('numbers figures, tables, equations and sections as pandoc-crossref does', () => {
    expect(mine.figures).toEqual(theirs.figures)
    expect(mine.tables.map((table) => table.number)).toEqual(theirs.tables)
    expect(mine.equations).toEqual(theirs.equations)
    expect(mine.sections.map((section) => section.number)).toEqual(theirs.sections.map((section) => section.number))
    // Where pandoc-crossref wrote heading labels (autoSectionLabels), ours must be the same.
    if (theirs.sections.some((section) => section.label)) {
      expect(mine.sections.map((section) => section.label)).toEqual(theirs.sections.map((section) => section.label))
    }
  })

  check('references')('renders every reference as expect.md shows it, in order', () => {
    if (spec.noReferences) expect(mine.references).toEqual([])
    else expect(mine.references.length).toBeGreaterThan(0)
    let cursor = 0
    for (const reference of mine.references) {
      const found = findReference(theirs.text, reference.text, cursor)
      expect(found, `"${reference.text}" after …${theirs.text.slice(Math.max(0, cursor - 40), cursor)}`).toBeGreaterThanOrEqual(0)
      cursor = found + reference.text.length
    }
  })

  check('links')('links each number to its target as expect.md does (when it has links)', () => {
    if (theirs.links.length === 0) {
      // pandoc-crossref wrote no links (linkReferences off); ours must still point at labels that exist.
      const urls = mine.references.flatMap((reference) => reference.links.map(([, url]) => url.slice(1)))
      expect(urls.filter((label) => !mine.labels.has(label))).toEqual([])
      return
    }
    expect(mine.references.flatMap((reference) => reference.links)).toEqual(theirs.links)
  })

  check('unresolved')('shows as many unresolved references as pandoc-crossref', () => {
    expect(mine.references.reduce((sum, reference) => sum + reference.unknown, 0)).toBe(theirs.unknown)
  })
})
