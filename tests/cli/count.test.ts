/**
 * `manuscript count` and `word-limit`: words as a journal counts them, each part apart, notes in the section that
 * calls them, citations as printed.
 */
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {projectFromFiles, removeProject, runCli} from '../support/project.ts'

const manuscript = `---
title: A title of many words here
abstract: Three abstract words.
---

Opening words before any heading.

# First part

Two cites [@doe2020] and a note.[^n]

[^n]: The note has five words.

| A   | B   |
|-----|-----|
| one | two |

: Caption of the table {#tbl:t}

# Second part

See @tbl:t and $x + y$, done.
`

const bibliography = `@book{doe2020,
  author = {Doe, Jane},
  title = {Gardens},
  year = {2020},
  publisher = {Press}
}
`

/** By hand, as Word would count the page (a word is a run of non-space characters). */
const expected = {
  // "Opening words before any heading." 5; "First part" 2 + "Two cites (Doe 2020) and a note." 7 + the note 5;
  // "Second part" 2 + "See Table 1 and <equation>, done." 6.
  body: 27,
  notes: 5,
  abstract: 3,
  // "Table 1: Caption of the table"
  captions: 6,
  // "A B one two"
  tables: 4,
  // "References" + "Doe, Jane. 2020. Gardens. Press."
  references: 6
}

let project: string
beforeAll(() => {
  project = projectFromFiles({'manuscript/manuscript.md': manuscript, 'manuscript/references.bib': bibliography, 'manuscript.yaml': 'word-limit: 20\n'}, 'count-')
})
afterAll(() => removeProject(project))

describe('manuscript count', () => {
  it('gives each part, the total, and each top-level section with the notes it calls', () => {
    const run = runCli(['count', '--root', project, '--format', 'json'])
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    const count = JSON.parse(run.stdout) as {words: Record<string, number>; total: number; sections: {title: string; words: Record<string, number>}[]}
    expect(count.words).toEqual(expected)
    expect(count.total).toBe(27 + 3 + 6 + 4 + 6)
    expect(count.sections.map((section) => [section.title, section.words.body, section.words.notes])).toEqual([
      ['', 5, 0],
      ['First part', 14, 5],
      ['Second part', 8, 0],
      ['References', 0, 0]
    ])
  })

  it('prints a table of sections and parts', () => {
    const run = runCli(['count', '--root', project])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^First part\s+14\s+5\s+6\s+4\s+0$/m)
    expect(run.stdout).toMatch(/^Body \(text and notes\)\s+27$/m)
    expect(run.stdout).toMatch(/^Total\s+46$/m)
  })

  it('refuses an unknown format', () => {
    const run = runCli(['count', '--root', project, '--format', 'csv'])
    expect(run.status).toBe(2)
    expect(run.stderr + run.stdout).toContain('--format takes text or json')
  })
})

describe('word-limit', () => {
  it('makes check warn at the setting when the body is longer, with the excess', () => {
    const run = runCli(['check', '--root', project])
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/manuscript\.yaml:1:1\s+warning\s+The body has 27 words .*7 over the word limit of 20.*word-limit/)
  })

  it('is quiet when the body is within the limit', () => {
    const within = projectFromFiles({'manuscript/manuscript.md': manuscript, 'manuscript/references.bib': bibliography, 'manuscript.yaml': 'word-limit: 27\n'}, 'count-within-')
    try {
      const run = runCli(['check', '--root', within])
      expect(run.stdout).not.toContain('word limit')
    } finally {
      removeProject(within)
    }
  })
})
