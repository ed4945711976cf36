/**
 * For tests that stop the CLI with a signal at a chosen moment: projects that keep it busy at that moment, stand-in
 * programs that announce themselves and hang, and what must be left afterwards (no process, no temporary file).
 */
import {chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {expect} from 'vitest'
import {waitFor} from '../watch/support.ts'
import {alive, type CliProcess} from './cli-process.ts'
import {longMarkdown} from './long-manuscript.ts'
import {projectFromFiles, repoRoot} from './project.ts'
import {findBrowser} from '../../pipeline/render/browser.ts'

/**
 * Above what stopping takes (a parse's worker terminated, the browser closed once it has started, at most its 5 s
 * grace), well below what finishing would.
 */
const stopWithinMs = 8000

/** The largest Markdown file allowed is 2 MB; each chapter is just under it. */
const chapterCharacters = 1_900_000

/** A manuscript of files near the size limit (the entry and `chapters` more): parsing it takes seconds. */
export function slowToParseProject(prefix = 'stop-parse-', chapterCount = 3): string {
  const chapters = ['one', 'two', 'three'].slice(0, chapterCount)
  const root = projectFromFiles({'manuscript/manuscript.md': `${longMarkdown(chapterCharacters)}\n${chapters.map((name) => `!INCLUDE "chapters/${name}.md"`).join('\n\n')}\n`}, prefix)
  for (const name of chapters) {
    mkdirSync(path.join(root, 'manuscript/chapters'), {recursive: true})
    writeFileSync(path.join(root, `manuscript/chapters/${name}.md`), longMarkdown(chapterCharacters, `Chapter ${name}`).replace(/^---[\s\S]*?---\n/, ''))
  }
  return root
}

/** A short manuscript with a PDF figure that has no .svg or .png beside it: the build converts it with pdftocairo. */
export function pdfFigureProject(prefix = 'stop-figure-'): string {
  const root = projectFromFiles({'manuscript/manuscript.md': '# Figures\n\n![Hours worked](figures/hours.pdf){#fig:hours}\n\nSee @fig:hours.\n'}, prefix)
  mkdirSync(path.join(root, 'figures'))
  copyFileSync(path.join(repoRoot, 'figures/fig_hours.pdf'), path.join(root, 'figures/hours.pdf'))
  return root
}

/** A manuscript long enough that Chromium takes a while to print it (some thirty pages). */
export function slowToPrintProject(prefix = 'stop-print-'): string {
  return projectFromFiles({'manuscript/manuscript.md': longMarkdown(80_000)}, prefix)
}

/**
 * A stand-in for a program (pdftocairo, a browser) in a folder of its own, to put first on PATH or name in
 * MANUSCRIPT_BROWSER: it writes its process id to `startedFile` and then sleeps, doing nothing, for two minutes.
 */
export function hangingProgram(name: string): {folder: string; program: string; startedFile: string} {
  const folder = mkdtempSync(path.join(tmpdir(), 'stop-programs-'))
  const startedFile = path.join(folder, `${name}.pid`)
  const program = path.join(folder, name)
  writeFileSync(program, `#!/bin/sh\necho $$ > '${startedFile}'\nexec sleep 120\n`)
  chmodSync(program, 0o755)
  return {folder, program, startedFile}
}

/** The process id a hanging program wrote, once it has started. */
export function startedProgram(startedFile: string): number | undefined {
  if (!existsSync(startedFile)) return undefined
  const pid = Number(readFileSync(startedFile, 'utf8').trim())
  return pid > 0 ? pid : undefined
}

/** Temporary files the pipeline makes while it works (atomic writes, the page being printed, PDF conversions). */
const temporaryName = /\.tmp$|\.tmp\.svg$|\.print\.html$/

/** Project-relative paths of temporary files left anywhere in the project. */
export function leftoverTemporaries(root: string): string[] {
  const found: string[] = []
  const visit = (folder: string) => {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) visit(file)
      else if (temporaryName.test(entry.name)) found.push(path.relative(root, file))
    }
  }
  visit(root)
  return found
}

/** The page being printed (`build/.<name>.<random>.print.html`), while Chromium prints it. */
export function printPageOf(root: string): string | undefined {
  const build = path.join(root, 'build')
  if (!existsSync(build)) return undefined
  return readdirSync(build).find((name) => name.endsWith('.print.html'))
}

/**
 * The browser this machine prints with, to name (MANUSCRIPT_BROWSER) to a CLI given a TMPDIR of its own: otherwise
 * the packaged Chromium is unpacked again into that folder, some seconds of the test spent before anything it means
 * to stop has started.
 */
export async function printingBrowser(): Promise<string> {
  return (await findBrowser()).executablePath
}

/** Browser profile folders (`manuscript-chromium-*`) in a temporary folder. */
export function browserProfiles(temporaryFolder: string): string[] {
  return readdirSync(temporaryFolder).filter((name) => name.startsWith('manuscript-chromium-'))
}

export interface StopExpectation {
  /** The exit code and the one line printed. */
  code: number
  line: string
  /** The project: no temporary file may be left in it. */
  root: string
  /** The CLI's TMPDIR: no browser profile may be left in it. */
  temporary: string
  /** Processes that must have ended too, besides those running under the CLI when the signal is sent. */
  processes?: number[]
}

/** Sends `signal`; then expects the process to exit at once, as documented, with nothing left behind. */
export async function stopAndExpectClean(run: CliProcess, signal: NodeJS.Signals, expected: StopExpectation): Promise<void> {
  const running = [...new Set([...(expected.processes ?? []), ...run.descendants()])]
  const sent = run.kill(signal)
  const exit = await run.exited
  expect(exit, run.output).toMatchObject({code: expected.code, signal: null})
  expect(exit.at - sent).toBeLessThan(stopWithinMs)
  // One line says so, and it is the last.
  expect(run.output.trimEnd().split('\n').at(-1)).toBe(expected.line)
  expect(run.output.split(expected.line).length).toBe(2)
  await waitFor(() => running.every((pid) => !alive(pid)) || undefined, 2000, `processes ${running.filter(alive).join(', ')} to end`)
  expect(leftoverTemporaries(expected.root)).toEqual([])
  expect(browserProfiles(expected.temporary)).toEqual([])
}
