/**
 * pandoc's own citeproc test cases, run with the same CSL style and bibliography (read from ../shared), compared
 * block by block as plain text: paragraphs with their citations and note marks, the notes, the bibliography.
 *
 * Where we differ from pandoc the difference is listed, with why: the test fails on any other difference, and
 * also when a listed one goes away (so the list stays true).
 * @module-tag corpus
 */
import {describe, expect, it} from 'vitest'
import {blocksOfPandocOutput, compareBlocks, readPandocCase, runPandocCase} from './pandoc-cases.ts'

interface KnownDifference {
  /** The note mark that names pandoc's block (see noteMark): the block's text stays in ../shared. */
  block: string
  why: string
}

/** `[^4]:` for the text of note 4, `[^4]` for the paragraph that calls it; a block with no note mark is itself. */
function noteMark(block: string | undefined): string | undefined {
  return /\[\^\d+\]:?/.exec(block ?? '')?.[0] ?? block
}

const authorOnlyAlwaysFirst = 'citeproc-js renders an author-only citation in its "first" form every time (pandoc shortens later ones)'
const citeprocNumberParsing = 'citeproc-js reads labels ("p.", "no") inside a locator made of several parts'
const citeprocNumberRanges = 'citeproc-js sets a hyphen as an en dash only in numeric ranges, and its label is singular here'
const citeprocSuffixSpace = 'citeproc-js puts a space before a suffix that starts with a letter'

const cases: Record<string, KnownDifference[]> = {
  'pandoc-citeproc-chicago-author-date.md': [],
  'pandoc-citeproc-ieee.md': [],
  'pandoc-citeproc-no-author.md': [],
  'pandoc-citeproc-64.md': [],
  '6951.md': [],
  'author-in-text-move-note.md': [],
  'pandoc-citeproc-chicago-fullnote-bibliography.md': [
    {block: '[^4]', why: authorOnlyAlwaysFirst},
    {block: '[^5]', why: authorOnlyAlwaysFirst},
    {block: '[^6]', why: authorOnlyAlwaysFirst}
  ],
  'pandoc-citeproc-locators-delimited.md': [
    {block: '[^11]:', why: citeprocNumberParsing},
    {block: '[^14]:', why: citeprocNumberRanges},
    {block: '[^15]:', why: citeprocNumberParsing},
    {block: '[^18]:', why: citeprocSuffixSpace}
  ],
  'pandoc-citeproc-locators-integrated.md': [
    {block: '[^12]:', why: citeprocNumberRanges},
    {block: '[^16]:', why: citeprocNumberRanges},
    {block: '[^17]:', why: citeprocNumberRanges},
    {block: '[^19]:', why: citeprocNumberRanges}
  ]
}

describe('pandoc citeproc test cases', () => {
  for (const [name, known] of Object.entries(cases)) {
    it(`${name}: ${known.length === 0 ? 'matches pandoc exactly' : `matches pandoc but for ${known.length} known differences`}`, () => {
      const testCase = readPandocCase(name)
      const run = runPandocCase(testCase)
      const expected = blocksOfPandocOutput(testCase.expected)
      expect(run.blocks.length).toBeGreaterThan(0)
      const differences = compareBlocks(expected, run.blocks)
      expect(differences.map((difference) => noteMark(difference.expected))).toEqual(known.map((difference) => difference.block))
    })
  }

  it('reports the unknown key pandoc warns about, where it is written', () => {
    const run = runPandocCase(readPandocCase('pandoc-citeproc-chicago-author-date.md'))
    const unknown = run.file.messages.filter((message) => message.ruleId === 'unknown-citation-key')
    expect(unknown.map((message) => [message.line, message.column])).toEqual([
      [9, 2],
      [11, 1]
    ])
    expect(run.stats).toMatchObject({citations: 16, works: 3, unknownKeys: ['nonexistent'], bibliographyEntries: 3})
  })
})
