/**
 * pandoc-crossref syntax end to end on a document of our own (fixtures/stations.md), through the build's stages up
 * to cross-references: labels on headings, images, display equations (one inside a table cell) and table captions
 * before and after their table; references narrative, bracketed, grouped, capitalised and without the word; words
 * from the front matter; an unnumbered section; and a misspelt label. Every number below is counted by hand.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Heading} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {describe, expect, it} from 'vitest'
import type {CrossReference, Figure, HeadingData, MathData} from '../../../pipeline/syntax/types.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'
import {runPipeline} from './run-pipeline.ts'
import {captionOf} from '../../../pipeline/syntax/figure.ts'

const source = readFileSync(path.join(import.meta.dirname, 'fixtures/stations.md'), 'utf8')
const {tree, file} = runPipeline(source, 'stations.md')

const headings: Heading[] = []
const figures: Figure[] = []
const equations: MathData[] = []
const references: CrossReference[] = []
walk(tree, (node) => {
  if (node.type === 'heading') headings.push(node as Heading)
  if (node.type === 'figure') figures.push(node as Figure)
  if (node.type === 'inlineMath' && (node.data as MathData | undefined)?.id) equations.push(node.data as MathData)
  if (node.type === 'crossReference') references.push(node as CrossReference)
})
const shown = (node: unknown): string => toString(node as never).replace(/\u00A0/g, ' ')

/** Line and column (1-based) of the first `needle` in the document. */
function placeOf(needle: string): {line: number; column: number} {
  const before = source.slice(0, source.indexOf(needle)).split('\n')
  return {line: before.length, column: before[before.length - 1].length + 1}
}

describe('pandoc-crossref syntax on a document of our own', () => {
  it('numbers sections (numberSections), leaving the unnumbered one without a number', () => {
    expect(headings.map((heading) => [(heading.data as HeadingData).id, (heading.data as HeadingData).number])).toEqual([
      ['sec:background', '1'],
      ['sec:stations', '1.1'],
      ['sec:readings', '2'],
      ['sec:appendix', undefined]
    ])
  })

  it('numbers figures and tables apart, a caption before its table or after it, and labels the captions', () => {
    expect(figures.map((figure) => [figure.kind, figure.identifier, figure.number, shown({type: 'paragraph', children: captionOf(figure)!.children})])).toEqual([
      ['figure', 'fig:north', '1', 'Figure 1: North station.'],
      ['figure', 'fig:south', '2', 'Figure 2: South station.'],
      // A reference inside a caption is resolved too.
      ['figure', 'fig:east', '3', 'Figure 3: East station, built after Figure 1.'],
      ['table', 'tbl:stations', '1', 'Table 1: Stations and their height.'],
      ['table', 'tbl:rain', '2', 'Table 2: Monthly rain, with the model of Eq. 3.']
    ])
  })

  it('numbers display equations in order, two in one paragraph and one in a table cell', () => {
    expect(equations.map((equation) => [equation.id, equation.number])).toEqual([
      ['eq:mean', '1'],
      ['eq:spread', '2'],
      ['eq:model', '3']
    ])
  })

  it('renders every reference as written, with the front matter’s words for equations', () => {
    expect(references.map((reference) => shown(reference))).toEqual([
      'Figures 1–3',
      'Figure 1',
      '2',
      'Figure 3',
      'Table 1',
      'Table 2',
      'Eq. 1',
      'Figure 1, Table 2',
      'Figures 1, 3',
      'Figure 1',
      'Section 1.1',
      'Eqs. 1, 2',
      'Appendix',
      'Eq. 3',
      'Table ¿tbl:rains?'
    ])
    expect(references[0].position?.start).toMatchObject(placeOf('[@fig:north; @fig:south; @fig:east]'))
  })

  it('warns once, at the misspelt label, and suggests the label that exists', () => {
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column, message.reason])).toEqual([
      ['unresolved-reference', placeOf('@tbl:rains').line, placeOf('@tbl:rains').column, 'Unresolved reference @tbl:rains: no tbl label by that name (did you mean tbl:rain?)']
    ])
  })
})
