/**
 * The sample paper a newcomer builds first: `npm run build` with no arguments builds manuscript/ into build/.
 * Run on a temporary copy of the repository's project folders so the test never writes into the checkout.
 */
import {spawnSync} from 'node:child_process'
import {cpSync, mkdtempSync, readdirSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {PDFDocument} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {hasTool, removeProject, repoRoot, runCli, type CliRun} from '../support/project.ts'

let project: string
let run: CliRun
let html: string

beforeAll(() => {
  project = mkdtempSync(path.join(tmpdir(), 'sample-'))
  for (const folder of ['manuscript', 'tables', 'figures', 'data']) cpSync(path.join(repoRoot, folder), path.join(project, folder), {recursive: true})
  run = runCli(['build'], {cwd: project})
  html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
}, 180_000)

afterAll(() => removeProject(project))

describe('the sample paper', () => {
  it('builds from the current folder with no warnings', () => {
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('0 errors, 0 warnings')
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/wrote build\/manuscript\.html/)
    expect(run.stdout).toMatch(/wrote build\/manuscript\.pdf/)
    // The PDF was printed from a hyphenated copy of the page; the HTML itself has no soft hyphens, and no copy is left.
    expect(html).not.toContain('\u00AD')
    expect(readdirSync(path.join(project, 'build')).filter((name) => name.startsWith('.') && name !== '.cache')).toEqual([])
  })

  it('prints a PDF of at least three Letter pages with a running head and page numbers', async () => {
    const file = path.join(project, 'build/manuscript.pdf')
    const pdf = await PDFDocument.load(readFileSync(file), {updateMetadata: false})
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(3)
    const {width, height} = pdf.getPage(0).getSize()
    expect([Math.round(width), Math.round(height)]).toEqual([612, 792])
    expect(pdf.getTitle()).toBe('Shared Soil: Tool Sharing and Volunteer Effort in Twelve Community Gardens')
    if (hasTool('pdftotext')) {
      const second = spawnSync('pdftotext', ['-f', '2', '-l', '2', '-layout', file, '-'], {encoding: 'utf8'}).stdout
      expect(second).toContain('Shared Soil')
      expect(second).toMatch(/\b2\b/)
    }
  })

  it('numbers and links figures, tables, equations and sections', () => {
    // Word and number are joined by a no-break space.
    expect(html).toMatch(/<a href="#fig:yield">Figure\u00a01<\/a>/)
    expect(html).toMatch(/<a href="#fig:hours">Figure\u00a02<\/a>/)
    expect(html).toMatch(/<a href="#tbl:variables">Table\u00a01<\/a>/)
    expect(html).toMatch(/<a href="#tbl:districts">Table\u00a02<\/a>/)
    expect(html).toContain('Tables\u00a0<a href="#tbl:districts">2</a>, <a href="#tbl:tools">3</a>')
    // The multiline table keeps its cells' inline code and joins their lines.
    expect(html).toMatch(/<td align="left"><code>plots<\/code><\/td>\s*<td align="left">Allotment plots let to members, counted on the\sday of our visit\.<\/td>/)
    expect(html).toMatch(/<a href="#eq:hours">Equation\u00a01<\/a>/)
    expect(html).toMatch(/<a href="#sec:data">Section\u00a02<\/a>/)
    expect(html).toMatch(/<h1[^>]*id="sec:data"[^>]*><span class="section-number">2<\/span>/)
  })

  it('formats citations and lists the seven cited works', () => {
    expect(html).toMatch(/Ostrom/)
    expect(html).not.toContain('@Ostrom')
    const references = html.slice(html.indexOf('class="references'))
    expect(references.match(/class="csl-entry"/g)).toHaveLength(7)
    expect(references).toContain('Müller')
  })

  it('shows the PDF figure as vector SVG (its PNG sibling without poppler) and copies images beside the page', () => {
    expect(html).toContain(`src="manuscript_files/images/figures/fig_hours.${hasTool('pdftocairo') ? 'svg' : 'png'}"`)
    expect(html).toContain('src="manuscript_files/images/figures/fig_yield.svg"')
  })

  it('rebuilds from its derived cache with byte-identical HTML', () => {
    expect(readdirSync(path.join(project, 'build/.cache')).some((name) => name.startsWith('mdast-'))).toBe(true)
    const again = runCli(['build', '--to', 'html'], {cwd: project})
    expect(again.status).toBe(0)
    expect(readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')).toBe(html)
  })

  it('passes raw HTML through', () => {
    // The text between block-level tags is Markdown, each tag on a line of its own, as pandoc writes it.
    expect(html).toContain('<aside class="note">\nRaw HTML such as this aside passes through to the page unchanged.\n</aside>')
  })
})
