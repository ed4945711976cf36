/**
 * Tables as the page shows them, for every table syntax: fixtures/tables/<case>/input.md beside expected.html
 * (the HTML of the document body; `UPDATE=1` rewrites it, to be read by hand against `pandoc -f markdown -t html`).
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {toHtml} from 'hast-util-to-html'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {remarkPandocTable} from '../../pipeline/syntax/pandoc-table/index.ts'
import {defaultLabels, manuscriptToHast} from '../../pipeline/render/to-hast.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures', 'tables')

function render(source: string): string {
  const tree = unified().use(remarkParse).use(remarkPandocTable).parse(source) as Root
  return toHtml(manuscriptToHast(tree, {labels: defaultLabels})) + '\n'
}

describe('table fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const html = render(readFileSync(path.join(fixtures, name, 'input.md'), 'utf8'))
      const expectedFile = path.join(fixtures, name, 'expected.html')
      if (process.env.UPDATE) writeFileSync(expectedFile, html)
      expect(existsSync(expectedFile), `${expectedFile} exists (write it with UPDATE=1)`).toBe(true)
      expect(html).toBe(readFileSync(expectedFile, 'utf8'))
    })
  }
})
