/**
 * The first real user's draft builds end to end through the CLI: every section, figures 1–5, all cited works,
 * every footnote, PDF metadata from the front matter.
 * @module-tag corpus
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {PDFDocument} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readNotePlacement} from '../support/pdf-notes.ts'
import {addTrenchesTables} from '../support/trenches-tables.ts'
import {copyProject, hasTool, removeProject, runCli, trenches, type CliRun} from '../support/project.ts'

let project: string
let run: CliRun
let html: string
let draft: string

beforeAll(() => {
  draft = readFileSync(path.join(trenches, 'manuscript/manuscript.md'), 'utf8')
  project = copyProject(trenches, 'trenches-')
  addTrenchesTables(project)
  run = runCli(['build', '--root', project, '--to', 'html,pdf'])
  html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
}, 180_000)

afterAll(() => removeProject(project))

describe('building the trenches draft', () => {
  it('succeeds with warnings only, printing stages, a summary and located warnings', () => {
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^parse\s+[\d.]+ m?s/m)
    expect(run.stdout).toMatch(/^pdf\s+/m)
    expect(run.stdout).toMatch(/\d+ pages, \d+ words, 5 figures, 8 tables, \d+ citations of 32 works/)
    // The draft refers to @tbl:us_opinions while the table is labelled tbl:us-opinions.
    expect(run.stdout).toMatch(/manuscript\/manuscript\.md:\d+:\d+\s+warning\s+.*tbl:us_opinions.*did you mean tbl:us-opinions/)
  })

  it('has every section of the draft', () => {
    const headings = [...draft.matchAll(/^#+ (.+)$/gm)].map((match) => match[1].trim())
    expect(headings.length).toBeGreaterThan(15)
    const text = html.replace(/<[^>]+>/g, '')
    for (const heading of headings) expect(text).toContain(heading.replace(/'/g, '’'))
  })

  it('numbers figures 1–5 in order and resolves [@fig:locations] to "Figure 1"', () => {
    const ids = [...html.matchAll(/<figure[^>]*id="(fig:[^"]+)"/g)].map((match) => match[1])
    expect(ids).toEqual(['fig:locations', 'fig:activities', 'fig:embassies', 'fig:avg_importance', 'fig:avg_positivity'])
    expect(html).toMatch(/<a href="#fig:locations">Figure\u00a01<\/a>/)
    expect(html).toMatch(/<figure[^>]*id="fig:avg_positivity"[\s\S]*?Figure\u00a05:/)
  })

  it('lists all 32 cited works with no BibTeX markup left', () => {
    const references = html.slice(html.indexOf('class="references'))
    const entries = references.match(/class="csl-entry"/g) ?? []
    expect(entries).toHaveLength(32)
    const text = references.replace(/<[^>]+>/g, '')
    expect(text).not.toMatch(/[{}\\]/)
    expect(text).toContain('Büthe')
    // pandoc's link-bibliography: a printed DOI is a link to itself, under one "References" heading.
    expect(references).toContain('<a href="https://doi.org/10.1515/9781400838790">https://doi.org/10.1515/9781400838790</a>')
    expect(html.match(/<h1[^>]*>References<\/h1>/g)).toHaveLength(1)
  })

  it('writes build/manuscript.bib with the 32 cited entries alone, each as written in references.bib, listed in the manifest', () => {
    const source = readFileSync(path.join(trenches, 'manuscript/references.bib'), 'utf8')
    const written = readFileSync(path.join(project, 'build/manuscript.bib'), 'utf8')
    const cited = [...html.matchAll(/<div class="csl-entry" id="ref-([^"]+)"/g)].map((match) => match[1]).sort()
    expect(cited).toHaveLength(32)
    // Each entry runs from its `@` to the line that closes it (`}` alone), as the author's file has them.
    const entries = written.split(/\n(?=@)/).map((entry) => entry.trim())
    expect(entries.map((entry) => /^@\w+\{\s*([^,\s]+)\s*,/.exec(entry)?.[1])).toEqual(cited)
    for (const entry of entries) expect(source).toContain(entry)
    const manifest = JSON.parse(readFileSync(path.join(project, 'build/manifest.json'), 'utf8')) as {outputs: {path: string}[]}
    expect(manifest.outputs.map((output) => output.path)).toEqual(expect.arrayContaining(['build/manuscript.bib', 'build/manuscript.json']))
    const json = JSON.parse(readFileSync(path.join(project, 'build/manuscript.json'), 'utf8')) as {id: string}[]
    expect(json.map((item) => item.id)).toEqual(cited)
  })

  it('keeps every footnote: 66 inline notes and the [^datasources] note', () => {
    const notes = html.match(/<li id="user-content-fn-[^"]+"/g) ?? html.match(/<li id="fn-[^"]+"/g) ?? []
    expect(notes).toHaveLength(67)
  })

  it('writes a PDF with the front matter as metadata', async () => {
    const pdf = await PDFDocument.load(readFileSync(path.join(project, 'build/manuscript.pdf')), {updateMetadata: false})
    expect(pdf.getTitle()).toBe('From the Trenches: A Global Survey of Anti-TIP NGOs and their Views of US Efforts')
    expect(pdf.getAuthor()).toContain('Andrew Heiss')
    expect(pdf.getAuthor()).toContain('Judith Kelley')
    expect(pdf.getPageCount()).toBeGreaterThan(10)
    if (hasTool('pdftotext')) {
      const text = spawnSync('pdftotext', ['-layout', path.join(project, 'build/manuscript.pdf'), '-'], {encoding: 'utf8'}).stdout
      expect(text).toContain('From the Trenches')
      expect(text).toContain('Figure 1')
    }
  })
  it.skipIf(!hasTool('pdftotext'))('prints each of the 67 notes at the foot of the page of its call, numbered as the call, with no endnotes', async () => {
    const placement = await readNotePlacement(path.join(project, 'build/manuscript.pdf'))
    const numbers = Array.from({length: 67}, (_, index) => index + 1)
    expect([...placement.calls.keys()].sort((a, b) => a - b)).toEqual(numbers)
    for (const number of numbers) expect({number, pages: placement.notes.get(number)}).toEqual({number, pages: [placement.calls.get(number)]})
    expect(placement.pages.flat()).not.toContain('Notes')
  })

  it('counts words (`manuscript count`) as a count of the built HTML’s text gives them, part by part', () => {
    const counted = runCli(['count', '--root', project, '--format', 'json'])
    expect(counted.status).toBe(0)
    const count = JSON.parse(counted.stdout) as {words: Record<string, number>; total: number; sections: {title: string}[]}
    // Derived here from the HTML text: cut out each part, drop tags (a block tag ends a word), split at spaces.
    let main = html.slice(html.indexOf('<main>'), html.indexOf('</main>'))
    expect(main).not.toContain('class="katex')
    const take = (pattern: RegExp): string => {
      const taken: string[] = []
      main = main.replace(pattern, (found) => {
        taken.push(found)
        return ' '
      })
      return taken.join(' ')
    }
    const wordsIn = (fragment: string): number =>
      fragment
        .replace(/<\/?(?:p|div|li|ol|ul|h\d|td|th|tr|thead|tbody|table|caption|figcaption|figure|section|blockquote|br|hr)\b[^>]*>/g, ' ')
        .replace(/<[^>]+>/g, '')
        .replace(/&nbsp;|&#xA0;|&#160;/g, ' ')
        .split(/\s+/)
        .filter(Boolean).length
    take(/<a [^>]*data-footnote-(?:ref|backref)[^>]*>[^<]*<\/a>/g)
    take(/<h1 class="footnotes-title[^>]*>[^<]*<\/h1>/g)
    const notes = take(/<section data-footnotes[\s\S]*?<\/section>/g)
    const references = take(/<h1 id="references"[\s\S]*$/g)
    const captions = take(/<figcaption>[\s\S]*?<\/figcaption>/g)
    const tables = take(/<table[\s\S]*?<\/table>/g)
    expect(count.words).toEqual({body: wordsIn(main) + wordsIn(notes), notes: wordsIn(notes), abstract: 0, captions: wordsIn(captions), tables: wordsIn(tables), references: wordsIn(references)})
    expect(count.words.body).toBeGreaterThan(7000)
    expect(count.total).toBe(count.words.body + count.words.captions + count.words.tables + count.words.references)
    expect(count.sections.map((section) => section.title)).toContain('Data and methods')
    // The build's summary line gives the same body count.
    expect(run.stdout).toContain(`${count.words.body} words`)
  })
})
