/**
 * A table definition can only compute: whatever way out it tries (the network, Node's modules by a computed name, a
 * URL import, Node's globals), nothing leaves the sandbox, and the attempt is reported at the line that made it. No
 * connection reaches a server listening beside the build. Inside, numbers format and text sorts exactly as in
 * Node (QuickJS has no Intl: localeCompare is the host's collator). A definition that loops is stopped from outside too:
 * Ctrl-C ends `manuscript tables` at once, not when the time limit is up. (The attacks with a fixed result are
 * bad-input fixtures: table-imports-node-fs-dynamically, table-get-builtin-module, table-child-process,
 * table-fetch, table-worker-threads, table-memory-bomb, table-deep-recursion.)
 */
import {spawn} from 'node:child_process'
import {once} from 'node:events'
import {createServer, type AddressInfo, type Server} from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readFileSync} from 'node:fs'
import {formatFixed, formatP, formatRounded, formatSignificant} from '../../pipeline/tables/format.ts'
import {regenerateTables} from '../../pipeline/tables/regenerate.ts'
import {chiSquareTest, oneWayAnova, welchTTest} from '../../pipeline/tables/statistics.ts'
import {projectFromFiles, removeProject, repoRoot} from '../support/project.ts'

function definition(build: string): string {
  return `import {defineTable} from 'manuscript-pipeline/tables'

export default defineTable({
  label: 'tbl:t',
  caption: 'Counts',
  data: {d: 'data/d.csv'},
  async build({d}) {
${build}
    return {columns: [{header: 'Rows'}], rows: [[d.rows.length]]}
  }
})
`
}

describe('a definition that reaches for the network', () => {
  let server: Server
  let connections = 0
  let port: number

  beforeAll(async () => {
    server = createServer((socket) => {
      connections++
      socket.destroy()
    })
    server.listen(0, '127.0.0.1')
    await once(server, 'listening')
    port = (server.address() as AddressInfo).port
  })

  afterAll(() => server.close())

  it('reaches nothing, and each attempt is an error at its line', async () => {
    const url = `http://127.0.0.1:${port}`
    const attempts: Record<string, string> = {
      fetch: `    await fetch('${url}/rows')`,
      'node-http': `    const http = await import(['node', 'http'].join(':'))\n    await new Promise((resolve) => http.get('${url}/', resolve))`,
      'node-net': `    const net = await import('node:' + 'net')\n    net.connect(${port}, '127.0.0.1')`,
      'url-import': `    await import('${url}/module.mjs')`,
      xhr: `    const request = new XMLHttpRequest()\n    request.open('GET', '${url}/')\n    request.send()`,
      websocket: `    new WebSocket('ws://127.0.0.1:${port}/')`,
      'get-builtin-module': `    const net = (globalThis as any).process.getBuiltinModule('net')\n    net.connect(${port}, '127.0.0.1')`
    }
    const files: Record<string, string> = {'data/d.csv': 'site,plots\nNorth,24\n'}
    for (const [name, code] of Object.entries(attempts)) files[`tables/${name}.ts`] = definition(code)
    const root = projectFromFiles(files, 'tables-network-')
    try {
      const result = await regenerateTables({root})
      const errors = result.messages.filter((message) => message.fatal === true)
      expect(errors.map((error) => error.file).sort()).toEqual(Object.keys(attempts).map((name) => `tables/${name}.ts`).sort())
      for (const error of errors) {
        // At the line of the attempt (the definition's line 8), not at its first line.
        expect([error.ruleId, error.line], error.reason).toEqual(['table-definition-error', 8])
        expect(error.reason).toMatch(/is not defined|cannot import|of undefined/i)
      }
      expect(result.outcomes.every((outcome) => outcome.status === 'failed')).toBe(true)
      // Give any connection made in the background time to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(connections).toBe(0)
    } finally {
      removeProject(root)
    }
  }, 60_000)
})

describe('computing in the sandbox', () => {
  it('formats numbers and sorts text exactly as Node does', async () => {
    // Ties, huge and tiny numbers, negative zero and the non-finite, through every formatter; text in collation order.
    const values = [0.125, 2.675, 1.005, -0.5, -0, 1e21, 123456789.987654, 5e-324, 0.1 + 0.2, 1 / 3, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]
    const words = ['b', 'B', 'a', 'Ä', 'z', 'é', 'e', '10', '9']
    const expected = values.map((value) => [formatFixed(value, 2), formatRounded(value, 2), formatSignificant(value), formatP(Math.abs(value)), String(value)].join(' '))
    const build = `    const values = [${values.map((value) => (Object.is(value, -0) ? '-0' : String(value))).join(', ')}]
    const lines = values.map((value) => [formatFixed(value, 2), formatRounded(value, 2), formatSignificant(value), formatP(Math.abs(value)), String(value)].join(' '))
    const sorted = ${JSON.stringify(words)}.sort((a, b) => a.localeCompare(b)).join(' ')
    return {columns: [{header: 'Formatted'}], rows: [...lines.map((line) => [line]), [sorted]]}`
    const source = definition(build).replace("import {defineTable}", "import {defineTable, formatFixed, formatP, formatRounded, formatSignificant}").replace(/\n    return \{columns: \[\{header: 'Rows'\}\], rows: \[\[d\.rows\.length\]\]\}/, '')
    const root = projectFromFiles({'data/d.csv': 'site,plots\nNorth,24\n', 'tables/t.ts': source}, 'tables-numbers-')
    try {
      const result = await regenerateTables({root})
      expect(result.messages.filter((message) => message.fatal === true).map((message) => message.reason)).toEqual([])
      const cells = readFileSync(path.join(root, 'tables/t.md'), 'utf8').split('\n').filter((line) => line.startsWith('| ')).slice(2).map((line) => line.slice(2, -2).trim())
      const sorted = [...words].sort((a, b) => a.localeCompare(b, 'en-US')).join(' ')
      expect(cells).toEqual([...expected, sorted])
    } finally {
      removeProject(root)
    }
  }, 60_000)
})

describe('the statistical tests in the sandbox', () => {
  it('give the p-values Node gives, even to a definition that replaced eval, and leave no global behind', async () => {
    // The distribution functions behind the p-values are evaluated in the definition's runtime on first use.
    const x = [0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0]
    const y = [1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4]
    const counts = [[12, 5], [7, 15]]
    const expected = [String(welchTTest(x, y).p), String(oneWayAnova([x, y]).p), String(chiSquareTest(counts).p), 'undefined undefined']
    const build = `    globalThis.eval = () => { throw new Error('not this eval') }
    const x = ${JSON.stringify(x)}
    const y = ${JSON.stringify(y)}
    const found = [welchTTest(x, y).p, oneWayAnova([x, y]).p, chiSquareTest(${JSON.stringify(counts)}).p].map(String)
    found.push([typeof manuscriptDistributions, typeof globalThis.manuscriptDistributions].join(' '))
    return {columns: [{header: 'Found'}], rows: found.map((value) => [value])}`
    const source = definition(build).replace('import {defineTable}', 'import {chiSquareTest, defineTable, oneWayAnova, welchTTest}').replace(/\n    return \{columns: \[\{header: 'Rows'\}\], rows: \[\[d\.rows\.length\]\]\}/, '')
    const root = projectFromFiles({'data/d.csv': 'site,plots\nNorth,24\n', 'tables/t.ts': source}, 'tables-tests-')
    try {
      const result = await regenerateTables({root})
      expect(result.messages.filter((message) => message.fatal === true).map((message) => message.reason)).toEqual([])
      const cells = readFileSync(path.join(root, 'tables/t.md'), 'utf8').split('\n').filter((line) => line.startsWith('| ')).slice(2).map((line) => line.slice(2, -2).trim())
      expect(cells).toEqual(expected)
    } finally {
      removeProject(root)
    }
  }, 60_000)
})

describe('the same table on every run', () => {
  it('gives the same clock and the same random numbers each time, whatever the machine says', async () => {
    const build = `    const draws = Array.from({length: 3}, () => Math.random().toFixed(6)).join(' ')
    return {columns: [{header: 'Now'}, {header: 'Draws'}], rows: [[new Date().toISOString() + ' ' + Date.now() + ' ' + new Date(2020, 0, 2).getFullYear(), draws]]}`
    const source = definition(build).replace(/\n    return \{columns: \[\{header: 'Rows'\}\], rows: \[\[d\.rows\.length\]\]\}/, '')
    const root = projectFromFiles({'data/d.csv': 'site,plots\nNorth,24\n', 'tables/t.ts': source}, 'tables-same-')
    try {
      const cells = async () => {
        const result = await regenerateTables({root, force: true})
        expect(result.messages.filter((message) => message.fatal === true).map((message) => message.reason)).toEqual([])
        return readFileSync(path.join(root, 'tables/t.md'), 'utf8').split('\n').filter((line) => line.startsWith('| ')).slice(2)[0]
      }
      const first = await cells()
      expect(first).toContain('1970-01-01T00:00:00.000Z 0 2020')
      const draws = first.split('|')[2].trim().split(' ').map(Number)
      expect(new Set(draws).size).toBe(3)
      for (const draw of draws) expect(draw >= 0 && draw < 1).toBe(true)
      expect(await cells()).toBe(first)
    } finally {
      removeProject(root)
    }
  }, 60_000)
})

describe('definitions that share a worker', () => {
  it('see nothing of one another: each starts with fresh globals, clock and random numbers, even after one failed', async () => {
    // Twelve definitions: more than the lanes there are (at most 8), so workers run several, one after another.
    const names = Array.from({length: 12}, (_, index) => `t${String(index).padStart(2, '0')}`)
    const source = (name: string) => `import {defineTable} from 'manuscript-pipeline/tables'

export default defineTable({
  label: 'tbl:${name}',
  caption: 'What the definition found',
  data: {d: 'data/d.csv'},
  build({d}) {
    const found = [typeof globalThis.left, typeof Array.prototype.left, String(Date.now()), Math.random().toFixed(6)].join(' ')
    globalThis.left = '${name}'
    Array.prototype.left = () => '${name}'
    Date.now = () => 42
    Math.random = () => 0.5
    ${name === 't03' ? "throw new Error('t03 fails on purpose')" : ''}
    return {columns: [{header: 'Found'}], rows: [[found]]}
  }
})
`
    const root = projectFromFiles({'data/d.csv': 'site\nNorth\n', ...Object.fromEntries(names.map((name) => [`tables/${name}.ts`, source(name)]))}, 'tables-share-')
    try {
      const result = await regenerateTables({root, force: true})
      expect(result.messages.filter((message) => message.fatal === true).map((message) => message.reason)).toEqual([expect.stringContaining('t03 fails on purpose')])
      const found = names.filter((name) => name !== 't03').map((name) => readFileSync(path.join(root, `tables/${name}.md`), 'utf8').split('\n').filter((line) => line.startsWith('| ')).slice(2)[0])
      expect(new Set(found).size).toBe(1)
      expect(found[0]).toMatch(/^\| undefined undefined 0 0\.\d{6} \|$/)
    } finally {
      removeProject(root)
    }
  }, 60_000)
})

describe('stopping a definition from outside', () => {
  it('Ctrl-C ends `manuscript tables` at once while a definition loops', async () => {
    const root = projectFromFiles({'manuscript.yaml': 'table-time-limit: 120\n', 'data/d.csv': 'site,plots\nNorth,24\n', 'tables/t.ts': definition('    for (;;) {}')}, 'tables-interrupt-')
    try {
      const child = spawn(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), 'tables', '--root', root], {stdio: 'ignore'})
      // Long enough for the definition to be running; the time limit is two minutes.
      await new Promise((resolve) => setTimeout(resolve, 4000))
      const interrupted = Date.now()
      child.kill('SIGINT')
      const [code, signal] = await once(child, 'exit')
      expect(code !== 0 || signal !== null).toBe(true)
      expect(Date.now() - interrupted).toBeLessThan(20_000)
    } finally {
      removeProject(root)
    }
  }, 60_000)
})
