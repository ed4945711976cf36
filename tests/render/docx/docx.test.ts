/**
 * `--to docx`: a small project with every kind of block and inline the HTML shows, built in process; the .docx is
 * unzipped and its XML checked the way Word reads it.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, type BuildResult} from '../../../pipeline/build.ts'
import {projectFromFiles, removeProject} from '../../support/project.ts'
import {paragraphs, readDocx, textOf, type DocxParts} from './docx-package.ts'

/** A 2 × 1 red PNG. */
const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAIAAAB7QOjdAAAAEElEQVR4nGP4z8DAwMDAAAAHAQEAaRZAmAAAAABJRU5ErkJggg==', 'base64')
const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="300" height="150" viewBox="0 0 300 150"><rect width="300" height="150" fill="#3a6"/><circle cx="150" cy="75" r="50" fill="#fff"/></svg>'

const docxManuscript = `---
title: "Tools in Common"
author:
- name: Ada Lovelace
  affiliation: Analytical Society
- name: Charles Babbage
date: 2026-03-05
abstract: |
  Gardens share tools. We count them.
keywords: [gardens, tools]
numberSections: true
bibliography: refs.bib
---

# Introduction {#sec:intro}

Plain text with *emphasis*, **strong**, \`code\`, [a link](https://example.org) and "quotes" -- dashes.
As @ostrom says [@ostrom, 90], commons last.^[An inline note citing [@ostrom].] See also the long note.[^long]

[^long]: A note with *emphasis* in it.

> A quoted paragraph.

- first item
- second item
    1. nested one
    2. nested two

\`\`\`
let x = 1
let y = 2
\`\`\`

# Results {#sec:results}

[@tbl:counts] counts tools; [@fig:shed] and [@fig:plot] show them; [@fig:shed; @fig:plot] together; [@eq:sum] sums; see @sec:intro.

| Garden | Tools |
|:-------|------:|
| North  |    12 |
| South  |     7 |

: Tools per garden {#tbl:counts}

![A tool shed](shed.png){#fig:shed}

![A plot](plot.svg){#fig:plot}

$$ \\sum_{i=1}^{n} x_i = \\frac{a}{b} $$\{#eq:sum}

# References {-}

::: {#refs}
:::
`

const bib = `@book{ostrom,
  author = {Ostrom, Elinor},
  title = {Governing the Commons},
  year = {1990},
  publisher = {Cambridge University Press}
}
`

let project: string
let result: BuildResult
let docx: DocxParts
let bytes: Buffer

beforeAll(async () => {
  project = projectFromFiles({'manuscript/manuscript.md': docxManuscript, 'manuscript/refs.bib': bib, 'manuscript/plot.svg': svg}, 'docx-')
  writeFileSync(path.join(project, 'manuscript/shed.png'), png)
  result = await build({root: project, to: ['docx']})
  bytes = readFileSync(path.join(project, 'build/manuscript.docx'))
  docx = readDocx(bytes)
}, 120_000)

afterAll(() => removeProject(project))

const body = () => paragraphs(docx.document)
const find = (text: string | RegExp) => body().find((paragraph) => (typeof text === 'string' ? paragraph.text.includes(text) : text.test(paragraph.text)))

describe('a Word document from the manuscript', () => {
  it('is written with the manifest, and only the docx is asked for', () => {
    expect(result.messages.filter((message) => message.fatal)).toEqual([])
    // with the cited-only bibliography, which every build of the usual outputs writes
    expect(result.outputs).toEqual(['build/manuscript.docx', 'build/manuscript.bib', 'build/manuscript.json'])
    expect(existsSync(path.join(project, 'build/manuscript.html'))).toBe(false)
    const manifest = JSON.parse(readFileSync(path.join(project, 'build/manifest.json'), 'utf8'))
    expect(manifest.outputs.map((output: {path: string}) => output.path)).toContain('build/manuscript.docx')
    expect(manifest.libraries.docx).toMatch(/^\d+\.\d+/)
  })

  it('has the title block in its own styles: title, authors with affiliations, date, abstract, keywords', () => {
    const styled = body().slice(0, 9).map((paragraph) => [paragraph.style, paragraph.text])
    expect(styled).toEqual([
      ['Title', 'Tools in Common'],
      ['Author', 'Ada Lovelace'],
      ['Affiliation', 'Analytical Society'],
      ['Author', 'Charles Babbage'],
      ['Date', '2026-03-05'],
      ['AbstractTitle', 'Abstract'],
      ['Abstract', 'Gardens share tools. We count them.'],
      ['Keywords', 'Keywords: gardens · tools'],
      ['Heading1', '1\u2002Introduction']
    ])
    expect(docx.part('docProps/core.xml')).toContain('<dc:title>Tools in Common</dc:title>')
    expect(docx.part('docProps/core.xml')).toContain('<dc:creator>Ada Lovelace; Charles Babbage</dc:creator>')
  })

  it('numbers headings as the HTML does, in Word heading styles', () => {
    const headings = body().filter((paragraph) => paragraph.style?.startsWith('Heading'))
    expect(headings.map((heading) => [heading.style, heading.text])).toEqual([
      ['Heading1', '1\u2002Introduction'],
      ['Heading1', '2\u2002Results'],
      ['Heading1', 'References']
    ])
  })

  it('keeps emphasis, strong, code, links and smart punctuation', () => {
    const paragraph = find('Plain text with')!
    expect(paragraph.text).toContain('“quotes” – dashes')
    expect(paragraph.xml).toMatch(/<w:i\/>(?:<w:iCs\/>)?<\/w:rPr><w:t xml:space="preserve">emphasis<\/w:t>/)
    expect(paragraph.xml).toMatch(/<w:b\/>(?:<w:bCs\/>)?<\/w:rPr><w:t xml:space="preserve">strong<\/w:t>/)
    expect(paragraph.xml).toMatch(/<w:rStyle w:val="VerbatimChar"\/><\/w:rPr><w:t xml:space="preserve">code<\/w:t>/)
    const link = /<w:hyperlink[^>]*r:id="([^"]+)"[^>]*>[\s\S]*?a link/.exec(paragraph.xml)
    expect(link).not.toBeNull()
    expect(docx.part('word/_rels/document.xml.rels')).toMatch(new RegExp(`Id="${link![1]}"[^>]*Target="https://example.org"`))
  })

  it('writes block quotes, nested bulleted and numbered lists, and code blocks', () => {
    expect(find('A quoted paragraph.')!.style).toBe('BlockText')
    const items = ['first item', 'second item', 'nested one', 'nested two'].map((text) => find(text)!)
    const levels = items.map((item) => /<w:ilvl w:val="(\d)"\/>/.exec(item.xml)?.[1])
    expect(levels).toEqual(['0', '0', '1', '1'])
    const numbering = docx.part('word/numbering.xml')!
    expect(numbering).toContain('w:val="bullet"')
    expect(numbering).toContain('w:val="decimal"')
    const code = find('let x = 1')!
    expect(code.style).toBe('SourceCode')
    expect(code.text).toBe('let x = 1\nlet y = 2')
  })

  it('makes each note a real Word footnote, with the citation inside formatted', () => {
    const notes = paragraphs(docx.footnotes).filter((paragraph) => paragraph.text.trim() !== '' && paragraph.style === 'FootnoteText')
    expect(docx.document.match(/<w:footnoteReference w:id="\d+"\/>/g)).toHaveLength(2)
    // Word's separator notes (-1, 0) plus one w:footnote per note.
    expect(docx.footnotes.match(/<w:footnote w:id="[1-9]\d*"/g)).toHaveLength(2)
    expect(notes.map((note) => note.text.trim())).toEqual(['An inline note citing (Ostrom 1990).', 'A note with emphasis in it.'])
  })

  it('shows citations and the bibliography as the HTML does', () => {
    expect(find('As Ostrom (1990) says (Ostrom 1990, 90), commons last.')).toBeDefined()
    const entry = body().find((paragraph) => paragraph.style === 'Bibliography')!
    expect(entry.text).toBe('Ostrom, Elinor. 1990. Governing the Commons. Cambridge University Press.')
    expect(entry.xml).toMatch(/<w:i\/>(?:<w:iCs\/>)?<\/w:rPr><w:t xml:space="preserve">Governing the Commons<\/w:t>/)
  })

  it('writes the same bytes on every build, dated by the front matter', async () => {
    await build({root: project, to: ['docx']})
    expect(readFileSync(path.join(project, 'build/manuscript.docx')).equals(bytes)).toBe(true)
    expect(docx.part('docProps/core.xml')).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-03-05T00:00:00Z</dcterms:created>')
  })

  it('leaves the previous docx as it was when the manuscript has an error', async () => {
    const broken = projectFromFiles({'manuscript/manuscript.md': '# A\n\n!INCLUDE "missing.md"\n'}, 'docx-broken-')
    try {
      const docxPath = path.join(broken, 'build/manuscript.docx')
      writeFileSync(path.join(broken, 'manuscript/manuscript.md'), '# A\n\nText.\n')
      await build({root: broken, to: ['docx']})
      const before = readFileSync(docxPath)
      writeFileSync(path.join(broken, 'manuscript/manuscript.md'), '# A\n\n!INCLUDE "missing.md"\n')
      const failed = await build({root: broken, to: ['docx']})
      expect(failed.written).toBe(false)
      expect(readFileSync(docxPath).equals(before)).toBe(true)
    } finally {
      removeProject(broken)
    }
  })
})

describe('tables and figures in the Word document', () => {
  it('writes a table with its header row repeated on each page and its columns aligned', () => {
    const table = /<w:tbl>([\s\S]*?)<\/w:tbl>/.exec(docx.document)![1]
    const rows = [...table.matchAll(/<w:tr>([\s\S]*?)<\/w:tr>/g)].map((row) => row[1])
    expect(rows.map((row) => [...row.matchAll(/<w:tc>([\s\S]*?)<\/w:tc>/g)].map((cell) => textOf(cell[1])))).toEqual([
      ['Garden', 'Tools'],
      ['North', '12'],
      ['South', '7']
    ])
    expect(rows[0]).toContain('<w:tblHeader/>')
    expect(rows[1]).not.toContain('<w:tblHeader/>')
    // The second column is right-aligned, as written (`------:`).
    expect(rows.map((row) => /<w:tc>[\s\S]*?<\/w:tc><w:tc>[\s\S]*?<w:jc w:val="(\w+)"\/>/.exec(row)?.[1])).toEqual(['right', 'right', 'right'])
  })

  it('embeds the PNG as it is and the SVG as a PNG at print resolution, at their shown sizes', () => {
    const media = docx.names.filter((name) => name.startsWith('word/media/'))
    expect(media).toHaveLength(2)
    const embedded = media.map((name) => Buffer.from(docx.bytes(name)!))
    expect(embedded.some((data) => data.equals(png))).toBe(true)
    const raster = embedded.find((data) => !data.equals(png))!
    expect(raster.subarray(1, 4).toString('latin1')).toBe('PNG')
    // The SVG is 300 px (CSS) wide: 300 / 96 inch at 300 dpi.
    expect(raster.readUInt32BE(16)).toBe(Math.round((300 * 300) / 96))
    const extents = [...docx.document.matchAll(/<wp:extent cx="(\d+)" cy="(\d+)"\/>/g)].map((match) => [Number(match[1]) / 9525, Number(match[2]) / 9525])
    expect(extents).toEqual([
      [2, 1],
      [300, 150]
    ])
  })
})

describe('captions, cross-references and equations as Word fields', () => {
  it('captions figures and tables with SEQ fields holding their numbers, inside bookmarks named after the labels', () => {
    const captions = body().filter((paragraph) => paragraph.style === 'Caption')
    expect(captions.map((caption) => caption.text)).toEqual(['Table\u00a01: Tools per garden', 'Figure\u00a01: A tool shed', 'Figure\u00a02: A plot'])
    expect(captions[0].xml).toMatch(/<w:bookmarkStart w:id="(\d+)" w:name="tbl_counts"\/><w:r><w:fldChar w:fldCharType="begin"\/><\/w:r><w:r><w:instrText xml:space="preserve"> SEQ Table \\\* ARABIC <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r><w:r><w:t xml:space="preserve">1<\/w:t><\/w:r><w:r><w:fldChar w:fldCharType="end"\/><\/w:r><w:bookmarkEnd w:id="\1"\/>/)
    expect(captions[2].xml).toMatch(/w:name="fig_plot"\/>[\s\S]*SEQ Figure [\s\S]*<w:t xml:space="preserve">2<\/w:t>/)
    // A table's caption is above it, a figure's below its image.
    expect(docx.document.indexOf('Tools per garden')).toBeLessThan(docx.document.indexOf('<w:tbl>'))
    expect(docx.document.indexOf('A tool shed</w:t>')).toBeGreaterThan(docx.document.indexOf('<wp:extent'))
  })

  it('bookmarks every label: sections, figures, tables, equations, divs', () => {
    const names = [...docx.document.matchAll(/<w:bookmarkStart w:id="\d+" w:name="([^"]+)"\/>/g)].map((match) => match[1])
    // `references` is the automatic identifier of the References heading, `refs` the div that holds the bibliography.
    expect(names.sort()).toEqual(['eq_sum', 'fig_plot', 'fig_shed', 'references', 'refs', 'sec_intro', 'sec_results', 'tbl_counts'])
  })

  it('makes each cross-reference a REF field showing the text the HTML shows', () => {
    const paragraph = find('counts tools')!
    expect(paragraph.text).toBe('Table\u00a01 counts tools; Figure\u00a01 and Figure\u00a02 show them; Figures\u00a01, 2 together; Equation\u00a01 sums; see Section\u00a01.')
    const references = [...paragraph.xml.matchAll(/<w:instrText xml:space="preserve"> REF (\w+) \\h <\/w:instrText><\/w:r><w:r><w:fldChar w:fldCharType="separate"\/><\/w:r><w:r><w:t xml:space="preserve">([^<]*)<\/w:t>/g)].map((match) => [match[1], match[2]])
    expect(references).toEqual([
      ['tbl_counts', '1'],
      ['fig_shed', '1'],
      ['fig_plot', '2'],
      ['fig_shed', '1'],
      ['fig_plot', '2'],
      ['eq_sum', '1'],
      ['sec_intro', '1']
    ])
  })

  it('writes each equation as one m:oMath that Word can edit, numbered by a SEQ field at the right margin', () => {
    expect(docx.document.match(/<m:oMath>/g)).toHaveLength(1)
    const equation = body().find((paragraph) => paragraph.style === 'DisplayEquation')!
    expect(equation.xml).toContain('<m:nary><m:naryPr><m:chr m:val="∑"/><m:limLoc m:val="undOvr"/></m:naryPr>')
    expect(equation.xml).toMatch(/<m:f><m:num><m:r><m:t xml:space="preserve">a<\/m:t><\/m:r><\/m:num><m:den><m:r><m:t xml:space="preserve">b<\/m:t><\/m:r><\/m:den><\/m:f>/)
    expect(equation.xml).toMatch(/w:name="eq_sum"\/>[\s\S]*SEQ Equation[\s\S]*<w:t xml:space="preserve">1<\/w:t>/)
    expect(equation.text).toMatch(/\t.*\t\(1\)$/)
  })
})
