/**
 * A real watch session (in-process, HTML only) on a temporary copy of the sample project, driven by editing its
 * files the way an author and an editor do, and checked by what lands in build/ and what the session reports.
 */
import {mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {removeProject} from '../support/project.ts'
import {copySample, recordSession, sleep, waitFor, type RecordedSession} from './support.ts'

let project: string
let watch: RecordedSession
/** When the session collected its garbage (performance.now()); it does so 300 ms after its last activity here. */
const collections: number[] = []
const file = (name: string) => path.join(project, name)
const read = (name: string) => readFileSync(file(name), 'utf8')
const html = () => read('build/manuscript.html')

// A third table that reads its own data file: a change to data/gardens.csv must leave it alone.
const visitsDefinition = `import {defineTable} from 'manuscript-pipeline/tables'

export default defineTable({
  label: 'tbl:visits',
  caption: 'Visits per garden.',
  data: {visits: 'data/visits.csv'},
  build({visits}) {
    return {columns: [{header: 'Garden'}, {header: 'Visits'}], rows: visits.rows.map((row) => [String(row.garden), Number(row.visits)])}
  }
})
`

const slowDefinition = `import {defineTable} from 'manuscript-pipeline/tables'

export default defineTable({
  label: 'tbl:slow',
  caption: 'A table that takes its time.',
  data: {slow: 'data/slow.csv'},
  build({slow}) {
    // A definition's clock stands still (1970-01-01), so it works by counting: about 20,000 steps a millisecond.
    const milliseconds = Number(slow.rows[0].ms)
    let sum = 0
    for (let step = 0; step < milliseconds * 20_000; step++) sum = (sum + step) % 1_000_003
    return {columns: [{header: 'Milliseconds'}], rows: [[milliseconds]]}
  }
})
`

beforeAll(async () => {
  project = copySample()
  writeFileSync(file('data/visits.csv'), 'garden,visits\nAlder Row,4\nBirch Lane,2\n')
  writeFileSync(file('tables/visits.ts'), visitsDefinition)
  writeFileSync(file('data/slow.csv'), 'ms\n0\n')
  writeFileSync(file('tables/slow.ts'), slowDefinition)
  watch = await recordSession({root: project, port: 0, formats: ['html'], idleCollection: {idleMs: 300, growth: -1, collect: () => collections.push(performance.now())}})
}, 120_000)

afterAll(async () => {
  await watch?.session.close()
  removeProject(project)
})

/** Edit a file and wait for the rebuild that the edit starts. */
async function edit(name: string, change: (text: string) => string, matches?: Parameters<RecordedSession['rebuildAfter']>[1]) {
  const since = watch.rebuilds.length
  writeFileSync(file(name), change(read(name)))
  return watch.rebuildAfter(since, matches)
}

describe('a watch session', () => {
  it('builds once at the start and watches what the build read, including paths it looked for', () => {
    const [first] = watch.rebuilds
    expect(first.changes).toEqual([])
    expect(first.written).toBe(true)
    expect(first.counts.error).toBe(0)
    const watched = watch.session.watchedInputs()
    for (const input of ['manuscript/manuscript.md', 'manuscript/sections/data.md', 'manuscript/references.bib', 'data/gardens.csv', 'tables/districts.ts', 'tables/visits.md', 'tables/', 'figures/fig_yield.ts', 'figures/', 'manuscript.yaml']) {
      expect(watched).toContain(input)
    }
    // build/<name>.html on disk is the build's; the live-reload script is added only when the page is served.
    expect(html()).not.toContain('manuscript-watch')
  })

  it('rebuilds the HTML when text is edited, parsing only the edited file', async () => {
    const rebuild = await edit('manuscript/sections/data.md', (text) => text.replace('We visited all twelve', 'We carefully visited all twelve'))
    expect(rebuild.changes).toEqual([{path: 'manuscript/sections/data.md', kind: 'changed'}])
    expect(rebuild.parsed).toEqual(['manuscript/sections/data.md'])
    expect(rebuild.written).toBe(true)
    expect(html()).toContain('We carefully visited all twelve')
  })

  it('regenerates the tables that read an edited CSV file and leaves the others untouched', async () => {
    const untouched = ['tables/visits.md', 'manuscript/manuscript.md', 'data/visits.csv'].map((name) => ({name, bytes: read(name), mtime: statSync(file(name)).mtimeMs}))
    const districtsBefore = read('tables/districts.md')
    // Alder Row's members: 31 → 131, so North's members go from 65 to 165.
    const rebuild = await edit('data/gardens.csv', (text) => text.replace('Alder Row,North,2009,24,31,', 'Alder Row,North,2009,24,131,'))
    expect(rebuild.changes).toEqual([{path: 'data/gardens.csv', kind: 'changed'}])
    // Three definitions read data/gardens.csv (tables/districts.ts, tables/tools.ts, figures/fig_yield.ts).
    expect([...rebuild.regenerated].sort()).toEqual(['figures/fig_yield.svg', 'tables/districts.md', 'tables/tools.md'])
    expect(read('tables/districts.md')).not.toBe(districtsBefore)
    expect(read('tables/districts.md')).toContain('| North | 3 | 52 | 165 |')
    expect(html()).toMatch(/<td[^>]*>165<\/td>/)
    for (const {name, bytes, mtime} of untouched) {
      expect(read(name), name).toBe(bytes)
      expect(statSync(file(name)).mtimeMs, name).toBe(mtime)
    }
    // The tables the build wrote do not start another build.
    await sleep(300)
    expect(watch.rebuilds.at(-1)).toBe(rebuild)
  })

  it('reports broken YAML front matter, keeps the last good HTML and recovers when it is fixed', async () => {
    const good = html()
    const broken = await edit('manuscript/manuscript.md', (text) => text.replace('short-title: Shared Soil', 'short-title: [Shared Soil'))
    expect(broken.written).toBe(false)
    expect(broken.counts.error).toBeGreaterThan(0)
    const error = broken.messages.find((message) => message.ruleId === 'front-matter')
    expect(error?.file).toBe('manuscript/manuscript.md')
    expect(error?.line).toBeGreaterThan(1)
    expect(html()).toBe(good)

    const fixed = await edit('manuscript/manuscript.md', (text) => text.replace('short-title: [Shared Soil', 'short-title: Shared Soil Again'))
    expect(fixed.written).toBe(true)
    expect(fixed.counts.error).toBe(0)
    expect(html()).toContain('Shared Soil Again')
  })

  it('reports a deleted include and recovers when it is restored', async () => {
    const text = read('manuscript/sections/data.md')
    const good = html()
    let since = watch.rebuilds.length
    rmSync(file('manuscript/sections/data.md'))
    const missing = await watch.rebuildAfter(since)
    expect(missing.changes).toEqual([{path: 'manuscript/sections/data.md', kind: 'deleted'}])
    expect(missing.written).toBe(false)
    expect(missing.messages.find((message) => message.ruleId === 'missing-include')).toMatchObject({file: 'manuscript/manuscript.md', line: 40})
    expect(html()).toBe(good)

    since = watch.rebuilds.length
    writeFileSync(file('manuscript/sections/data.md'), text)
    const restored = await watch.rebuildAfter(since)
    expect(restored.changes).toEqual([{path: 'manuscript/sections/data.md', kind: 'added'}])
    expect(restored.written).toBe(true)
    expect(restored.counts.error).toBe(0)
  })

  it('follows an editor that saves by writing a temporary file and renaming it over the original', async () => {
    const since = watch.rebuilds.length
    const target = file('manuscript/sections/data.md')
    writeFileSync(`${target}.swp`, read('manuscript/sections/data.md').replace('Gardens range from 10 to 52 plots.', 'Gardens range from ten to 52 plots.'))
    renameSync(`${target}.swp`, target)
    const rebuild = await watch.rebuildAfter(since)
    expect(rebuild.changes.map((change) => change.path)).toEqual(['manuscript/sections/data.md'])
    expect(html()).toContain('Gardens range from ten to 52 plots.')
  })

  it('follows a file renamed away (an error) and back (recovered)', async () => {
    const target = file('manuscript/sections/data.md')
    let since = watch.rebuilds.length
    renameSync(target, file('manuscript/sections/data-old.md'))
    const away = await watch.rebuildAfter(since, (rebuild) => rebuild.counts.error > 0)
    expect(away.written).toBe(false)
    since = watch.rebuilds.length
    renameSync(file('manuscript/sections/data-old.md'), target)
    const back = await watch.rebuildAfter(since, (rebuild) => rebuild.written)
    expect(back.counts.error).toBe(0)
  })

  it('finds an include in a folder that does not exist yet once it is created', async () => {
    const since = watch.rebuilds.length
    const missing = await edit('manuscript/sections/data.md', (text) => `${text}\n!INCLUDE "appendix/extra.md"\n`)
    expect(missing.messages.find((message) => message.ruleId === 'missing-include')).toBeDefined()
    expect(watch.session.watchedInputs()).toContain('manuscript/sections/appendix/extra.md')
    const created = watch.rebuilds.length
    mkdirSync(file('appendix'))
    writeFileSync(file('appendix/extra.md'), 'An appendix paragraph.\n')
    const found = await watch.rebuildAfter(created, (rebuild) => rebuild.written)
    expect(found.counts.error).toBe(0)
    expect(html()).toContain('An appendix paragraph.')
    expect(watch.rebuilds.length).toBeGreaterThan(since)
    await edit('manuscript/sections/data.md', (text) => text.replace('\n!INCLUDE "appendix/extra.md"\n', ''))
  })

  it('reports a table definition that throws, keeps the last good table, and recovers', async () => {
    const table = read('tables/visits.md')
    const broken = await edit('tables/visits.ts', (text) => text.replace('return {columns', 'throw new Error("no visits yet")\n    return {columns'))
    expect(broken.written).toBe(false)
    const error = broken.messages.find((message) => message.ruleId === 'table-definition-error')
    expect(error?.reason).toContain('no visits yet')
    expect(read('tables/visits.md')).toBe(table)
    const fixed = await edit('tables/visits.ts', () => visitsDefinition)
    expect(fixed.written).toBe(true)
  })

  it('survives broken CSV and Markdown mid-edit', async () => {
    const csv = read('data/gardens.csv')
    const brokenCsv = await edit('data/gardens.csv', (text) => `${text}"Unclosed quote,North,2001,1,1,1,1,yes\n`)
    expect(brokenCsv.written).toBe(false)
    expect(brokenCsv.counts.error).toBeGreaterThan(0)
    const fixedCsv = await edit('data/gardens.csv', () => csv)
    expect(fixedCsv.written).toBe(true)
    // Half-typed Markdown is still Markdown: it renders, as it will once finished.
    const halfTyped = await edit('manuscript/sections/data.md', (text) => `${text}\n\nA [half-typed link](http://exa\n\n::: {.note\n`)
    expect(halfTyped.counts.error).toBe(0)
    expect(halfTyped.written).toBe(true)
  })

  it('gives one rebuild for a burst of saves and ignores a save that changes nothing', async () => {
    const since = watch.rebuilds.length
    const name = 'manuscript/sections/data.md'
    const text = read(name)
    for (let save = 1; save <= 5; save++) writeFileSync(file(name), `${text}\nBurst ${save}.\n`)
    const rebuild = await watch.rebuildAfter(since)
    await sleep(400)
    expect(watch.rebuilds.length - since).toBe(1)
    expect(rebuild.changes).toEqual([{path: name, kind: 'changed'}])
    expect(html()).toContain('Burst 5.')

    writeFileSync(file(name), read(name))
    await sleep(400)
    expect(watch.rebuilds.length - since).toBe(1)
  })

  it('does not lose a second save made moments after the first (chokidar drops a change within 50 ms)', async () => {
    const name = 'manuscript/sections/data.md'
    const text = read(name)
    for (let round = 1; round <= 3; round++) {
      writeFileSync(file(name), `${text}\nFirst save ${round}.\n`)
      await sleep(25)
      writeFileSync(file(name), `${text}\nSecond save ${round}.\n`)
      await waitFor(() => html().includes(`Second save ${round}.`) || undefined, 10_000, `the second save of round ${round}`)
    }
  })

  it('rebuilds exactly once more for saves made during a build, after it read the file', async () => {
    // The slow table reads data/slow.csv and then works for about that many milliseconds.
    let since = watch.rebuilds.length
    writeFileSync(file('data/slow.csv'), 'ms\n1500\n')
    const saved = Date.now()
    await sleep(600)
    writeFileSync(file('data/slow.csv'), 'ms\n2\n')
    await sleep(100)
    writeFileSync(file('data/slow.csv'), 'ms\n1\n')
    const during = await watch.rebuildAfter(since)
    // The build that read 1500 ended after the last save, so both saves fell inside it.
    expect(Date.now() - saved).toBeGreaterThan(800)
    expect(read('tables/slow.md')).toContain('| 1500 |')
    since = watch.rebuilds.length
    const after = await watch.rebuildAfter(since)
    expect(after.changes).toEqual([{path: 'data/slow.csv', kind: 'changed'}])
    expect(read('tables/slow.md')).toContain('| 1 |')
    await sleep(300)
    expect(watch.rebuilds.length).toBe(since + 1)
    expect(during.regenerated).toContain('tables/slow.md')
  }, 30_000)

  it('collects its garbage once idle, never while a rebuild is going on or due', async () => {
    let since = watch.rebuilds.length
    const name = 'manuscript/sections/data.md'
    writeFileSync(file(name), `${read(name)}\nA sentence before a slow table.\n`)
    await watch.rebuildAfter(since)
    // At once a slow rebuild (about 1.5 s here): the 300 ms idle wait that the quick one's end began runs out during it.
    since = watch.rebuilds.length
    const saved = performance.now()
    writeFileSync(file('data/slow.csv'), 'ms\n1500\n')
    await watch.rebuildAfter(since)
    const rebuilt = performance.now()
    expect(rebuilt - saved).toBeGreaterThan(400)
    expect(collections.filter((at) => at > saved && at < rebuilt)).toEqual([])
    // Idle now: the collection comes.
    await waitFor(() => collections.some((at) => at > rebuilt) || undefined, 5000, 'the idle collection')
  }, 30_000)
})
