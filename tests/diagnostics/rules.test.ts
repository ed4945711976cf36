/**
 * The rule registry (pipeline/diagnostics/rules.ts) is the one list of rule ids: `report` only takes ids from it (the
 * type checker holds every call to that), every id in it is used by a stage, and every rule id in the committed
 * expected diagnostics of the fixtures is in it.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {report} from '../../pipeline/diagnostics/report.ts'
import {isRuleId, rules} from '../../pipeline/diagnostics/rules.ts'

const root = path.join(import.meta.dirname, '../..')

function filesUnder(folder: string, test: (name: string) => boolean): string[] {
  return readdirSync(folder, {recursive: true, encoding: 'utf8'})
    .filter(test)
    .map((name) => path.join(folder, name))
}

describe('rule registry', () => {
  it('gives every rule a severity and a one-line description', () => {
    for (const [id, rule] of Object.entries(rules)) {
      expect(id, id).toMatch(/^[a-z]+(-[a-z]+)*$/)
      expect(['error', 'warning', 'info'], id).toContain(rule.severity)
      expect(rule.description, id).toMatch(/^[A-Z`].*[.]$/)
      expect(rule.description, id).not.toContain('\n')
    }
  })

  it('lists only rules a stage reports', () => {
    const sources = filesUnder(path.join(root, 'pipeline'), (name) => name.endsWith('.ts') && !name.endsWith('rules.ts'))
      .map((file) => readFileSync(file, 'utf8'))
      .join('\n')
    const unused = Object.keys(rules).filter((id) => !sources.includes(`'${id}'`))
    expect(unused).toEqual([])
  })

  it('holds every rule id of the committed fixtures’ expected diagnostics', () => {
    const expected = filesUnder(path.join(root, 'tests'), (name) => name.endsWith('expected.json'))
    const used = new Set<string>()
    for (const file of expected) {
      for (const match of readFileSync(file, 'utf8').matchAll(/"rule(?:Id)?": *"([^"]+)"/g)) used.add(match[1])
    }
    expect(used.size).toBeGreaterThan(20)
    expect([...used].filter((id) => !isRuleId(id))).toEqual([])
  })

  it('reports at the rule’s own severity unless told otherwise', () => {
    const file = new VFile({path: 'manuscript.md'})
    expect(report(file, undefined, 'Unknown citation key', 'unknown-citation-key').fatal).toBe(false)
    expect(report(file, undefined, 'Unused entry', 'unused-bibliography-entry').fatal).toBeUndefined()
    expect(report(file, undefined, 'Missing include', 'missing-include').fatal).toBe(true)
    expect(report(file, undefined, 'Front matter value dropped', 'front-matter', 'warning').fatal).toBe(false)
  })
})
