// Tests drive the compiled CLI as a user would; compile it once so they always test the current source.
// A failed compile removes the old bundle, so the CLI tests fail loudly instead of testing stale code,
// while unit tests still run.
import {execFileSync} from 'node:child_process'
import {rmSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
  rmSync(path.join(root, 'dist'), {recursive: true, force: true})
  try {
    execFileSync(process.execPath, ['scripts/compile.mjs'], {cwd: root, stdio: 'pipe'})
  } catch (error) {
    process.stderr.write(`global setup: the CLI did not compile; CLI tests will fail.\n${String((error as {stderr?: Buffer}).stderr ?? error)}\n`)
  }
}
