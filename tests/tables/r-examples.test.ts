/**
 * A table definition computing statistics, end to end through the CLI (fixtures/r-examples): the data are R's
 * documented examples (datasets `sleep` and `PlantGrowth`, the `chisq.test` help page), and every cell must read
 * as R prints them: t.test(extra ~ group, sleep) t = -1.8608, df = 17.776, p = 0.07939; summary(aov(weight ~ group,
 * PlantGrowth)) F = 4.846 on 2 and 27 df, p = 0.0159; chisq.test(M) X-squared = 30.07, df = 2, p = 2.954e-07;
 * mean, median and sd of sleep$extra 1.54, 0.95, 2.01792.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Html, Table} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import type {Figure} from '../../pipeline/syntax/types.ts'
import {tableCaptionsTransform} from '../../pipeline/transforms/table-captions.ts'
import {copyProject, removeProject, runCli, type CliRun} from '../support/project.ts'

let project: string
let tablesRun: CliRun

beforeAll(() => {
  project = copyProject(path.join(import.meta.dirname, 'fixtures/r-examples'), 'r-examples-')
  tablesRun = runCli(['tables', '--root', project])
}, 120_000)

afterAll(() => removeProject(project))

function generated(): {figure: Figure; table: Table} {
  const tree = parseMarkdown(readFileSync(path.join(project, 'tables/r_examples.md'), 'utf8'), 'tables/r_examples.md')
  tableCaptionsTransform(tree, new VFile({path: 'tables/r_examples.md'}))
  const figure = tree.children.find((node): node is Figure => node.type === 'figure')!
  return {figure, table: figure.children[0] as Table}
}

describe('a definition computing statistics on R’s example data', () => {
  it('regenerates its table without a message', () => {
    expect(tablesRun.stderr).toBe('')
    expect(tablesRun.status).toBe(0)
    expect(tablesRun.stdout).toMatch(/^1 table: 1 regenerated in /m)
    expect(generated().figure.identifier).toBe('tbl:r-examples')
  })

  it('gives the numbers R prints, rounded as the published tables round them', () => {
    const results = generated().table.children.slice(1).map((row) => [toString(row.children[0]), toString(row.children[2])])
    expect(results).toEqual([
      ['Extra sleep', 'Mean: 1.54; median: 0.95; standard deviation: 2.02; N=20'],
      ['Extra sleep by drug (Welch t-test)', 't (17.78) = -1.86, p = 0.079'],
      ['Plant weight by treatment (ANOVA)', 'F (2, 27) = 4.85, p = 0.016'],
      // Cramér's V = sqrt(30.07 / 2757).
      ['Party by gender (chi-square test)', 'χ²(2, N = 2757) = 30.07, p < 0.001, φc = 0.10']
    ])
  })

  it('draws the histogram of the 20 values, counted by hand in bins of 2 hours', () => {
    const chart = generated().table.children[1].children[1].children.filter((node): node is Html => node.type === 'html').map((node) => node.value)
    expect(chart[0]).toContain('aria-label="Bar chart: -2–0: 5; 0–2: 8; 2–4: 4; 4–6: 3"')
    // The tallest bin (8) is the chart's full height, 14; the others in proportion.
    expect(chart.filter((tag) => tag.startsWith('<rect')).map((tag) => Number(/height="([\d.]+)"/.exec(tag)![1]))).toEqual([8.75, 14, 7, 5.25])
  })

  it('builds into a numbered table, the chart inline, then finds everything up to date', () => {
    const build = runCli(['build', '--root', project, '--to', 'html'])
    expect(build.status).toBe(0)
    expect(build.stdout).toMatch(/^tables\s+[\d.]+ m?s\s+1 up to date$/m)
    const html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
    expect(html).toMatch(/<a href="#tbl:r-examples">Table\u00a01<\/a>/)
    expect(html).toMatch(/<figure[^>]*id="tbl:r-examples"[\s\S]*?Table\u00a01:/)
    expect(html.match(/<svg [^>]*class="table-chart"/g)).toHaveLength(1)
  })
})
