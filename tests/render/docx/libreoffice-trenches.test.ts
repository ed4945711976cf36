/**
 * The trenches draft's .docx (tables from data), opened by LibreOffice and converted to PDF: every section, every
 * table with its caption and number, all 67 footnotes, figures 1–5 and the cross-references to them. One conversion.
 * @module-tag corpus
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../../pipeline/build.ts'
import {addTrenchesTables} from '../../support/trenches-tables.ts'
import {copyProject, corpusRequired, removeProject, trenches} from '../../support/project.ts'
import {readDocx} from './docx-package.ts'
import {complaints, convertWithLibreOffice, flatText, hasSoffice, removeConversion, type Converted} from './libreoffice.ts'

let project: string
let draft: string
let docx: Buffer
let converted: Converted | undefined
let text = ''

beforeAll(async () => {
  draft = readFileSync(path.join(trenches, 'manuscript/manuscript.md'), 'utf8')
  project = copyProject(trenches, 'trenches-docx-')
  addTrenchesTables(project)
  await build({root: project, to: ['docx']})
  docx = readFileSync(path.join(project, 'build/manuscript.docx'))
  if (!hasSoffice) return
  converted = convertWithLibreOffice(docx, 'trenches')
  text = flatText(converted.text)
}, 300_000)

afterAll(() => {
  removeConversion(converted)
  removeProject(project)
})

describe('the trenches draft as a Word document', () => {
  it('has 67 footnotes, five numbered figures with their images, eight numbered tables', () => {
    const parts = readDocx(docx)
    expect(parts.footnotes.match(/<w:footnote w:id="[1-9]\d*"/g)).toHaveLength(67)
    expect(parts.document.match(/SEQ Figure \\\* ARABIC/g)).toHaveLength(5)
    expect(parts.document.match(/SEQ Table \\\* ARABIC/g)).toHaveLength(8)
    expect(parts.names.filter((name) => name.startsWith('word/media/')).length).toBeGreaterThanOrEqual(5)
  })
})

describe.skipIf(!hasSoffice && !corpusRequired)('the trenches draft’s docx in LibreOffice (needs soffice; skipped without it, except on CI)', () => {
  it('opens and converts to PDF without complaint', () => {
    expect(converted!.output).toMatch(/-> \S+trenches\.pdf using filter : writer_pdf_Export/)
    expect(complaints(converted!)).toEqual([])
    expect(converted!.pages).toBeGreaterThan(15)
  })

  it('has every section of the draft', () => {
    const headings = [...draft.matchAll(/^#+ (.+)$/gm)].map((match) => match[1].replace(/\{[^}]*\}/g, '').trim())
    expect(headings.length).toBeGreaterThan(15)
    for (const heading of headings) expect(text.includes(heading.replace(/'/g, '’')), heading).toBe(true)
  })

  it('captions figures 1–5 and tables 1–8 with their numbers, and shows the cross-references to them', () => {
    for (let number = 1; number <= 5; number++) expect(new RegExp(`Figure ${number}: \\w`).test(text), `Figure ${number}:`).toBe(true)
    for (let number = 1; number <= 8; number++) expect(new RegExp(`Table ${number}: \\w`).test(text), `Table ${number}:`).toBe(true)
    // [@fig:locations], (see [@fig:activities]), (see [@fig:embassies]), [@fig:avg_importance] as the HTML shows them.
    for (const reference of ['As seen in Figure 1, 60%', '(see Figure 2)', '(see Figure 3)', 'countries. Figure 4 ']) expect(text.includes(reference), reference).toBe(true)
  })

  it('shows the notes and the bibliography', () => {
    expect(text.includes('Büthe, Tim, and Walter Mattli. 2011.')).toBe(true)
    // The first words of each inline note, up to any markup, with quotes left out (they are curled in the document).
    const unquoted = (value: string) => value.replace(/["'“”‘’]/g, '')
    const page = unquoted(text)
    const notes = [...draft.matchAll(/\^\[([^\]\[]{30,80})/g)].map((match) => unquoted(match[1].replace(/\s+/g, ' ').split(/[*_@\[\\`$]/)[0]).trim()).filter((start) => start.length > 20)
    expect(notes.length).toBeGreaterThan(20)
    expect(notes.filter((start) => !page.includes(start))).toEqual([])
  })
})
