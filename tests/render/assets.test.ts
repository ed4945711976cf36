/**
 * Figures as the browser needs them: PDF figures through a sibling or a vector conversion (under time and memory
 * limits, cancellable), missing ones reported.
 */
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Root} from 'mdast'
import {PDFDocument, PDFName, PDFRawStream} from 'pdf-lib'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {convertPdfFigures, imagesTransform} from '../../pipeline/render/assets.ts'
import {findBrowser} from '../../pipeline/render/browser.ts'
import {onPath} from '../../pipeline/render/executables.ts'
import {runLimited} from '../../pipeline/render/limited-process.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {inflatingPdf} from '../support/pdf-bomb.ts'
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

/** A project (under `folders`) with a figure that inflates to `megabytes` MB, and what imagesTransform needs. */
function projectWithBomb(megabytes: number): {root: string; bomb: string; tree: Root; file: VFile; files: ProjectFiles} {
  const root = mkdtempSync(path.join(tmpdir(), 'assets-bomb-'))
  folders.push(root)
  mkdirSync(path.join(root, 'manuscript/figures'), {recursive: true})
  const bomb = path.join(root, 'manuscript/figures/bomb.pdf')
  writeFileSync(bomb, inflatingPdf(megabytes))
  const markdown = '# Paper\n\n![A figure R wrote](figures/bomb.pdf)\n'
  writeFileSync(path.join(root, 'manuscript/manuscript.md'), markdown)
  return {root, bomb, tree: parseMarkdown(markdown, 'manuscript/manuscript.md'), file: new VFile({path: 'manuscript/manuscript.md'}), files: new ProjectFiles(root)}
}

/** Processes whose command line names `file` (Linux: read from /proc). */
/** The processes whose command line names `file`, with their program's name, read before their limits. */
function processesNaming(file: string): {pid: number; command: string; limits: string}[] {
  const found: {pid: number; command: string; limits: string}[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0').includes(file)) continue
      const command = readFileSync(`/proc/${entry}/comm`, 'latin1').trim()
      found.push({pid: Number(entry), command, limits: readFileSync(`/proc/${entry}/limits`, 'latin1')})
    } catch {
      // Gone meanwhile.
    }
  }
  return found
}

async function waitFor<T>(probe: () => T | undefined, milliseconds = 10_000): Promise<T> {
  const deadline = Date.now() + milliseconds
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('waited in vain')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

const limits = {cpuSeconds: 1, memoryBytes: 1024 ** 3, outputBytes: 64 * 1024 ** 2}
const onLinuxWithPrlimit = process.platform === 'linux' && onPath('prlimit') !== undefined

describe.runIf(hasTool('pdftocairo'))('a PDF figure that inflates to gigabytes', () => {
  it('is stopped at the time limit, with an error naming the figure and what to do', async () => {
    // 2 GB inside 2 MB: pdftocairo reads it for some 20 s (11 s of CPU) on the test machine, unlimited.
    const {tree, file, files, root} = projectWithBomb(2048)
    const options = {files, assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache'), conversionLimits: limits, failedConversions: new Map<string, string>()}
    const started = performance.now()
    await convertPdfFigures(tree, file, options)
    imagesTransform(tree, file, options)
    expect((performance.now() - started) / 1000).toBeLessThan(10)
    expect(file.messages.map((message) => [message.ruleId, message.line, message.fatal])).toEqual([['figure-conversion', 3, true]])
    expect(file.messages[0].reason).toMatch(/Cannot show PDF figure "manuscript\/figures\/bomb\.pdf".*more than the 1 s a figure may take.*export a smaller PDF.*Export the figure as SVG or PNG next to the PDF/)
    // Not converted a second time by imagesTransform, and nothing left in the cache.
    expect(readdirSync(path.join(root, 'build/.cache'))).toEqual([])
  })

  it('is stopped at the time limit when converted without waiting, too', () => {
    const {tree, file, files, root} = projectWithBomb(2048)
    imagesTransform(tree, file, {files, assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache'), conversionLimits: limits})
    expect(file.messages.map((message) => message.ruleId)).toEqual(['figure-conversion'])
    expect(file.messages[0].reason).toContain('more than the 1 s a figure may take')
  })

  it.runIf(onLinuxWithPrlimit)('runs pdftocairo under limits the kernel enforces, which outlive this process', async () => {
    const {bomb} = projectWithBomb(2048)
    const output = path.join(path.dirname(bomb), 'out.svg')
    const running = runLimited('pdftocairo', ['-svg', bomb, output], {limits: {cpuSeconds: 2, memoryBytes: 512 * 1024 ** 2, outputBytes: 8 * 1024 ** 2}})
    // prlimit names the file too while it sets the limits one by one, then becomes pdftocairo: read the limits
    // of pdftocairo itself (its name read first, so the limits read after it are final).
    const [child] = await waitFor(() => {
      const found = processesNaming(bomb).filter((process) => process.command === 'pdftocairo')
      return found.length > 0 ? found : undefined
    })
    // The process is pdftocairo itself (prlimit became it), with soft and hard limits.
    expect(child.limits).toMatch(/Max cpu time\s+2\s+3\s+seconds/)
    expect(child.limits).toMatch(new RegExp(`Max address space\\s+${512 * 1024 ** 2}\\s+${512 * 1024 ** 2}\\s+bytes`))
    expect(child.limits).toMatch(new RegExp(`Max file size\\s+${8 * 1024 ** 2}\\s+${8 * 1024 ** 2}\\s+bytes`))
    expect(await running).toEqual({outcome: 'limit', limit: 'time'})
  })

  it('is killed at once when the build is cancelled, and the build rejects with the reason', async () => {
    const {root, bomb} = projectWithBomb(2048)
    const controller = new AbortController()
    const building = build({root, to: ['html'], signal: controller.signal})
    const outcome = building.then(
      () => 'built',
      (error: unknown) => error
    )
    if (process.platform === 'linux') await waitFor(() => (processesNaming(bomb).length > 0 ? true : undefined))
    else await new Promise((resolve) => setTimeout(resolve, 500))
    const cancelled = performance.now()
    controller.abort(new Error('cancelled by the test'))
    expect(await outcome).toEqual(new Error('cancelled by the test'))
    expect((performance.now() - cancelled) / 1000).toBeLessThan(5)
    if (process.platform === 'linux') await waitFor(() => (processesNaming(bomb).length === 0 ? true : undefined), 2000)
    expect(existsSync(path.join(root, 'build/manuscript.html'))).toBe(false)
  })

  it('is not started when the build is already cancelled', () => {
    const {tree, file, files, root} = projectWithBomb(1)
    const controller = new AbortController()
    controller.abort(new Error('cancelled before'))
    expect(() => imagesTransform(tree, file, {files, assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache'), signal: controller.signal})).toThrow('cancelled before')
  })
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

describe('SVG figures', () => {
  // Each build checks that an SVG is well-formed XML; the verdict is kept in the derived cache by the file's content.
  it('are checked again when their content changes, with the verdict cached', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-svg-'))
    folders.push(root)
    mkdirSync(path.join(root, 'manuscript/figures'), {recursive: true})
    const figure = path.join(root, 'manuscript/figures/plot.svg')
    const cache = new DerivedCache(path.join(root, 'build/.cache'), 'test-version', {secret: 'test-secret'})
    const imagesOf = () => {
      const file = new VFile({path: 'manuscript/manuscript.md'})
      const tree = parseMarkdown('![Plot](figures/plot.svg)\n', 'manuscript/manuscript.md')
      imagesTransform(tree, file, {files: new ProjectFiles(root), assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache'), cache})
      return file.messages.map((message) => message.reason)
    }
    writeFileSync(figure, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n')
    expect(imagesOf()).toEqual([])
    expect(readdirSync(path.join(root, 'build/.cache')).filter((name) => name.startsWith('svg-check-'))).toHaveLength(1)
    expect(imagesOf()).toEqual([])
    // Cut short, as an interrupted export leaves it.
    writeFileSync(figure, '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10"')
    const damaged = imagesOf()
    expect(damaged).toHaveLength(1)
    expect(damaged[0]).toMatch(/Image "manuscript\/figures\/plot\.svg" is not a valid SVG file .*Export the figure again/)
    expect(imagesOf()).toEqual(damaged)
  })
})

describe('fonts and styles copied beside the HTML', () => {
  it('are KaTeX\'s only once the manuscript has a formula, and are every file the page loads', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-katex-'))
    mkdirSync(path.join(root, 'manuscript'))
    const entry = path.join(root, 'manuscript/manuscript.md')
    const assetFolder = path.join(root, 'build/manuscript_files')
    const loadedFiles = () => {
      const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
      return [...html.matchAll(/url\('manuscript_files\/([^']+)'\)/g)].map((match) => decodeURIComponent(match[1]))
    }
    writeFileSync(entry, '# Prices\n\nThe price rose by a tenth.\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    expect(existsSync(path.join(assetFolder, 'fonts/source-serif-4-latin-400-normal.woff2'))).toBe(true)
    expect(existsSync(path.join(assetFolder, 'katex'))).toBe(false)
    expect(loadedFiles().some((file) => file.startsWith('katex/'))).toBe(false)
    writeFileSync(entry, '# Prices\n\nThe price rose by $\\frac{1}{10}$.\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    const loaded = loadedFiles()
    expect(loaded).toContain('katex/fonts/KaTeX_Main-Regular.woff2')
    for (const file of loaded) expect(existsSync(path.join(assetFolder, file)), file).toBe(true)
    rmSync(root, {recursive: true, force: true})
  })

  it('are removed once the page no longer uses them, unless a person put them there or edited them', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-stale-'))
    mkdirSync(path.join(root, 'manuscript/figures'), {recursive: true})
    const svg = (size: number) => `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}"/></svg>\n`
    writeFileSync(path.join(root, 'manuscript/figures/a.svg'), svg(10))
    writeFileSync(path.join(root, 'manuscript/figures/b.svg'), svg(20))
    const entry = path.join(root, 'manuscript/manuscript.md')
    const assets = path.join(root, 'build/manuscript_files')
    const images = path.join(assets, 'images/manuscript/figures')
    writeFileSync(entry, '# Prices\n\n![A](figures/a.svg)\n\n![B](figures/b.svg)\n\nBy $\\frac{1}{10}$.\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    expect(readdirSync(images).sort()).toEqual(['a.svg', 'b.svg'])
    expect(existsSync(path.join(assets, 'katex/fonts/KaTeX_Main-Regular.woff2'))).toBe(true)
    // A file of the author's beside the copies, and a copy the author edited.
    writeFileSync(path.join(assets, 'notes.txt'), 'mine\n')
    writeFileSync(path.join(images, 'b.svg'), svg(30))
    writeFileSync(entry, '# Prices\n\nBy a tenth.\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    expect(existsSync(path.join(images, 'a.svg'))).toBe(false)
    expect(readFileSync(path.join(images, 'b.svg'), 'utf8')).toBe(svg(30))
    expect(readFileSync(path.join(assets, 'notes.txt'), 'utf8')).toBe('mine\n')
    // KaTeX's fonts are gone with their folders; the page's own fonts stay.
    expect(existsSync(path.join(assets, 'katex'))).toBe(false)
    expect(existsSync(path.join(assets, 'fonts/source-serif-4-latin-400-normal.woff2'))).toBe(true)
    rmSync(root, {recursive: true, force: true})
  })

  it('are never removed through a link out of the project', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-stale-link-'))
    const outside = mkdtempSync(path.join(tmpdir(), 'assets-outside-'))
    mkdirSync(path.join(root, 'manuscript/figures'), {recursive: true})
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
    writeFileSync(path.join(root, 'manuscript/figures/a.svg'), svg)
    const entry = path.join(root, 'manuscript/manuscript.md')
    writeFileSync(entry, '# Prices\n\n![A](figures/a.svg)\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    // The copies' folder replaced by a link to a folder outside holding a file with the same bytes.
    const images = path.join(root, 'build/manuscript_files/images')
    rmSync(images, {recursive: true})
    mkdirSync(path.join(outside, 'manuscript/figures'), {recursive: true})
    writeFileSync(path.join(outside, 'manuscript/figures/a.svg'), svg)
    symlinkSync(outside, images)
    writeFileSync(entry, '# Prices\n\nNo figure now.\n')
    const built = await build({root, to: ['html']})
    expect(built.messages.map((message) => message.ruleId)).toContain('outside-project')
    expect(readFileSync(path.join(outside, 'manuscript/figures/a.svg'), 'utf8')).toBe(svg)
    rmSync(root, {recursive: true, force: true})
    rmSync(outside, {recursive: true, force: true})
  })

  it('follow the formulas through a watch session, where blocks with formulas are kept from build to build', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-katex-session-'))
    mkdirSync(path.join(root, 'manuscript'))
    const entry = path.join(root, 'manuscript/manuscript.md')
    const session = new ProjectSession({keepsBuilds: true})
    const loadsKatex = async (markdown: string) => {
      writeFileSync(entry, markdown)
      expect((await build({root, to: ['html'], session})).written).toBe(true)
      return readFileSync(path.join(root, 'build/manuscript.html'), 'utf8').includes('katex/fonts/KaTeX_Main-Regular.woff2')
    }
    expect(await loadsKatex('# Prices\n\nBy a tenth.\n\nThe price rose.\n')).toBe(false)
    expect(await loadsKatex('# Prices\n\nBy $\\frac{1}{10}$.\n\nThe price rose.\n')).toBe(true)
    // The paragraph with the formula is kept as it was converted; the one edited after it holds none.
    expect(await loadsKatex('# Prices\n\nBy $\\frac{1}{10}$.\n\nThe price rose sharply.\n')).toBe(true)
    expect(await loadsKatex('# Prices\n\nBy a tenth.\n\nThe price rose sharply.\n')).toBe(false)
    rmSync(root, {recursive: true, force: true})
  })

  it('are copied again where a copy was edited since the last build, though the build kept their hashes', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'assets-copies-'))
    mkdirSync(path.join(root, 'manuscript'))
    writeFileSync(path.join(root, 'manuscript/manuscript.md'), '# Fonts\n\nSome *text*.\n')
    // The compiled CLI keeps the copies' hashes in its derived cache once their times are two seconds old.
    expect(runCli(['build', '--root', root, '--to', 'html']).status).toBe(0)
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(runCli(['build', '--root', root, '--to', 'html']).status).toBe(0)
    expect(readFileSync(path.join(root, 'build/.cache/file-hashes.json'), 'utf8')).toContain('source-serif-4-latin-400-normal.woff2')
    const copy = path.join(root, 'build/manuscript_files/fonts/source-serif-4-latin-400-normal.woff2')
    const original = readFileSync(copy)
    // The same size, and the modification time set back: only the change time tells.
    const {mtime} = statSync(copy)
    writeFileSync(copy, Buffer.alloc(original.length, 0x20))
    utimesSync(copy, mtime, mtime)
    expect(runCli(['build', '--root', root, '--to', 'html']).status).toBe(0)
    expect(readFileSync(copy).equals(original)).toBe(true)
    rmSync(root, {recursive: true, force: true})
  }, 60_000)
})
