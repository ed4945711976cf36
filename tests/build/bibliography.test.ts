/**
 * The reference list as a reader of the built page meets it: where it goes (`<div id="refs"></div>` before an
 * appendix), one heading (the author's own when written), its entries (cited and `nocite`), and their links (DOIs
 * as links; with a style that prints no DOI, the title linked to it; none with `link-bibliography: false`).
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const projects: string[] = []
afterAll(() => projects.forEach(removeProject))

const houseNotes = readFileSync(path.join(import.meta.dirname, '../bibliography/fixtures/house-notes.csl'), 'utf8')

const references = [
  'references:',
  '- id: doe',
  '  type: article-journal',
  '  author: [{family: Doe, given: Jane}]',
  '  title: A study of links',
  '  container-title: Journal of Tests',
  '  issued: 2020',
  '  DOI: 10.1000/xyz123',
  '- id: roe',
  '  type: book',
  '  author: [{family: Roe, given: Rob}]',
  '  title: A book never cited',
  '  publisher: Press',
  '  issued: 2019'
]

async function buildPage(frontMatter: string[], body: string, files: Record<string, string> = {}) {
  const root = projectFromFiles({'manuscript/manuscript.md': ['---', ...frontMatter, ...references, '---', '', body].join('\n'), ...files}, 'bibliography-')
  projects.push(root)
  const result = await build({root, to: ['html']})
  const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
  const main = html.slice(html.indexOf('<main'), html.indexOf('</main>'))
  return {result, main}
}

/** The page's headings and its reference list in order: `# text` per heading, `list: first words of entries`. */
function outline(main: string): string[] {
  return [...main.matchAll(/<h(\d)[^>]*>([\s\S]*?)<\/h\1>|<div[^>]*class="references[^"]*"[^>]*>([\s\S]*?)<\/div>\s*<\/div>/g)].map((match) =>
    match[2] !== undefined
      ? `# ${match[2].replace(/<[^>]+>/g, '')}`
      : `list: ${[...match[3].matchAll(/class="csl-entry"[^>]*>([^,<]+)/g)].map((entry) => entry[1]).join(' / ')}`
  )
}

describe('the reference list on the built page', () => {
  it('goes into `<div id="refs"></div>` under the author’s heading, before the appendix, with nocite entries and DOI links', async () => {
    const {result, main} = await buildPage(["nocite: '@roe'"], 'Text [@doe].\n\n# References\n\n<div id="refs"></div>\n\n# Appendix\n\nMore.\n')
    expect(result.messages.filter((message) => message.fatal)).toEqual([])
    expect(outline(main)).toEqual(['# References', 'list: Doe / Roe', '# Appendix'])
    expect(main).toContain('<a href="https://doi.org/10.1000/xyz123">https://doi.org/10.1000/xyz123</a>')
  })

  it('gets one heading when the document ends with it, and the reference-section-title is the same', async () => {
    const {main} = await buildPage(['reference-section-title: References'], 'Text [@doe].\n\n# References\n')
    expect(outline(main)).toEqual(['# References', 'list: Doe'])
  })

  it('links the title to the DOI when the style does not print it', async () => {
    const {main} = await buildPage(['csl: house-notes.csl'], 'Text.[^1]\n\n[^1]: See @doe.\n', {'manuscript/house-notes.csl': houseNotes})
    const list = main.slice(main.indexOf('class="references'))
    expect(list).toMatch(/<a href="https:\/\/doi\.org\/10\.1000\/xyz123">(<i>)?A study of links(<\/i>)?<\/a>/)
  })

  it('has no links with `link-bibliography: false`', async () => {
    const {main} = await buildPage(['link-bibliography: false', "nocite: '[@*]'"], 'Text [@doe].\n')
    expect(outline(main)).toEqual(['# References', 'list: Doe / Roe'])
    expect(main).toContain('https://doi.org/10.1000/xyz123')
    expect(main).not.toContain('<a href="https://doi.org')
  })

  it('reports a `nocite` key the bibliography lacks where the front matter lists it', async () => {
    const {result, main} = await buildPage(["nocite: '[@roe; @nobody]'"], 'Text [@doe].\n')
    expect(outline(main)).toEqual(['# References', 'list: Doe / Roe'])
    const unknown = result.messages.filter((message) => message.ruleId === 'unknown-citation-key')
    expect(unknown.map((message) => [message.file, message.line, message.column, message.reason])).toEqual([
      ['manuscript/manuscript.md', 2, 17, "Unknown citation key 'nobody' in `nocite`: add it to the bibliography or fix the key"]
    ])
  })
})
