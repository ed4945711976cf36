// Tests drive the compiled CLI as a user would; compile it once so they always test the current source.
// A failed compile removes the old bundle, so the CLI tests fail loudly instead of testing stale code,
// while unit tests still run.
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {corpus, corpusRequired, hasCorpus, repoRoot} from './project.ts'

export default function setup(): () => void {
  rmSync(path.join(repoRoot, 'dist'), {recursive: true, force: true})
  try {
    execFileSync(process.execPath, ['scripts/compile.mjs'], {cwd: repoRoot, stdio: 'pipe'})
  } catch (error) {
    process.stderr.write(`global setup: the CLI did not compile; CLI tests will fail.\n${String((error as {stderr?: Buffer}).stderr ?? error)}\n`)
  }
  // Without the corpus the tests tagged `corpus` skip (tests/support/corpus-reporter.ts counts them), but never on CI.
  if (!hasCorpus && corpusRequired) {
    process.stderr.write(`CI is set and ${corpus} does not exist: the tests that read real-world input run and fail rather than skip. Put the corpus at ../shared/corpus beside the checkout.\n`)
  }
  return useOwnTemporaryFolder()
}

/**
 * The test files make hundreds of temporary projects; they go into one folder of this run (the workers and the CLIs
 * they start inherit TMPDIR), removed when the run ends, so that no run leaves them behind in the machine's temp folder.
 * The packaged Chromium stays where builds unpack it: its marker (see browser.ts) is carried over, so the tests do not
 * unpack it again into their folder.
 */
function useOwnTemporaryFolder(): () => void {
  const machineTemp = tmpdir()
  const folder = mkdtempSync(path.join(machineTemp, 'manuscript-tests-'))
  const marker = path.join(machineTemp, 'manuscript-chromium-unpacked')
  if (existsSync(marker)) copyFileSync(marker, path.join(folder, 'manuscript-chromium-unpacked'))
  process.env.TMPDIR = folder
  return () => rmSync(folder, {recursive: true, force: true})
}
