/**
 * Ctrl-C (SIGINT) and SIGTERM stop `build`, `check` and `tables` at once, at any moment: while Chromium starts, while
 * a long manuscript is parsed, while pdftocairo converts a figure, while the PDF is printed. The process prints one
 * line and exits with 130 (SIGINT) or 143 (SIGTERM); no process it started is left running, and no temporary file is
 * left in the project or in the temporary folder (the browser's profile). The compiled CLI runs in its own process.
 */
import {existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {CliProcess} from '../support/cli-process.ts'
import {projectFromFiles, removeProject, runCli} from '../support/project.ts'
import {hangingProgram, pdfFigureProject, printingBrowser, printPageOf, slowToParseProject, slowToPrintProject, startedProgram, stopAndExpectClean} from '../support/stopping.ts'
import {waitFor} from '../watch/support.ts'

const exitCodes = {SIGINT: 130, SIGTERM: 143} as const
const lines = {SIGINT: 'Stopped by Ctrl-C.', SIGTERM: 'Stopped by SIGTERM.'} as const

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

/** A temporary folder of the test's own, given to the CLI as TMPDIR (Chromium's profile goes there). */
function privateTemporaryFolder(): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'stop-tmp-'))
  cleanups.push(() => rmSync(folder, {recursive: true, force: true}))
  return folder
}

function start(args: string[], env: Record<string, string> = {}): CliProcess {
  const run = new CliProcess(args, {env})
  cleanups.push(() => run.stop())
  return run
}

function project(root: string): string {
  cleanups.push(() => removeProject(root))
  return root
}

/** What a build, check or tables stopped by `signal` prints and exits with, and where nothing may be left. */
function stopped(signal: 'SIGINT' | 'SIGTERM', root: string, temporary: string, processes?: number[]) {
  return {code: exitCodes[signal], line: lines[signal], root, temporary, processes}
}

describe.runIf(process.platform === 'linux')('a command stopped by a signal', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`build stops at once on ${signal} while a long manuscript is parsed and Chromium starts`, async () => {
      const root = project(slowToParseProject())
      const temporary = privateTemporaryFolder()
      const run = start(['build', '--root', root], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser()})
      await waitFor(() => /^config\s/m.test(run.output) || run.exit, 60_000, 'the parse to start')
      await stopAndExpectClean(run, signal, stopped(signal, root, temporary))
      // Stopped inside the parse, not after it.
      expect(run.output).not.toMatch(/^parse\s/m)
      expect(existsSync(path.join(root, 'build/manuscript.html'))).toBe(false)
    })

    it(`build stops at once on ${signal} while pdftocairo converts a figure`, async () => {
      const root = project(pdfFigureProject())
      const temporary = privateTemporaryFolder()
      const pdftocairo = hangingProgram('pdftocairo')
      cleanups.push(() => rmSync(pdftocairo.folder, {recursive: true, force: true}))
      const run = start(['build', '--root', root, '--to', 'html'], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser(), PATH: `${pdftocairo.folder}:${process.env.PATH}`})
      const converting = await waitFor(() => startedProgram(pdftocairo.startedFile) ?? (run.exit ? -1 : undefined), 60_000, 'pdftocairo to start')
      expect(converting, run.output).toBeGreaterThan(0)
      await stopAndExpectClean(run, signal, stopped(signal, root, temporary, [converting]))
    })

    it(`build stops at once on ${signal} while the PDF is printed, and keeps the previous outputs`, async () => {
      const root = project(slowToPrintProject())
      const temporary = privateTemporaryFolder()
      expect(runCli(['build', '--root', root], {env: {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser()}}).status).toBe(0)
      const previous = ['build/manuscript.pdf', 'build/manuscript.html', 'build/manifest.json'].map((file) => readFileSync(path.join(root, file)))
      writeFileSync(path.join(root, 'manuscript/manuscript.md'), `${readFileSync(path.join(root, 'manuscript/manuscript.md'), 'utf8')}\nOne more sentence.\n`)
      const run = start(['build', '--root', root], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser()})
      await waitFor(() => printPageOf(root) ?? run.exit, 60_000, 'the PDF to be printed')
      expect(run.exit, run.output).toBeUndefined()
      await stopAndExpectClean(run, signal, stopped(signal, root, temporary))
      expect(['build/manuscript.pdf', 'build/manuscript.html', 'build/manifest.json'].map((file) => readFileSync(path.join(root, file)))).toEqual(previous)
    }, 240_000)
  }

  it('build stops at once on SIGTERM while the browser starts, and the browser process ends', async () => {
    const root = project(projectFromFiles({'manuscript/manuscript.md': '# Short\n\nText.\n'}, 'stop-launch-'))
    const temporary = privateTemporaryFolder()
    const browser = hangingProgram('chromium')
    cleanups.push(() => rmSync(browser.folder, {recursive: true, force: true}))
    const run = start(['build', '--root', root], {TMPDIR: temporary, MANUSCRIPT_BROWSER: browser.program})
    const launching = await waitFor(() => startedProgram(browser.startedFile) ?? (run.exit ? -1 : undefined), 60_000, 'the browser to start')
    expect(launching, run.output).toBeGreaterThan(0)
    await stopAndExpectClean(run, 'SIGTERM', stopped('SIGTERM', root, temporary, [launching]))
  })

  it('check stops at once on SIGINT while a long manuscript is parsed', async () => {
    const root = project(slowToParseProject('stop-check-', 0))
    // check prints nothing before it is done: time a whole check of this project, then stop one a third of the way.
    const started = Date.now()
    expect(runCli(['check', '--root', root]).status).toBe(0)
    const whole = Date.now() - started
    // The parsed trees it kept in build/.cache would spare the next check the parse.
    rmSync(path.join(root, 'build'), {recursive: true, force: true})
    const run = start(['check', '--root', root])
    await new Promise((resolve) => setTimeout(resolve, whole / 3))
    expect(run.exit, run.output).toBeUndefined()
    const sent = Date.now()
    await stopAndExpectClean(run, 'SIGINT', stopped('SIGINT', root, privateTemporaryFolder()))
    // Parsing takes most of a check: one that waited for the parse to end would take about as long again.
    expect(run.exit!.at - sent).toBeLessThan(whole / 3)
  }, 180_000)

  it('tables stops at once on SIGTERM while a definition runs, without waiting for its time limit', async () => {
    const root = project(
      projectFromFiles(
        {
          'manuscript/manuscript.md': '# Tables\n\n!INCLUDE "tables/endless.md"\n',
          'data/numbers.csv': 'n\n1\n',
          'tables/endless.ts': `import {defineTable} from 'manuscript-pipeline/tables'\n\nexport default defineTable({\n  label: 'tbl:endless',\n  caption: 'Never done.',\n  data: {numbers: 'data/numbers.csv'},\n  build() {\n    for (;;) {}\n  }\n})\n`
        },
        'stop-tables-'
      )
    )
    const run = start(['tables', '--root', root])
    // tables prints nothing before it is done; the definition runs for its whole 10 s limit.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect(run.exit, run.output).toBeUndefined()
    await stopAndExpectClean(run, 'SIGTERM', stopped('SIGTERM', root, privateTemporaryFolder()))
  })
})
