/**
 * A machine that refuses a write (a full disk, a read-only file system, no permission) is an environment problem:
 * the build stops with a WriteFailedError (exit 2) naming the file and what to do, and every previous output is
 * still there, byte for byte, with no temporary file left behind. The failure is injected through the build's
 * `writeNewFile`, which writes the bytes of every new file.
 */
import {rmSync} from 'node:fs'
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
