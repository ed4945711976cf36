/**
 * Byte-identical outputs: the sample paper built through the CLI in two folders, more than a second apart, gives the
 * same HTML, PDF, assets and manifest, none of which names the folder it was built in; two builds started at once
 * in one folder both succeed and leave what a single build leaves; the manifest accounts for every input and output.
 */
import {spawn, type ChildProcess} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, mkdtempSync, readdirSync, readFileSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {inflateSync} from 'node:zlib'
import {PDFDocument, PDFRawStream} from 'pdf-lib'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Manifest} from '../../pipeline/graph/manifest.ts'
import {removeProject, repoRoot, runCli, type CliRun} from '../support/project.ts'

const sampleFolders = ['manuscript', 'tables', 'figures', 'data']

function sampleProject(prefix: string): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix))
  for (const folder of sampleFolders) cpSync(path.join(repoRoot, folder), path.join(root, folder), {recursive: true})
  return root
}

/** Every file under build/ but the derived cache, with its bytes. */
function outputFiles(root: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>()
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder)) {
      const file = path.join(folder, entry)
      if (entry === '.cache') continue
      if (statSync(file).isDirectory()) walk(file)
      else files.set(path.relative(root, file).split(path.sep).join('/'), readFileSync(file))
    }
  }
  walk(path.join(root, 'build'))
  return files
}

const digest = (files: Map<string, Buffer>) => new Map([...files].map(([file, bytes]) => [file, createHash('sha256').update(bytes).digest('hex')]))

/** The PDF's text as stored: every object, with compressed streams inflated. */
async function pdfContents(file: string): Promise<string> {
  const pdf = await PDFDocument.load(readFileSync(file), {updateMetadata: false})
  const parts: string[] = [readFileSync(file).toString('latin1')]
  for (const [, object] of pdf.context.enumerateIndirectObjects()) {
    if (object instanceof PDFRawStream) {
      try {
        parts.push(inflateSync(object.contents).toString('latin1'))
      } catch {
        parts.push(Buffer.from(object.contents).toString('latin1'))
      }
    } else {
      parts.push(object.toString())
    }
  }
  return parts.join('\n')
}

function runCliAsync(args: string[], cwd: string): {child: ChildProcess; done: Promise<CliRun>} {
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), ...args], {cwd, env: {...process.env, NO_COLOR: '1'}})
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
  const done = new Promise<CliRun>((resolve) => child.on('close', (code) => resolve({status: code ?? -1, stdout, stderr})))
  return {child, done}
}

const projects: string[] = []
let first: string
let second: string
let firstRun: CliRun
let secondRun: CliRun

beforeAll(async () => {
  first = sampleProject('reproducible-a-')
  second = sampleProject('reproducible-b-')
  projects.push(first, second)
  firstRun = runCli(['build', '--root', first])
  // At least a second apart, from another working folder, so that any time or path in an output would show.
  await new Promise((resolve) => setTimeout(resolve, 1100))
  secondRun = runCli(['build'], {cwd: second})
}, 180_000)

afterAll(() => {
  for (const project of projects) removeProject(project)
})

describe('two builds of the same inputs', () => {
  it('both succeed', () => {
    expect(firstRun.status, firstRun.stdout + firstRun.stderr).toBe(0)
    expect(secondRun.status, secondRun.stdout + secondRun.stderr).toBe(0)
  })

  it('give byte-identical HTML, PDF, assets and manifest in different folders at different times', () => {
    const a = outputFiles(first)
    const b = outputFiles(second)
    expect([...a.keys()].sort()).toEqual(['build/manifest.json', 'build/manuscript.bib', 'build/manuscript.html', 'build/manuscript.json', 'build/manuscript.pdf', ...[...a.keys()].filter((file) => file.startsWith('build/manuscript_files/')).sort()].sort())
    expect(a.get('build/manuscript.pdf')!.length).toBeGreaterThan(10_000)
    expect(digest(b)).toEqual(digest(a))
  })

  it('name neither the folder they were built in nor the user, in the HTML, the PDF or the manifest', async () => {
    for (const project of [first, second]) {
      const html = readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')
      const manifest = readFileSync(path.join(project, 'build/manifest.json'), 'utf8')
      const pdf = await pdfContents(path.join(project, 'build/manuscript.pdf'))
      for (const [name, text] of [['HTML', html], ['manifest', manifest], ['PDF', pdf]] as const) {
        expect(text, name).not.toContain(project)
        expect(text, name).not.toContain(tmpdir())
        expect(text, name).not.toContain('file://')
        expect(text, name).not.toContain(repoRoot)
      }
    }
  })

  it('date the PDF from the front matter (November 2026), give it an ID of its own content and a fixed producer', async () => {
    const bytes = readFileSync(path.join(first, 'build/manuscript.pdf'))
    const pdf = await PDFDocument.load(bytes, {updateMetadata: false})
    expect(pdf.getCreationDate()?.toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(pdf.getModificationDate()?.toISOString()).toBe('2026-11-01T00:00:00.000Z')
    expect(pdf.getProducer()).toBe('manuscript-pipeline (Chromium)')
    const id = /\/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \]/.exec(bytes.toString('latin1'))
    expect(id?.[1]).toBe(id?.[2])
    // The ID is the hash of the file as written with a zero ID: anyone can verify it.
    const zeroed = Buffer.from(bytes.toString('latin1').replaceAll(id![1], '0'.repeat(32)), 'latin1')
    expect(createHash('sha256').update(zeroed).digest('hex').slice(0, 32).toUpperCase()).toBe(id![1])
  })

  it('write a manifest of every input and output, with hashes and versions', () => {
    const manifest = JSON.parse(readFileSync(path.join(first, 'build/manifest.json'), 'utf8')) as Manifest
    const inputs = manifest.inputs.map((input) => input.path)
    for (const input of ['manuscript/manuscript.md', 'manuscript/sections/data.md', 'manuscript/references.bib', 'tables/districts.md', 'tables/districts.ts', 'data/gardens.csv', 'figures/fig_yield.svg']) {
      expect(inputs).toContain(input)
    }
    for (const {path: file, sha256} of [...manifest.inputs, ...manifest.outputs]) {
      expect(createHash('sha256').update(readFileSync(path.join(first, file))).digest('hex'), file).toBe(sha256)
    }
    expect(manifest.outputs.map((output) => output.path)).toEqual([...outputFiles(first).keys()].filter((file) => file !== 'build/manifest.json').sort())
    expect(manifest.tool.name).toBe('manuscript-pipeline')
    expect(manifest.tool.version).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).version)
    expect(manifest.browser).toMatch(/Chrome\/\d+/)
    expect(manifest.libraries['puppeteer-core']).toBe(JSON.parse(readFileSync(path.join(repoRoot, 'node_modules/puppeteer-core/package.json'), 'utf8')).version)
    expect(manifest.pdfDate).toEqual({date: '2026-11-01T00:00:00.000Z', from: 'the front matter `date`'})
    expect(JSON.stringify(manifest)).not.toMatch(/20\d\d-\d\d-\d\dT(?!00:00:00)/)
  })
})

describe('SOURCE_DATE_EPOCH', () => {
  it('dates the PDF when set, and changes nothing else', async () => {
    const project = sampleProject('reproducible-epoch-')
    projects.push(project)
    const run = runCli(['build', '--root', project, '--to', 'pdf'], {env: {SOURCE_DATE_EPOCH: '1457179200'}})
    expect(run.status, run.stdout).toBe(0)
    const pdf = await PDFDocument.load(readFileSync(path.join(project, 'build/manuscript.pdf')), {updateMetadata: false})
    expect(pdf.getCreationDate()?.toISOString()).toBe('2016-03-05T12:00:00.000Z')
    expect(pdf.getModificationDate()?.toISOString()).toBe('2016-03-05T12:00:00.000Z')
    expect(pdf.getPageCount()).toBe((await PDFDocument.load(readFileSync(path.join(first, 'build/manuscript.pdf')))).getPageCount())
  })

  it('stops the build with exit 2 when malformed, writing nothing', () => {
    const project = sampleProject('reproducible-bad-epoch-')
    projects.push(project)
    const run = runCli(['build', '--root', project], {env: {SOURCE_DATE_EPOCH: '2016-03-05'}})
    expect(run.status).toBe(2)
    expect(run.stdout).toContain('SOURCE_DATE_EPOCH must be a whole number of seconds')
    expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
    expect(readdirSync(project)).not.toContain('build')
  })
})

describe('two builds of one project started at once', () => {
  it('both succeed, and leave exactly what a single build leaves, with no temporary file', async () => {
    const project = sampleProject('reproducible-concurrent-')
    projects.push(project)
    const builds = [runCliAsync(['build', '--root', project], repoRoot), runCliAsync(['build', '--root', project], repoRoot)]
    const runs = await Promise.all(builds.map((build) => build.done))
    for (const run of runs) {
      // Both succeed, or one fails cleanly (an error message, no stack trace) and leaves the other's outputs.
      expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
      expect([0, 1, 2]).toContain(run.status)
    }
    expect(runs.some((run) => run.status === 0)).toBe(true)
    const files = outputFiles(project)
    expect([...files.keys()].filter((file) => /\.tmp/.test(file))).toEqual([])
    expect(digest(files)).toEqual(digest(outputFiles(first)))
    const pdf = await PDFDocument.load(files.get('build/manuscript.pdf')!)
    expect(pdf.getPageCount()).toBeGreaterThanOrEqual(3)
  }, 120_000)
})
