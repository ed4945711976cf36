/**
 * `--profile submission` on a small paper of ours (tests/build/fixtures/submission, anonymous in its config): the PDF
 * and the Word document a journal receives, read back as a reader sees them (the PDF's words and their places, with
 * poppler's pdftotext; the Word document's XML), and the default outputs left as they were.
 */
import {createHash} from 'node:crypto'
import {cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {spawnSync} from 'node:child_process'
import {PDFDocument} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, type BuildResult} from '../../pipeline/build.ts'
import {readDocx, paragraphs, textOf} from '../render/docx/docx-package.ts'
import {center, marginNumbers, median, pageText, pdfPages, textLeft, textLines, type PdfPage} from '../support/pdf-layout.ts'
import {hasTool, removeProject, repoRoot, runCli} from '../support/project.ts'

const fixture = path.join(repoRoot, 'tests/build/fixtures/submission')
const source = readFileSync(path.join(fixture, 'manuscript/manuscript.md'), 'utf8')
const canReadPdf = hasTool('pdftotext')

let project: string
let normal: BuildResult
let submission: BuildResult
let normalPdfBefore: string
let pdf: string
let pages: PdfPage[]
let normalPages: PdfPage[]

const hash = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')
/** 1-based line of the first line of the manuscript holding `text`. */
const lineOf = (text: string) => source.split('\n').findIndex((line) => line.includes(text)) + 1

beforeAll(async () => {
  // (copyProject leaves out folders named build, which this fixture is in.)
  project = mkdtempSync(path.join(tmpdir(), 'submission-'))
  cpSync(fixture, project, {recursive: true})
  normal = await build({root: project, to: ['pdf', 'docx']})
  normalPdfBefore = hash(path.join(project, 'build/manuscript.pdf'))
  submission = await build({root: project, profile: 'submission', to: ['pdf', 'docx']})
  pdf = path.join(project, 'build/manuscript-submission.pdf')
  if (canReadPdf) {
    pages = pdfPages(pdf)
    normalPages = pdfPages(path.join(project, 'build/manuscript.pdf'))
  }
}, 120_000)

afterAll(() => removeProject(project))

/** The page that holds `text` first (its text with the line breaks of the page joined). */
const pageOf = (text: string) => pages.find((page) => pageText(pdf, page.number).replace(/\s+/g, ' ').includes(text))?.number

describe('--profile submission', () => {
  it('writes build/manuscript-submission.pdf and .docx, listed in the manifest, and leaves build/manuscript.pdf as it was', () => {
    expect(normal.written).toBe(true)
    expect(submission.written).toBe(true)
    expect(submission.outputs).toEqual(['build/manuscript-submission.pdf', 'build/manuscript-submission.docx'])
    const manifest = JSON.parse(readFileSync(path.join(project, 'build/manifest.json'), 'utf8')) as {outputs: {path: string}[]}
    expect(manifest.outputs.map((output) => output.path)).toEqual(expect.arrayContaining(['build/manuscript-submission.docx', 'build/manuscript-submission.pdf']))
    expect(hash(path.join(project, 'build/manuscript.pdf'))).toBe(normalPdfBefore)
  })

  it.skipIf(!canReadPdf)('leaves the default PDF as it was: authors, figures in their places, no markers', () => {
    const text = normalPages.map((page) => pageText(path.join(project, 'build/manuscript.pdf'), page.number)).join('\n')
    expect(text).toContain('Ada Lovelace')
    expect(text).toContain('Acknowledgements')
    expect(text).not.toContain('about here')
    expect(text.indexOf('Figure 1:')).toBeLessThan(text.indexOf('References'))
  })

  it.skipIf(!canReadPdf)('puts a centred "[Figure 1 about here]" where each figure and table was, and each of them on a page of its own after the references', () => {
    const markers = ['[Figure 1 about here]', '[Table 1 about here]', '[Figure 2 about here]', '[Table 2 about here]']
    const referencesPage = pageOf('References')!
    const markerPages = markers.map((marker) => pageOf(marker)!)
    expect(markerPages.every((page) => page !== undefined && page <= referencesPage)).toBe(true)
    expect(markerPages).toEqual([...markerPages].sort((one, other) => one - other))
    // In the order the document numbers them, each on the page after the one before, all after the references.
    const captions = ['Figure 1:', 'Table 1:', 'Figure 2:', 'Table 2:']
    const captionPages = captions.map((caption) => pageOf(caption)!)
    expect(captionPages[0]).toBeGreaterThan(referencesPage)
    expect(captionPages).toEqual(captionPages.map((_, index) => captionPages[0] + index))
    expect(pages).toHaveLength(captionPages[3])
    for (const page of captionPages) {
      const text = pageText(pdf, page)
      expect(text.match(/(Figure|Table) \d:/g)).toHaveLength(1)
      expect(text).not.toMatch(/about here|Allotment gardens are/)
    }
    // Centred in the text column: the marker's middle is the middle of the column (the text's left edge to its right edge).
    const page = pages[markerPages[0] - 1]
    const words = page.words.filter((word) => word.text === '[Figure')
    const marker = page.words.slice(page.words.indexOf(words[0]), page.words.indexOf(words[0]) + 4)
    const left = textLeft(pages)
    const right = Math.max(...pages.slice(0, referencesPage).flatMap((each) => each.words.map((word) => word.xMax)))
    expect(Math.abs((marker[0].xMin + marker[3].xMax) / 2 - (left + right) / 2)).toBeLessThan(8)
  })

  it.skipIf(!canReadPdf)('numbers the lines of the text in the margin, from 1 on, on from page to page, each beside its line', () => {
    const numbers = marginNumbers(pages)
    expect(numbers.length).toBeGreaterThan(60)
    expect(numbers.map((number) => number.value)).toEqual(numbers.map((_, index) => index + 1))
    expect(new Set(numbers.map((number) => number.page)).size).toBeGreaterThan(2)
    const left = textLeft(pages)
    for (const {page, word, value} of numbers) {
      const lines = textLines(pages[page - 1], left)
      expect(Math.min(...lines.map((line) => Math.abs(line - center(word)))), `line number ${value} on page ${page}`).toBeLessThan(4)
    }
    // Every line of the text before the notes has its number (the notes, floats and tables have none).
    const notesPage = pageOf('Notes')!
    for (const page of pages.slice(0, notesPage - 1)) {
      const body = textLines(page, left).filter((line) => line > 60 && line < page.height - 60)
      const numbered = numbers.filter((number) => number.page === page.number).map((number) => center(number.word))
      for (const line of body) expect(Math.min(...numbered.map((at) => Math.abs(at - line))), `a line at ${line.toFixed(1)} pt on page ${page.number}`).toBeLessThan(4)
    }
  })

  it.skipIf(!canReadPdf)('sets the text in 12 pt, double-spaced', () => {
    const numbers = marginNumbers(pages)
    const pitches = numbers.slice(1).flatMap((number, index) => (number.page === numbers[index].page ? [center(number.word) - center(numbers[index].word)] : []))
    // Double spacing: twice single spacing (1.2 em) of 12 pt, within Chromium's rounding to whole pixels.
    expect(median(pitches)).toBeGreaterThan(27.5)
    expect(median(pitches)).toBeLessThan(29.5)
    // The default PDF's text is 10.5 pt: the same words are 12/10.5 times as tall.
    const heights = (pdfPagesOf: PdfPage[]) => median(pdfPagesOf.flatMap((page) => page.words.filter((word) => word.text === 'the').map((word) => word.yMax - word.yMin)))
    expect(heights(pages) / heights(normalPages)).toBeCloseTo(12 / 10.5, 1)
  })

  it.skipIf(!canReadPdf)('leaves the authors, their affiliations and e-mails and the acknowledgements out of the PDF and its document information', async () => {
    const text = pages.map((page) => pageText(pdf, page.number)).join('\n')
    for (const name of ['Lovelace', 'Ada', 'Analytical Society', 'Difference Institute', 'analytical.example', 'difference.example', 'Somerville', 'Acknowledgements']) expect(text).not.toContain(name)
    // The one place the text itself names an author, which the build warned about (below).
    expect(text.match(/Babbage/g)).toEqual(['Babbage'])
    expect(text).toContain('Babbage’s engine')
    // Self-citations as "Author": in the text and in the references, their details left out.
    expect(text).toMatch(/\(Author 1843\)/)
    expect(text).toMatch(/Author\. 1843\. “\[Details Omitted for Anonymous Review\]\.”/)
    expect(text).toContain('Hardin, Garrett. 1968.')
    const info = spawnSync('pdfinfo', [pdf], {encoding: 'utf8'}).stdout
    expect(info).not.toMatch(/^Author:/m)
    expect(info).not.toMatch(/Lovelace|Babbage/)
    const document = await PDFDocument.load(readFileSync(pdf), {updateMetadata: false})
    expect(document.getAuthor()).toBeUndefined()
    expect(readFileSync(pdf).toString('latin1')).not.toMatch(/Lovelace|Babbage/)
  })

  it('warns, at the citation, about each self-citation, and where the text names an author', () => {
    const warnings = submission.messages.filter((message) => message.ruleId === 'self-citation' || message.ruleId === 'author-named').sort((one, other) => one.line! - other.line! || one.column! - other.column!)
    const at = (message: (typeof warnings)[number]) => `${message.ruleId} ${message.file}:${message.line}`
    expect(warnings.map(at)).toEqual([
      `self-citation manuscript/manuscript.md:${lineOf('@lovelace1843')}`,
      `author-named manuscript/manuscript.md:${lineOf("Babbage's engine")}`,
      `self-citation manuscript/manuscript.md:${lineOf('@babbage1864')}`
    ])
    const named = warnings.find((message) => message.ruleId === 'author-named')!
    expect(source.split('\n')[named.line! - 1].slice(named.column! - 1)).toMatch(/^Babbage/)
    expect(warnings.every((message) => message.fatal === false)).toBe(true)
    // The default build is not anonymous: nothing to warn about.
    expect(normal.messages.filter((message) => message.ruleId === 'self-citation' || message.ruleId === 'author-named')).toEqual([])
  })

  it('writes the Word document double-spaced in 12 pt, with Word\'s own continuous line numbers, the markers centred, a page break before each figure and table, and no author', () => {
    const docx = readDocx(readFileSync(path.join(project, 'build/manuscript-submission.docx')))
    const normalStyle = /<w:style [^>]*w:styleId="Normal"[^>]*>[\s\S]*?<\/w:style>/.exec(docx.styles)![0]
    expect(normalStyle).toMatch(/<w:spacing [^>]*w:line="480" w:lineRule="auto"/)
    expect(normalStyle).toContain('<w:sz w:val="24"/>')
    expect(docx.document).toMatch(/<w:sectPr[\s\S]*<w:lnNumType w:countBy="1" w:restart="continuous"\/>/)
    const all = paragraphs(docx.document)
    const markers = all.filter((paragraph) => /about here/.test(paragraph.text))
    expect(markers.map((paragraph) => paragraph.text)).toEqual(['[Figure 1 about here]', '[Table 1 about here]', '[Figure 2 about here]', '[Table 2 about here]'])
    for (const marker of markers) expect(marker.xml).toContain('<w:jc w:val="center"/>')
    const referencesAt = all.findIndex((paragraph) => paragraph.text === 'References')
    const breaks = all.map((paragraph, index) => (paragraph.xml.includes('<w:br w:type="page"/>') ? index : -1)).filter((index) => index > referencesAt)
    expect(breaks).toHaveLength(4)
    // After each page break, the next float's caption comes before the one after.
    const captions = all.map((paragraph, index) => (/^(Figure|Table)\s\d/.test(paragraph.text) && paragraph.style === 'Caption' ? index : -1)).filter((index) => index >= 0)
    expect(captions.every((index) => index > breaks[0])).toBe(true)
    expect(captions.map((index) => all[index].text.replace(/\u00a0/g, ' ').slice(0, 8))).toEqual(['Figure 1', 'Table 1:', 'Figure 2', 'Table 2:'])
    for (const name of ['word/document.xml', 'word/footnotes.xml', 'docProps/core.xml', 'docProps/app.xml']) {
      const part = docx.part(name) ?? ''
      expect(part, name).not.toMatch(/Lovelace|Analytical Society|analytical\.example|Somerville/)
    }
    expect(textOf(docx.document).match(/Babbage/g)).toEqual(['Babbage'])
    expect(docx.part('docProps/core.xml')).not.toContain('Babbage')
  })

  it('is chosen by `profile:` in the config too; the front matter\'s `anonymous` overrides the config\'s; an unknown profile is a usage error', async () => {
    writeFileSync(path.join(project, 'manuscript.yaml'), 'profile: submission\nanonymous: true\n')
    const manuscript = path.join(project, 'manuscript/manuscript.md')
    writeFileSync(manuscript, source.replace('bibliography: references.bib\n', 'bibliography: references.bib\nanonymous: false\n'))
    const result = await build({root: project, to: ['html']})
    expect(result.outputs).toEqual(['build/manuscript-submission.html'])
    const html = readFileSync(path.join(project, 'build/manuscript-submission.html'), 'utf8')
    expect(html).toContain('<p class="float-marker">[Figure 1 about here]</p>')
    expect(html).toContain('Ada Lovelace')
    expect(html).toContain('Acknowledgements')
    expect(result.messages.filter((message) => message.ruleId === 'self-citation')).toEqual([])
    const wrong = runCli(['build', '--root', project, '--profile', 'journal'])
    expect(wrong.status).toBe(2)
    expect(wrong.stdout + wrong.stderr).toContain('--profile takes default or submission; got "journal"')
  })
})
