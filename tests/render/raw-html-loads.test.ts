/**
 * What the author's raw HTML would make the printed page load, reported where it is written: remote files, files
 * outside the output folder or behind a link out of it, a refresh; and, in a build, whatever the printed page asked
 * for and was refused that the check before printing could not see.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {findBrowser} from '../../pipeline/render/browser.ts'
import {checkRawHtmlLoads, cssUrls} from '../../pipeline/render/raw-html-loads.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'

const scratch = mkdtempSync(path.join(tmpdir(), 'raw-html-loads-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

describe('cssUrls', () => {
  it('finds url(), @import and image-set() in every spelling, and not what a comment or a string hides', () => {
    const css = [
      '@import "a.css";',
      "@import url('b.css') print;",
      'p { background: url( c.png ) }',
      'q { background: URL("d.png"), image-set("e.png" 1x, url(f.png) 2x) }',
      '/* url(hidden.png) @import "hidden.css"; */',
      'r { content: "url(not-a-url.png)"; font-family: "@import"; }',
      's { background: url("g\\2e png") }'
    ].join('\n')
    expect(cssUrls(css).map((found) => found.url)).toEqual(['a.css', 'b.css', 'c.png', 'd.png', 'e.png', 'f.png', 'g.png'])
    expect(cssUrls(css)[0]).toEqual({url: 'a.css', index: 8})
  })

  it('ends on CSS cut short, and takes time in proportion to its length', () => {
    expect(cssUrls('p { background: url(unclosed').map((found) => found.url)).toEqual(['unclosed'])
    expect(cssUrls('@import "unclosed').map((found) => found.url)).toEqual(['unclosed'])
    // Comments and url( openers never closed: a scan that looked ahead from each would take minutes.
    const hostile = '/*url("'.repeat(150_000)
    const started = performance.now()
    cssUrls(hostile)
    cssUrls('url('.repeat(250_000))
    expect((performance.now() - started) / 1000).toBeLessThan(5)
  })
})

describe('checkRawHtmlLoads', () => {
  const root = path.join(scratch, 'project')
  const output = {folder: path.join(root, 'build'), shown: 'build'}
  mkdirSync(path.join(output.folder, 'a folder'), {recursive: true})
  writeFileSync(path.join(output.folder, 'kept.html'), '<p>A page kept in the output folder.</p>')
  writeFileSync(path.join(scratch, 'secret.txt'), 'secret')
  symlinkSync(path.join(scratch, 'secret.txt'), path.join(output.folder, 'leak.html'))
  symlinkSync('kept.html', path.join(output.folder, 'alias.html'))
  symlinkSync('nowhere.html', path.join(output.folder, 'dangling.html'))

  function problems(markdown: string): string[] {
    const file = new VFile({path: 'manuscript.md'})
    checkRawHtmlLoads(parseMarkdown(markdown, 'manuscript.md'), file, output)
    return file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.fatal ? 'error' : 'warning'} ${message.reason}`)
  }

  it('lets the page load regular files of the output folder, links among them, and files that are not there', () => {
    expect(problems('<iframe src="kept.html"></iframe>\n\n<iframe src="alias.html"></iframe>\n\n<img src="missing.png">\n\n<a href="../elsewhere.html">a link</a>\n')).toEqual([])
  })

  it('refuses a link out of the output folder, a dangling link, a folder and a path out of it, each at its element', () => {
    const found = problems('<iframe src="leak.html"></iframe>\n\nText <img src="dangling.html"> and <iframe src="a%20folder/"></iframe>.\n\n<img src="file:///etc/hostname">\n')
    expect(found.map((each) => each.split(' ').slice(0, 3).join(' '))).toEqual(['1:1 refused-load error', '3:6 refused-load error', '3:36 refused-load error', '5:1 refused-load error'])
    expect(found[0]).toContain(`"leak.html", a symbolic link in the output folder \`build/\` to ${path.join(scratch, 'secret.txt')}, outside it.`)
    expect(found[1]).toContain('"dangling.html", a symbolic link in the output folder `build/` that points nowhere.')
    expect(found[2]).toContain('"a%20folder/", which is a folder.')
    expect(found[3]).toContain('"file:///etc/hostname", which is outside the output folder `build/`')
  })

  it('reports remote files loaded by CSS, SVG and frames inside srcdoc, at the URL in a <style>', () => {
    const found = problems(
      [
        '<style>',
        'p { color: red }',
        'h1 { background: url(https://example.org/a.png) }',
        '</style>',
        '',
        '<iframe srcdoc="<img src=\'https://example.org/b.png\'>"></iframe>',
        '',
        'An <image href="https://example.org/c.png"/> drawn.',
        ''
      ].join('\n')
    )
    expect(found.map((each) => each.split(' loads ')[0])).toEqual([
      '3:18 remote-resource error Raw HTML <style>',
      '6:1 remote-resource error Raw HTML <img> in the srcdoc of <iframe>',
      '8:4 remote-resource error Raw HTML <image>'
    ])
  })

  it('warns of a refresh: the PDF ignores it, the HTML page keeps it', () => {
    expect(problems('<meta http-equiv="Refresh" content="5; URL=\'next.html\'">\n')).toEqual([
      `1:1 meta-refresh warning Raw HTML <meta http-equiv="refresh"> sends the page to next.html after 5 s. The printed PDF ignores it; the HTML page keeps it, and a reader's browser follows it. Remove it, or write a link instead.`
    ])
  })
})

const printing = await findBrowser().then(
  () => true,
  () => false
)

describe.runIf(printing)('a build whose page asks for a file the check before printing cannot see', () => {
  it('reports it as an error at the raw HTML that loads the file that asked, and keeps the last PDF', async () => {
    const project = path.join(scratch, 'imports')
    mkdirSync(path.join(project, 'manuscript'), {recursive: true})
    writeFileSync(path.join(project, 'manuscript/manuscript.md'), '# Paper\n\nText.\n')
    expect((await build({root: project, to: ['html', 'pdf']})).written).toBe(true)
    const lastPdf = readFileSync(path.join(project, 'build/manuscript.pdf'))
    // A stylesheet the author keeps in the output folder, which imports a file outside it (a link there is refused
    // before the build starts, see tests/trust/fixtures/output-symlink-outside).
    writeFileSync(path.join(project, 'build/house.css'), '@import "../leak.css";\n')
    writeFileSync(path.join(project, 'leak.css'), 'body { color: red }')
    writeFileSync(path.join(project, 'manuscript/manuscript.md'), '# Paper\n\nText.\n\n<link rel="stylesheet" href="house.css">\n')
    const result = await build({root: project, to: ['html', 'pdf']})
    expect(result.written).toBe(false)
    expect(result.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.fatal}`)).toEqual(['5:1 refused-load true'])
    expect(result.messages[0].reason).toContain('The printed page asked for leak.css, which was refused (it is not a regular file inside the output folder `build/`)')
    expect(readFileSync(path.join(project, 'build/manuscript.pdf')).equals(lastPdf)).toBe(true)
  })
})
