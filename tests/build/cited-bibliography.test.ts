/**
 * What a build writes beside the HTML for a submission: `build/<name>.bib` with the cited (and `nocite`d) entries
 * alone, each as the author wrote it, and `build/<name>.json` as CSL JSON; and what it does with a broken entry,
 * cited or not.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {projectFromFiles, removeProject, runCli} from '../support/project.ts'

const projects: string[] = []
afterAll(() => projects.forEach(removeProject))

// Entries as an author writes them: a comment inside one, odd spacing, a macro, a chapter that inherits from its
// book (`crossref`), an entry that takes shared fields from an `xdata` entry, and one nobody cites.
const zoe = ['@article{zoe2020,', '  % checked against the journal site', '  author  = {Zoe, Zara},', '  title   = {Last {A}mong Equals},', '  journal = jot,', '  year    = 2020', '}'].join('\n')
const chapter = ['@incollection{chapter2001,', '  author = {Chapman, Cy},', '  title = {A Chapter},', '  pages = {1--10},', '  crossref = {book2000}', '}'].join('\n')
const book = ['@book{book2000,', '  editor = {Booker, Bea},', '  title = {The Book},', '  publisher = {Press},', '  year = 2000', '}'].join('\n')
const report = ['@report{abel2019,', '  author = {Abel, Ann},', '  title = {Shared Series},', '  xdata = {series}', '}'].join('\n')
const series = ['@xdata{series,', '  institution = {Institute},', '  year = 2019', '}'].join('\n')
const unused = ['@book{unused1999,', '  author = {Nobody, Ned},', '  title = {Never Cited},', '  year = 1999', '}'].join('\n')
const macro = '@string{jot = {Journal of Tests}}'
const bib = ['% My references', macro, '', zoe, '', unused, '', book, '', chapter, '', series, '', report, ''].join('\n')

async function buildProject(markdown: string, files: Record<string, string> = {}) {
  const root = projectFromFiles({'manuscript/manuscript.md': markdown, 'manuscript/refs.bib': bib, ...files}, 'cited-bib-')
  projects.push(root)
  const result = await build({root, to: ['html']})
  const read = (name: string) => readFileSync(path.join(root, 'build', name), 'utf8')
  return {root, result, read}
}

describe('the cited-only bibliography', () => {
  it('holds the cited entries as written, sorted by key, with the macros and crossref/xdata parents they need', async () => {
    const {result, read} = await buildProject('---\nbibliography: refs.bib\n---\n\nAs @zoe2020 and @chapter2001 show [see @abel2019, 3].\n')
    expect(result.written).toBe(true)
    expect(read('manuscript.bib')).toBe([macro, report, book, chapter, series, zoe].join('\n\n') + '\n')
    const json = JSON.parse(read('manuscript.json')) as {id: string; publisher?: string; 'container-title'?: string}[]
    expect(json.map((item) => item.id)).toEqual(['abel2019', 'chapter2001', 'zoe2020'])
    // The CSL items are the ones the citations were formatted from: macros expanded, the book's fields inherited.
    expect(json[1].publisher).toBe('Press')
    expect(json[2]['container-title']).toBe('Journal of Tests')
    const manifest = JSON.parse(read('manifest.json')) as {outputs: {path: string}[]}
    expect(manifest.outputs.map((output) => output.path)).toEqual(expect.arrayContaining(['build/manuscript.bib', 'build/manuscript.json']))
    expect(result.outputs).toEqual(['build/manuscript.html', 'build/manuscript.bib', 'build/manuscript.json'])
  })

  it('adds what `nocite` lists, every entry for `@*`, and is the same file build after build', async () => {
    const listed = await buildProject("---\nbibliography: refs.bib\nnocite: '@unused1999'\n---\n\nAs @zoe2020 shows.\n")
    expect(listed.read('manuscript.bib')).toBe([macro, unused, zoe].join('\n\n') + '\n')
    const all = await buildProject("---\nbibliography: refs.bib\nnocite: '@*'\n---\n\nNo citation.\n")
    const first = all.read('manuscript.bib')
    expect(first).toBe([macro, report, book, chapter, series, unused, zoe].join('\n\n') + '\n')
    await build({root: all.root, to: ['html']})
    expect(all.read('manuscript.bib')).toBe(first)
  })

  it('writes no .bib for references written in YAML, only the CSL JSON, and nothing when nothing is cited', async () => {
    const yaml = await buildProject('---\nreferences:\n- id: doe\n  type: book\n  title: A Book\n  author: [{family: Doe, given: Jane}]\n---\n\nAs @doe shows.\n')
    expect(yaml.result.outputs).toEqual(['build/manuscript.html', 'build/manuscript.json'])
    expect((JSON.parse(yaml.read('manuscript.json')) as {id: string}[]).map((item) => item.id)).toEqual(['doe'])
    const none = await buildProject('---\nbibliography: refs.bib\n---\n\nNo citation.\n')
    expect(none.result.outputs).toEqual(['build/manuscript.html'])
  })

  it('never replaces a .bib a person put in the output folder, and says so', async () => {
    const own = '@book{mine, title = {Mine}}\n'
    const {result, read} = await buildProject('---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows.\n', {'build/manuscript.bib': own})
    expect(read('manuscript.bib')).toBe(own)
    const conflicts = result.messages.filter((message) => message.ruleId === 'cited-bibliography-conflict')
    expect(conflicts.map((message) => [message.file, message.fatal])).toEqual([['build/manuscript.bib', false]])
    expect(result.outputs).toEqual(['build/manuscript.html', 'build/manuscript.json'])
  })

  it('replaces the one it wrote when the citations change, but not once a person edited it', async () => {
    const {root, read} = await buildProject('---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows.\n')
    const manuscript = path.join(root, 'manuscript/manuscript.md')
    writeFileSync(manuscript, '---\nbibliography: refs.bib\n---\n\nAs @book2000 shows.\n')
    await build({root, to: ['html']})
    expect(read('manuscript.bib')).toBe(book + '\n')
    writeFileSync(path.join(root, 'build/manuscript.bib'), `% edited\n${book}\n`)
    writeFileSync(manuscript, '---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows.\n')
    const again = await build({root, to: ['html']})
    expect(read('manuscript.bib')).toBe(`% edited\n${book}\n`)
    expect(again.messages.map((message) => message.ruleId)).toContain('cited-bibliography-conflict')
  })
})

describe('the cited-only bibliography in a watch session', () => {
  it('follows the citations, the .bib and the references written in YAML from build to build', async () => {
    const root = projectFromFiles({'manuscript/manuscript.md': '---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows.\n', 'manuscript/refs.bib': bib}, 'cited-bib-session-')
    projects.push(root)
    const session = new ProjectSession({keepsBuilds: true})
    const manuscript = path.join(root, 'manuscript/manuscript.md')
    const rebuilt = async () => {
      expect((await build({root, to: ['html'], session})).written).toBe(true)
      return {bib: readFileSync(path.join(root, 'build/manuscript.bib'), 'utf8'), json: JSON.parse(readFileSync(path.join(root, 'build/manuscript.json'), 'utf8')) as {id: string; title: string}[]}
    }
    expect((await rebuilt()).bib).toBe([macro, zoe].join('\n\n') + '\n')
    // A sentence added: the same file.
    writeFileSync(manuscript, '---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows. More.\n')
    expect((await rebuilt()).bib).toBe([macro, zoe].join('\n\n') + '\n')
    writeFileSync(manuscript, '---\nbibliography: refs.bib\n---\n\nAs @book2000 shows.\n')
    expect((await rebuilt()).bib).toBe(book + '\n')
    const retitled = book.replace('The Book', 'The Second Book')
    writeFileSync(path.join(root, 'manuscript/refs.bib'), bib.replace(book, retitled))
    const edited = await rebuilt()
    expect(edited.bib).toBe(retitled + '\n')
    expect(edited.json.map((item) => item.title)).toEqual(['The second book'])
    writeFileSync(manuscript, '---\nbibliography: refs.bib\nreferences:\n- id: yaml2021\n  type: book\n  title: From YAML\n---\n\nAs @book2000 and @yaml2021 show.\n')
    expect((await rebuilt()).json.map((item) => item.title)).toEqual(['The second book', 'From YAML'])
    writeFileSync(manuscript, '---\nbibliography: refs.bib\nreferences:\n- id: yaml2021\n  type: book\n  title: Still From YAML\n---\n\nAs @book2000 and @yaml2021 show.\n')
    expect((await rebuilt()).json.map((item) => item.title)).toEqual(['The second book', 'Still From YAML'])
  })
})

describe('the cited-only bibliography with the derived cache (the compiled CLI)', () => {
  it('follows the .bib files and what else the bibliography holds, not only the keys cited', () => {
    const root = projectFromFiles({'manuscript/manuscript.md': '---\nbibliography: [refs.bib]\n---\n\nAs @zoe2020 and @chapter2001 show.\n', 'manuscript/refs.bib': bib}, 'cited-bib-cache-')
    projects.push(root)
    const home = mkdtempSync(path.join(tmpdir(), 'cited-bib-home-'))
    const built = () => {
      const run = runCli(['build', '--root', root, '--to', 'html'], {env: {XDG_CACHE_HOME: home}})
      expect(run.status, run.stdout + run.stderr).toBe(0)
      return readFileSync(path.join(root, 'build/manuscript.bib'), 'utf8')
    }
    try {
      const first = [macro, book, chapter, zoe].join('\n\n') + '\n'
      expect(built()).toBe(first)
      // The second build takes the .bib text from the cache.
      expect(readdirSync(path.join(root, 'build/.cache')).filter((name) => name.startsWith('cited-bibtex-'))).toHaveLength(1)
      expect(built()).toBe(first)
      // The same keys cited, an entry edited (a comment added, the title changed): its new text, and the new title in
      // the references (the parse of the .bib is cached by the file's content too).
      const commented = zoe.replace('  year    = 2020', '  year    = 2020 % or 2021?').replace('Last {A}mong', 'First {A}mong')
      writeFileSync(path.join(root, 'manuscript/refs.bib'), bib.replace(zoe, commented))
      expect(built()).toBe([macro, book, chapter, commented].join('\n\n') + '\n')
      expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toContain('First Among Equals')
      // A CSL JSON file listed first now gives the chapter: its BibTeX text (and its parent) leave the .bib.
      writeFileSync(path.join(root, 'manuscript/more.json'), JSON.stringify([{id: 'chapter2001', type: 'chapter', title: 'A Chapter'}]))
      writeFileSync(path.join(root, 'manuscript/manuscript.md'), '---\nbibliography: [more.json, refs.bib]\n---\n\nAs @zoe2020 and @chapter2001 show.\n')
      expect(built()).toBe([macro, commented].join('\n\n') + '\n')
    } finally {
      rmSync(home, {recursive: true, force: true})
    }
  })
})

describe('a broken bibliography entry', () => {
  const broken = ['@book{broken2001,', '  title = {Two}', '  year = 2001', '}'].join('\n')

  it('stops the build, at the entry, when the manuscript cites it', async () => {
    const {result} = await buildProject('---\nbibliography: refs.bib\n---\n\nAs @broken2001 shows.\n', {'manuscript/refs.bib': `${bib}\n${broken}\n`})
    expect(result.written).toBe(false)
    const errors = result.messages.filter((message) => message.fatal)
    expect(errors.map((message) => [message.ruleId, message.file, message.line])).toEqual([['bibliography-parse', 'manuscript/refs.bib', bib.split('\n').length + 3]])
    expect(errors[0].reason).toContain("Entry 'broken2001' is cited, so it must be fixed.")
  })

  it('is a warning, and left out, when nothing cites it (nor `nocite`)', async () => {
    const {result, read} = await buildProject('---\nbibliography: refs.bib\n---\n\nAs @zoe2020 shows.\n', {'manuscript/refs.bib': `${bib}\n${broken}\n`})
    expect(result.written).toBe(true)
    expect(result.messages.filter((message) => message.ruleId === 'unreadable-bibliography-entry').map((message) => [message.fatal, message.line])).toEqual([[false, bib.split('\n').length + 3]])
    expect(read('manuscript.bib')).not.toContain('broken2001')
    const listed = await buildProject("---\nbibliography: refs.bib\nnocite: '@broken2001'\n---\n\nAs @zoe2020 shows.\n", {'manuscript/refs.bib': `${bib}\n${broken}\n`})
    expect(listed.result.written).toBe(false)
  })
})
