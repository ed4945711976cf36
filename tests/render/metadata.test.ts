/**
 * Metadata as pandoc reads it, built as a user builds it: each fixture folder under metadata/ is the manuscript
 * folder of a small project (written by us): `input.md` is the entry, other files (included parts, a .bib) go
 * beside it. `expected.html` holds the page's title block and `<main>`: what the merged metadata (YAML blocks
 * anywhere, in included files, `%` title blocks) makes of the page, checked by hand when written against
 * `pandoc -s -t html` on the same text (includes spliced). `UPDATE=1` rewrites expected.html for review.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {projectFromFiles, removeProject, runCli} from '../support/project.ts'

const fixtures = path.join(import.meta.dirname, 'metadata')

function built(folder: string): {page: string; output: string} {
  const files: Record<string, string> = {}
  for (const name of readdirSync(folder)) {
    if (name !== 'expected.html') files[`manuscript/${name === 'input.md' ? 'manuscript.md' : name}`] = readFileSync(path.join(folder, name), 'utf8')
  }
  const root = projectFromFiles(files, 'metadata-')
  try {
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status, run.stderr + run.stdout).toBe(0)
    const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
    const page = /<header class="title-block">[\s\S]*<\/main>|<main>[\s\S]*<\/main>/.exec(html)
    expect(page, 'the page has a <main>').not.toBeNull()
    return {page: `${page![0].trim()}\n`, output: run.stdout + run.stderr}
  } finally {
    removeProject(root)
  }
}

describe('metadata builds as pandoc reads it', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const folder = path.join(fixtures, name)
      const {page, output} = built(folder)
      // No unknown citation key, no warning: the bibliography named in the metadata was loaded.
      expect(output).toMatch(/\b0 errors, 0 warnings\b/)
      const expectedFile = path.join(folder, 'expected.html')
      if (process.env.UPDATE || !existsSync(expectedFile)) writeFileSync(expectedFile, page)
      expect(page).toBe(readFileSync(expectedFile, 'utf8'))
    })
  }
})
