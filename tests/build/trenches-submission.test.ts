/**
 * `--profile submission` on the first real user's draft, anonymous: double-spaced with its lines numbered, its 5
 * figures and 8 tables after the references with a marker where each was, and neither author named in the PDF's text
 * or document information or in the Word document.
 * @module-tag corpus
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readDocx, textOf} from '../render/docx/docx-package.ts'
import {addTrenchesTables} from '../support/trenches-tables.ts'
import {center, marginNumbers, median, pageText, pdfPages, textLeft, textLines, type PdfPage} from '../support/pdf-layout.ts'
import {copyProject, hasTool, removeProject, runCli, trenches, type CliRun} from '../support/project.ts'

const canReadPdf = hasTool('pdftotext')
let project: string
let run: CliRun
let pdf: string
let pages: PdfPage[]
let texts: string[]

beforeAll(() => {
  project = copyProject(trenches, 'trenches-submission-')
  addTrenchesTables(project)
  writeFileSync(path.join(project, 'manuscript.yaml'), 'anonymous: true\n')
  run = runCli(['build', '--root', project, '--profile', 'submission', '--to', 'pdf,docx'])
  pdf = path.join(project, 'build/manuscript-submission.pdf')
  if (canReadPdf && run.status === 0) {
    pages = pdfPages(pdf)
    texts = pages.map((page) => pageText(pdf, page.number).replace(/\s+/g, ' '))
  }
}, 180_000)

afterAll(() => removeProject(project))

const floats = [...[1, 2, 3, 4, 5].map((number) => `Figure ${number}`), ...[1, 2, 3, 4, 5, 6, 7, 8].map((number) => `Table ${number}`)]

describe('the trenches draft with --profile submission, anonymous', () => {
  it('builds build/manuscript-submission.pdf and .docx, and warns about the self-citations and the address naming an author', () => {
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.stdout).toContain('wrote build/manuscript-submission.pdf')
    expect(run.stdout).toContain('wrote build/manuscript-submission.docx')
    expect(run.stdout).toMatch(/5 figures, 8 tables/)
    for (const key of ['KelleySimmons:2015', 'Kelley:2016', 'Heiss:2016', 'Heiss:2016a']) expect(run.stdout).toMatch(new RegExp(`manuscript/manuscript\\.md:\\d+:\\d+\\s+warning\\s+Self-citation: @${key} `))
    expect(run.stdout).toMatch(/manuscript\/manuscript\.md:\d+:\d+\s+warning\s+The text names Andrew Heiss, an author of this manuscript \(in the address https:\/\/github\.com\/andrewheiss\//)
  })

  it.skipIf(!canReadPdf)('has a marker for each of the 5 figures and 8 tables before the references, and each of them on pages of its own after them', () => {
    const referencesPage = texts.findIndex((text) => / References /.test(text)) + 1
    expect(referencesPage).toBeGreaterThan(1)
    const markerPages = floats.map((label) => texts.findIndex((text) => text.includes(`[${label} about here]`)) + 1)
    expect(markerPages.every((page) => page >= 1 && page <= referencesPage)).toBe(true)
    const captionPages = floats.map((label) => texts.findIndex((text) => text.includes(`${label}:`)) + 1)
    expect(captionPages.every((page) => page > referencesPage)).toBe(true)
    // One figure or table a page (a long table runs on over the next ones), in the order the markers come in.
    const byPage = new Map(captionPages.map((page, index) => [page, floats[index]]))
    expect(byPage.size).toBe(13)
    const order = (places: number[]) => floats.map((label, index) => [label, places[index]] as const).sort((one, other) => one[1] - other[1]).map(([label]) => label)
    const whole = texts.join(' ')
    expect(order(captionPages)).toEqual(order(floats.map((label) => whole.indexOf(`[${label} about here]`))))
    for (const page of captionPages) expect(texts[page - 1].match(/(Figure|Table) \d+:/g)).toHaveLength(1)
    expect(texts.slice(referencesPage).join(' ')).not.toContain('about here')
  })

  it.skipIf(!canReadPdf)('numbers every line of the text, continuously, each number beside its line, double-spaced', () => {
    const numbers = marginNumbers(pages)
    expect(numbers.length).toBeGreaterThan(500)
    expect(numbers.map((number) => number.value)).toEqual(numbers.map((_, index) => index + 1))
    const left = textLeft(pages)
    for (const {page, word, value} of numbers) {
      const lines = textLines(pages[page - 1], left)
      expect(Math.min(...lines.map((line) => Math.abs(line - center(word)))), `line number ${value} on page ${page}`).toBeLessThan(4)
    }
    const pitches = numbers.slice(1).flatMap((number, index) => (number.page === numbers[index].page ? [center(number.word) - center(numbers[index].word)] : []))
    expect(median(pitches)).toBeGreaterThan(27.5)
    expect(median(pitches)).toBeLessThan(29.5)
  })

  it.skipIf(!canReadPdf)('names neither author in the PDF’s text or document information, nor in the Word document', () => {
    const text = texts.join('\n')
    for (const name of [/\bHeiss\b/, /\bKelley\b/, /Andrew/, /Judith/, /duke\.edu/]) expect(text).not.toMatch(name)
    expect(text).toContain('(Author 2015, 2016a)')
    const info = spawnSync('pdfinfo', [pdf], {encoding: 'utf8'}).stdout
    expect(info).toContain('From the Trenches')
    expect(info).not.toMatch(/^Author:|Heiss|Kelley/m)
    expect(readFileSync(pdf).toString('latin1')).not.toMatch(/Heiss|Kelley/)
    const docx = readDocx(readFileSync(path.join(project, 'build/manuscript-submission.docx')))
    for (const name of ['word/document.xml', 'word/footnotes.xml', 'docProps/core.xml', 'docProps/app.xml']) {
      const part = docx.part(name) ?? ''
      expect(textOf(part) + part, name).not.toMatch(/\bHeiss\b|\bKelley\b|Judith|duke\.edu/)
    }
  })
})
