/**
 * A watch session's rebuilds reuse what the last build made (files read, the parsed bibliography, the reports of
 * unused entries): after each edit an author makes, what they write must be byte for byte what a build
 * from scratch writes, numbering, notes, citations and the reference list included.
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const bib = (title: string) =>
  [
    `@book{alpha2001, author = {Alpha, Ann}, title = {${title}}, publisher = {Press}, year = 2001}`,
    '@article{beta2002, author = {Beta, Bo}, title = {Second Thoughts}, journal = {Journal of Tests}, year = 2002}',
    '@article{gamma2003, author = {Gamma, Gus}, title = {Third Ways}, journal = {Journal of Tests}, year = 2003}',
    ''
  ].join('\n\n')

const entry = `---
title: A Book of Parts
bibliography: refs.bib
number-sections: true
---

!INCLUDE "parts/one.md"

!INCLUDE "parts/two.md"

# References
`
const one = `# First part {#sec:one}

Opening words, as @alpha2001 says.[^one] See @sec:two and @fig:plot.

![A plot.](plot.png){#fig:plot}
`
const two = `# Second part {#sec:two}

Later words [@beta2002, 3].[^two] Back to @sec:one; $x^2$ once.

[^two]: The second note.
`

const projects: string[] = []
afterAll(() => projects.forEach(removeProject))

describe('a watch rebuild', () => {
  it('writes the same bytes as a build from scratch after each edit', async () => {
    const root = projectFromFiles({'manuscript/manuscript.md': entry, 'manuscript/parts/one.md': `${one}\n[^one]: The first note.\n`, 'manuscript/parts/two.md': two, 'manuscript/refs.bib': bib('First Steps')}, 'rebuild-bytes-')
    projects.push(root)
    writeFileSync(path.join(root, 'manuscript/parts/plot.png'), readFileSync(path.join(__dirname, '../render/pandoc-markdown/reference-images/map.png')))
    const session = new ProjectSession({keepsBuilds: true})
    const outputs = ['manuscript.html', 'manuscript.bib', 'manuscript.json']
    const read = () => outputs.map((name) => readFileSync(path.join(root, 'build', name), 'utf8'))
    const write = (name: string, text: string) => writeFileSync(path.join(root, 'manuscript', name), text)
    const expectSameAsFromScratch = async () => {
      const result = await build({root, to: ['html'], session})
      expect(result.messages.filter((message) => message.fatal).map(String)).toEqual([])
      expect(result.written).toBe(true)
      const watched = read()
      const fromScratch = await build({root, to: ['html']})
      expect(fromScratch.written).toBe(true)
      expect(watched).toEqual(read())
      // The same messages too (the unused entries' among them, which a rebuild may take from the last one).
      expect(result.messages.map((message) => `${message.file} ${String(message)} ${message.fatal}`)).toEqual(fromScratch.messages.map((message) => `${message.file} ${String(message)} ${message.fatal}`))
      return watched
    }

    const first = await expectSameAsFromScratch()
    // Nothing cites gamma2003 yet.
    expect((await build({root, to: ['html'], session})).messages.filter((message) => message.ruleId === 'unused-bibliography-entry').map((message) => message.reason)).toEqual([expect.stringContaining("'gamma2003' is never cited")])
    // A note before the other: the second part's note is renumbered.
    write('parts/one.md', `${one}Another sentence.[^new]\n\n[^new]: A new note.\n\n[^one]: The first note.\n`)
    const renumbered = await expectSameAsFromScratch()
    expect(renumbered[0]).not.toBe(first[0])
    expect(renumbered[0]).toContain('A new note.')
    // A heading in the first part: the second part's number and the references to it change.
    write('parts/one.md', `${one}\n# An inserted part\n\nInserted, citing @gamma2003.\n`)
    const inserted = await expectSameAsFromScratch()
    expect(inserted[0]).toContain('Gamma')
    expect(inserted[1]).toContain('gamma2003')
    // The bibliography rewritten at once with text of the same length: read again, never served from memory.
    write('refs.bib', bib('Firsx Steps'))
    const retitled = await expectSameAsFromScratch()
    expect(retitled[0]).toContain('Firsx')
    expect(retitled[1]).toContain('Firsx')
    // And back: the blocks of the first version are written again as they were.
    write('parts/one.md', `${one}\n[^one]: The first note.\n`)
    write('refs.bib', bib('First Steps'))
    expect(await expectSameAsFromScratch()).toEqual(first)
  }, 120_000)

  // A rebuild converts again only the blocks that changed (render/rendered-blocks.ts): every way a block's HTML can
  // change without the block changing must still change it, and printing (which hyphenates the page) must leave
  // nothing behind.
  it('writes the same page and the same page to print as a build from scratch, whatever changed around a block', async () => {
    const entryOf = (parts: string[], macro = 'x') => `---\ntitle: Blocks\nbibliography: refs.bib\n---\n\n\\newcommand{\\macro}{${macro}}\n\n${parts.map((part) => `!INCLUDE "parts/${part}.md"`).join('\n\n')}\n`
    const first = `# First {#sec:first}

A paragraph with a call.[^a] Hyphenation-worthy understandings, extraordinarily considerate.

Inline math $a^2 + \\macro$.

A [reference link][site] to a definition in another part.

Another paragraph, unchanged throughout, with an inline note.^[Written inline.]

[^a]: The first note, citing @alpha2001.
`
    const second = `# Second {#sec:second}

Later text with its own call.[^b] See @sec:first.

$$\\alpha + 1$$

[site]: https://example.org/one

[^b]: The second note.
`
    const repeated = 'A part included twice, with a call.[^c]\n\n[^c]: The note of the part included twice.\n'
    const root = projectFromFiles({'manuscript/manuscript.md': entryOf(['first', 'second']), 'manuscript/parts/first.md': first, 'manuscript/parts/second.md': second, 'manuscript/parts/repeated.md': repeated, 'manuscript/refs.bib': bib('First Steps')}, 'rebuild-blocks-')
    projects.push(root)
    const session = new ProjectSession({keepsBuilds: true})
    const write = (name: string, text: string) => writeFileSync(path.join(root, 'manuscript', name), text)
    const expectSameAsFromScratch = async () => {
      const watched = await build({root, to: ['html'], session, printPage: true})
      // As the watch session does once a rebuild is done: the page to print is made, and the next rebuild starts
      // from these copies.
      const watchedPage = await watched.document?.printHtml?.()
      session.parsing.prepareCopies()
      expect(watched.messages.filter((message) => message.fatal).map(String)).toEqual([])
      const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
      const fresh = await build({root, to: ['html'], printPage: true})
      expect(html).toBe(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8'))
      expect(watchedPage).toBe(await fresh.document?.printHtml?.())
      // The page to print is hyphenated; the page itself never is.
      expect(html).not.toContain('\u00ad')
      expect(watchedPage).toContain('\u00ad')
      return html
    }

    const initial = await expectSameAsFromScratch()
    // Again, nothing changed: the blocks kept from the last build (hyphenated for printing since) are written as they were.
    expect(await expectSameAsFromScratch()).toBe(initial)
    // A note before every other: the unchanged paragraphs' calls are renumbered.
    write('parts/first.md', first.replace('# First {#sec:first}\n', '# First {#sec:first}\n\nAn opening call.[^z]\n\n[^z]: A note before the others.\n'))
    expect(await expectSameAsFromScratch()).toContain('A note before the others.')
    // A link definition in another part changes: the unchanged paragraph that refers to it links elsewhere.
    write('parts/second.md', second.replace('https://example.org/one', 'https://example.org/two'))
    expect(await expectSameAsFromScratch()).toContain('https://example.org/two')
    // A macro the unchanged formulas use is defined otherwise: in the LaTeX before them, in a formula before them
    // (a formula defining a macro: the formulas after it are typeset again).
    write('manuscript.md', entryOf(['first', 'second'], 'y'))
    await expectSameAsFromScratch()
    write('parts/first.md', first.replace('$a^2', '$\\gdef\\alpha{b}a^2'))
    expect(await expectSameAsFromScratch()).not.toContain('<mi>α</mi>')
    write('parts/first.md', first.replace('$a^2', '$\\gdef\\alpha{c}a^2'))
    await expectSameAsFromScratch()
    // A part included twice: its blocks are at two places of the page, their calls numbered at each.
    write('manuscript.md', entryOf(['repeated', 'first', 'repeated', 'second'], 'y'))
    await expectSameAsFromScratch()
    write('manuscript.md', entryOf(['first', 'repeated', 'second', 'repeated'], 'y'))
    await expectSameAsFromScratch()
    // The cited work's title: the note citing it changes, the paragraph calling the note does not.
    write('refs.bib', bib('Second Steps'))
    expect(await expectSameAsFromScratch()).toContain('Second Steps')
    // Back to the start.
    write('manuscript.md', entryOf(['first', 'second']))
    write('parts/first.md', first)
    write('parts/second.md', second)
    write('refs.bib', bib('First Steps'))
    expect(await expectSameAsFromScratch()).toBe(initial)
  }, 120_000)
})
