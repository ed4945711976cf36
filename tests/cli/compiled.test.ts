/**
 * The compiled CLI: its script (dist/manuscript.cjs) starts from the V8 code cache made for it, works without a
 * fitting one, and a process with other V8 flags runs the CLI's ES modules instead. The libraries a first build loads
 * on demand (citeproc-js, KaTeX, puppeteer-core for printing) run from their scripts with the caches made for them.
 */
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {describe, expect, it} from 'vitest'
import {projectFromFiles, removeProject, repoRoot} from '../support/project.ts'

const loader = pathToFileURL(path.join(repoRoot, 'bin/cli-script.mjs')).href

/** Runs `code` (given the loader's exports) in a fresh Node process, with `--help`'s output captured; its JSON result. */
function inFreshProcess<T>(code: string, env: Record<string, string> = {}): T {
  const script = `import(${JSON.stringify(loader)}).then(async (loading) => {
    const write = process.stdout.write.bind(process.stdout)
    let help = ''
    const helpOf = async (cli) => {
      process.stdout.write = (chunk) => { help += chunk; return true }
      await cli.main(['--help'])
      process.stdout.write = write
      return help
    }
    write(JSON.stringify(await (async () => { ${code} })()))
  })`
  const run = spawnSync(process.execPath, ['-e', script], {encoding: 'utf8', env: {...process.env, ...env}})
  expect(run.status, run.stderr).toBe(0)
  return JSON.parse(run.stdout) as T
}

describe('compiled CLI', () => {
  it('starts from the code cache that npm run compile made for this Node.js', () => {
    const loaded = inFreshProcess<{rejected: boolean; help: string}>(`
      const {cli, script} = loading.runCliScript(loading.cliCache)
      return {rejected: script.cachedDataRejected === true, help: await helpOf(cli)}`)
    expect(loaded.rejected).toBe(false)
    expect(loaded.help).toContain('Usage: manuscript <command>')
  })

  it('runs all the same when the code cache does not fit (a damaged file)', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'code-cache-'))
    try {
      const damaged = path.join(folder, 'manuscript.cache')
      writeFileSync(damaged, Buffer.alloc(4096, 7))
      const loaded = inFreshProcess<{rejected: boolean; help: string}>(`
        const {cli, script} = loading.runCliScript(${JSON.stringify(damaged)})
        return {rejected: script.cachedDataRejected === true, help: await helpOf(cli)}`)
      expect(loaded.rejected).toBe(true)
      expect(loaded.help).toContain('Usage: manuscript <command>')
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })

  it('runs its ES modules under V8 flags that no code cache was made for', () => {
    const loaded = inFreshProcess<{cache: string; help: string}>(
      `return {cache: loading.cliCache, help: await helpOf(await loading.loadCli())}`,
      {NODE_OPTIONS: '--max-old-space-size=3000'}
    )
    const plain = inFreshProcess<{cache: string}>(`return {cache: loading.cliCache}`)
    // Another tag names another cache, which compile.mjs did not make: the ES modules ran.
    expect(loaded.cache).not.toBe(plain.cache)
    expect(existsSync(loaded.cache)).toBe(false)
    expect(existsSync(plain.cache)).toBe(true)
    expect(loaded.help).toContain('Usage: manuscript <command>')
  })

  it('formats citations and typesets formulas with citeproc-js and KaTeX from their scripts and code caches', () => {
    const project = projectFromFiles({
      'manuscript/manuscript.md': '---\ntitle: Caches\nbibliography: refs.bib\n---\n\nAs @doe2020 shows, $e^{i\\pi} + 1 = 0$.\n',
      'manuscript/refs.bib': '@book{doe2020, author = {Doe, Jane}, title = {A Book}, publisher = {Press}, year = {2020}}\n'
    })
    try {
      const built = inFreshProcess<{status: number; libraries: {name: string; cached: boolean}[]; html: string}>(`
        const {cli} = loading.runCliScript(loading.cliCache)
        const write = process.stdout.write
        process.stdout.write = () => true
        const status = await cli.main(['build', '--root', ${JSON.stringify(project)}, '--to', 'html'])
        process.stdout.write = write
        const html = require('node:fs').readFileSync(${JSON.stringify(path.join(project, 'build/manuscript.html'))}, 'utf8')
        return {status, libraries: cli.libraryScripts().map(({name, cached}) => ({name, cached})), html}`)
      expect(built.status).toBe(0)
      expect(built.libraries).toEqual([
        {name: 'citeproc', cached: true},
        {name: 'katex', cached: true}
      ])
      expect(built.html).toContain('Doe (2020)')
      expect(built.html).toContain('class="katex"')
    } finally {
      removeProject(project)
    }
  })

  it('prints with puppeteer-core from its own script and code cache, which the CLI script does not carry', () => {
    const project = projectFromFiles({'manuscript/manuscript.md': '# Printed\n\nA page.\n'})
    try {
      const built = inFreshProcess<{status: number; libraries: {name: string; cached: boolean}[]}>(`
        const {cli} = loading.runCliScript(loading.cliCache)
        const write = process.stdout.write
        process.stdout.write = () => true
        const status = await cli.main(['build', '--root', ${JSON.stringify(project)}, '--to', 'html,pdf'])
        process.stdout.write = write
        return {status, libraries: cli.libraryScripts().map(({name, cached}) => ({name, cached}))}`)
      expect(built.status).toBe(0)
      expect(built.libraries).toEqual([{name: 'puppeteer-core', cached: true}])
      expect(readFileSync(path.join(project, 'build/manuscript.pdf')).subarray(0, 5).toString()).toBe('%PDF-')
      // An HTML build reads none of it: the CLI's script holds no puppeteer code.
      expect(readFileSync(path.join(repoRoot, 'dist/manuscript.cjs'), 'latin1')).not.toContain('puppeteer-core/lib')
    } finally {
      removeProject(project)
    }
  })
})
