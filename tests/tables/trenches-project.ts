/** The trenches draft with its eight table definitions (tests/corpus/trenches/tables) added, for tests and benchmarks. */
import {chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {copyProject, repoRoot, trenches} from '../support/project.ts'

export const trenchesDefinitions = path.join(repoRoot, 'tests/corpus/trenches/tables')

/** A temporary copy of ../shared/corpus/trenches whose tables/ holds only our definitions (no hand-made table). */
export function trenchesWithDefinitions(prefix = 'trenches-tables-'): string {
  const project = copyProject(trenches, prefix)
  const tables = path.join(project, 'tables')
  rmSync(tables, {recursive: true, force: true})
  mkdirSync(tables, {recursive: true})
  for (const name of readdirSync(trenchesDefinitions).filter((file) => file.endsWith('.ts'))) copyFileSync(path.join(trenchesDefinitions, name), path.join(tables, name))
  // The corpus is read-only; the copy's data may be edited by tests.
  chmodSync(path.join(project, 'data'), 0o755)
  for (const name of readdirSync(path.join(project, 'data'))) chmodSync(path.join(project, 'data', name), 0o644)
  return project
}
