/** `manuscript tables` and the build's first step, driven through the compiled CLI as a user would. */
import {mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {removeProject, runCli} from '../support/project.ts'

let root: string

const definition = (body: string) => `import {defineTable, describe} from 'manuscript-pipeline/tables'

export default defineTable({
  label: 'tbl:heights',
  caption: 'Heights of the plants.',
  data: {plants: 'data/plants.csv'},
  build({plants}) {
    ${body}
    const heights = describe(plants.numbers('height'))
    return {columns: [{header: 'Plants'}, {header: 'Mean height (cm)', digits: 1}], rows: [[heights.n, heights.mean]]}
  }
})
`

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
  writeFileSync(path.join(root, file), text)
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tables-cli-'))
  write('manuscript/manuscript.md', '# Plants\n\nSee [@tbl:heights].\n\n!INCLUDE "tables/heights.md"\n')
  write('data/plants.csv', 'plant,height\nfern,30\nivy,NA\noak,51\n')
  write('tables/heights.ts', definition(''))
})

afterEach(() => removeProject(root))

describe('manuscript tables', () => {
  it('says what it regenerated and why, then that all is up to date', () => {
    const first = runCli(['tables', '--root', root])
    expect(first.stderr).toBe('')
    expect(first.status).toBe(0)
    expect(first.stdout).toMatch(/^tables\/heights\.md {2}regenerated \(it has not been generated yet\) [\d.]+ m?s$/m)
    expect(readFileSync(path.join(root, 'tables/heights.md'), 'utf8')).toMatch(/^\| 2 \| 40\.5 \|$/m)
    const second = runCli(['tables', '--root', root])
    expect(second.stdout).toMatch(/^tables\/heights\.md {2}up to date$/m)
    expect(second.stdout).toMatch(/^1 table: 1 up to date in [\d.]+ m?s$/m)
  })

  it('reports a failing definition with its place, keeps the previous table and exits 1', () => {
    runCli(['tables', '--root', root])
    const previous = readFileSync(path.join(root, 'tables/heights.md'), 'utf8')
    const source = definition("if (plants.length > 2) throw new RangeError('too many plants')")
    write('tables/heights.ts', source)
    // The place is where the error was made: \`new RangeError\` on line 8.
    const column = source.split('\n')[7].indexOf('new RangeError') + 1
    const run = runCli(['tables', '--root', root])
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^tables\/heights\.md {2}failed \(see below\); the previous table is kept$/m)
    expect(run.stdout).toContain(`tables/heights.ts:8:${column}  error  tables/heights.ts failed: RangeError: too many plants (at tables/heights.ts:8:${column}). Fix the definition; tables/heights.md was left as it was.  table-definition-error\n`)
    expect(readFileSync(path.join(root, 'tables/heights.md'), 'utf8')).toBe(previous)
  })

  it('says so when the project has no table definitions', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'tables-none-'))
    try {
      const run = runCli(['tables', '--root', empty])
      expect(run.status).toBe(0)
      expect(run.stdout).toMatch(/^No table definitions in tables\//)
    } finally {
      removeProject(empty)
    }
  })
})

describe('manuscript build', () => {
  it('regenerates a stale table before building', () => {
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^tables\s+[\d.]+ m?s\s+1 regenerated$/m)
    const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
    expect(html).toMatch(/<td align="right">40\.5<\/td>/)
    expect(html).toMatch(/<a href="#tbl:heights">Table\u00a01<\/a>/)
  })

  it('stops on a definition that fails, naming the data cell, and writes nothing', () => {
    write('data/plants.csv', 'plant,height\nfern,30\nivy,tall\noak,51\n')
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/^data\/plants\.csv:3:5 {2}error {2}tables\/heights\.ts failed at tables\/heights\.ts:9:\d+: Column "height" of data\/plants\.csv holds "tall" in row 2, not a number \(data\/plants\.csv row 2 \(line 3\), column "height"\)/m)
    expect(run.stdout).toContain('Nothing written')
  })
})
