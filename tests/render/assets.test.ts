/** Figures as the browser needs them: PDF figures through a sibling or a vector conversion, missing ones reported. */
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {PDFDocument, PDFName, PDFRawStream} from 'pdf-lib'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {imagesTransform} from '../../pipeline/render/assets.ts'
import {findBrowser} from '../../pipeline/render/browser.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {hasTool, repoRoot, runCli} from '../support/project.ts'

function projectWithFigure(withPng: boolean): string {
  const root = mkdtempSync(path.join(tmpdir(), 'assets-'))
  mkdirSync(path.join(root, 'manuscript'), {recursive: true})
  mkdirSync(path.join(root, 'figures'), {recursive: true})
  copyFileSync(path.join(repoRoot, 'figures/fig_hours.pdf'), path.join(root, 'figures/plot.pdf'))
  if (withPng) copyFileSync(path.join(repoRoot, 'figures/fig_hours.png'), path.join(root, 'figures/plot.png'))
  writeFileSync(path.join(root, 'manuscript/manuscript.md'), 'See @fig:plot.\n\n![A plot](figures/plot.pdf){#fig:plot}\n')
  return root
}

describe('PDF figures', () => {
  it('fall back to their PNG sibling when pdftocairo is not installed', () => {
    const root = projectWithFigure(true)
    expect(runCli(['build', '--root', root, '--to', 'html'], {env: {PATH: path.join(root, 'no-tools')}}).status).toBe(0)
    expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toContain('src="manuscript_files/images/figures/plot.png"')
    expect(existsSync(path.join(root, 'build/manuscript_files/images/figures/plot.png'))).toBe(true)
  })

  it.runIf(hasTool('pdftocairo'))('are converted to vector SVG with pdftocairo, even when a PNG sibling exists', () => {
    const root = projectWithFigure(true)
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(0)
    expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toContain('src="manuscript_files/images/figures/plot.svg"')
    const svg = readFileSync(path.join(root, 'build/manuscript_files/images/figures/plot.svg'), 'utf8')
    expect(svg).toContain('<svg')
    // Vector, not a bitmap wrapped in SVG: the plot's circles and axis text become paths.
    expect(svg).toMatch(/<path/)
  })

  it('without a sibling or pdftocairo, are an error that says what to install', () => {
    const root = projectWithFigure(false)
    // A PATH without poppler: the machine of an author who has not installed it.
    const run = runCli(['build', '--root', root, '--to', 'html'], {env: {PATH: path.join(root, 'no-tools')}})
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/manuscript\/manuscript\.md:3:1\s+error\s+Cannot show PDF figure "figures\/plot\.pdf".*poppler-utils/)
  })
})

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

const printing = await findBrowser().then(
  () => true,
  () => false
)

describe('names with #, ?, %, spaces, quotes and parentheses', () => {
  it('give URLs that lead to the files: the figure and the fonts are in the HTML page and the PDF', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-names-'))
    folders.push(root)
    const figure = "figures/plots #1?/share (100%) it's.png"
    mkdirSync(path.join(root, 'manuscript', path.dirname(figure)), {recursive: true})
    copyFileSync(path.join(repoRoot, 'figures/fig_hours.png'), path.join(root, 'manuscript', figure))
    writeFileSync(path.join(root, 'manuscript/draft #2.md'), `# Paper\n\n![Hours](<${figure}>){#fig:hours}\n\nSee @fig:hours.\n`)
    const result = await build({root, to: printing ? ['html', 'pdf'] : ['html']})
    expect(result.messages.map((message) => message.reason)).toEqual([])
    expect(result.outputs).toEqual(printing ? ['build/draft #2.html', 'build/draft #2.pdf'] : ['build/draft #2.html'])

    const html = readFileSync(path.join(root, 'build/draft #2.html'), 'utf8')
    const sources = [...html.matchAll(/<img src="([^"]+)"/g)].map((match) => match[1])
    const fonts = [...html.matchAll(/url\('([^']+)'\)/g)].map((match) => match[1])
    expect(sources).toEqual(["draft%20%232_files/images/manuscript/figures/plots%20%231%3F/share%20(100%25)%20it's.png".replace(/[()']/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`)])
    expect(fonts.length).toBeGreaterThan(10)
    // Each URL, resolved as a browser does from the page, is a file.
    const page = pathToFileURL(path.join(root, 'build/draft #2.html'))
    for (const url of [...sources, ...fonts]) expect(existsSync(fileURLToPath(new URL(url, page))), url).toBe(true)
    if (!printing) return
    // The figure is printed: the PDF holds an image.
    const pdf = await PDFDocument.load(readFileSync(path.join(root, 'build/draft #2.pdf')))
    const images = pdf.context.enumerateIndirectObjects().filter(([, object]) => object instanceof PDFRawStream && object.dict.get(PDFName.of('Subtype')) === PDFName.of('Image'))
    expect(images.length).toBeGreaterThan(0)
  })

  it('are found when written as a URL, %-escaped', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-escaped-'))
    folders.push(root)
    mkdirSync(path.join(root, 'manuscript/figures'), {recursive: true})
    copyFileSync(path.join(repoRoot, 'figures/fig_hours.png'), path.join(root, 'manuscript/figures/plot #1.png'))
    const markdown = '![Hours](figures/plot%20%231.png)\n'
    const file = new VFile({path: 'manuscript/manuscript.md'})
    const tree = parseMarkdown(markdown, 'manuscript/manuscript.md')
    const copies = imagesTransform(tree, file, {files: new ProjectFiles(root), assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache')})
    expect(file.messages).toEqual([])
    expect(copies.map((copy) => copy.to)).toEqual(['images/manuscript/figures/plot #1.png'])
  })
})
