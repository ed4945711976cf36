/**
 * `manuscript watch` as an author runs it: the compiled CLI in its own process on a temporary copy of the sample.
 * It prints the preview's URL and one line per rebuild, stays alive through broken states, and Ctrl-C ends it at
 * once, with no browser process left behind.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {createServer} from 'node:net'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {alive, descendants} from '../support/cli-process.ts'
import {removeProject, repoRoot, runCli} from '../support/project.ts'
import {copySample, waitFor} from './support.ts'

let project: string
let child: ChildProcessWithoutNullStreams
let output = ''
let exited: {code: number | null; at: number} | undefined
const file = (name: string) => path.join(project, name)
const read = (name: string) => readFileSync(file(name), 'utf8')

/** Lines printed after `mark` (a length of `output`). */
const printedSince = (mark: number) => output.slice(mark)

async function save(name: string, text: string, expected: RegExp): Promise<string> {
  const mark = output.length
  writeFileSync(file(name), text)
  return waitFor(() => expected.exec(printedSince(mark))?.[0], 30_000, `${expected} in the output:\n${printedSince(mark)}`)
}

beforeAll(async () => {
  project = copySample('watch-cli-')
  child = spawn(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), 'watch', '--root', project, '--port', '0', '--no-open'], {env: {...process.env, NO_COLOR: '1'}})
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  child.on('exit', (code) => (exited = {code, at: Date.now()}))
  await waitFor(() => /Press Ctrl-C to stop/.test(output) || exited, 90_000, 'the session to start')
}, 120_000)

afterAll(async () => {
  // A test that failed early leaves the session running: end it as Ctrl-C does (which ends its browser), else kill it.
  if (child?.pid && alive(child.pid)) {
    const below = descendants(child.pid)
    child.kill('SIGINT')
    await waitFor(() => exited, 5000, 'the process to exit').catch(() => undefined)
    for (const pid of [child.pid, ...below]) if (alive(pid)) process.kill(pid, 'SIGKILL')
  }
  removeProject(project)
})

describe.runIf(process.platform === 'linux')('manuscript watch', () => {
  it('builds, prints the preview URL on 127.0.0.1 and serves the page with the live-reload script', async () => {
    expect(exited).toBeUndefined()
    expect(output).toMatch(/first build: .*html written.*0 errors/)
    const url = /Preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(output)?.[1]
    expect(url).toBeDefined()
    const page = await (await fetch(url!)).text()
    expect(page).toContain('Shared Soil')
    const script = /<script data-manuscript-watch>([\s\S]*?)<\/script>/.exec(page)?.[1]
    // The compiled client is valid JavaScript (its browser behaviour is tested in preview-browser.test.ts).
    expect(() => new Function(script!)).not.toThrow()
    expect(read('build/manuscript.html')).not.toContain('data-manuscript-watch')
  })

  it('prints one line per rebuild: what changed, what was rebuilt, the time and the counts', async () => {
    const line = await save('manuscript/sections/data.md', read('manuscript/sections/data.md').replace('We visited', 'We walked through'), /^.*manuscript\/sections\/data\.md changed.*$/m)
    expect(line).toMatch(/^\d\d:\d\d:\d\d {2}manuscript\/sections\/data\.md changed: parsed data\.md, html written(, pdf queued)? {2}(\d+ ms|\d+\.\d\d s) {2}0 errors, 0 warnings$/)
    expect(read('build/manuscript.html')).toContain('We walked through')
  })

  it('reports broken YAML and stays alive; recovers when it is fixed', async () => {
    const good = read('manuscript/manuscript.md')
    const mark = output.length
    await save('manuscript/manuscript.md', good.replace('short-title: Shared Soil', 'short-title: [Shared Soil'), /nothing written.*1 error/)
    // The error itself, below the rebuild's line.
    await waitFor(() => /manuscript\/manuscript\.md:\d+:\d+ {2}error {2}The front matter is not valid YAML/.test(printedSince(mark)) || undefined, 5000, 'the error')
    expect(exited).toBeUndefined()
    await save('manuscript/manuscript.md', good, /manuscript\.md changed: .*html written.*0 errors/)
  })

  it('reports a deleted include and recovers when it is restored', async () => {
    const text = read('manuscript/sections/data.md')
    let mark = output.length
    rmSync(file('manuscript/sections/data.md'))
    await waitFor(() => /data\.md deleted: .*1 error/.test(printedSince(mark)) || undefined, 30_000, 'the deletion to be reported')
    await waitFor(() => /manuscript\/manuscript\.md:40:1 {2}error {2}Cannot include "sections\/data\.md"/.test(printedSince(mark)) || undefined, 5000, 'the error')
    mark = output.length
    await save('manuscript/sections/data.md', text, /data\.md added: .*html written.*0 errors/)
    expect(exited).toBeUndefined()
  })

  it('exits at once on Ctrl-C and leaves no browser process behind', async () => {
    // The PDF is on by default, so the printing browser is running under the CLI.
    const below = await waitFor(() => (descendants(child.pid!).length > 0 ? descendants(child.pid!) : undefined), 30_000, 'the printing browser')
    const sent = Date.now()
    child.kill('SIGINT')
    await waitFor(() => exited, 10_000, 'the process to exit')
    expect(exited!.code).toBe(0)
    expect(exited!.at - sent).toBeLessThan(3000)
    expect(output).toMatch(/Stopped watching\.\n$/)
    await waitFor(() => below.every((pid) => !alive(pid)) || undefined, 2000, `processes ${below.filter(alive).join(', ')} to end`)
  })
})

describe('manuscript watch, used wrongly', () => {
  it('exits 2 with a message for a port that is taken, a bad port or a root that is not a folder', async () => {
    const taken = createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as {port: number}).port
    try {
      const busy = runCli(['watch', '--root', project, '--port', String(port), '--no-open', '--to', 'html'])
      expect(busy.status).toBe(2)
      expect(busy.stdout).toContain(`Port ${port} is already in use`)
    } finally {
      taken.close()
    }
    const bad = runCli(['watch', '--root', project, '--port', 'eighty'])
    expect(bad.status).toBe(2)
    expect(bad.stdout).toContain('--port takes a port number')
    const missing = runCli(['watch', '--root', path.join(project, 'no-such-folder')])
    expect(missing.status).toBe(2)
    expect(missing.stdout).toContain('is not a folder')
  })
})
