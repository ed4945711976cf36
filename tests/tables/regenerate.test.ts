/**
 * Regenerating tables in a project: only stale tables run; a changed data cell regenerates exactly the tables that
 * read that file; a definition that throws, loops, reads a missing column or meets malformed CSV is reported with
 * the definition, data file, row and column, and the previous table stays byte for byte.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {regenerateTables, reportStaleTables, type RegenerateResult} from '../../pipeline/tables/regenerate.ts'

let root: string

const files = {
  'data/a.csv': 'name,score\nAda,1\nBo,2\nCy,4\n',
  'data/b.csv': 'city,count\nOslo,10\nRiga,20\n',
  'tables/_sum.ts': 'export const sum = (values: number[]) => values.reduce((total, value) => total + value, 0)\n',
  'tables/alpha.ts': definition('tbl:alpha', 'a', "[['Total', sum(data.numbers('score'))]]"),
  'tables/beta.ts': definition('tbl:beta', 'a', "[['Rows', data.length]]"),
  'tables/gamma.ts': definition('tbl:gamma', 'b', "[['Total', sum(data.numbers('count'))]]")
}

function definition(label: string, source: string, rows: string, body = ''): string {
  return `import {defineTable} from 'manuscript-pipeline/tables'
import {sum} from './_sum.ts'

export default defineTable({
  label: '${label}',
  caption: 'Table ${label}',
  data: {data: 'data/${source}.csv'},
  build({data}) {
${body}    return {columns: [{header: 'What'}, {header: 'Value'}], rows: ${rows}}
  }
})
`
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(path.join(root, file)), {recursive: true})
  writeFileSync(path.join(root, file), text)
}

function read(file: string): string {
  return readFileSync(path.join(root, file), 'utf8')
}

function statuses(result: RegenerateResult): Record<string, string> {
  return Object.fromEntries(result.outcomes.map((outcome) => [outcome.table, outcome.status]))
}

function errors(result: RegenerateResult): VFileMessage[] {
  return result.messages.filter((message) => message.fatal === true)
}

beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'tables-'))
  for (const [file, text] of Object.entries(files)) write(file, text)
})

afterEach(() => rmSync(root, {recursive: true, force: true}))

describe('regenerating only what is stale', () => {
  it('generates every table once, then regenerates nothing on an unchanged run', async () => {
    const first = await regenerateTables({root})
    expect(statuses(first)).toEqual({'tables/alpha.md': 'regenerated', 'tables/beta.md': 'regenerated', 'tables/gamma.md': 'regenerated'})
    expect(first.messages).toEqual([])
    expect(read('tables/alpha.md')).toMatch(/^\| Total \| 7 \|$/m)
    expect(read('tables/alpha.md')).toMatch(/^Table: Table tbl:alpha \{#tbl:alpha\}$/m)

    const before = Object.fromEntries(['alpha', 'beta', 'gamma'].map((name) => [name, read(`tables/${name}.md`)]))
    const second = await regenerateTables({root})
    expect(statuses(second)).toEqual({'tables/alpha.md': 'up-to-date', 'tables/beta.md': 'up-to-date', 'tables/gamma.md': 'up-to-date'})
    for (const name of ['alpha', 'beta', 'gamma']) expect(read(`tables/${name}.md`)).toBe(before[name])
  })

  it('regenerates exactly the tables that read a data file when one of its cells changes', async () => {
    await regenerateTables({root})
    const gamma = read('tables/gamma.md')
    write('data/a.csv', 'name,score\nAda,1\nBo,20\nCy,4\n')
    const result = await regenerateTables({root})
    expect(statuses(result)).toEqual({'tables/alpha.md': 'regenerated', 'tables/beta.md': 'regenerated', 'tables/gamma.md': 'up-to-date'})
    expect(result.outcomes.find((outcome) => outcome.table === 'tables/alpha.md')?.reason).toBe('data/a.csv changed')
    expect(read('tables/alpha.md')).toMatch(/^\| Total \| 25 \|$/m)
    expect(read('tables/gamma.md')).toBe(gamma)
  })

  it('regenerates the tables whose definition uses a changed helper', async () => {
    await regenerateTables({root})
    write('tables/_sum.ts', 'export const sum = (values: number[]) => values.reduce((total, value) => total + 2 * value, 0)\n')
    const result = await regenerateTables({root})
    // beta imports the helper but uses none of it, so its bundle (and table) cannot depend on it.
    expect(statuses(result)).toEqual({'tables/alpha.md': 'regenerated', 'tables/beta.md': 'up-to-date', 'tables/gamma.md': 'regenerated'})
    expect(read('tables/gamma.md')).toMatch(/^\| Total \| 60 \|$/m)
  })

  it('keeps a table edited by hand, saying what to do, and replaces it only when forced', async () => {
    await regenerateTables({root})
    const generated = read('tables/beta.md')
    const edited = generated.replace('| Rows | 3 |', '| Rows | 4 |')
    write('tables/beta.md', edited)
    const result = await regenerateTables({root})
    expect(statuses(result)['tables/beta.md']).toBe('failed')
    expect(read('tables/beta.md')).toBe(edited)
    const [error] = errors(result)
    expect([error.file, error.line, error.ruleId]).toEqual(['tables/beta.md', 1, 'table-conflict'])
    expect(error.reason).toBe('tables/beta.md was edited by hand since it was generated from tables/beta.ts, and regenerating it would lose the edits. Make the change in the definition or the data instead, then run `npm run tables -- --force` to replace the edited table (or delete it); tables/beta.md was left as it was.')
    const forced = await regenerateTables({root, force: true})
    expect(statuses(forced)['tables/beta.md']).toBe('regenerated')
    expect(errors(forced)).toEqual([])
    expect(read('tables/beta.md')).toBe(generated)
  })

  it('never replaces a table a person wrote, even when forced, and names both files', async () => {
    const handWritten = '| What | Value |\n|---|---|\n| Rows | by hand |\n\nTable: Written by hand {#tbl:beta}\n'
    write('tables/beta.md', handWritten)
    for (const force of [false, true]) {
      const result = await regenerateTables({root, force})
      expect(statuses(result)['tables/beta.md']).toBe('failed')
      expect(statuses(result)['tables/alpha.md']).not.toBe('failed')
      const [error] = errors(result)
      expect([error.file, error.line, error.column, error.ruleId]).toEqual(['tables/beta.md', 1, 1, 'table-conflict'])
      expect(error.reason).toBe('tables/beta.md was written by hand (it has no "Generated by" comment), and tables/beta.ts would generate a table in its place. Rename one of them: the definition, to generate another file, or the table, to keep it (and change its !INCLUDE); tables/beta.md was left as it was.')
      expect(read('tables/beta.md')).toBe(handWritten)
    }
    // check reports it the same way.
    const file = new VFile({path: 'manuscript/manuscript.md'})
    reportStaleTables(new ProjectFiles(root), file)
    expect(file.messages.map((message) => [message.file, message.ruleId, message.fatal])).toEqual([['tables/beta.md', 'table-conflict', true]])
  })

  it('records what each definition read in the dependency graph', async () => {
    const result = await regenerateTables({root})
    expect(result.graph.importsOf('tables/alpha.ts')).toEqual(expect.arrayContaining(['data/a.csv', 'tables/_sum.ts']))
    expect(result.graph.importsOf('tables/beta.ts')).not.toContain('tables/_sum.ts')
    expect(result.graph.importersOf('data/b.csv')).toEqual(['tables/gamma.ts'])
    expect(result.graph.importsOf('tables/gamma.md')).toEqual(['tables/gamma.ts'])
  })
})

describe('a failing definition', () => {
  /** Generate all tables, break something, regenerate: returns the result and checks alpha.md is untouched. */
  async function breakAlpha(change: () => void, options: {timeLimitMs?: number} = {}): Promise<RegenerateResult> {
    await regenerateTables({root})
    const previous = readFileSync(path.join(root, 'tables/alpha.md'))
    change()
    const result = await regenerateTables({root, ...options})
    expect(statuses(result)['tables/alpha.md']).toBe('failed')
    expect(readFileSync(path.join(root, 'tables/alpha.md')).equals(previous)).toBe(true)
    return result
  }

  it('that throws is reported at the throw, with the last data cell it read', async () => {
    const result = await breakAlpha(() => write('tables/alpha.ts', definition('tbl:alpha', 'a', '[]', "    const second = data.rows[1].score\n    if (second === 2) throw new Error('no twos here')\n")))
    const [error] = errors(result)
    expect(error.reason).toMatch(/^tables\/alpha\.ts failed: Error: no twos here \(at tables\/alpha\.ts:10:29; the last data it read was data\/a\.csv row 2 \(line 3\), column "score"\)\. Fix the definition; tables\/alpha\.md was left as it was\.$/)
    expect([error.file, error.line, error.column]).toEqual(['tables/alpha.ts', 10, 29])
    expect(error.ruleId).toBe('table-definition-error')
  })

  it('that never returns is stopped at the time limit, naming the last data cell it read', async () => {
    const result = await breakAlpha(() => write('tables/alpha.ts', definition('tbl:alpha', 'a', '[]', '    let total = 0\n    for (;;) total += Number(data.rows[2].score)\n')), {timeLimitMs: 1500})
    const [error] = errors(result)
    expect(error.reason).toMatch(/^tables\/alpha\.ts did not finish within 1\.5 s and was stopped \(an endless loop\?\); the last data it read was data\/a\.csv row 3 \(line 4\), column "score"\./)
    expect(error.ruleId).toBe('table-timeout')
    // The other tables still ran.
    expect(statuses(result)['tables/beta.md']).toBe('up-to-date')
  })

  it('that reads a missing column is reported at the definition, with the file and the closest column', async () => {
    const source = definition('tbl:alpha', 'a', "[['Total', sum(data.numbers('scores'))]]")
    const result = await breakAlpha(() => write('tables/alpha.ts', source))
    const [error] = errors(result)
    const column = source.split('\n')[8].indexOf('numbers(') + 1
    expect(error.reason).toBe(`tables/alpha.ts failed at tables/alpha.ts:9:${column}: data/a.csv has no column "scores" (did you mean "score"?) (data/a.csv, header (line 1), column "scores"). Fix the column name in the definition; tables/alpha.md was left as it was.`)
    expect([error.file, error.line, error.column]).toEqual(['tables/alpha.ts', 9, column])
    expect(error.ruleId).toBe('table-data-error')
  })

  it('that meets a value it cannot use is reported at the data cell', async () => {
    const result = await breakAlpha(() => write('data/a.csv', 'name,score\nAda,1\nBo,two\nCy,4\n'))
    const [error] = errors(result)
    expect(error.reason).toMatch(/^tables\/alpha\.ts failed at tables\/alpha\.ts:9:\d+: Column "score" of data\/a\.csv holds "two" in row 2, not a number \(data\/a\.csv row 2 \(line 3\), column "score"\)/)
    expect([error.file, error.line, error.column]).toEqual(['data/a.csv', 3, 4])
  })

  it('that meets malformed CSV is reported at the data file, naming row, column and every definition that reads it', async () => {
    const result = await breakAlpha(() => write('data/a.csv', 'name,score\nAda,1\n"Bo,2\nCy,4\n'))
    expect(statuses(result)).toEqual({'tables/alpha.md': 'failed', 'tables/beta.md': 'failed', 'tables/gamma.md': 'up-to-date'})
    const reported = errors(result).map((error) => [error.file, error.line, error.column, error.reason])
    expect(reported).toHaveLength(2)
    for (const [file, line, column, reason] of reported) {
      expect([file, line, column]).toEqual(['data/a.csv', 3, 1])
      expect(reason).toMatch(/^data\/a\.csv is not valid CSV: Row 2, column "name": a quoted field is never closed/)
    }
    expect(reported.map((entry) => String(entry[3]).match(/read by (tables\/\w+\.ts)/)?.[1]).sort()).toEqual(['tables/alpha.ts', 'tables/beta.ts'])
  })

  it('that reads a data file that does not exist is reported where it names it', async () => {
    const source = definition('tbl:alpha', 'nowhere', '[]')
    const result = await breakAlpha(() => write('tables/alpha.ts', source))
    const [error] = errors(result)
    expect(error.reason).toBe('Data file data/nowhere.csv does not exist; fix the path in `data` or add the file (read by tables/alpha.ts); tables/alpha.md was left as it was.')
    expect([error.file, error.line, error.column]).toEqual(['tables/alpha.ts', 7, source.split('\n')[6].indexOf('data/nowhere') + 1])
  })

  it('that does not compile, or reads files itself, is reported with the place', async () => {
    const result = await breakAlpha(() => write('tables/alpha.ts', `import {readFileSync} from 'node:fs'\n${definition('tbl:alpha', 'a', "[['Size', readFileSync('data/a.csv', 'utf8').length]]")}`))
    const [error] = errors(result)
    expect(error.reason).toMatch(/^tables\/alpha\.ts could not be bundled: A table definition reads its data through `data`/)
    expect([error.file, error.line]).toEqual(['tables/alpha.ts', 1])
    // The other definitions are bundled on their own and still run.
    expect(statuses(result)['tables/gamma.md']).toBe('up-to-date')
  })

  it('whose build returns a malformed table says what is wrong with it', async () => {
    const result = await breakAlpha(() => write('tables/alpha.ts', definition('tbl:alpha', 'a', "[['Total']]")))
    expect(errors(result)[0].reason).toBe('tables/alpha.ts failed: Row 1 returned by `build` has 1 cells; the table has 2 columns. Fix the definition; tables/alpha.md was left as it was.')
  })
})

describe('reportStaleTables (for manuscript check)', () => {
  it('warns at each stale table file, and at the definition of a table never generated', async () => {
    await regenerateTables({root})
    write('data/b.csv', 'city,count\nOslo,11\nRiga,20\n')
    write('tables/delta.ts', definition('tbl:delta', 'b', '[]'))
    const file = new VFile({path: 'manuscript/manuscript.md'})
    const states = reportStaleTables(new ProjectFiles(root), file)
    expect(states.filter((state) => state.stale).map((state) => state.table)).toEqual(['tables/delta.md', 'tables/gamma.md'])
    expect(file.messages.map((message) => [message.file, message.line, message.ruleId, message.fatal, message.reason])).toEqual([
      ['tables/delta.ts', 1, 'stale-table', false, 'tables/delta.md is out of date: it has not been generated yet. Run `npm run tables` to regenerate it from tables/delta.ts (a build does it too).'],
      ['tables/gamma.md', 1, 'stale-table', false, 'tables/gamma.md is out of date: data/b.csv changed. Run `npm run tables` to regenerate it from tables/gamma.ts (a build does it too).']
    ])
  })
})
