/**
 * The trenches draft with its eight table definitions (tests/corpus/trenches/tables) added, and on request its five
 * figure definitions (tests/corpus/trenches/figures), for tests and benchmarks.
 */
import {chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'
import {copyProject, repoRoot, trenches} from '../support/project.ts'

export const trenchesDefinitions = path.join(repoRoot, 'tests/corpus/trenches/tables')
export const trenchesFigureDefinitions = path.join(repoRoot, 'tests/corpus/trenches/figures')

/**
 * A temporary copy of ../shared/corpus/trenches whose tables/ holds only our definitions (no hand-made table). With
 * `figures`, its figures/ holds our figure definitions too, beside the published PDFs and PNGs (the draft refers to
 * figures/fig_x.pdf; a build shows the .svg beside a PDF, which is the one generated).
 */
export function trenchesWithDefinitions(prefix = 'trenches-tables-', options: {figures?: boolean} = {}): string {
  const project = copyProject(trenches, prefix)
  const tables = path.join(project, 'tables')
  rmSync(tables, {recursive: true, force: true})
  mkdirSync(tables, {recursive: true})
  for (const name of readdirSync(trenchesDefinitions).filter((file) => file.endsWith('.ts'))) copyFileSync(path.join(trenchesDefinitions, name), path.join(tables, name))
  if (options.figures) {
    const figures = path.join(project, 'figures')
    chmodSync(figures, 0o755)
    for (const name of readdirSync(trenchesFigureDefinitions).filter((file) => file.endsWith('.ts'))) copyFileSync(path.join(trenchesFigureDefinitions, name), path.join(figures, name))
  }
  // The corpus is read-only; the copy's data may be edited by tests.
  chmodSync(path.join(project, 'data'), 0o755)
  for (const name of readdirSync(path.join(project, 'data'))) chmodSync(path.join(project, 'data', name), 0o644)
  return project
}
