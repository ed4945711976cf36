/**
 * Every bad input handled: for each fixture (see fixture-project.ts and fixtures/README.md) a good build, then the
 * broken project built in this process. The build must give the exit code and the located messages of
 * expected.json (`UPDATE=1 npx vitest run tests/trust` rewrites them, keeping hand-trimmed messages that still
 * match; read the diff), leave the previous outputs byte for byte when it fails, and say at each message where the
 * problem is and what to do. `check` must find the same problems at the same places, except those that only
 * building can find.
 */
import {cpSync, readFileSync, rmSync, statSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {
  breakProject,
  buildOnlyRules,
  checkOnlyRules,
  buildOutcome,
  checkOutcome,
  expectedFrom,
  filesUnder,
  fixtureNames,
  fixturesFolder,
  goodProject,
  outputs,
  readExpected,
  readSetup,
  writeExpected,
  type LocatedMessage
} from './fixture-project.ts'

const update = Boolean(process.env.UPDATE)

/** A message says what to do: it holds an instruction. */
const wayOut = /\b(did you mean|must|add|allow|choose|close|convert|copy|correct|create|declare|delete|download|end|export|fix|give|include|keep|leave|make|mark|move|name|point|put|quote|remove|rename|replace|run|save|set|split|unset|use|write)\b/i

const folders: string[] = []
/**
 * The good project is the same for every case (goodManuscript, built to HTML without setup): it is built once here and
 * its build/ copied into each case's project, which then holds exactly what its own good build would have written.
 * Running from source, the derived cache is off (pipeline/graph/derived-cache.ts), so build/ is all a build leaves.
 */
let goodBuild: string
beforeAll(async () => {
  const {folder, root} = goodProject('good-build')
  folders.push(folder)
  const outcome = await buildOutcome(root, {})
  expect(outcome.exit, outcome.error ?? outcome.messages.map(where).join('\n')).toBe(0)
  goodBuild = path.join(root, 'build')
})
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})

const where = (message: LocatedMessage) => `${message.file}:${message.line}:${message.column} ${message.rule}`

describe('bad input', () => {
  it('has at least 40 cases, each listed in fixtures/README.md', () => {
    expect(fixtureNames.length).toBeGreaterThanOrEqual(40)
    const readme = readFileSync(path.join(fixturesFolder, 'README.md'), 'utf8')
    for (const name of fixtureNames) expect(readme, name).toContain(`\`${name}\``)
  })

  for (const name of fixtureNames) {
    it(name, async () => {
      const setup = readSetup(name)
      const {folder, root, outside} = goodProject(name)
      folders.push(folder)
      cpSync(goodBuild, path.join(root, 'build'), {recursive: true})
      const good = outputs(root)
      expect(good.size).toBeGreaterThan(0)

      breakProject(name, root, outside, setup)
      const besideProject = filesUnder(outside, '.')
      const started = performance.now()
      const outcome = await buildOutcome(root, setup)
      const seconds = (performance.now() - started) / 1000

      const previous = readExpected(name)
      if (update) writeExpected(name, expectedFrom(outcome, previous))
      const expected = readExpected(name)!
      expect(outcome.exit, outcome.error ?? outcome.messages.map(where).join('\n')).toBe(expected.exit)
      if (expected.error !== undefined) expect(outcome.error).toContain(expected.error)
      expect(outcome.messages.map(where)).toEqual(expected.messages.map(where))
      outcome.messages.forEach((message, index) => {
        expect(message.severity, where(message)).toBe(expected.messages[index].severity)
        expect(message.message, where(message)).toContain(expected.messages[index].message)
      })

      // Independently of expected.json: every problem is located in a file of the project, named and answered.
      for (const message of outcome.messages.filter((each) => each.severity !== 'info')) {
        expect(message.message, where(message)).toMatch(wayOut)
        expect(message.message, where(message)).not.toMatch(/\n\s+at /)
        expect(message.line, where(message)).toBeGreaterThan(0)
        const file = path.join(root, message.file)
        expect(statSync(file, {throwIfNoEntry: false})?.isFile(), `${where(message)}: no such file`).toBe(true)
        if (statSync(file).size < 1_000_000) expect(message.line, where(message)).toBeLessThanOrEqual(readFileSync(file, 'utf8').split('\n').length)
      }
      if (outcome.error !== undefined) expect(outcome.error).toMatch(wayOut)
      // The 1 MB line and the 100 MB file are handled at once, not in minutes; the endless table within its limit.
      expect(seconds).toBeLessThan(10)

      // A failed build wrote nothing: every previous output is there, byte for byte.
      if (outcome.exit !== 0) expect(outputs(root)).toEqual(good)
      // Nothing was written beside the project (through links included), whatever the outcome.
      expect(filesUnder(outside, '.')).toEqual(besideProject)

      // `check` finds the same problems at the same places (not those only a build can find).
      const checked = await checkOutcome(root, setup)
      expect(filesUnder(outside, '.')).toEqual(besideProject)
      if (outcome.environment) return
      if (outcome.exit === 2) {
        expect(checked.error).toBe(outcome.error)
        return
      }
      const built = new Set(outcome.messages.filter((message) => !buildOnlyRules.has(message.rule)).map(where))
      const found = new Set(checked.messages.filter((message) => !checkOnlyRules.has(message.rule)).map(where))
      expect([...found].sort()).toEqual([...built].sort())
    })
  }
})
