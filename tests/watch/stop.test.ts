/**
 * Ctrl-C (SIGINT) and SIGTERM end `manuscript watch` at once whatever it is doing: re-parsing a long manuscript just
 * saved, waiting for pdftocairo, printing the PDF in the background. The session's normal end: it prints
 * "Stopped watching." and exits 0, with no process it started left running and no temporary file left behind.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, describe, expect, it} from 'vitest'
import {CliProcess} from '../support/cli-process.ts'
import {longMarkdown} from '../support/long-manuscript.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'
import {hangingProgram, pdfFigureProject, printingBrowser, printPageOf, slowToPrintProject, startedProgram, stopAndExpectClean} from '../support/stopping.ts'
import {sleep, waitFor} from './support.ts'

const cleanups: Array<() => void | Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function temporaryFolder(prefix: string): string {
  const folder = mkdtempSync(path.join(tmpdir(), prefix))
  cleanups.push(() => rmSync(folder, {recursive: true, force: true}))
  return folder
}

function watch(root: string, args: string[], env: Record<string, string>): CliProcess {
  cleanups.push(() => removeProject(root))
  const run = new CliProcess(['watch', '--root', root, '--port', '0', '--no-open', ...args], {env})
  cleanups.push(() => run.stop())
  return run
}

const stopped = (root: string, temporary: string, processes?: number[]) => ({code: 0, line: 'Stopped watching.', root, temporary, processes})

describe.runIf(process.platform === 'linux')('manuscript watch stopped by a signal', () => {
  it('ends at once on SIGTERM while a long manuscript just saved is parsed', async () => {
    const root = projectFromFiles({'manuscript/manuscript.md': '# Short\n\nFor now.\n'}, 'watch-stop-parse-')
    const temporary = temporaryFolder('watch-stop-tmp-')
    const run = watch(root, ['--to', 'html'], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser()})
    await waitFor(() => /Press Ctrl-C to stop/.test(run.output) || run.exit, 90_000, 'the session to start')
    expect(run.exit, run.output).toBeUndefined()
    // Four files near the 2 MB limit: their parse takes seconds.
    mkdirSync(path.join(root, 'manuscript/chapters'))
    for (const name of ['one', 'two', 'three']) writeFileSync(path.join(root, `manuscript/chapters/${name}.md`), longMarkdown(1_900_000, name).replace(/^---[\s\S]*?---\n/, ''))
    const mark = run.output.length
    writeFileSync(path.join(root, 'manuscript/manuscript.md'), `${longMarkdown(1_900_000)}\n!INCLUDE "chapters/one.md"\n\n!INCLUDE "chapters/two.md"\n\n!INCLUDE "chapters/three.md"\n`)
    // The save is seen and the rebuild starts within this; it prints its line only when done.
    await sleep(1500)
    await stopAndExpectClean(run, 'SIGTERM', stopped(root, temporary))
    expect(run.output.slice(mark)).not.toMatch(/manuscript\.md changed/)
  })

  it('ends at once on SIGTERM while pdftocairo converts a figure', async () => {
    const root = pdfFigureProject('watch-stop-figure-')
    const temporary = temporaryFolder('watch-stop-tmp-')
    const pdftocairo = hangingProgram('pdftocairo')
    cleanups.push(() => rmSync(pdftocairo.folder, {recursive: true, force: true}))
    const run = watch(root, ['--to', 'html'], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser(), PATH: `${pdftocairo.folder}:${process.env.PATH}`})
    const converting = await waitFor(() => startedProgram(pdftocairo.startedFile) ?? (run.exit ? -1 : undefined), 90_000, 'pdftocairo to start')
    expect(converting, run.output).toBeGreaterThan(0)
    await stopAndExpectClean(run, 'SIGTERM', stopped(root, temporary, [converting]))
  })

  it('ends at once on Ctrl-C while the PDF is printed in the background', async () => {
    const root = slowToPrintProject('watch-stop-print-')
    const temporary = temporaryFolder('watch-stop-tmp-')
    const run = watch(root, [], {TMPDIR: temporary, MANUSCRIPT_BROWSER: await printingBrowser()})
    await waitFor(() => printPageOf(root) ?? run.exit, 90_000, 'the PDF to be printed')
    expect(run.exit, run.output).toBeUndefined()
    await stopAndExpectClean(run, 'SIGINT', stopped(root, temporary))
    expect(run.output).not.toMatch(/pdf: .* updated|The PDF was not updated/)
  }, 180_000)
})
