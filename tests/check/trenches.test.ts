/**
 * `manuscript check` on the first user's draft, through the compiled CLI as a user runs it, with the eight tables
 * its draft includes supplied as published (tests/support/trenches-tables.ts). Every expected place is computed
 * here from the draft's text, never copied from the tool's output.
 */
import {appendFileSync, cpSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Finding} from '../../pipeline/check/check.ts'
import {copyProject, projectFromFiles, removeProject, runCli, trenches} from '../support/project.ts'
import {addTrenchesTables} from '../support/trenches-tables.ts'

const entry = 'manuscript/manuscript.md'
const tableLabels = ['tbl:what-do', 'tbl:work-others', 'tbl:tip-report', 'tbl:us-opinions', 'tbl:importance-stats-country', 'tbl:importance-stats-org', 'tbl:positivity-stats-country', 'tbl:positivity-stats-org']

/** Line and column (1-based) of `text.indexOf(needle) + shift`. */
function placeOf(text: string, needle: string, shift = 0, from = 0): {line: number; column: number} {
  const index = text.indexOf(needle, from)
  if (index === -1) throw new Error(`"${needle}" is not in the draft`)
  const before = text.slice(0, index + shift)
  return {line: before.split('\n').length, column: index + shift - before.lastIndexOf('\n')}
}

let draft: string
/** Every unfinished spot a careful reader marks by the rules, with the text found there. */
let expectedPlaceholders: {text: string; line: number; column: number}[]
/** Each table reference in the draft whose label is not one of the tables' labels, at its `@`. */
let expectedUnresolved: {label: string; line: number; column: number}[]

function checkJson(root: string, cwd?: string): {status: number; findings: Finding[]} {
  const run = runCli(['check', '--root', root, '--format', 'json'], {cwd})
  return {status: run.status, findings: JSON.parse(run.stdout) as Finding[]}
}

/** The source text at a finding, read from the file it names. */
function textAt(root: string, finding: Finding): string {
  const line = readFileSync(path.join(root, finding.file), 'utf8').split('\n')[finding.line - 1]
  return finding.line === finding.endLine ? line.slice(finding.column - 1, finding.endColumn - 1) : line.slice(finding.column - 1)
}

describe('manuscript check on the trenches draft', {tags: ['corpus']}, () => {
  let project: string

  beforeAll(() => {
    draft = readFileSync(path.join(trenches, 'manuscript/manuscript.md'), 'utf8')
    expectedPlaceholders = [
      {text: 'XXX', ...placeOf(draft, 'in XXX countries', 3)},
      {text: '{Has your government improved?}', ...placeOf(draft, '{Has your government improved?}')},
      {text: '{XXX and for YYY}', ...placeOf(draft, '{XXX and for YYY}')},
      {text: 'XX', ...placeOf(draft, 'only XX% of organizations', 5)},
      {text: 'XX', ...placeOf(draft, 'sample, XX% still', 8)},
      {text: '{Stuff here.}', ...placeOf(draft, '{Stuff here.}')},
      {text: 'TODO', ...placeOf(draft, '`TODO: Make sure this matches the style guide`', 1)},
      {text: 'TODO', ...placeOf(draft, '`TODO: Add link just to the huge analysis notebook?`', 1)}
    ]
    expectedUnresolved = [...draft.matchAll(/@tbl:[\w-]+/g)]
      .filter((match) => !tableLabels.includes(match[0].slice(1)))
      .map((match) => ({label: match[0].slice(1), ...placeOf(draft, match[0], 0, match.index)}))
    project = copyProject(trenches, 'check-trenches-')
    addTrenchesTables(project)
  })

  afterAll(() => removeProject(project))

  it('finds every placeholder at its line and column, and nothing else as a placeholder', () => {
    const {status, findings} = checkJson(project)
    expect(status).toBe(1)
    const placeholders = findings.filter((finding) => finding.rule === 'placeholder')
    expect(placeholders.map((finding) => ({file: finding.file, line: finding.line, column: finding.column}))).toEqual(
      expectedPlaceholders.map(({line, column}) => ({file: entry, line, column}))
    )
    expect(placeholders.map((finding) => textAt(project, finding))).toEqual(expectedPlaceholders.map((each) => each.text))
    expect(placeholders.every((finding) => finding.severity === 'warning')).toBe(true)
  })

  it('reports each unresolved table reference at its place with the nearest table label', () => {
    expect(expectedUnresolved.length).toBeGreaterThanOrEqual(7)
    const {findings} = checkJson(project)
    const unresolved = findings.filter((finding) => finding.rule === 'unresolved-reference')
    expect(unresolved.map((finding) => ({file: finding.file, line: finding.line, column: finding.column}))).toEqual(
      expectedUnresolved.map(({line, column}) => ({file: entry, line, column}))
    )
    unresolved.forEach((finding, index) => {
      const suggested = /did you mean (tbl:[a-z-]+)\?/.exec(finding.message)?.[1]
      expect(tableLabels).toContain(suggested)
      // The suggestion is the written label with its underscores as hyphens, or a table of the same name's family.
      expect(suggested!.startsWith(expectedUnresolved[index].label.replace(/_/g, '-'))).toBe(true)
    })
  })

  it('has nothing else to report but info about unused bibliography entries', () => {
    const {findings} = checkJson(project)
    const rules = new Set(findings.map((finding) => `${finding.rule} ${finding.severity}`))
    expect([...rules].sort()).toEqual(['placeholder warning', 'unresolved-reference warning', 'unused-bibliography-entry info'])
  })

  it('prints text grouped by file with a one-line summary', () => {
    const run = runCli(['check', '--root', project])
    expect(run.status).toBe(1)
    const lines = run.stdout.trim().split('\n')
    const first = expectedPlaceholders[0]
    expect(lines).toContain(`${entry}:${first.line}:${first.column}  warning  Placeholder "XXX": replace it with the final text (if it is meant, put <!-- placeholder-ok --> on the line before).  placeholder`)
    const files = lines.slice(0, -1).map((line) => line.split(':')[0])
    expect(files).toEqual([...files].sort())
    expect(lines.at(-1)).toMatch(/^0 errors, 15 warnings, \d+ info \(checked 9 files in [\d.]+ m?s\)\.$/)
  })

  it('prints JSON objects with exactly the documented keys', () => {
    const {findings} = checkJson(project)
    for (const finding of findings) {
      expect(Object.keys(finding)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message'])
      expect(['error', 'warning', 'info']).toContain(finding.severity)
    }
  })

  it('prints GitHub workflow commands with paths from the working folder', () => {
    const run = runCli(['check', '--root', project, '--format', 'github'], {cwd: path.dirname(project)})
    expect(run.status).toBe(1)
    const first = expectedPlaceholders[0]
    const prefix = `${path.basename(project)}/${entry}`
    expect(run.stdout).toContain(`::warning file=${prefix},line=${first.line},col=${first.column},endLine=${first.line},endColumn=${first.column + 3},title=placeholder::Placeholder "XXX"`)
    expect(run.stdout).toMatch(/^::notice file=[^,]+references\.bib,line=\d+,col=1,.*title=unused-bibliography-entry::/m)
  })

  it('finds a placeholder in an included table at that file’s own path, line and column', () => {
    const copy = copyProject(project, 'check-trenches-include-')
    try {
      const table = path.join(copy, 'tables/summary_tip_report.md')
      appendFileSync(table, '\nSource: survey of XX organizations.\n')
      const text = readFileSync(table, 'utf8')
      const {findings} = checkJson(copy)
      const found = findings.filter((finding) => finding.file === 'tables/summary_tip_report.md')
      expect(found.map((finding) => [finding.rule, finding.line, finding.column])).toEqual([['placeholder', placeOf(text, 'XX organizations').line, placeOf(text, 'XX organizations').column]])
    } finally {
      removeProject(copy)
    }
  })

  it('counts (MAP) only when the project adds it as a pattern', () => {
    const copy = copyProject(project, 'check-trenches-map-')
    try {
      writeFileSync(path.join(copy, 'manuscript.yaml'), "placeholders:\n  patterns:\n    - '\\(MAP\\)'\n")
      const {findings} = checkJson(copy)
      const map = findings.filter((finding) => finding.message.includes('(MAP)'))
      expect(map.map((finding) => [finding.line, finding.column])).toEqual([[placeOf(draft, '(MAP)').line, placeOf(draft, '(MAP)').column]])
    } finally {
      removeProject(copy)
    }
  })

  it('highlights the same placeholders in the built HTML and reports them in the build summary', () => {
    const copy = copyProject(project, 'check-trenches-build-')
    try {
      const run = runCli(['build', '--root', copy, '--to', 'html'])
      expect(run.status).toBe(0)
      for (const {line, column} of expectedPlaceholders) expect(run.stdout).toContain(`${entry}:${line}:${column}  warning  `)
      const page = readFileSync(path.join(copy, 'build/manuscript.html'), 'utf8')
      const marked = [...page.matchAll(/<mark class="placeholder"[^>]*>(.*?)<\/mark>/g)].map((match) => match[1].replace(/<\/?code>/g, ''))
      expect(marked).toEqual(expectedPlaceholders.map((each) => (each.text === 'TODO' ? expect.stringMatching(/^TODO: /) : each.text)))
    } finally {
      removeProject(copy)
    }
  })
})

describe('manuscript check exit codes and problems outside the manuscript', () => {
  it('exits 0 on a project with nothing to report', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'check-clean-'))
    try {
      writeFileSync(path.join(root, 'manuscript.yaml'), 'entry: paper.md\n')
      writeFileSync(path.join(root, 'paper.md'), '# Introduction\n\nA finished paragraph about the GAO (Government Accountability Office) and Tier 2.\n')
      const run = runCli(['check', '--root', root])
      expect(run.status).toBe(0)
      expect(run.stdout.trim()).toMatch(/^No problems \(checked 1 file in [\d.]+ m?s\)\.$/)
    } finally {
      removeProject(root)
    }
  })

  it('fails an include cycle with every file of the chain named and no stack trace', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'check-cycle-'))
    try {
      cpSync(path.join(import.meta.dirname, 'fixtures/rules-include-cycle'), root, {recursive: true})
      const run = runCli(['check', '--root', root])
      expect(run.status).toBe(1)
      expect(run.stdout).toContain('sections/b.md:3:1  error  Include cycle: input.md → sections/a.md → sections/b.md → input.md.')
      expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m)
    } finally {
      removeProject(root)
    }
  })

  it('exits 2 on usage problems', () => {
    const project = projectFromFiles({'manuscript/manuscript.md': '# Introduction\n\nText.\n'}, 'check-usage-')
    try {
      expect(runCli(['check', '--root', project, '--format', 'xml']).status).toBe(2)
      expect(runCli(['check', '--root', project, '--strict']).status).toBe(2)
      const missing = runCli(['check', '--root', path.join(project, 'no-such-folder')])
      expect(missing.status).toBe(2)
      expect(missing.stdout).toContain('No manuscript found')
    } finally {
      removeProject(project)
    }
  })
})
