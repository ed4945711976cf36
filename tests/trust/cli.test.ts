/**
 * Bad input through the command line, as an author meets it: the exit code of expected.json, every message printed
 * as `path:line:col  severity  message  rule`, no stack trace; the last good HTML and PDF kept byte for byte when a
 * build fails, whether in the manuscript or in printing; and `check --format json` locating what `build` locates.
 */
import {existsSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {runCli} from '../support/project.ts'
import {breakProject, buildOnlyRules, checkOnlyRules, goodProject, outputs, readExpected, readSetup} from './fixture-project.ts'

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

function brokenProject(name: string, to = 'html'): {root: string; good: Map<string, string>} {
  const {folder, root, outside} = goodProject(name)
  folders.push(folder)
  const built = runCli(['build', '--root', root, '--to', to])
  expect(built.status, built.stdout).toBe(0)
  const good = outputs(root)
  breakProject(name, root, outside, readSetup(name))
  return {root, good}
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('bad input through the CLI', () => {
  for (const name of ['front-matter-invalid-yaml', 'include-cycle-3', 'csv-ragged-rows', 'file-100mb', 'image-corrupt', 'config-bad-values', 'no-manuscript', 'front-matter-unknown-keys']) {
    it(`${name}: the exit code and located messages of expected.json, no stack trace`, () => {
      const {root, good} = brokenProject(name)
      const expected = readExpected(name)!
      const run = runCli(['build', '--root', root, '--to', (readSetup(name).to ?? ['html']).join(',')])
      expect(run.status, run.stdout).toBe(expected.exit)
      expect(run.stderr).toBe('')
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
      if (expected.error) expect(run.stdout).toContain(expected.error)
      for (const message of expected.messages.filter((each) => each.severity !== 'info')) {
        const line = new RegExp(`^${escape(`${message.file}:${message.line}:${message.column}`)}\\s+${message.severity}\\s+.*${escape(message.message)}.*\\s${escape(message.rule)}$`, 'm')
        expect(run.stdout).toMatch(line)
      }
      if (expected.exit !== 0) {
        expect(run.stdout).toMatch(expected.exit === 1 ? /Nothing written: fix the errors above; the previous outputs are left as they were\./ : /^error {2}/m)
        expect(outputs(root)).toEqual(good)
      }
    })
  }

  it('keeps the last good HTML and PDF when the manuscript breaks', () => {
    const {root, good} = brokenProject('csl-incomplete', 'html,pdf')
    expect([...good.keys()]).toEqual(expect.arrayContaining(['build/manuscript.html', 'build/manuscript.pdf', 'build/manifest.json']))
    const run = runCli(['build', '--root', root, '--to', 'html,pdf'])
    expect(run.status).toBe(1)
    expect(outputs(root)).toEqual(good)
  })

  it('keeps the last good HTML and PDF when printing cannot start (exit 2), though the HTML was ready', () => {
    const {root, good} = brokenProject('browser-missing', 'html,pdf')
    const run = runCli(['build', '--root', root, '--to', 'html,pdf'], {env: readSetup('browser-missing').env})
    expect(run.status).toBe(2)
    expect(run.stdout).toContain('The browser named by MANUSCRIPT_BROWSER (/no/such/folder/chromium) is not an executable file')
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
    expect(outputs(root)).toEqual(good)
    // `--browser` names it too, from the folder the command runs in.
    const flagged = runCli(['build', '--root', root, '--to', 'pdf', '--browser', './no-such-chromium'], {cwd: root})
    expect(flagged.status).toBe(2)
    expect(flagged.stdout).toContain(`The browser named by --browser (${path.join(root, 'no-such-chromium')}) is not an executable file`)
  })

  it('never runs a program the project names as its browser: `browser:` in its config is an error at the key', () => {
    const {root, good} = brokenProject('config-browser-key', 'html,pdf')
    const run = runCli(['build', '--root', root, '--to', 'html,pdf'])
    expect(run.status, run.stdout).toBe(1)
    expect(run.stdout).toMatch(/^manuscript\.yaml:1:1\s+error\s+Config key `browser` is not read: .*MANUSCRIPT_BROWSER.*--browser PATH/m)
    expect(existsSync(path.join(root, 'evil-ran'))).toBe(false)
    expect(outputs(root)).toEqual(good)
    // The script is a working program: it is the config that no longer runs it, while the user still may.
    rmSync(path.join(root, 'manuscript.yaml'))
    const chosen = runCli(['build', '--root', root, '--to', 'pdf', '--browser', path.join(root, 'evil.sh')])
    expect(chosen.status, chosen.stdout + chosen.stderr).toBe(2)
    expect(existsSync(path.join(root, 'evil-ran'))).toBe(true)
  })

  it('`check --format json` locates what `build` locates', () => {
    for (const name of ['include-symlink-outside', 'bibliography-parse-error', 'raw-html-remote', 'table-throws']) {
      const {root} = brokenProject(name)
      const checked = runCli(['check', '--root', root, '--format', 'json'])
      expect(checked.status, name).toBe(1)
      const findings = JSON.parse(checked.stdout) as {file: string; line: number; column: number; rule: string}[]
      const found = findings.filter((finding) => !checkOnlyRules.has(finding.rule)).map((finding) => `${finding.file}:${finding.line}:${finding.column} ${finding.rule}`)
      const built = readExpected(name)!.messages.filter((message) => !buildOnlyRules.has(message.rule)).map((message) => `${message.file}:${message.line}:${message.column} ${message.rule}`)
      expect(found.sort(), name).toEqual(built.sort())
    }
  })

  it('reads from an allowed folder, copies its figure inside the output folder, and names it in the manifest by relative path', () => {
    const {root} = brokenProject('include-allowed-folder')
    const outside = path.join(root, '../outside')
    expect(runCli(['build', '--root', root, '--to', 'html']).status).toBe(0)
    const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
    expect(html).toContain('Notes shared between projects.')
    expect(html).toContain('src="manuscript_files/images/_up/outside/shared/logo.svg"')
    expect(existsSync(path.join(root, 'build/manuscript_files/images/_up/outside/shared/logo.svg'))).toBe(true)
    expect(readdirSync(outside, {recursive: true}).sort()).toEqual(['shared', 'shared/logo.svg', 'shared/notes.md'])
    const manifest = readFileSync(path.join(root, 'build/manifest.json'), 'utf8')
    expect(manifest).toContain('"path": "../outside/shared/notes.md"')
    expect(manifest).toContain('"path": "../outside/shared/logo.svg"')
    expect(manifest).not.toContain(root)
  })
})
