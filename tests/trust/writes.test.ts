/**
 * What a build writes. A copy of an image or font already in the output folder is kept only when it has the bytes of
 * its source: one edited there (or shipped there with a cloned project) is replaced.
 *
 * A machine that refuses a write (a full disk, a read-only file system, no permission) is an environment problem:
 * the build stops with a WriteFailedError (exit 2) naming the file and what to do, and every previous output is
 * still there, byte for byte, with no temporary file left behind. The failure is injected through the build's
 * `writeNewFile`, which writes the bytes of every new file.
 */
import {readFileSync, rmSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {EnvironmentError} from '../../pipeline/cli/errors.ts'
import {writeNewFile, WriteFailedError, type NewFileWriter} from '../../pipeline/graph/write-atomically.ts'
import {goodProject, outputs} from './fixture-project.ts'

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

/** Fails as the machine would with `code` for files whose name contains `part`; writes the others. */
function failing(code: string, part = ''): NewFileWriter {
  return (file, content) => {
    if (!file.includes(part)) return writeNewFile(file, content)
    throw Object.assign(new Error(`${code}: simulated, write '${file}'`), {code, path: file})
  }
}

async function builtProject(name: string): Promise<{root: string; good: Map<string, string>}> {
  const {folder, root} = goodProject(name)
  folders.push(folder)
  expect((await build({root, to: ['html']})).written).toBe(true)
  return {root, good: outputs(root)}
}

describe('a write the machine refuses', () => {
  it.each([
    ['ENOSPC', 'the disk is full (ENOSPC). Free some space on it, then build again'],
    ['EROFS', 'the file system is read-only (EROFS). Build the project on a writable disk'],
    ['EACCES', 'permission denied (EACCES). Make the folder writable for you']
  ])('%s: an environment error naming the file, the previous outputs kept', async (code, says) => {
    const {root, good} = await builtProject(`write-${code}`)
    const error = await build({root, to: ['html'], writeNewFile: failing(code)}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(WriteFailedError)
    expect(error).toBeInstanceOf(EnvironmentError)
    expect((error as Error).message).toMatch(new RegExp(`^Cannot write build/\\S+: ${says.replace(/[().]/g, '\\$&')}.*the previous outputs are kept as they were\\.$`))
    expect(outputs(root)).toEqual(good)
  })

  it('when the HTML is the file that cannot be written: the previous HTML and manifest stay, nothing half-written', async () => {
    const {root, good} = await builtProject('write-html')
    const error = await build({root, to: ['html'], writeNewFile: failing('ENOSPC', '.manuscript.html.')}).catch((caught: unknown) => caught)
    expect((error as Error).message).toMatch(/^Cannot write build\/manuscript\.html: the disk is full \(ENOSPC\)/)
    expect(outputs(root)).toEqual(good)
  })
})

describe('outputs already in the output folder', () => {
  it('replaces an image copy whose bytes differ from its source, even when as large and newer', async () => {
    const {folder, root} = goodProject('writes-asset')
    folders.push(folder)
    const logo = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
    writeFileSync(path.join(root, 'manuscript/logo.svg'), logo)
    writeFileSync(path.join(root, 'manuscript/manuscript.md'), '# Paper\n\n![A logo](logo.svg)\n')
    expect((await build({root, to: ['html']})).written).toBe(true)
    const copy = path.join(root, 'build/manuscript_files/images/manuscript/logo.svg')
    expect(readFileSync(copy, 'utf8')).toBe(logo)
    writeFileSync(copy, logo.replace('rect', 'RECT'))
    utimesSync(copy, new Date(Date.now() + 3_600_000), new Date(Date.now() + 3_600_000))
    expect((await build({root, to: ['html']})).written).toBe(true)
    expect(readFileSync(copy, 'utf8')).toBe(logo)
  })
})
