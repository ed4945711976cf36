/**
 * ProjectFiles keeps a build inside its project: paths that resolve outside it (`../`, absolute, through a symbolic
 * link) are refused unless their folder is allowed, files too large to be inputs are refused before they are read,
 * and text that is not UTF-8 is caught at its first bad byte.
 */
import {createHash} from 'node:crypto'
import {lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {loadConfig} from '../../pipeline/config/config.ts'
import {inputSizeLimits, OutsideProjectWriteError, ProjectFiles, RefusedInputError} from '../../pipeline/graph/project-files.ts'

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

/** A folder with `project/` and `outside/`, each holding the given files. */
function layout(files: Record<string, string | Buffer>): {root: string; outside: string} {
  const folder = mkdtempSync(path.join(tmpdir(), 'trust-confinement-'))
  folders.push(folder)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, file)), {recursive: true})
    writeFileSync(path.join(folder, file), content)
  }
  mkdirSync(path.join(folder, 'project'), {recursive: true})
  return {root: path.join(folder, 'project'), outside: path.join(folder, 'outside')}
}

describe('confinement', () => {
  it('reads files inside the project, and refuses ../ and absolute paths that leave it', () => {
    const {root, outside} = layout({'project/manuscript/a.md': 'A', 'outside/secret.md': 'secret'})
    const files = new ProjectFiles(root)
    expect(files.locate(['manuscript/a.md'], '<test>')).toEqual({found: 'manuscript/a.md'})
    expect(files.locate(['manuscript/../manuscript/a.md'], '<test>')).toEqual({found: 'manuscript/a.md'})
    for (const written of ['../outside/secret.md', path.join(outside, 'secret.md')]) {
      const location = files.locate([written], '<test>')
      expect(location.refused?.kind, written).toBe('outside-project')
      expect(location.refused?.message).toContain('is outside the project folder')
      expect(location.refused?.message).toContain('allowed-folders:')
      expect(files.isFile(written, '<test>')).toBe(false)
      expect(() => files.readText(written, '<test>')).toThrow(RefusedInputError)
    }
    // An absolute path is shown as written; a relative one as it resolves from the project.
    expect(files.locate([path.join(outside, 'secret.md')], '<test>').refused?.message).toContain(`\`${path.join(outside, 'secret.md')}\``)
    expect(files.locate(['../outside/secret.md'], '<test>').refused?.message).toContain('`../outside/secret.md`')
    expect(files.graph.hashes.size).toBe(0)
  })

  it('refuses a symbolic link that points outside, and follows one that stays inside', () => {
    const {root, outside} = layout({'project/manuscript/real.md': 'inside', 'outside/secret.md': 'secret'})
    symlinkSync(path.join(outside, 'secret.md'), path.join(root, 'manuscript/link.md'))
    symlinkSync('real.md', path.join(root, 'manuscript/alias.md'))
    symlinkSync(outside, path.join(root, 'linked-folder'))
    const files = new ProjectFiles(root)
    const refused = files.locate(['manuscript/link.md'], '<test>').refused
    expect(refused?.kind).toBe('outside-project')
    expect(refused?.message).toContain(`\`manuscript/link.md\` (a link to ${path.join(outside, 'secret.md')})`)
    expect(files.locate(['linked-folder/secret.md'], '<test>').refused?.kind).toBe('outside-project')
    expect(files.readText('manuscript/alias.md', '<test>')).toBe('inside')
  })

  it('prefers a candidate inside, and refuses only when every candidate leaves the project', () => {
    const {root} = layout({'project/x.md': 'root x', 'outside/x.md': 'outside x'})
    const files = new ProjectFiles(root)
    // `!INCLUDE "../x.md"` in manuscript/m.md: beside it is the project's x.md; from the root, the outside one.
    expect(files.locate(['x.md', '../x.md'], 'manuscript/m.md')).toEqual({found: 'x.md'})
    expect(files.locate(['manuscript/y.md', 'y.md'], 'manuscript/m.md')).toEqual({missing: ['manuscript/y.md', 'y.md']})
    expect(files.graph.missing.has('y.md')).toBe(true)
    expect(files.locate(['../nothing.md', '../../nothing.md'], 'manuscript/m.md').refused?.kind).toBe('outside-project')
  })

  it('reads from a folder the config allows, by relative or absolute path, links included', () => {
    const {root, outside} = layout({'outside/shared/notes.md': 'shared', 'outside/other/no.md': 'no', 'project/manuscript.yaml': 'allowed-folders: [../outside/shared]\n'})
    symlinkSync(path.join(outside, 'shared/notes.md'), path.join(root, 'notes-link.md'))
    const files = new ProjectFiles(root)
    const file = new VFile({path: 'manuscript.yaml'})
    expect(loadConfig(files, file).config.allowedFolders).toEqual(['../outside/shared'])
    expect(file.messages).toEqual([])
    expect(files.readText('../outside/shared/notes.md', '<test>')).toBe('shared')
    expect(files.readText(path.join(outside, 'shared/notes.md'), '<test>')).toBe('shared')
    expect(files.readText('notes-link.md', '<test>')).toBe('shared')
    expect(files.locate(['../outside/other/no.md'], '<test>').refused?.kind).toBe('outside-project')
    // The graph names the file by its path from the project, so the manifest holds no folder of this machine.
    expect(files.graph.files()).toEqual(['../outside/shared/notes.md', 'manuscript.yaml', 'notes-link.md'])
  })

  it('names files of allowed folders the same wherever the project is, as the config writes the folder', () => {
    const {root, outside} = layout({'outside/lab/refs.bib': '@book{a, title = {A}}', 'outside/shared/x.md': 'x', 'project/manuscript/m.md': 'm'})
    const files = new ProjectFiles(root)
    files.allowFolders([path.join(outside, 'lab'), '../outside/shared'])
    expect(files.portablePath('manuscript/m.md')).toBe('manuscript/m.md')
    expect(files.portablePath(path.join(outside, 'lab/refs.bib'))).toBe(`${path.join(outside, 'lab').split(path.sep).join('/')}/refs.bib`)
    expect(files.portablePath('../outside/shared/x.md')).toBe('../outside/shared/x.md')
  })

  it('refuses a file larger than an input may be, before reading it', () => {
    const {root} = layout({'project/manuscript/big.md': '', 'project/data/big.csv': '', 'project/manuscript/fine.md': 'fine'})
    truncateSync(path.join(root, 'manuscript/big.md'), inputSizeLimits.markdown + 1)
    truncateSync(path.join(root, 'data/big.csv'), inputSizeLimits.other + 1)
    const files = new ProjectFiles(root)
    const markdown = files.locate(['manuscript/big.md'], '<test>').refused
    expect(markdown?.kind).toBe('file-too-large')
    expect(markdown?.message).toMatch(/`manuscript\/big\.md` is 2\.0 MB, more than the 2\.0 MB a Markdown file may have\. Split it/)
    expect(files.locate(['data/big.csv'], '<test>').refused?.message).toMatch(/is 64 MB, more than the 64 MB a file may have/)
    expect(() => files.readBytes('data/big.csv', '<test>')).toThrow(RefusedInputError)
    expect(files.locate(['manuscript/fine.md'], '<test>')).toEqual({found: 'manuscript/fine.md'})
  })

  it('tells binary files and other encodings from UTF-8 text, at the first bad byte', () => {
    const {root} = layout({
      'project/utf8.md': 'Café ✓\n',
      'project/latin1.md': Buffer.from('First line\nA caf\xe9 here\n', 'latin1'),
      'project/image.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00]),
      'project/noise.md': Buffer.from(Array.from({length: 400}, (_, index) => (index * 37 + 11) % 256).filter((byte) => byte !== 0))
    })
    const files = new ProjectFiles(root)
    for (const name of ['utf8.md', 'latin1.md', 'image.md', 'noise.md']) files.readText(name, '<test>')
    expect(files.textProblem('utf8.md')).toBeUndefined()
    expect(files.textProblem('latin1.md')).toMatchObject({kind: 'encoding', line: 2, column: 6})
    expect(files.textProblem('latin1.md')?.message).toContain('byte 0xE9 ("é" in Latin-1) at line 2, column 6. Save the file as UTF-8')
    expect(files.textProblem('image.md')).toMatchObject({kind: 'binary', line: 3})
    expect(files.textProblem('noise.md')?.kind).toBe('binary')
  })

  it('refuses an output folder outside the project in the config', () => {
    const {root} = layout({'project/manuscript.yaml': 'output-dir: ../site\n'})
    const file = new VFile({path: 'manuscript.yaml'})
    expect(loadConfig(new ProjectFiles(root), file).config.outputDir).toBe('build')
    expect(file.messages.map((message) => [message.line, message.ruleId, message.reason])).toEqual([
      [1, 'config', 'Config key `output-dir` must be a folder inside the project (a build writes nowhere else), such as `build`; found "../site".']
    ])
  })

  it('writes only into real folders of the project: a link out of it on the way is refused, one inside followed', () => {
    const {root, outside} = layout({'outside/tables/keep.md': 'kept', 'project/data/generated/.keep': ''})
    symlinkSync(path.join(outside, 'tables'), path.join(root, 'tables'))
    symlinkSync('data/generated', path.join(root, 'figures'))
    const files = new ProjectFiles(root)
    expect(() => files.writeText('tables/m.md', 'table')).toThrow(OutsideProjectWriteError)
    expect(() => files.writeText('tables/m.md', 'table')).toThrow(/`tables` is a symbolic link \(to .*outside\/tables\).*Remove the link \(`rm tables`; what it points to stays\)/)
    expect(readdirSync(path.join(outside, 'tables'))).toEqual(['keep.md'])
    files.writeText('figures/f.md', 'inside')
    expect(readFileSync(path.join(root, 'data/generated/f.md'), 'utf8')).toBe('inside')
    expect(() => files.outputFolder('../elsewhere')).toThrow(/outside the project folder/)
  })

  it('removes an earlier output only in real folders of the project, only as it was written, never through a link', () => {
    const written = 'the copy'
    const hash = createHash('sha256').update(written).digest('hex')
    const {root, outside} = layout({'outside/images/a.svg': written, 'project/build/files/images/b.svg': written, 'project/build/files/images/c.svg': 'edited', 'project/build/files/fonts/f.woff2': 'font', 'project/build/files/link/.keep': ''})
    rmSync(path.join(root, 'build/files/link'), {recursive: true})
    symlinkSync(path.join(outside, 'images'), path.join(root, 'build/files/link'))
    const files = new ProjectFiles(root)
    expect(files.removeOutput('build/files/link/a.svg', hash, 'build/files')).toBe(false)
    expect(readFileSync(path.join(outside, 'images/a.svg'), 'utf8')).toBe(written)
    // Edited since it was written: a person's now.
    expect(files.removeOutput('build/files/images/c.svg', hash, 'build/files')).toBe(false)
    expect(files.removeOutput('build/files/images/b.svg', hash, 'build/files')).toBe(true)
    expect(readdirSync(path.join(root, 'build/files/images'))).toEqual(['c.svg'])
    expect(files.removeOutput('build/files/images/c.svg', createHash('sha256').update('edited').digest('hex'), 'build/files')).toBe(true)
    // The folder it leaves empty goes; the folder kept, and what else is in it, stay.
    expect(readdirSync(path.join(root, 'build/files')).sort()).toEqual(['fonts', 'link'])
    expect(files.removeOutput('../outside/images/a.svg', hash, 'build/files')).toBe(false)
    expect(files.removeOutput('build/files/missing.svg', hash, 'build/files')).toBe(false)
  })

  it('replaces a file that is a symbolic link by renaming over it, never writing through it', () => {
    const {root, outside} = layout({'outside/victim.html': 'the victim', 'project/build/.keep': ''})
    symlinkSync(path.join(outside, 'victim.html'), path.join(root, 'build/manuscript.html'))
    new ProjectFiles(root).writeOutput('build/manuscript.html', 'the output')
    expect(lstatSync(path.join(root, 'build/manuscript.html')).isSymbolicLink()).toBe(false)
    expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toBe('the output')
    expect(readFileSync(path.join(outside, 'victim.html'), 'utf8')).toBe('the victim')
    expect(readdirSync(path.join(root, 'build')).sort()).toEqual(['.keep', 'manuscript.html'])
  })

  it('finds any symbolic link in or above the output folder before a build writes, and nothing in a real one', () => {
    const {root, outside} = layout({'outside/x/.keep': '', 'project/build/manuscript_files/images/a.png': 'png', 'project/site/.keep': ''})
    const files = new ProjectFiles(root)
    expect(files.outputFolderProblem('build')).toBeUndefined()
    expect(files.outputFolderProblem('not-yet')).toBeUndefined()
    symlinkSync(outside, path.join(root, 'build/manuscript_files/images/deep'))
    expect(files.outputFolderProblem('build')).toMatch(/^`build\/manuscript_files\/images\/deep` is a symbolic link \(to .*outside\)/)
    rmSync(path.join(root, 'build/manuscript_files/images/deep'))
    symlinkSync('/etc/passwd', path.join(root, 'build/leak.html'))
    expect(files.outputFolderProblem('build')).toMatch(/^`build\/leak\.html` is a symbolic link \(to \/etc\/passwd\)/)
    symlinkSync('site', path.join(root, 'public'))
    expect(files.outputFolderProblem('public/out')).toMatch(/^`public` is a symbolic link \(to site\).*or choose another output folder with `output-dir:`/)
  })
})
