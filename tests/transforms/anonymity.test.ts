/**
 * The anonymous version (anonymity.ts), on documents analysed as a build analyses them: the acknowledgements go (by
 * class or by heading text), the authors' own works are masked and reported where they are cited, names in the text
 * are reported where they are.
 */
import {toString} from 'mdast-util-to-string'
import {afterEach, describe, expect, it} from 'vitest'
import {analyse, type Analysis} from '../../pipeline/analyse.ts'
import {anonymityTransform, omittedDetails, surnameOf} from '../../pipeline/transforms/anonymity.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const bib = `@article{doe2020, author = {Jane Q. Doe and Richard Roe}, title = {Gardens}, journal = {J}, year = {2020}}
@book{poe2001, author = {Poe, Edgar A.}, title = {Ravens}, publisher = {P}, year = {2001}}
@book{other2010, author = {Ann Other}, title = {Other Things}, publisher = {P}, year = {2010}}
`
const projects: string[] = []
afterEach(() => projects.splice(0).forEach(removeProject))

async function analysed(markdown: string): Promise<Analysis> {
  const root = projectFromFiles({'manuscript/manuscript.md': markdown, 'manuscript/refs.bib': bib}, 'anonymity-')
  projects.push(root)
  return analyse({root})
}

const front = `---
author:
- name: Jane Doe
  email: jane@example.org
- name: Edgar Allan Poe
bibliography: refs.bib
---
`

describe('anonymityTransform', () => {
  it('takes the family name from "Given Family", "Family, Given" and a name with a suffix', () => {
    expect(surnameOf('Judith G. Kelley')).toBe('kelley')
    expect(surnameOf('Kelley, Judith')).toBe('kelley')
    expect(surnameOf('Martin Luther King Jr.')).toBe('king')
    expect(surnameOf('Tim Büthe')).toBe(surnameOf('Tim Buthe'))
  })

  it('masks the works of the authors and reports each at its first citation, leaving other works as they are', async () => {
    const line = 'As [@other2010] and [@doe2020] show, and @poe2001 too [@doe2020].'
    const analysis = await analysed(`${front}\n${line}\n`)
    const result = anonymityTransform(analysis.tree, analysis.file, {authors: analysis.frontMatter.authors, items: analysis.bibliography.items})
    expect(result.masked).toEqual(['doe2020', 'poe2001'])
    const masked = result.items.find((item) => item.id === 'doe2020')!
    expect(masked).toEqual({id: 'doe2020', type: 'manuscript', author: [{literal: 'Author'}], issued: expect.anything(), title: omittedDetails})
    expect(result.items.find((item) => item.id === 'other2010')).toBe(analysis.bibliography.items.find((item) => item.id === 'other2010'))
    const warnings = analysis.file.messages.filter((message) => message.ruleId === 'self-citation')
    expect(warnings.map((message) => [message.line, message.column, message.reason.slice(0, message.reason.indexOf('.', message.reason.indexOf('manuscript')) + 1)])).toEqual([
      [9, line.indexOf('@doe2020') + 1, 'Self-citation: @doe2020 is a work of Jane Doe, an author of this manuscript.'],
      [9, line.indexOf('@poe2001') + 1, 'Self-citation: @poe2001 is a work of Edgar Allan Poe, an author of this manuscript.']
    ])
  })

  it('leaves out a section headed `.acknowledgements` or named in the config, up to the next heading of its level, keeping its notes', async () => {
    const markdown = `${front}\n# Results\n\nText.\n\n# Thanks {.acknowledgements}\n\nWe thank Ann.^[A note in the thanks.]\n\n## Funding\n\nMoney.\n\n# Appendix\n\nMore text.[^kept]\n\n[^kept]: A kept note.\n`
    const analysis = await analysed(markdown)
    const result = anonymityTransform(analysis.tree, analysis.file, {authors: analysis.frontMatter.authors, items: []})
    expect(result.removedSections).toBe(1)
    const text = toString(analysis.tree)
    expect(text).not.toMatch(/Thanks|We thank|Funding|Money/)
    expect(text).toMatch(/Results[\s\S]*Appendix[\s\S]*More text[\s\S]*A kept note/)
    const named = await analysed(`${front}\n# Dank\n\nWe thank Ann.\n\n# Appendix\n\nMore.\n`)
    anonymityTransform(named.tree, named.file, {authors: named.frontMatter.authors, items: [], acknowledgementsHeading: 'dank'})
    expect(toString(named.tree)).not.toContain('We thank')
    // By default its usual spellings.
    const usual = await analysed(`${front}\n# Acknowledgments\n\nWe thank Ann.\n`)
    anonymityTransform(usual.tree, usual.file, {authors: usual.frontMatter.authors, items: []})
    expect(toString(usual.tree)).not.toContain('We thank')
  })

  it('reports the text and the links that name an author, at the name', async () => {
    const line = 'As Doe argued, see [the code](https://github.com/janedoe/x); Doering agrees.'
    const analysis = await analysed(`${front}\n${line}\n`)
    anonymityTransform(analysis.tree, analysis.file, {authors: analysis.frontMatter.authors, items: []})
    const named = analysis.file.messages.filter((message) => message.ruleId === 'author-named')
    expect(named.map((message) => [message.line, message.column])).toEqual([
      [9, line.indexOf('Doe') + 1],
      [9, line.indexOf('[the code]') + 1]
    ])
    expect(named[1].reason).toContain('(in the address https://github.com/janedoe/x)')
  })
})
