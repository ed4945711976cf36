/**
 * The trenches draft built from data: the eight table definitions regenerate every table the draft includes, with
 * the published numbers (tables 1 and 4, compared number by number with the published tables in ../shared), the
 * issue's funding row, and the other tables' cells as computed independently with scipy.stats (f_oneway,
 * ttest_ind(equal_var=False), chi2_contingency, the same tests as R's aov, t.test and chisq.test). Then the
 * draft builds end to end through the CLI with no hand-made table.
 * @module-tag corpus
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import type {Figure} from '../../pipeline/syntax/types.ts'
import {tableCaptionsTransform} from '../../pipeline/transforms/table-captions.ts'
import {removeProject, runCli, trenches, type CliRun} from '../support/project.ts'
import {trenchesWithDefinitions} from './trenches-project.ts'
import {captionOf} from '../../pipeline/syntax/figure.ts'

const expected: Record<string, [label: string, caption: string]> = {
  'summary_what_do.md': ['tbl:what-do', 'Summary of survey responses related to anti-TIP NGO activities'],
  'summary_how_work_others.md': ['tbl:work-others', 'Summary of survey responses related to how anti-TIP NGOs work with other actors'],
  'summary_tip_report.md': ['tbl:tip-report', "Summary of survey responses related to how anti-TIP NGOs use the State Department's annual TIP report"],
  'summary_us_opinions.md': ['tbl:us-opinions', 'Summary of responses related to opinions of the US'],
  'summary_importance_stats_country.md': ['tbl:importance-stats-country', 'Associations between country-level factors and opinions of US importance'],
  'summary_importance_stats_org.md': ['tbl:importance-stats-org', 'Associations between organization-level factors and opinions of US importance'],
  'summary_positivity_stats_country.md': ['tbl:positivity-stats-country', 'Associations between country-level factors and opinions of US positivity'],
  'summary_positivity_stats_org.md': ['tbl:positivity-stats-org', 'Associations between organization-level factors and opinions of US positivity']
}

let project: string
let tablesRun: CliRun

beforeAll(() => {
  project = trenchesWithDefinitions()
  tablesRun = runCli(['tables', '--root', project])
}, 120_000)

afterAll(() => removeProject(project))

function figureOf(text: string, file: string): {figure: Figure; cells: string[][]} {
  const tree = parseMarkdown(text, file)
  tableCaptionsTransform(tree, new VFile({path: file}))
  const figure = tree.children.find((node): node is Figure => node.type === 'figure')
  if (!figure) throw new Error(`${file} has no captioned table`)
  const table = figure.children[0] as Table
  const cells = table.children.map((row) => row.children.map((cell) => toString(cell).replace(/\s+/g, ' ').trim().replace(/’/g, "'")))
  return {figure, cells}
}

function generated(name: string): {figure: Figure; cells: string[][]} {
  return figureOf(readFileSync(path.join(project, 'tables', name), 'utf8'), `tables/${name}`)
}

function published(name: string): {figure: Figure; cells: string[][]} {
  return figureOf(readFileSync(path.join(trenches, 'expected/tables', name), 'utf8'), name)
}

/** Body rows as question cell → summary cell (the last column). */
function summaries(cells: string[][]): [string, string][] {
  return cells.slice(1).map((row) => [row[0], row[row.length - 1]])
}

const numbers = (text: string) => text.match(/\d+(?:\.\d+)?/g) ?? []

describe('manuscript tables on the trenches draft', () => {
  it('regenerates all eight tables from the data, with no errors', () => {
    expect(tablesRun.stderr).toBe('')
    expect(tablesRun.status).toBe(0)
    for (const name of Object.keys(expected)) expect(tablesRun.stdout).toMatch(new RegExp(`^tables/${name.replace('.', '\\.')}\\s+regenerated \\(it has not been generated yet\\)`, 'm'))
    expect(tablesRun.stdout).toMatch(/^8 tables: 8 regenerated in /m)
  })

  it('gives each table the label and caption the draft refers to', () => {
    for (const [name, [label, caption]] of Object.entries(expected)) {
      const {figure} = generated(name)
      expect(figure.identifier).toBe(label)
      expect(toString({type: 'paragraph', children: captionOf(figure)!.children})).toBe(caption)
    }
  })

  for (const name of ['summary_what_do.md', 'summary_us_opinions.md']) {
    it(`reproduces every number of the published ${name}, with its questions in order`, () => {
      const ours = summaries(generated(name).cells)
      const theirs = summaries(published(name).cells)
      expect(ours.map(([question]) => question)).toEqual(theirs.map(([question]) => question))
      expect(ours.map(([, summary]) => numbers(summary))).toEqual(theirs.map(([, summary]) => numbers(summary)))
      // Labels, order and punctuation too: the Summary column reads exactly as published.
      expect(ours.map(([, summary]) => summary)).toEqual(theirs.map(([, summary]) => summary))
      expect(published(name).figure.identifier).toBe(expected[name][0])
    })
  }

  it('reads the funding row of the importance ANOVA as the published analysis: F (2, 377) = 14.17, p < 0.001', () => {
    expect(generated('summary_importance_stats_country.md').cells).toContainEqual(['Country received US funding for TIP issues', 'F (2, 377) = 14.17, p < 0.001'])
  })

  it('computes the other tables as scipy.stats does', () => {
    const cellsOf = (name: string) => generated(name).cells.slice(1)
    expect(cellsOf('summary_importance_stats_country.md').map((row) => row[1])).toEqual([
      'F (2, 381) = 5.45, p = 0.005',
      'F (2, 385) = 9.56, p < 0.001',
      'F (2, 385) = 0.30, p = 0.742',
      'F (2, 385) = 2.38, p = 0.094',
      'F (2, 377) = 14.17, p < 0.001'
    ])
    expect(cellsOf('summary_positivity_stats_country.md')).toEqual([
      ['Total freedom (political rights + civil liberties; higher is worse)', 't (116.49) = 1.79, p = 0.076'],
      ['Average TIP tier rating (from 2000-2015)', 't (122.22) = 2.63, p = 0.010'],
      ['Improvement in TIP tier rating', 't (117.88) = 4.44, p < 0.001'],
      ['Change in TIP policy index', 't (125.67) = -4.08, p < 0.001'],
      ['Country received US funding for TIP issues', 't (140.65) = 2.47, p = 0.015']
    ])
    expect(cellsOf('summary_importance_stats_org.md')).toEqual([
      ['Organization received US funding', 'χ²(2, N = 389) = 41.49, p < 0.001, φc = 0.33'],
      ['Organization interacted with the US', 'χ²(2, N = 389) = 35.49, p < 0.001, φc = 0.30'],
      ['Organization is based in the US', 'χ²(2, N = 389) = 3.68, p = 0.159, φc = 0.10']
    ])
    // 2×2 tables: Yates-corrected statistic, Cramér's V from the uncorrected one.
    expect(cellsOf('summary_positivity_stats_org.md').map((row) => row[1])).toEqual([
      'χ²(1, N = 278) = 3.23, p = 0.072, φc = 0.12',
      'χ²(1, N = 278) = 0.25, p = 0.616, φc = 0.04',
      'χ²(1, N = 278) = 0.04, p = 0.837, φc = 0.03'
    ])
    expect(summaries(generated('summary_how_work_others.md').cells).map(([, summary]) => summary)).toEqual([
      'The national government (67.81%; 375); NGOs and civil society (95.12%; 526); Embassies or foreign governments (41.95%; 232); International organizations (66.91%; 370); Other (14.65%; 81); N=553',
      "Not hard at all (9.64%; 53); Not too hard (26%; 143); Somewhat hard (40%; 220); Very hard (16.91%; 93); Extremely hard (3.45%; 19); Don't know (4%; 22); N=550",
      "Improved (61.19%; 339); Remained constant (17.69%; 98); Slowed down (13.72%; 76); Don't know (7.4%; 41); N=554"
    ])
    expect(summaries(generated('summary_tip_report.md').cells).map(([, summary]) => summary)).toEqual([
      'No (13%; 62); Yes (87%; 415); N=477',
      'National government (52.74%; 212); Another government (16.67%; 67); Other NGOs (77.86%; 313); Other (21.14%; 85); N=402',
      "Tier 1 (18.79%; 87); Tier 2 (39.31%; 182); Watch list (9.07%; 42); Tier 3 (9.07%; 42); Don't know (23.76%; 110); N=463",
      'No (56.38%; 265); Yes (43.62%; 205); N=470'
    ])
  })

  it('draws a bar chart in every summary row, as the published tables had', () => {
    for (const name of ['summary_what_do.md', 'summary_how_work_others.md', 'summary_tip_report.md', 'summary_us_opinions.md']) {
      const text = readFileSync(path.join(project, 'tables', name), 'utf8')
      const rows = summaries(generated(name).cells).length
      expect(text.match(/<svg [^\n]*?<\/svg>/g)).toHaveLength(rows)
    }
  })

  it('regenerates nothing on an unchanged run', () => {
    const run = runCli(['tables', '--root', project])
    expect(run.status).toBe(0)
    expect(run.stdout).toMatch(/^8 tables: 8 up to date in /m)
  })
})

describe('building the trenches draft from data', () => {
  let build: CliRun
  let html: string

  beforeAll(() => {
    // One answer changes from Positive to Mixed: the build must regenerate the tables first.
    const csvPath = path.join(project, 'data/responses_full_anonymized.csv')
    const lines = readFileSync(csvPath, 'utf8').split('\n')
    const header = lines[0].split(',')
    const column = header.indexOf('Q3.25')
    const row = lines.findIndex((line, index) => index > 0 && line.split(',')[column] === 'Positive' && !line.includes('"'))
    const fields = lines[row].split(',')
    fields[column] = 'Mixed'
    lines[row] = fields.join(',')
    writeFileSync(csvPath, lines.join('\n'))
    build = runCli(['build', '--root', project, '--to', 'html'])
    html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
  }, 180_000)

  it('regenerates the stale tables first and builds with warnings only', () => {
    expect(build.stderr).toBe('')
    expect(build.status).toBe(0)
    expect(build.stdout).toMatch(/^tables\s+[\d.]+ m?s\s+8 regenerated$/m)
    expect(build.stdout).toMatch(/\d+ words, 5 figures, 8 tables, \d+ citations of 32 works/)
    expect(build.stdout).not.toMatch(/table-(?:definition|data)-error|table-timeout/)
  })

  it('shows every table with its number, the changed answer counted, and the charts inline', () => {
    const ids = [...html.matchAll(/<figure[^>]*id="(tbl:[^"]+)"/g)].map((match) => match[1])
    expect(ids).toEqual(['tbl:what-do', 'tbl:work-others', 'tbl:tip-report', 'tbl:us-opinions', 'tbl:importance-stats-country', 'tbl:importance-stats-org', 'tbl:positivity-stats-country', 'tbl:positivity-stats-org'])
    expect(html).toContain('Mixed (20.57%; 65)')
    expect(html).toContain('Positive (67.41%; 213)')
    expect(html).not.toContain('stand-in')
    expect(html.match(/<svg [^>]*class="table-chart"/g)).toHaveLength(14)
  })
})
