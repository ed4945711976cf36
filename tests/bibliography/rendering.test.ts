/**
 * The fixture project fixtures/styles-project: five works of different kinds (a PhD thesis, a technical report, a web
 * page with a DOI, an article titled "Title: Subtitle", an article in French) cited in one manuscript, built to HTML
 * and PDF in three styles: Chicago author-date (the default), the bundled Vancouver (numeric, `second-field-align`)
 * and the fixture's own Chicago-like note style (notes.csl). What a reader sees is what `pandoc --citeproc` (2.17)
 * prints for the same files (`pandoc --citeproc [--csl …] -t plain manuscript.md --bibliography references.bib`),
 * but for the differences listed below.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {copyProject, hasTool, removeProject, runCli, type CliRun} from '../support/project.ts'

const fixture = path.join(import.meta.dirname, 'fixtures/styles-project')

type StyleName = 'author-date' | 'numeric' | 'notes'
/** What each build names in manuscript.yaml (nothing: Chicago author-date). */
const cslOf: Record<StyleName, string | undefined> = {'author-date': undefined, numeric: 'vancouver', notes: 'notes.csl'}

/**
 * pandoc's text of each block: the paragraphs (with their citations), the notes, and the reference list entries
 * by key. Where pandoc is wrong we hold ours to the style, and say why.
 */
const pandocNamesInVancouver = 'pandoc 2.17 ignores the name options Vancouver sets on <style> (initialize-with, name-as-sort-order) and prints "Mara Okafor"'
const expected: Record<StyleName, {blocks: Record<string, string>; links: string[]; differs?: Record<string, string>}> = {
  'author-date': {
    blocks: {
      p0: 'Tool libraries began as a neighbourhood commons (Okafor 2019). Volunteers gave more hours where tools were shared (Lindqvist and Berg 2021, 12), as Müller (2020) found across twelve gardens.',
      p1: 'The census data are public (Community Garden Network 2022), and French gardens show the same (Dupont 2018, 105).',
      p2: 'Pooling is not new (Müller 2020, 50). It lasts longest where the tool shed has a key holder (Müller 2020, 51).',
      'ref-gardennet2022': 'Community Garden Network. 2022. “Garden Census Data Portal.” 2022. https://doi.org/10.5555/gardens.2022.',
      // The French title keeps its case; English titles are title-cased.
      'ref-dupont2018': 'Dupont, Claire. 2018. “Les jardins partagés et la vie de quartier.” Revue des espaces urbains 7: 101–20.',
      'ref-lindqvist2021': 'Lindqvist, Tomás, and Anna Berg. 2021. “Volunteer Hours in Urban Gardens.” RCC-2021-04. Riverton City Council.',
      'ref-mueller2020': 'Müller, Jonas. 2020. “Shared Soil: How Gardens Pool Their Tools.” Journal of Urban Commons 12 (3): 45–67. https://doi.org/10.5555/juc.2020.045.',
      'ref-okafor2019': 'Okafor, Mara. 2019. “Tool Libraries and the Making of Neighbourhood Commons.” PhD thesis, Riverton: Riverton University.'
    },
    links: ['https://doi.org/10.5555/gardens.2022', 'https://doi.org/10.5555/juc.2020.045']
  },
  numeric: {
    blocks: {
      p0: 'Tool libraries began as a neighbourhood commons (1). Volunteers gave more hours where tools were shared (2), as (3) found across twelve gardens.',
      p1: 'The census data are public (4), and French gardens show the same (5).',
      p2: 'Pooling is not new (3). It lasts longest where the tool shed has a key holder (3).',
      'ref-okafor2019': '1. Okafor M. Tool libraries and the making of neighbourhood commons [PhD thesis]. [Riverton]: Riverton University; 2019.',
      'ref-lindqvist2021': '2. Lindqvist T, Berg A. Volunteer hours in urban gardens. Riverton City Council; 2021. Report RCC-2021-04.',
      'ref-mueller2020': '3. Müller J. Shared soil: How gardens pool their tools. Journal of Urban Commons. 2020;12(3):45–67. doi:10.5555/juc.2020.045',
      'ref-gardennet2022': '4. Community Garden Network. Garden census data portal [Internet]. 2022 [cited 2024 Mar 1]. Available from: https://gardens.example.org/census doi:10.5555/gardens.2022',
      'ref-dupont2018': '5. Dupont C. Les jardins partagés et la vie de quartier. Revue des espaces urbains. 2018;7:101–20.'
    },
    differs: {'ref-okafor2019': pandocNamesInVancouver, 'ref-lindqvist2021': `${pandocNamesInVancouver}; and its en-US locale has no term "report", which Vancouver prints before a report\'s number ("Report RCC-2021-04")`, 'ref-mueller2020': pandocNamesInVancouver, 'ref-dupont2018': pandocNamesInVancouver},
    links: ['https://doi.org/10.5555/juc.2020.045', 'https://gardens.example.org/census', 'https://doi.org/10.5555/gardens.2022']
  },
  notes: {
    blocks: {
      p0: 'Tool libraries began as a neighbourhood commons.1 Volunteers gave more hours where tools were shared,2 as Jonas Müller3 found across twelve gardens.',
      p1: 'The census data are public,4 and French gardens show the same.5',
      p2: 'Pooling is not new.6 It lasts longest where the tool shed has a key holder.7',
      'note-1': 'Mara Okafor, Tool libraries and the making of neighbourhood commons (PhD thesis, Riverton University, 2019).',
      'note-2': 'Tomás Lindqvist and Anna Berg, Volunteer hours in urban gardens (Riverton City Council, RCC-2021-04, 2021), 12.',
      // In-text: the author is in the sentence, the note has the rest.
      'note-3': '“Shared soil: How gardens pool their tools,” Journal of Urban Commons 12 (2020).',
      'note-4': 'Community Garden Network, Garden census data portal (2022).',
      'note-5': 'Claire Dupont, “Les jardins partagés et la vie de quartier,” Revue des espaces urbains 7 (2018), 105.',
      // Later notes are short (author, short title), and the work just cited is "Ibid."
      'note-6': 'Müller, Shared soil, 50.',
      'note-7': 'Ibid., 51.',
      'ref-gardennet2022': 'Community Garden Network. Garden census data portal. (2022). https://doi.org/10.5555/gardens.2022.',
      'ref-dupont2018': 'Dupont, Claire. “Les jardins partagés et la vie de quartier.” Revue des espaces urbains 7 (2018).',
      'ref-lindqvist2021': 'Lindqvist, Tomás and Anna Berg. Volunteer hours in urban gardens. (Riverton City Council, RCC-2021-04, 2021).',
      'ref-mueller2020': 'Müller, Jonas. “Shared soil: How gardens pool their tools.” Journal of Urban Commons 12 (2020). https://doi.org/10.5555/juc.2020.045.',
      'ref-okafor2019': 'Okafor, Mara. Tool libraries and the making of neighbourhood commons. (PhD thesis, Riverton University, 2019).'
    },
    links: ['https://doi.org/10.5555/gardens.2022', 'https://doi.org/10.5555/juc.2020.045']
  }
}

const decode = (text: string): string =>
  text
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]+);/gi, (_, code: string) => String.fromCodePoint(Number.parseInt(code, 16)))
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
/** Text as a reader sees it: tags dropped, a numbered entry's number (its own `div`) set apart from its text. */
const plain = (html: string): string =>
  decode(html.replace(/<\/div>/g, ' </div>').replace(/<[^>]+>/g, ''))
    .replace(/\s+/g, ' ')
    .trim()

/** The page's blocks by the names `expected` uses: p0…, note-1…, ref-<key>. */
function blocksOf(html: string): Record<string, string> {
  const blocks: Record<string, string> = {}
  const main = html.slice(html.indexOf('<main'), html.indexOf('class="references'))
  const paragraphs = main.slice(0, main.search(/<section[^>]*class="footnotes/) === -1 ? undefined : main.search(/<section[^>]*class="footnotes/))
  ;[...paragraphs.matchAll(/<p>([\s\S]*?)<\/p>/g)].forEach((match, index) => (blocks[`p${index}`] = plain(match[1])))
  const notes = /<section[^>]*class="footnotes[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
  ;[...notes.matchAll(/<li id="[^"]*?(\d+)"[^>]*>([\s\S]*?)<\/li>/g)].forEach((match) => (blocks[`note-${match[1]}`] = plain(match[2].replace(/<a [^>]*data-footnote-backref[\s\S]*?<\/a>/g, ''))))
  for (const match of html.matchAll(/<div class="csl-entry" id="(ref-[^"]+)">([\s\S]*?)<\/div>\s*(?=<div class="csl-entry"|<\/div>)/g)) blocks[match[1]] = plain(match[2])
  return blocks
}

/** The PDF's text in reading order, lines joined and words broken by hyphenation (a soft hyphen) made whole. */
/** The PDF's text as one line: soft-hyphen breaks joined, and a line broken after a hyphen ("RCC-" / "2021-04") too. */
const pdfText = (layout: string): string => layout.replace(/\u00AD-?\s*/g, '').replace(/(\S-)\n\s*/g, '$1').replace(/\s+/g, ' ')

interface Build {
  run: CliRun
  html: string
  /** `pdftotext -layout`: lines as printed (undefined without poppler). */
  pdfLayout?: string
}

const builds = {} as Record<StyleName, Build>
const projects: string[] = []

beforeAll(() => {
  for (const style of Object.keys(cslOf) as StyleName[]) {
    const project = copyProject(fixture, `styles-${style}-`)
    projects.push(project)
    const csl = cslOf[style]
    if (csl) writeFileSync(path.join(project, 'manuscript.yaml'), `csl: ${csl}\n`)
    const run = runCli(['build', '--root', project])
    const html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
    const pdfLayout = hasTool('pdftotext') ? spawnSync('pdftotext', ['-layout', path.join(project, 'build/manuscript.pdf'), '-'], {encoding: 'utf8'}).stdout : undefined
    builds[style] = {run, html, pdfLayout}
  }
}, 300_000)

afterAll(() => projects.forEach(removeProject))

describe.each(Object.keys(cslOf) as StyleName[])('the fixture project in %s style', (style) => {
  const {blocks, links, differs = {}} = expected[style]

  it('builds HTML and PDF without a warning', () => {
    const {run} = builds[style]
    expect(run.stderr).toBe('')
    expect(run.stdout).toContain('0 errors, 0 warnings')
    expect(run.stdout).toContain('7 citations of 5 works')
    expect(run.stdout).toMatch(/wrote build\/manuscript\.pdf/)
  })

  it.each(Object.keys(blocks))('%s in the HTML reads as in pandoc', (name) => {
    expect(blocksOf(builds[style].html)[name], differs[name]).toBe(blocks[name])
  })

  it.each(Object.keys(blocks))('%s is in the PDF', (name) => {
    if (!builds[style].pdfLayout) return console.warn('pdftotext is not installed: the PDF is not read')
    // The PDF shows a note's number before its text, at the foot of the page; a paragraph's note marks are apart from their word.
    const text = name.startsWith('note-') ? `${name.slice(5)} ${blocks[name]}` : style === 'notes' && name.startsWith('p') ? blocks[name].replace(/(\D)(\d)(?=\s|$)/g, '$1 $2') : blocks[name]
    expect(pdfText(builds[style].pdfLayout)).toContain(text)
  })

  const linked = (html: string) => links.filter((url) => html.includes(`<a href="${url}"`))
  it('links each DOI and URL of the reference list', () => {
    expect(linked(builds[style].html)).toEqual(links)
  })
})

describe('second-field-align (Vancouver)', () => {
  it('keeps each number in its own block before the entry’s text, as citeproc-js and pandoc write it', () => {
    const entries = [...builds.numeric.html.matchAll(/<div class="csl-entry"[^>]*>\s*<div class="csl-left-margin">([^<]*)<\/div><div class="csl-right-inline">/g)]
    expect(entries.map((entry) => entry[1].trim())).toEqual(['1.', '2.', '3.', '4.', '5.'])
  })

  it('prints the number on the first line of its entry, beside the text, in the PDF', () => {
    const layout = builds.numeric.pdfLayout
    if (!layout) return console.warn('pdftotext is not installed: the PDF is not read')
    // The number used to stand on a line of its own above the entry.
    for (const [number, start] of [['1', 'Okafor M. Tool libraries'], ['2', 'Lindqvist T, Berg A.'], ['3', 'Müller J. Shared soil'], ['4', 'Community Garden Network.'], ['5', 'Dupont C. Les jardins']]) {
      expect(layout).toMatch(new RegExp(`^ *${number}\\. +${start}`, 'm'))
    }
    // Every following line of an entry starts under its text, not under its number.
    const referenceLines = layout.slice(layout.indexOf('References')).split('\n').slice(1)
    const textColumn = /^( *\d+\. +)/.exec(referenceLines.find((line) => /^ *1\./.test(line)) ?? '')?.[1].length
    const continuation = referenceLines.filter((line) => line.trim() !== '' && !/^ *\d+\. /.test(line) && !/^ *\d+ *$/.test(line))
    expect(continuation.length).toBeGreaterThan(0)
    for (const line of continuation) expect(line.length - line.trimStart().length, line).toBe(textColumn)
  })
})
