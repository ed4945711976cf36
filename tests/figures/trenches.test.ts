/**
 * The trenches draft's five figures drawn from data/responses_full_anonymized.csv by the definitions in
 * tests/corpus/trenches/figures: the numbers behind each figure, read from the specification the SVG carries, equal
 * those computed here independently (plain TypeScript over the CSV, parsed with papaparse); the embassy counts,
 * coded from free text, are within a few mentions of the published figure's hand coding. Then the draft builds with
 * the generated figures in place of the published PDFs, and an unchanged run regenerates nothing.
 * @module-tag corpus
 */
import {readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import Papa from 'papaparse'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {removeProject, runCli, type CliRun} from '../support/project.ts'
import {trenchesWithDefinitions} from '../tables/trenches-project.ts'

type Row = Record<string, string>

let project: string
let run: CliRun
let rows: Row[]

beforeAll(() => {
  project = trenchesWithDefinitions('trenches-figures-', {figures: true})
  run = runCli(['tables', '--root', project])
  rows = Papa.parse<Row>(readFileSync(path.join(project, 'data/responses_full_anonymized.csv'), 'utf8'), {header: true, skipEmptyLines: true}).data
}, 180_000)

afterAll(() => removeProject(project))

/** The data values of a generated figure's Vega-Lite specification. */
function drawn(name: string): Record<string, unknown>[] {
  const svg = readFileSync(path.join(project, 'figures', `${name}.svg`), 'utf8')
  const metadata = /<metadata id="vega-lite-specification">([^<]*)<\/metadata>/.exec(svg)![1]
  const spec = JSON.parse(metadata.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'))
  return spec.data.values
}

const missing = (value: string | undefined) => value === undefined || value === 'NA' || value === ''
const percent = (count: number, total: number) => `${((count / total) * 100).toFixed(1)}%`

function mean(values: number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length
}

function sd(values: number[]): number {
  const average = mean(values)
  return values.length > 1 ? Math.sqrt(values.reduce((sum, value) => sum + (value - average) ** 2, 0) / (values.length - 1)) : 0
}

describe('the trenches figures from data', () => {
  it('regenerates all five figures with the tables, with no errors', () => {
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    for (const name of ['fig_activities', 'fig_avg_importance', 'fig_avg_positivity', 'fig_embassies', 'fig_locations']) {
      expect(run.stdout).toMatch(new RegExp(`^figures/${name}\\.svg\\s+regenerated \\(it has not been generated yet\\)`, 'm'))
    }
    expect(run.stdout).toMatch(/^8 tables and 5 figures: 13 regenerated in /m)
  })

  it('counts headquarters (one per organisation) and places of work by region', () => {
    const firstOfEach = new Map<string, Row>()
    for (const row of rows) if (!firstOfEach.has(row['clean.id'])) firstOfEach.set(row['clean.id'], row)
    const based = [...firstOfEach.values()].map((row) => row['home.region']).filter((region) => !missing(region))
    const working = rows.map((row) => row['work.region']).filter((region) => !missing(region))
    const expected = ['Asia and Oceania', 'Europe', 'Americas', 'Africa'].map((name) => {
      const left = based.filter((region) => region === name).length
      const right = working.filter((region) => region === name).length
      return {name, left, leftLabel: percent(left, based.length), right, rightLabel: percent(right, working.length)}
    })
    expect(drawn('fig_locations')).toEqual(expected)
    // As published: 30.9%, 29.4%, 23.0%, 16.7% based; 39.4%, 27.1%, 12.9%, 20.6% working.
    expect(expected.map((row) => [row.leftLabel, row.rightLabel])).toEqual([['30.9%', '39.4%'], ['29.4%', '27.1%'], ['23.0%', '12.9%'], ['16.7%', '20.6%']])
  })

  it('shows each US-embassy activity as a share of those who ticked any', () => {
    const columns = [1, 10, 2, 3, 4, 5, 6, 7, 8, 9].map((option) => `Q3.9_${option}`)
    const answered = rows.filter((row) => columns.some((column) => !missing(row[column])))
    const values = drawn('fig_activities')
    expect(values.map((value) => value.count)).toEqual(columns.map((column) => answered.filter((row) => !missing(row[column])).length))
    for (const value of values) expect(value.share).toBeCloseTo((value.count as number) / answered.length, 12)
    expect(answered.length).toBe(532)
    expect(values[0].activity).toBe('Asking for legislation')
  })

  for (const [name, question, scores] of [
    ['fig_avg_importance', 'Q3.19', {'Most important actor': 2, 'Somewhat important actor': 1, 'Not an important actor': 0}],
    ['fig_avg_positivity', 'Q3.25', {Negative: -1, Mixed: 0, Positive: 1}]
  ] as const) {
    it(`draws ${name}: the mean and SD by country, countries with at least 10 responses, highest first`, () => {
      const byCountry = new Map<string, Row[]>()
      for (const row of rows) if (!missing(row['work.country'])) byCountry.set(row['work.country'], [...(byCountry.get(row['work.country']) ?? []), row])
      const expected = [...byCountry]
        .filter(([, answers]) => answers.length >= 10)
        .map(([country, answers]) => {
          const values = answers.map((row) => (scores as Record<string, number>)[row[question]]).filter((value) => value !== undefined)
          return {label: `${country} (${answers.length})`, mean: mean(values), sd: sd(values)}
        })
      const values = drawn(name)
      expect(values.map((value) => value.label).sort()).toEqual(expected.map((value) => value.label).sort())
      for (const value of values) {
        const mine = expected.find((candidate) => candidate.label === value.label)!
        expect(value.mean).toBeCloseTo(mine.mean, 12)
        expect(value.sd).toBeCloseTo(mine.sd, 12)
        expect(value.low).toBeCloseTo(mine.mean - mine.sd, 12)
        expect(value.high).toBeCloseTo(mine.mean + mine.sd, 12)
      }
      const means = values.map((value) => value.mean as number)
      expect(means).toEqual([...means].sort((a, b) => b - a))
    })
  }

  it('orders the countries as the published figures do', () => {
    expect(drawn('fig_avg_importance').map((value) => value.label)).toEqual(['Cambodia (12)', 'Philippines (15)', 'Ghana (12)', 'Thailand (15)', 'Nigeria (33)', 'Mexico (10)', 'India (39)', 'Nepal (18)', 'Canada (14)', 'United Kingdom (21)'])
    expect(drawn('fig_avg_positivity').map((value) => value.label)).toEqual(['Ghana (12)', 'Canada (14)', 'Nigeria (33)', 'Philippines (15)', 'Mexico (10)', 'Nepal (18)', 'Cambodia (12)', 'India (39)', 'Thailand (15)', 'United Kingdom (21)'])
  })

  it('counts embassies named as active and most active within a few mentions of the published hand coding', () => {
    // The published figure's counts (data_figure2_x_*_embassies_plot.csv of the authors' repository).
    const published: Record<string, [active: number, mostActive: number]> = {
      'United States': [260, 188], 'United Kingdom': [43, 7], Netherlands: [35, 6], France: [30, 4], Norway: [26, 6], 'European Union': [26, 14],
      Switzerland: [24, 8], Sweden: [21, 6], Australia: [19, 7], Italy: [17, 7], Germany: [17, 2], Canada: [12, 1], None: [0, 16], All: [0, 12]
    }
    const values = drawn('fig_embassies')
    expect(values.map((value) => value.name)).toEqual(Object.keys(published))
    const answers = (question: string) => rows.filter((row) => !missing(row[question]) && row[question].trim() !== '').length
    expect([answers('Q3.6'), answers('Q3.7')]).toEqual([338, 268])
    for (const value of values) {
      const [active, mostActive] = published[value.name as string]
      expect(Math.abs((value.left as number) - active)).toBeLessThanOrEqual(4)
      expect(Math.abs((value.right as number) - mostActive)).toBeLessThanOrEqual(3)
      expect(value.rightLabel).toBe(percent(value.right as number, 268))
      expect(value.leftLabel).toBe(value.left ? percent(value.left as number, 338) : '')
    }
  })

  it('regenerates nothing on an unchanged run', () => {
    const again = runCli(['tables', '--root', project])
    expect(again.status).toBe(0)
    expect(again.stdout).toMatch(/^8 tables and 5 figures: 13 up to date in /m)
  })
})

describe('building the trenches draft with its figures from data', () => {
  let build: CliRun
  let html: string

  beforeAll(() => {
    // One importance answer changes: every table and figure reads the file, so each is run again.
    const csvPath = path.join(project, 'data/responses_full_anonymized.csv')
    const text = readFileSync(csvPath, 'utf8')
    writeFileSync(csvPath, text.replace('Somewhat important actor', 'Most important actor'))
    build = runCli(['build', '--root', project, '--to', 'html'])
    html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
  }, 180_000)

  it('regenerates what read the changed file, then builds with the generated SVGs as its five figures', () => {
    expect(build.stderr).toBe('')
    expect(build.status).toBe(0)
    expect(build.stdout).toMatch(/^tables\s+[\d.]+ m?s\s+(?:\d+ regenerated, \d+ unchanged|13 regenerated)$/m)
    expect(build.stdout).toMatch(/\d+ words, 5 figures, 8 tables/)
    for (const name of ['fig_locations', 'fig_activities', 'fig_embassies', 'fig_avg_importance', 'fig_avg_positivity']) {
      expect(html).toContain(`src="manuscript_files/images/figures/${name}.svg"`)
    }
    const copied = readFileSync(path.join(project, 'build/manuscript_files/images/figures/fig_locations.svg'), 'utf8')
    expect(copied).toBe(readFileSync(path.join(project, 'figures/fig_locations.svg'), 'utf8'))
  })
})
