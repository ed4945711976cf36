/**
 * The first user's draft (corpus trenches/): its five figures, its `[@fig:…]` references, and its misspelt
 * `[@tbl:us_opinions]` (the included table is labelled `tbl:us-opinions`).
 * The draft includes `tables/*.md`, which the build generates; two of them are in the corpus as published
 * (expected/tables/), and the test serves those at `tables/`.
 * @module-tag corpus
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Link} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {ProjectFiles, type Importer} from '../../../pipeline/graph/project-files.ts'
import type {CrossReference, Figure} from '../../../pipeline/syntax/types.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'
import {runPipeline} from './run-pipeline.ts'
import {trenches} from '../../support/project.ts'
import {captionOf} from '../../../pipeline/syntax/figure.ts'

const entry = 'manuscript/manuscript.md'

/** The project, with the published tables standing in for the generated `tables/` folder. */
class TrenchesFiles extends ProjectFiles {
  private served(file: string): string {
    const relative = this.relative(file)
    return relative.startsWith('tables/') ? `expected/${relative}` : relative
  }

  override isFile(file: string, importer: Importer): boolean {
    return super.isFile(this.served(file), importer)
  }

  override readBytes(file: string, importer: Importer): Buffer {
    return super.readBytes(this.served(file), importer)
  }
}

let source: string
let file: ReturnType<typeof runPipeline>['file']
const figures: Figure[] = []
const references: CrossReference[] = []

beforeAll(() => {
  source = readFileSync(path.join(trenches, entry), 'utf8')
  const run = runPipeline(source, entry, {}, new TrenchesFiles(trenches))
  file = run.file
  walk(run.tree, (node) => {
    if (node.type === 'figure') figures.push(node as Figure)
    if (node.type === 'crossReference') references.push(node as CrossReference)
  })
})
const shown = (node: unknown) => toString(node as never).replace(/\u00A0/g, ' ')

/** Line and column (1-based) of the first `needle` in the draft. */
function placeOf(needle: string): {line: number; column: number} {
  const offset = source.indexOf(needle)
  const before = source.slice(0, offset).split('\n')
  return {line: before.length, column: before[before.length - 1].length + 1}
}

describe('trenches draft: figures', () => {
  it('numbers the five figures 1–5 in document order', () => {
    const pictures = figures.filter((figure) => figure.kind === 'figure')
    const labelsInDraft = [...source.matchAll(/\{#(fig:[^}]+)\}/g)].map((match) => match[1])
    expect(labelsInDraft).toEqual(['fig:locations', 'fig:activities', 'fig:embassies', 'fig:avg_importance', 'fig:avg_positivity'])
    expect(pictures.map((figure) => [figure.identifier, figure.number])).toEqual(labelsInDraft.map((label, index) => [label, String(index + 1)]))
  })

  it('puts "Figure n:" in front of each caption', () => {
    const first = figures.find((figure) => figure.identifier === 'fig:locations')!
    expect(shown({type: 'paragraph', children: captionOf(first)!.children})).toBe('Figure 1: NGO headquarters and target countries, by region')
  })
})

describe('trenches draft: references', () => {
  it('renders [@fig:locations] as "Figure 1", linked to #fig:locations, where the draft writes it', () => {
    const reference = references.find((node) => node.items[0]?.label === 'fig:locations')!
    expect(shown(reference)).toBe('Figure 1')
    const links: Link[] = []
    visit(reference as never, 'link', (link: Link) => {
      links.push(link)
    })
    expect(links.map((link) => link.url)).toEqual(['#fig:locations'])
    expect(reference.position?.start).toMatchObject(placeOf('[@fig:locations]'))
  })

  it('renders every figure reference with the number of its figure', () => {
    const numbers = new Map(figures.map((figure) => [figure.identifier, figure.number]))
    const figureReferences = references.filter((node) => node.items.every((item) => item.label.startsWith('fig:')))
    expect(figureReferences.length).toBe([...source.matchAll(/@fig:/g)].length)
    for (const reference of figureReferences) {
      expect(shown(reference)).toBe(`Figure ${numbers.get(reference.items[0].label)}`)
    }
  })

  it('warns at @tbl:us_opinions and suggests the label the table has, tbl:us-opinions', () => {
    const table = figures.find((figure) => figure.kind === 'table' && figure.identifier === 'tbl:us-opinions')
    expect(table?.number).toBeDefined()
    const warnings = file.messages.filter((message) => message.ruleId === 'unresolved-reference' && message.reason.includes('us_opinions'))
    expect(warnings).toHaveLength(1)
    const [warning] = warnings
    expect(warning.reason).toBe('Unresolved reference @tbl:us_opinions: no tbl label by that name (did you mean tbl:us-opinions?)')
    expect(warning.fatal).toBe(false)
    expect(warning.file).toBe(entry)
    expect({line: warning.line, column: warning.column}).toEqual(placeOf('@tbl:us_opinions'))
    const reference = references.find((node) => node.items[0]?.label === 'tbl:us_opinions')!
    expect(shown(reference)).toBe('Table ¿tbl:us_opinions?')
  })
})
