/**
 * The bad-input fixtures: each folder of fixtures/ is a small project that is broken in one way, with
 * `expected.json` (the exit code and the located messages a build gives) and, where the case needs more than files,
 * `setup.json`:
 *
 * - `to`: the formats to build (default html; a PDF only where the case is about printing);
 * - `env`: environment variables set during the build (SOURCE_DATE_EPOCH);
 * - `outside`: files written beside the project, in `../outside/` (what `../../outside/x` reaches from manuscript/);
 * - `symlinks`: links to make in the project, path → target (relative to the link's folder); where the good build
 *   left something at the link's path (`build`), it is first moved to the target, as an author who moves the
 *   outputs elsewhere and links them back does;
 * - `generate`: files too large to commit, made at run time (`repeat` until `bytes`, between `prefix` and `suffix`;
 *   `close`, when given, goes before `suffix`: `close.repeat` `close.times` times, to close what the repeat opened);
 * - `includeChain`: `depth` files in `folder`, each including the next.
 *
 * A case is run as an author meets it: a good build first, then the project is replaced by the fixture and built
 * again, so the test can tell that the previous outputs survived byte for byte.
 */
import {createHash} from 'node:crypto'
import {cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {VFileMessage} from 'vfile-message'
import {build} from '../../pipeline/build.ts'
import {check} from '../../pipeline/check/check.ts'
import {EnvironmentError, UsageError} from '../../pipeline/cli/errors.ts'
import type {OutputFormat} from '../../pipeline/config/config.ts'
import {severityOf, type Severity} from '../../pipeline/diagnostics/report.ts'

export const fixturesFolder = path.join(import.meta.dirname, 'fixtures')

/**
 * Problems only a build finds, because only a build runs table definitions (their errors; `check` reports the
 * table as out of date instead), converts PDF figures, or typesets math.
 */
export const buildOnlyRules = new Set(['table-definition-error', 'table-timeout', 'table-data-error', 'table-output', 'table-runtime-error', 'figure-conversion', 'math-syntax'])
/** Problems only `check` reports: a table out of date (a build regenerates it). */
export const checkOnlyRules = new Set(['stale-table'])


export interface FixtureSetup {
  to?: OutputFormat[]
  env?: Record<string, string>
  outside?: Record<string, string>
  symlinks?: Record<string, string>
  generate?: {path: string; prefix?: string; repeat: string; bytes: number; close?: {repeat: string; times: number}; suffix?: string}[]
  includeChain?: {folder: string; depth: number}
}

export interface LocatedMessage {
  file: string
  line: number
  column: number
  rule: string
  severity: Severity
  /** The message; in expected.json, a part of it (hand-trimmed to what matters). */
  message: string
}

export interface Expected {
  exit: 0 | 1 | 2
  /** For exit 2: a part of the message printed. */
  error?: string
  messages: LocatedMessage[]
}

export interface Outcome {
  exit: 0 | 1 | 2
  /** The message of a usage or environment problem (exit 2). */
  error?: string
  /** True when exit 2 came from the environment (a browser, SOURCE_DATE_EPOCH), which `check` does not need. */
  environment?: boolean
  messages: LocatedMessage[]
}

export const fixtureNames = readdirSync(fixturesFolder)
  .filter((name) => statSync(path.join(fixturesFolder, name)).isDirectory())
  .sort()

export function readSetup(name: string): FixtureSetup {
  const file = path.join(fixturesFolder, name, 'setup.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FixtureSetup) : {}
}

export const goodManuscript = '# The last good draft\n\nEverything here built.\n'

/** A temporary folder holding `project/` (a good project) and `outside/` (files beside it). */
export function goodProject(name: string): {folder: string; root: string; outside: string} {
  const folder = mkdtempSync(path.join(tmpdir(), `trust-${name}-`))
  const root = path.join(folder, 'project')
  mkdirSync(path.join(root, 'manuscript'), {recursive: true})
  writeFileSync(path.join(root, 'manuscript/manuscript.md'), goodManuscript)
  return {folder, root, outside: path.join(folder, 'outside')}
}

/** Replace the project's sources (not its outputs) with the fixture's, and make what setup.json asks for. */
export function breakProject(name: string, root: string, outside: string, setup: FixtureSetup): void {
  for (const entry of readdirSync(root)) if (entry !== 'build') rmSync(path.join(root, entry), {recursive: true, force: true})
  const source = path.join(fixturesFolder, name)
  for (const entry of readdirSync(source)) {
    if (entry === 'expected.json' || entry === 'setup.json') continue
    cpSync(path.join(source, entry), path.join(root, entry), {recursive: true})
  }
  for (const [file, text] of Object.entries(setup.outside ?? {})) write(path.join(outside, file), text)
  for (const [link, target] of Object.entries(setup.symlinks ?? {})) {
    const linkPath = path.join(root, link)
    mkdirSync(path.dirname(linkPath), {recursive: true})
    if (existsSync(linkPath)) {
      const moved = path.resolve(path.dirname(linkPath), target)
      mkdirSync(path.dirname(moved), {recursive: true})
      renameSync(linkPath, moved)
    }
    symlinkSync(target, linkPath)
  }
  for (const generated of setup.generate ?? []) {
    const suffix = (generated.close ? generated.close.repeat.repeat(generated.close.times) : '') + (generated.suffix ?? '')
    const body = Math.max(0, generated.bytes - Buffer.byteLength((generated.prefix ?? '') + suffix))
    const repeated = generated.repeat.repeat(Math.ceil(body / generated.repeat.length)).slice(0, body)
    write(path.join(root, generated.path), (generated.prefix ?? '') + repeated + suffix)
  }
  if (setup.includeChain) {
    const {folder, depth} = setup.includeChain
    for (let part = 1; part <= depth; part++) {
      write(path.join(root, folder, `p${part}.md`), `Part ${part}.\n${part < depth ? `\n!INCLUDE "p${part + 1}.md"\n` : ''}`)
    }
  }
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, text)
}

/**
 * Every output file under build/ (not the derived cache) with the SHA-256 of its bytes. Linked folders are followed (a case
 * may move build/ elsewhere and link it); a link to a file that a case put there is not an output.
 */
export function outputs(root: string): Map<string, string> {
  return filesUnder(root, 'build', (name) => name !== '.cache')
}

/** Every file under `folder` of `base` (following links) for which `keep` holds, by path from `base`, with its SHA-256. */
export function filesUnder(base: string, folder: string, keep: (name: string) => boolean = () => true): Map<string, string> {
  const found = new Map<string, string>()
  const walk = (current: string) => {
    if (!existsSync(current)) return
    for (const entry of readdirSync(current)) {
      const file = path.join(current, entry)
      if (!keep(entry) || !existsSync(file)) continue
      if (statSync(file).isDirectory()) walk(file)
      else if (!lstatSync(file).isSymbolicLink()) found.set(path.relative(base, file), createHash('sha256').update(readFileSync(file)).digest('hex'))
    }
  }
  walk(path.join(base, folder))
  return found
}

function withEnvironment<T>(env: Record<string, string> | undefined, run: () => T): T {
  const saved = Object.fromEntries(Object.keys(env ?? {}).map((key) => [key, process.env[key]]))
  Object.assign(process.env, env)
  const restore = () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
  try {
    const result = run()
    if (result instanceof Promise) return result.finally(restore) as T
    restore()
    return result
  } catch (error) {
    restore()
    throw error
  }
}

function located(message: VFileMessage): LocatedMessage {
  return {
    file: String(message.file ?? ''),
    line: message.line ?? 0,
    column: message.column ?? 0,
    rule: message.ruleId ?? '',
    severity: severityOf(message),
    message: message.reason
  }
}

export function compareMessages(left: LocatedMessage, right: LocatedMessage): number {
  return left.file.localeCompare(right.file) || left.line - right.line || left.column - right.column || left.rule.localeCompare(right.rule) || left.message.localeCompare(right.message)
}

function thrown(error: unknown): Outcome {
  if (error instanceof UsageError || error instanceof EnvironmentError) {
    return {exit: 2, error: error.message, environment: error instanceof EnvironmentError, messages: []}
  }
  throw error
}

/** Build in this process, as `manuscript build` does, and the exit code the command would give. */
export async function buildOutcome(root: string, setup: FixtureSetup): Promise<Outcome> {
  try {
    const result = await withEnvironment(setup.env, () => build({root, to: setup.to ?? ['html']}))
    const messages = result.messages.map(located).sort(compareMessages)
    return {exit: messages.some((message) => message.severity === 'error') ? 1 : 0, messages}
  } catch (error) {
    return thrown(error)
  }
}

/** Check in this process, as `manuscript check` does (its exit code also counts warnings; not needed here). */
export async function checkOutcome(root: string, setup: FixtureSetup): Promise<Outcome> {
  try {
    const result = await withEnvironment(setup.env, () => check({root}))
    const messages = result.findings.map(({file, line, column, rule, severity, message}) => ({file, line, column, rule, severity, message})).sort(compareMessages)
    return {exit: messages.some((message) => message.severity === 'error') ? 1 : 0, messages}
  } catch (error) {
    return thrown(error)
  }
}

/**
 * What expected.json should hold for `outcome`. A message kept from the previous expected.json at the same place
 * and rule keeps its hand-trimmed part if the new message still contains it.
 */
export function expectedFrom(outcome: Outcome, previous: Expected | undefined): Expected {
  const messages = outcome.messages.map((message) => {
    const kept = previous?.messages.find(
      (old) => old.file === message.file && old.line === message.line && old.column === message.column && old.rule === message.rule && message.message.includes(old.message)
    )
    return {...message, message: kept?.message ?? message.message}
  })
  const error = outcome.error === undefined ? undefined : previous?.error && outcome.error.includes(previous.error) ? previous.error : outcome.error
  return {exit: outcome.exit, ...(error === undefined ? {} : {error}), messages}
}

export function readExpected(name: string): Expected | undefined {
  const file = path.join(fixturesFolder, name, 'expected.json')
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Expected) : undefined
}

export function writeExpected(name: string, expected: Expected): void {
  writeFileSync(path.join(fixturesFolder, name, 'expected.json'), `${JSON.stringify(expected, null, 2)}\n`)
}
