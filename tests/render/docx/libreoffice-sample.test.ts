/**
 * The sample paper's .docx, opened by LibreOffice and converted to PDF: every section, table cell, footnote,
 * caption with its number and cross-reference text is on the pages. One conversion for the file.
 */
import {cpSync, mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../../pipeline/build.ts'
import {corpusRequired, removeProject, repoRoot} from '../../support/project.ts'
import {complaints, convertWithLibreOffice, flatText, hasSoffice, removeConversion, type Converted} from './libreoffice.ts'

let project: string
let converted: Converted | undefined
let text = ''

beforeAll(async () => {
  if (!hasSoffice) return
  project = mkdtempSync(path.join(tmpdir(), 'sample-docx-'))
  for (const folder of ['manuscript', 'tables', 'figures', 'data']) cpSync(path.join(repoRoot, folder), path.join(project, folder), {recursive: true})
  await build({root: project, to: ['docx']})
  converted = convertWithLibreOffice(readFileSync(path.join(project, 'build/manuscript.docx')), 'sample')
  text = flatText(converted.text)
}, 240_000)

afterAll(() => {
  removeConversion(converted)
  if (project) removeProject(project)
})

describe.skipIf(!hasSoffice && !corpusRequired)('the sample paper’s docx in LibreOffice (needs soffice; skipped without it, except on CI)', () => {
  it('opens and converts to PDF without complaint', () => {
    expect(converted!.output).toMatch(/-> \S+sample\.pdf using filter : writer_pdf_Export/)
    expect(complaints(converted!)).toEqual([])
    expect(converted!.pages).toBeGreaterThanOrEqual(3)
  })

  it('shows the title block and every section, numbered', () => {
    for (const expected of ['Shared Soil: Tool Sharing and Volunteer Effort in Twelve Community Gardens', 'Mara Okafor', 'Institute for Urban Studies, Riverton University', 'November 2026', 'Abstract', 'Keywords: community gardens', '1 Introduction', '2 Data', '3 Results', '4 Discussion', 'References']) {
      expect(text).toContain(expected)
    }
  })

  it('shows captions with their numbers, and cross-references with the text the HTML shows', () => {
    for (const caption of ['Table 1: Variables recorded for each garden.', 'Table 2: Gardens, plots, members', 'Figure 1: Yield per plot by district', 'Figure 2: Volunteer hours per season']) expect(text).toContain(caption)
    for (const reference of ['gardens in Section 2', 'Table 2 summarises', 'shown in Figure 1', '(Figure 2)', 'By Equation 1', 'Tables 2, 3']) expect(text).toContain(reference)
  })

  it('shows table cells, the equation number, footnotes and the bibliography', () => {
    expect(text).toMatch(/South 3 118 155 2125 53\.3/)
    expect(text).toMatch(/\(1\)/)
    expect(text).toContain('small, local association his critics said he missed (see Lawson 2005, chap. 7)')
    expect(text).toContain('We make no causal claim.')
    expect(text).toContain('Ostrom, Elinor. 1990. Governing the Commons')
  })
})
