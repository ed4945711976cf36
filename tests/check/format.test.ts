import {describe, expect, it} from 'vitest'
import type {Finding} from '../../pipeline/check/check.ts'
import {formatGithub, formatJson, summaryLine} from '../../pipeline/check/format.ts'

const finding: Finding = {
  file: 'sections/a, b.md',
  line: 3,
  column: 7,
  endLine: 3,
  endColumn: 10,
  rule: 'placeholder',
  severity: 'warning',
  message: 'Placeholder "XX": 50% done\nsecond line'
}

describe('check output formats', () => {
  it('escapes GitHub workflow command data and properties', () => {
    const [line] = formatGithub([finding], {root: '/repo/paper', cwd: '/repo'})
    expect(line).toBe('::warning file=paper/sections/a%2C b.md,line=3,col=7,endLine=3,endColumn=10,title=placeholder::Placeholder "XX": 50%25 done%0Asecond line')
  })

  it('uses ::error for errors and ::notice for info', () => {
    const lines = formatGithub(
      [
        {...finding, severity: 'error', file: 'a.md'},
        {...finding, severity: 'info', file: 'a.md'}
      ],
      {root: '/repo', cwd: '/repo'}
    )
    expect(lines.map((line) => line.slice(0, line.indexOf(' ')))).toEqual(['::error', '::notice'])
  })

  it('writes JSON with exactly the documented keys, in order, and nothing else', () => {
    const parsed = JSON.parse(formatJson([{...finding, extra: true} as Finding]))
    expect(parsed).toHaveLength(1)
    expect(Object.keys(parsed[0])).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message'])
  })

  it('sums up in one line', () => {
    expect(summaryLine({error: 1, warning: 2, info: 0}, 3, 1234)).toBe('1 error, 2 warnings, 0 info (checked 3 files in 1.23 s).')
    expect(summaryLine({error: 0, warning: 0, info: 0}, 1, 80)).toBe('No problems (checked 1 file in 80 ms).')
  })
})
