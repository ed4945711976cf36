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
  /** pandoc's block, as compared. */
  expected: string
  why: string
}

const authorOnlyAlwaysFirst = 'citeproc-js renders an author-only citation in its "first" form every time (pandoc shortens later ones)'
const suppressAuthorInShortNote = 'with the author suppressed, pandoc also drops the title of a short note; citeproc-js keeps it'
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
    {expected: 'Doe[^4] says blah.', why: authorOnlyAlwaysFirst},
    {expected: 'Doe[^5] says blah.', why: authorOnlyAlwaysFirst},
    {expected: 'Doe[^6] says blah.', why: authorOnlyAlwaysFirst},
    {expected: '[^4]: 30.', why: suppressAuthorInShortNote},
    {expected: '[^5]: 30, with suffix.', why: suppressAuthorInShortNote}
  ],
  'pandoc-citeproc-locators-delimited.md': [
    {expected: '[^11]: Ibid-with-locator {, p. (p. is not recognised)}.', why: citeprocNumberParsing},
    {expected: '[^14]: Ibid-with-locator ss {IV div 4 s 128L(7)(a)(i)–(iv), 129(5), 130(b)}.', why: citeprocNumberRanges},
    {expected: '[^15]: Ibid-with-locator {no comma, no label, no nothing}.', why: citeprocNumberParsing},
    {expected: '[^18]: Ibid-with-locator {green}suffix}suffix.', why: citeprocSuffixSpace}
  ],
  'pandoc-citeproc-locators-integrated.md': [
    {expected: '[^12]: Ibid-with-locator {3(a), 4.4.8, [7.6], 7A(2)(a)(i)–(iv)}.', why: citeprocNumberRanges},
    {expected: '[^16]: Ibid-with-locator {[39–52]}, and suffix.', why: citeprocNumberRanges},
    {expected: '[^17]: Ibid-with-locator {[39]–[52]}, and suffix.', why: citeprocNumberRanges},
    {expected: '[^19]: Ibid-with-locator ss {123(4)–(6)}, and suffix.', why: citeprocNumberRanges}
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
      expect(differences.map((difference) => difference.expected)).toEqual(known.map((difference) => difference.expected))
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
