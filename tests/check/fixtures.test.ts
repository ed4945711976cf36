/**
 * Fixture projects: tests/check/fixtures/<case>/ holds input.md (and the files it includes or shows), a
 * manuscript.yaml naming input.md as the entry (plus any placeholder settings), and expected.json, the findings
 * `check` must return. `UPDATE=1 npx vitest run tests/check` rewrites expected.json; read the diff before keeping it.
 * The cases and where they come from are listed in fixtures/README.md.
 */
import {existsSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {check, type Finding} from '../../pipeline/check/check.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')
const update = Boolean(process.env.UPDATE)
const cases = readdirSync(fixtures)
  .filter((name) => statSync(path.join(fixtures, name)).isDirectory())
  .sort()

/** What a placeholder finding may start with, read from the source at its line and column. */
const placeholderStart = /^(?:todo|fixme|TBD|TK|XX|YY|\{|\(MAP\)|insert|ASKPI)/i

describe('check on fixture projects', () => {
  it('has the cases listed in the README', () => {
    const readme = readFileSync(path.join(fixtures, 'README.md'), 'utf8')
    for (const name of cases) expect(readme).toContain(`\`${name}\``)
  })

  for (const name of cases) {
    it(name, async () => {
      const root = path.join(fixtures, name)
      const {findings} = await check({root})
      const expectedPath = path.join(root, 'expected.json')
      if (update) writeFileSync(expectedPath, `${JSON.stringify(findings, null, 2)}\n`)
      const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as Finding[]
      expect(findings).toEqual(expected)

      // Independently of expected.json: each placeholder is located at its own text in its own file.
      for (const finding of findings.filter((each) => each.rule === 'placeholder')) {
        const file = path.join(root, finding.file)
        expect(existsSync(file)).toBe(true)
        const line = readFileSync(file, 'utf8').split(/\r?\n/)[finding.line - 1]
        expect(line.slice(finding.column - 1), `${name} ${finding.file}:${finding.line}:${finding.column}`).toMatch(placeholderStart)
      }
    })
  }
})
