/** The compiled CLI (dist/manuscript.cjs) starts from V8's code cache made for it, and works without a fitting one. */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {repoRoot} from '../support/project.ts'

const loader = pathToFileURL(path.join(repoRoot, 'bin/cli-script.mjs')).href

/** Loads the CLI in a fresh Node process (with `cache` as its code cache, if given) and runs `--help`. */
function loadAndRun(cache?: string): {rejected: boolean; help: string} {
  const script = `import(${JSON.stringify(loader)}).then(async ({loadCli}) => {
    const {cli, script} = loadCli(...${JSON.stringify(cache === undefined ? [] : [cache])})
    const write = process.stdout.write.bind(process.stdout)
    let help = ''
    process.stdout.write = (chunk) => { help += chunk; return true }
    await cli.main(['--help'])
    process.stdout.write = write
    write(JSON.stringify({rejected: script.cachedDataRejected === true, help}))
  })`
  const run = spawnSync(process.execPath, ['-e', script], {encoding: 'utf8'})
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout)
}

describe('compiled CLI', () => {
  it('starts from the code cache that npm run compile made for this Node.js', () => {
    const loaded = loadAndRun()
    expect(loaded.rejected).toBe(false)
    expect(loaded.help).toContain('Usage: manuscript <command>')
  })

  it('runs all the same when the code cache does not fit (another Node.js, a damaged file)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'code-cache-'))
    try {
      const damaged = path.join(folder, 'manuscript.cache')
      writeFileSync(damaged, Buffer.alloc(4096, 7))
      const loaded = loadAndRun(damaged)
      expect(loaded.rejected).toBe(true)
      expect(loaded.help).toContain('Usage: manuscript <command>')
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })
})
