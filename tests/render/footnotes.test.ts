/**
 * Footnotes at the foot of the page in the PDF (pipeline/render/footnotes.ts), on a small committed project: many
 * notes on one page, notes in a table cell, a table caption and a figure caption, a note too long for its page that
 * continues on the next; and `notes: endnotes` keeping the endnotes. Positions are read from the PDF. And a project of
 * paragraphs too short to be cut (two lines on either side), so that every page starts with one.
 */
import {spawnSync} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readNotePlacement, type NotePlacement} from '../support/pdf-notes.ts'
import {copyProject, hasTool, removeProject, runCli} from '../support/project.ts'

const fixture = path.join(import.meta.dirname, 'fixtures/footnotes')
const paragraphsFixture = path.join(import.meta.dirname, 'fixtures/footnotes-paragraphs')
const canRead = hasTool('pdftotext')
const projects: string[] = []
let foot: NotePlacement
let end: NotePlacement
let paragraphs: NotePlacement
let paragraphsPdf: string

async function buildPdf(config?: string, from = fixture): Promise<NotePlacement> {
  const project = copyProject(from, 'footnotes-')
  projects.push(project)
  if (config) writeFileSync(path.join(project, 'manuscript.yaml'), config)
  const run = runCli(['build', '--root', project, '--to', 'pdf'])
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  return readNotePlacement(path.join(project, 'build/manuscript.pdf'))
}

beforeAll(async () => {
  if (!canRead) return
  foot = await buildPdf()
  end = await buildPdf('notes: endnotes\n')
  paragraphs = await buildPdf(undefined, paragraphsFixture)
  paragraphsPdf = path.join(projects[2], 'build/manuscript.pdf')
}, 120_000)

afterAll(() => projects.forEach(removeProject))

describe.skipIf(!canRead)('notes at the foot of their page', () => {
  it('prints every note once, on the page of its call, numbered as the call', () => {
    expect([...foot.calls.keys()].sort((a, b) => a - b)).toEqual(Array.from({length: 20}, (_, index) => index + 1))
    for (const [number, page] of foot.calls) expect({number, pages: foot.notes.get(number)}).toEqual({number, pages: [page]})
  })

  it('puts the fifteen notes of one paragraph and the notes of a table cell, a table caption and a figure caption on their page', () => {
    for (let number = 1; number <= 18; number++) expect(foot.notes.get(number)).toEqual([1])
    const first = foot.pages[0].join('\n')
    expect(first).toMatch(/^16 A note in a table cell\.$/m)
    expect(first).toMatch(/^17 A note in a table caption\.$/m)
    expect(first).toMatch(/^18 A note in a figure caption\.$/m)
  })

  it('continues a note too long for its page at the foot of the next page, without a number', () => {
    const page = foot.calls.get(19)!
    const text = (number: number) => foot.pages[number - 1].join('\n')
    expect(text(page)).toContain('19 Long note sentence 1 says')
    expect(text(page)).not.toContain('last sentence of the long note')
    expect(text(page + 1)).toContain('This is the last sentence of the long note.')
    // The rest of the note comes before the text that follows the call does on that page.
    expect(foot.notes.get(20)).toEqual([foot.calls.get(20)])
  })

  it('has no endnote section', () => {
    expect(foot.pages.flat()).not.toContain('Notes')
  })
})

describe.skipIf(!canRead)('notes: endnotes', () => {
  it('keeps the notes together after the text, under "Notes"', () => {
    const notesPage = end.pages.findIndex((lines) => lines.includes('Notes')) + 1
    expect(notesPage).toBeGreaterThan(0)
    expect(end.calls.get(1)).toBe(1)
    expect(end.pages[0].join('\n')).not.toMatch(/^1 Short note 1\.$/m)
    expect(spawnSync('pdftotext', ['-f', String(notesPage), '-l', String(end.pages.length), path.join(projects[1], 'build/manuscript.pdf'), '-'], {encoding: 'utf8'}).stdout).toContain('Short note 1.')
  })
})

/** The left edge (PDF points) of each line of text on `page`, top to bottom, with its text. */
function lineStarts(pdfPath: string, page: number): {x: number; text: string}[] {
  const layout = spawnSync('pdftotext', ['-bbox-layout', '-f', String(page), '-l', String(page), pdfPath, '-'], {encoding: 'utf8'}).stdout
  return layout.split(/<line\b/).slice(1).map((line) => {
    const words = [...line.matchAll(/<word xMin="([\d.]+)"[^>]*>([^<]*)<\/word>/g)]
    return {x: Number(words[0]?.[1]), text: words.map((word) => word[2]).join(' ')}
  })
}

describe.skipIf(!canRead)('paragraphs that start a page', () => {
  it('keep their first-line indent, as on any other page, and the lines they were measured with', () => {
    expect(paragraphs.pages.length).toBeGreaterThanOrEqual(3)
    for (let page = 2; page <= paragraphs.pages.length; page++) {
      // The running head, then the paragraph that starts the page.
      const [, first, second, third, fourth] = lineStarts(paragraphsPdf, page)
      expect(first.text).toMatch(/^Paragraph \d+ opens here/)
      expect(first.x - second.x).toBeGreaterThan(10)
      expect(third.x).toBe(second.x)
      // Three lines, as everywhere: the next line starts the next paragraph.
      expect(fourth.text).toMatch(/^Paragraph \d+ opens here/)
    }
  })
})
