/**
 * pandoc Markdown constructs, built as a user builds them: each fixture folder under pandoc-markdown/ holds an
 * `input.md` (the manuscript, written by us; other files beside it, such as images, go beside it in the project), and
 * `expected.html`, the `<main>` of the HTML build, which is what
 * `pandoc -f markdown -t html --no-highlight` makes of the same input up to our page furniture (checked by hand when
 * written). `UPDATE=1` rewrites expected.html for review.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {projectFromFiles, removeProject, runCli} from '../support/project.ts'

const fixtures = path.join(import.meta.dirname, 'pandoc-markdown')

function builtMain(folder: string): string {
  const files: Record<string, string | Buffer> = {}
  for (const name of readdirSync(folder)) {
    if (name !== 'expected.html') files[`manuscript/${name === 'input.md' ? 'manuscript.md' : name}`] = readFileSync(path.join(folder, name))
  }
  const root = projectFromFiles(files as Record<string, string>, 'pandoc-markdown-')
  try {
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status, run.stderr + run.stdout).toBe(0)
    const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
    const main = /<main>([\s\S]*)<\/main>/.exec(html)
    expect(main, 'the page has a <main>').not.toBeNull()
    return `${main![1].trim()}\n`
  } finally {
    removeProject(root)
  }
}

describe('pandoc Markdown builds as pandoc builds it', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const folder = path.join(fixtures, name)
      const main = builtMain(folder)
      const expectedFile = path.join(folder, 'expected.html')
      if (process.env.UPDATE || !existsSync(expectedFile)) writeFileSync(expectedFile, main)
      expect(main).toBe(readFileSync(expectedFile, 'utf8'))
    })
  }
})
