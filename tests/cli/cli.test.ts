/** The command line as a user meets it: help, exit codes, located messages, and outputs kept on failure. */
import {spawn, spawnSync} from 'node:child_process'
import {closeSync, existsSync, openSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {projectFromFiles, repoRoot, runCli} from '../support/project.ts'

const project = (tree: Record<string, string>) => projectFromFiles(tree, 'cli-')

describe('manuscript CLI', () => {
  it('prints help with exit 0, and exits 2 on an unknown command or option value', () => {
    const help = runCli(['--help'])
    expect(help.status).toBe(0)
    expect(help.stdout).toContain('Usage: manuscript <command>')
    expect(help.stdout).toContain('--root DIR')
    expect(runCli(['frobnicate']).status).toBe(2)
    const badTo = runCli(['build', '--to', 'odt'])
    expect(badTo.status).toBe(2)
    expect(badTo.stdout).toContain('--to takes html, pdf, docx or a list of them')
    // The browser is the user's to name, for build and for watch.
    expect(help.stdout.match(/--browser PATH {4}The Chrome or Chromium to print the PDF with/g)).toHaveLength(2)
    const noBrowser = runCli(['build', '--browser', ' '])
    expect(noBrowser.status).toBe(2)
    expect(noBrowser.stdout).toContain('--browser takes the path of a Chrome or Chromium executable')
  })

  it('exits 2 with advice when there is no manuscript, without a stack trace', () => {
    const root = project({'notes.txt': 'nothing here'})
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(2)
    expect(run.stdout).toMatch(/No manuscript found: .* has no manuscript\/ folder/)
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
  })

  it('finishes the command, with its exit status, when the reader of its output has gone (`| head`)', async () => {
    const root = project({'manuscript/manuscript.md': '# Draft\n\nThe result is XXX.\n'})
    // Its output read by no one: every line it prints meets a closed pipe.
    const run = (args: string[]) =>
      new Promise<{status: number | null; stderr: string}>((resolve) => {
        const child = spawn(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), ...args, '--root', root], {stdio: ['ignore', 'pipe', 'pipe'], env: {...process.env, NO_COLOR: '1'}})
        child.stdout.destroy()
        let stderr = ''
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
        child.on('close', (status) => resolve({status, stderr}))
      })
    const built = await run(['build', '--to', 'html'])
    expect(built.stderr).toBe('')
    expect(built.status).toBe(0)
    expect(existsSync(path.join(root, 'build/manuscript.html'))).toBe(true)
    // A placeholder is a warning: `check` fails, as it does when its report is read.
    const checked = await run(['check'])
    expect(checked.stderr).toBe('')
    expect(checked.status).toBe(1)
  })

  it.skipIf(!existsSync('/dev/full'))('finishes the command when its output cannot be written (a full disk), and says so once', () => {
    const root = project({'manuscript/manuscript.md': '# Draft\n\nThe result is XXX.\n'})
    const full = openSync('/dev/full', 'w')
    try {
      const run = (args: string[]) => spawnSync(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), ...args, '--root', root], {stdio: ['ignore', full, 'pipe'], encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
      const said = 'manuscript: cannot write the output (ENOSPC: no space left on device, write); the command goes on without printing it.\n'
      const built = run(['build', '--to', 'html'])
      expect(built.stderr).toBe(said)
      expect(built.status).toBe(0)
      expect(existsSync(path.join(root, 'build/manuscript.html'))).toBe(true)
      const checked = run(['check'])
      expect(checked.stderr).toBe(said)
      expect(checked.status).toBe(1)
    } finally {
      closeSync(full)
    }
  })

  it('finds the entry as the single top-level file that no other includes', () => {
    const root = project({
      'manuscript/paper.md': '# Paper\n\n!INCLUDE "part.md"\n',
      'manuscript/part.md': 'Included part.\n'
    })
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(0)
    expect(readFileSync(path.join(root, 'build/paper.html'), 'utf8')).toContain('Included part.')
  })

  it('exits 2 naming the candidates when the entry is ambiguous', () => {
    const root = project({'manuscript/a.md': '# A\n', 'manuscript/b.md': '# B\n'})
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(2)
    expect(run.stdout).toContain('manuscript/a.md, manuscript/b.md')
    expect(run.stdout).toContain('entry:')
  })

  it('exits 1 on errors in the manuscript, located in the file, and keeps the last good output', () => {
    const root = project({'manuscript/manuscript.md': '# Good\n\nFine text.\n'})
    expect(runCli(['build', '--root', root, '--to', 'html']).status).toBe(0)
    const good = readFileSync(path.join(root, 'build/manuscript.html'))
    writeFileSync(path.join(root, 'manuscript/manuscript.md'), '# Broken\n\n!INCLUDE "missing.md"\n\n![A figure](figures/none.png){#fig:x}\n')
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^manuscript\/manuscript\.md:3:1\s+error\s+Cannot include "missing\.md".*missing-include$/m)
    expect(run.stdout).toMatch(/^manuscript\/manuscript\.md:5:1\s+error\s+Image not found: "figures\/none\.png".*missing-figure$/m)
    expect(run.stdout).toContain('Nothing written')
    expect(readFileSync(path.join(root, 'build/manuscript.html'))).toEqual(good)
  })

  it('respects NO_COLOR and colours nothing when output is not a terminal', () => {
    const root = project({'manuscript/manuscript.md': 'See @fig:none.\n'})
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(0)
    expect(run.stdout).not.toContain('\u001B[')
    expect(run.stdout).toMatch(/manuscript\/manuscript\.md:1:5\s+warning\s+Unresolved reference @fig:none/)
  })
})
