/** Helpers for tests that run the CLI on a temporary copy of a project. */
import {spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The checkout: the nearest folder up from this module (or its bundle, as in the benchmarks) with our package.json. */
export const repoRoot = findRepoRoot(path.dirname(fileURLToPath(import.meta.url)))

function findRepoRoot(start: string): string {
  for (let folder = start; ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json')
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'manuscript-pipeline') return folder
    if (path.dirname(folder) === folder) throw new Error(`No manuscript-pipeline checkout above ${start}`)
  }
}
/** Real-world input no one here wrote (../shared/corpus beside the checkout): CI has it, a user's clone does not. */
export const corpus = path.resolve(repoRoot, '../shared/corpus')
export const trenches = path.join(corpus, 'trenches')
export const hasCorpus = existsSync(corpus)
/** On CI (`CI` set, as .ci/run and GitHub Actions set it) the corpus tests never skip: without the corpus they fail. */
export const corpusRequired = !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase())
/** Tests tagged `corpus` (vitest.config.ts) read ../shared/corpus; they skip only when it is absent and CI is not set. */
export const skipCorpusTests = !hasCorpus && !corpusRequired

export interface CliRun {
  status: number
  stdout: string
  stderr: string
}

/** Run the compiled CLI the way `npm run build -- …` does. */
export function runCli(args: string[], options: {cwd?: string; env?: Record<string, string>} = {}): CliRun {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: {...process.env, NO_COLOR: '1', ...options.env},
    timeout: 120_000
  })
  return {status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr}
}

/** A fresh temporary project made of the given files (project-relative path → content). */
export function projectFromFiles(files: Record<string, string>, prefix = 'project-'): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix))
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
    writeFileSync(path.join(root, file), text)
  }
  return root
}

/** A fresh temporary copy of a project folder (the original is never touched). */
export function copyProject(source: string, prefix = 'project-'): string {
  const target = mkdtempSync(path.join(tmpdir(), prefix))
  cpSync(source, target, {recursive: true, filter: (file) => !file.includes(`${path.sep}build${path.sep}`) && !file.endsWith(`${path.sep}build`) && !file.includes('node_modules')})
  return target
}

export function removeProject(folder: string): void {
  if (existsSync(folder)) rmSync(folder, {recursive: true, force: true})
}

/** Is a poppler tool on PATH? Tests that read PDFs with it say so when it is not. */
export function hasTool(tool: string): boolean {
  return spawnSync(tool, ['-v'], {encoding: 'utf8'}).error === undefined
}
