/**
 * `manuscript check` on a whole project of our own (project/: an entry with front matter, an included section, a
 * hand-written table, a figure and a bibliography), through the compiled CLI as a user runs it, in each output
 * format, and the same findings in a build. Every expected place is computed here from the files' text, never
 * copied from the tool's output.
 */
import {appendFileSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Finding} from '../../pipeline/check/check.ts'
import {copyProject, removeProject, runCli} from '../support/project.ts'

const fixture = path.join(import.meta.dirname, 'project')
const entry = 'manuscript/manuscript.md'
const section = 'manuscript/sections/methods.md'
const read = (file: string): string => readFileSync(path.join(fixture, file), 'utf8')

/** Line and column (1-based) of `text.indexOf(needle) + shift`. */
function placeOf(text: string, needle: string, shift = 0): {line: number; column: number} {
  const index = text.indexOf(needle)
  if (index === -1) throw new Error(`"${needle}" is not in the text`)
  const before = text.slice(0, index + shift)
  return {line: before.split('\n').length, column: index + shift - before.lastIndexOf('\n')}
}

/** Every unfinished spot by the rules, in reading order of the files, with the text found there. */
const expectedPlaceholders = [
  {file: entry, text: 'XXX', ...placeOf(read(entry), 'surveyed XXX', 9)},
  {file: entry, text: '{Add the response rate here.}', ...placeOf(read(entry), '{Add the response rate here.}')},
  {file: entry, text: 'TODO', ...placeOf(read(entry), '`TODO: check Eastfield`', 1)},
  {file: entry, text: 'XX', ...placeOf(read(entry), 'XX% (MAP)')},
  {file: section, text: 'TODO', ...placeOf(read(section), 'TODO: say how')}
]

/** The two references to the table, written with `_` and without the `s`: each suggests the table's label. */
const expectedUnresolved = ['@tbl:site_counts', '@tbl:site-count'].map((written) => ({file: entry, ...placeOf(read(entry), `${written}]`)}))

let project: string

beforeAll(() => {
  project = copyProject(fixture, 'check-project-')
})

afterAll(() => removeProject(project))

function checkJson(root: string): {status: number; findings: Finding[]} {
  const run = runCli(['check', '--root', root, '--format', 'json'])
  return {status: run.status, findings: JSON.parse(run.stdout) as Finding[]}
}

/** The source text at a finding, read from the file it names. */
function textAt(root: string, finding: Finding): string {
  const line = readFileSync(path.join(root, finding.file), 'utf8').split('\n')[finding.line - 1]
  return finding.line === finding.endLine ? line.slice(finding.column - 1, finding.endColumn - 1) : line.slice(finding.column - 1)
}

const placeOfFinding = (finding: Finding) => ({file: finding.file, line: finding.line, column: finding.column})

describe('manuscript check on a whole project', () => {
  it('finds every placeholder at its file, line and column, and exits 1', () => {
    const {status, findings} = checkJson(project)
    expect(status).toBe(1)
    const placeholders = findings.filter((finding) => finding.rule === 'placeholder')
    expect(placeholders.map(placeOfFinding)).toEqual(expectedPlaceholders.map(({file, line, column}) => ({file, line, column})))
    expect(placeholders.map((finding) => textAt(project, finding))).toEqual(expectedPlaceholders.map((each) => each.text))
    expect(placeholders.every((finding) => finding.severity === 'warning')).toBe(true)
  })

  it('reports each unresolved table reference at its `@`, suggesting the label the table has', () => {
    const unresolved = checkJson(project).findings.filter((finding) => finding.rule === 'unresolved-reference')
    expect(unresolved.map(placeOfFinding)).toEqual(expectedUnresolved)
    for (const finding of unresolved) expect(finding.message).toContain('(did you mean tbl:site-counts?)')
  })

  it('reports the entry never cited as information, at its line in the bibliography, and nothing else', () => {
    const {findings} = checkJson(project)
    const unused = findings.filter((finding) => finding.rule === 'unused-bibliography-entry')
    expect(unused.map(placeOfFinding)).toEqual([{file: 'manuscript/references.bib', ...placeOf(read('manuscript/references.bib'), '@article{Okoye:2021')}])
    expect(unused[0].severity).toBe('info')
    expect([...new Set(findings.map((finding) => `${finding.rule} ${finding.severity}`))].sort()).toEqual(['placeholder warning', 'unresolved-reference warning', 'unused-bibliography-entry info'])
  })

  it('prints text grouped by file, in order, with a one-line summary', () => {
    const run = runCli(['check', '--root', project])
    expect(run.status).toBe(1)
    const lines = run.stdout.trim().split('\n')
    const first = expectedPlaceholders[0]
    expect(lines).toContain(`${entry}:${first.line}:${first.column}  warning  Placeholder "XXX": replace it with the final text (if it is meant, put <!-- placeholder-ok --> on the line before).  placeholder`)
    const files = lines.slice(0, -1).map((line) => line.split(':')[0])
    expect(files).toEqual([...files].sort())
    expect(new Set(files)).toEqual(new Set([entry, section, 'manuscript/references.bib']))
    expect(lines.at(-1)).toMatch(/^0 errors, 7 warnings, 1 info \(checked 3 files in [\d.]+ m?s\)\.$/)
  })

  it('prints JSON objects with exactly the documented keys', () => {
    for (const finding of checkJson(project).findings) {
      expect(Object.keys(finding)).toEqual(['file', 'line', 'column', 'endLine', 'endColumn', 'rule', 'severity', 'message'])
    }
  })

  it('prints GitHub workflow commands with paths from the working folder', () => {
    const run = runCli(['check', '--root', project, '--format', 'github'], {cwd: path.dirname(project)})
    expect(run.status).toBe(1)
    const first = expectedPlaceholders[0]
    const prefix = path.basename(project)
    expect(run.stdout).toContain(`::warning file=${prefix}/${entry},line=${first.line},col=${first.column},endLine=${first.line},endColumn=${first.column + 3},title=placeholder::Placeholder "XXX"`)
    expect(run.stdout).toMatch(new RegExp(`^::notice file=${prefix}/manuscript/references\\.bib,line=\\d+,col=1,.*title=unused-bibliography-entry::`, 'm'))
  })

  it('finds a placeholder added to the included table at that file’s own path, line and column', () => {
    const copy = copyProject(project, 'check-project-table-')
    try {
      const table = path.join(copy, 'tables/seeds.md')
      appendFileSync(table, '\nSource: our count of XX libraries.\n')
      const found = checkJson(copy).findings.filter((finding) => finding.file === 'tables/seeds.md')
      const place = placeOf(readFileSync(table, 'utf8'), 'XX libraries')
      expect(found.map((finding) => [finding.rule, finding.line, finding.column])).toEqual([['placeholder', place.line, place.column]])
    } finally {
      removeProject(copy)
    }
  })

  it('counts (MAP) only when the project adds it as a pattern', () => {
    const copy = copyProject(project, 'check-project-map-')
    try {
      expect(checkJson(copy).findings.filter((finding) => finding.message.includes('(MAP)'))).toEqual([])
      writeFileSync(path.join(copy, 'manuscript.yaml'), "placeholders:\n  patterns:\n    - '\\(MAP\\)'\n")
      const map = checkJson(copy).findings.filter((finding) => finding.message.includes('(MAP)'))
      expect(map.map(placeOfFinding)).toEqual([{file: entry, ...placeOf(read(entry), '(MAP)')}])
    } finally {
      removeProject(copy)
    }
  })

  it('highlights the same placeholders in the built HTML and reports them in the build summary', () => {
    const copy = copyProject(project, 'check-project-build-')
    try {
      const run = runCli(['build', '--root', copy, '--to', 'html'])
      expect(run.status).toBe(0)
      for (const {file, line, column} of expectedPlaceholders) expect(run.stdout).toContain(`${file}:${line}:${column}  warning  `)
      const page = readFileSync(path.join(copy, 'build/manuscript.html'), 'utf8')
      const marked = [...page.matchAll(/<mark class="placeholder"[^>]*>(.*?)<\/mark>/g)].map((match) => match[1].replace(/<\/?code>/g, ''))
      // In reading order: the included Methods section comes before Results. A TODO in prose is marked as the word,
      // one in inline code as the whole code.
      expect(marked).toEqual(['XXX', '{Add the response rate here.}', 'TODO', 'TODO: check Eastfield', 'XX'])
    } finally {
      removeProject(copy)
    }
  })
})
