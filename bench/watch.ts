/**
 * Watch mode, measured as an author meets it: `manuscript watch` (the compiled CLI) runs on a copy of the trenches
 * draft with its eight table definitions, and each save of manuscript/manuscript.md is timed until the new HTML,
 * then the new PDF, is in build/ (seen by fs.watch and checked by content, not by the CLI's own report), and until
 * the preview's readers are told of it (as the page's script is, by the preview's events). Then the
 * same with pauses of 3 s between saves, as an author saves, on a 20× longer document (HTML only), and the watch
 * process's resident memory after 10 and after 500 saves. Then the book (bench/book-project.ts, ≈10× the draft in 11
 * included parts with a 5,000-entry bibliography): a chapter saved, until the new HTML and PDF, and the memory after
 * 10 and after 200 saves.
 * Medians, since the machine is noisy.
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {existsSync, mkdirSync, readFileSync, statSync, watch, writeFileSync, type FSWatcher} from 'node:fs'
import http, {type ClientRequest} from 'node:http'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {copyProject, removeProject, repoRoot, trenches} from '../tests/support/project.ts'
import {trenchesWithDefinitions} from '../tests/tables/trenches-project.ts'
import {lengthen, writeBookProject} from './book-project.ts'
import {eventsPath} from '../pipeline/watch/client.ts'
import {median} from './process-timing.ts'

const cli = path.join(repoRoot, 'bin/manuscript.mjs')
const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds))

function percentile(values: number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]
}

/** One `manuscript watch` process and what it printed. */
class WatchProcess {
  output = ''
  private readonly child: ChildProcessWithoutNullStreams
  private exited = false

  constructor(project: string, args: string[]) {
    this.child = spawn(process.execPath, [cli, 'watch', '--root', project, '--port', '0', '--no-open', ...args], {env: {...process.env, NO_COLOR: '1'}})
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk))
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk))
    this.child.on('exit', () => (this.exited = true))
  }

  async started(): Promise<void> {
    await until(() => this.output.includes('Press Ctrl-C to stop') || this.exited, 300_000)
    if (this.exited) throw new Error(`manuscript watch ended:\n${this.output}`)
  }

  /** The preview's address, as the CLI printed it. */
  previewUrl(): string {
    const url = /Preview: (\S+)/.exec(this.output)?.[1]
    if (!url) throw new Error(`manuscript watch printed no preview address:\n${this.output}`)
    return url
  }

  /** Resident memory of the watch process (not its browser), MiB. */
  residentMiB(): number {
    const kib = Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'))?.[1])
    return kib / 1024
  }

  /**
   * Until nothing has been printed for `quietMs`: the session is idle. A PDF print says nothing until it ends (or
   * until the CLI's "still printing" line, after 3 s), so only a quiet time longer than that proves no print is going.
   */
  async settled(quietMs = 1500): Promise<void> {
    let length = -1
    while (length !== this.output.length) {
      length = this.output.length
      await sleep(quietMs)
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return
    this.child.kill('SIGINT')
    await until(() => this.exited, 10_000).catch(() => this.child.kill('SIGKILL'))
  }
}

async function until(condition: () => boolean, timeoutMs: number, intervalMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms`)
    await sleep(intervalMs)
  }
}

/** Times each output's replacement in the build folder (outputs are renamed into place, so one event per write). */
class OutputClock {
  private readonly watcher: FSWatcher
  private readonly changed = new Map<string, number>()

  constructor(folder: string) {
    mkdirSync(folder, {recursive: true})
    this.watcher = watch(folder, (_event, name) => {
      if (name) this.changed.set(name.toString(), performance.now())
    })
  }

  /** The time `name` was replaced after `since`, once `ready()` confirms it is the expected version. */
  async replaced(name: string, since: number, ready: () => boolean, timeoutMs: number): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs
    while (performance.now() < deadline) {
      const at = this.changed.get(name)
      if (at !== undefined && at >= since && ready()) return at
      await sleep(1)
    }
    return undefined
  }

  close(): void {
    this.watcher.close()
  }
}

/**
 * A reader of the preview, as the page's script is one: times each build the server tells its readers of (its
 * server-sent events), which is when an open preview starts loading the new page.
 */
class PreviewReader {
  private readonly request: ClientRequest
  private readonly told: Array<{version: number; at: number}> = []

  constructor(url: string) {
    this.request = http.get(new URL(eventsPath, url), (response) => {
      response.setEncoding('utf8')
      let buffered = ''
      response.on('data', (chunk: string) => {
        const at = performance.now()
        buffered += chunk
        for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
          const data = /^data: (.*)$/m.exec(buffered.slice(0, end))?.[1]
          buffered = buffered.slice(end + 2)
          if (data) this.told.push({version: (JSON.parse(data) as {version: number}).version, at})
        }
      })
    })
    this.request.on('error', () => undefined)
  }

  /** Until the server has sent the state it sends a reader on connecting (the version of the page shown). */
  async connected(timeoutMs: number): Promise<void> {
    await until(() => this.told.length > 0, timeoutMs)
  }

  /** The version of the page the readers were last told of (-1 before the first event). */
  get version(): number {
    return this.told.at(-1)?.version ?? -1
  }

  /** When the readers were told of a page newer than `version`. */
  async newerThan(version: number, timeoutMs: number): Promise<number | undefined> {
    const deadline = performance.now() + timeoutMs
    while (performance.now() < deadline) {
      const event = this.told.find((told) => told.version > version)
      if (event) return event.at
      await sleep(1)
    }
    return undefined
  }

  close(): void {
    this.request.destroy()
  }
}

interface SaveSeries {
  html: number[]
  /** Save → the preview's readers told of the new page. */
  preview: number[]
  pdf: number[]
  /** Why PDFs were not measured, when they were not. */
  pdfProblem?: string
}

/**
 * `count` saves of the entry, each adding a distinct sentence at the end; waits for the HTML holding it (and, with
 * `pdf`, for a PDF printed after the save), then `pauseMs`, before the next save.
 */
async function timeSaves(project: string, session: WatchProcess, count: number, pdf: boolean, pauseMs = 50, saved = 'manuscript/manuscript.md', timeoutMs = 60_000): Promise<SaveSeries> {
  const entry = path.join(project, saved)
  const htmlFile = path.join(project, 'build/manuscript.html')
  const pdfFile = path.join(project, 'build/manuscript.pdf')
  const original = readFileSync(entry, 'utf8')
  const clock = new OutputClock(path.dirname(htmlFile))
  const reader = new PreviewReader(session.previewUrl())
  const series: SaveSeries = {html: [], preview: [], pdf: []}
  try {
    await reader.connected(timeoutMs)
    for (let save = 1; save <= count; save++) {
      const marker = `Saved sentence ${save} of the benchmark, ${Math.random().toString(36).slice(2, 8)}.`
      const pdfBefore = pdf ? statSync(pdfFile, {throwIfNoEntry: false})?.ino : undefined
      const shownBefore = reader.version
      const printedBefore = session.output.length
      const start = performance.now()
      writeFileSync(entry, `${original}\n${marker}\n`)
      const html = await clock.replaced('manuscript.html', start, () => readFileSync(htmlFile, 'utf8').includes(marker), timeoutMs)
      if (html === undefined) throw new Error(`the HTML did not follow save ${save}:\n${session.output.slice(-2000)}`)
      series.html.push(html - start)
      const told = await reader.newerThan(shownBefore, timeoutMs)
      if (told === undefined) throw new Error(`the preview was not told of save ${save}:\n${session.output.slice(-2000)}`)
      series.preview.push(told - start)
      if (pdf && !series.pdfProblem) {
        const printed = await clock.replaced('manuscript.pdf', start, () => statSync(pdfFile, {throwIfNoEntry: false})?.ino !== pdfBefore, timeoutMs)
        if (printed === undefined) series.pdfProblem = /The PDF was not updated: (.*)/.exec(session.output.slice(printedBefore))?.[1] ?? `no PDF within ${timeoutMs / 1000} s`
        else series.pdf.push(printed - start)
        // The CLI's line for that PDF: the printer is idle again before the next save.
        await until(() => /pdf: .* updated|The PDF was not updated/.test(session.output.slice(printedBefore)), timeoutMs).catch(() => undefined)
      }
      await sleep(pauseMs)
    }
  } finally {
    clock.close()
    reader.close()
    writeFileSync(entry, original)
  }
  return series
}


function report(label: string, values: number[], target?: number): void {
  const verdict = target === undefined ? '' : `; under ${target} ms: ${median(values) < target ? 'yes' : 'no'}`
  console.log(`${label.padEnd(44)} median ${median(values).toFixed(0)} ms, p90 ${percentile(values, 0.9).toFixed(0)} ms over ${values.length} saves${verdict}`)
}

export async function benchWatch(saves = Number(process.env.BENCH_WATCH_SAVES ?? 20), memorySaves = Number(process.env.BENCH_WATCH_MEMORY_SAVES ?? 500)): Promise<void> {
  if (process.platform !== 'linux') {
    console.log('\nwatch: skipped (reads the watch process memory from /proc)')
    return
  }
  console.log(`\nmanuscript watch on the trenches draft (with its 8 tables), ${saves} saves of manuscript/manuscript.md`)
  const project = trenchesWithDefinitions('bench-watch-')
  const session = new WatchProcess(project, [])
  try {
    await session.started()
    await session.settled()
    const series = await timeSaves(project, session, saves, true)
    report('save → HTML updated', series.html, 100)
    report('save → preview told of it', series.preview, 100)
    if (series.pdfProblem) console.log(`save → PDF updated: not measured, ${series.pdfProblem}`)
    else report('save → PDF updated', series.pdf, 400)
    // As an author saves: with pauses long enough for the session to go idle (and collect its garbage) in between.
    const paused = await timeSaves(project, session, Math.ceil(saves / 2), true, 3000)
    report('save → HTML updated (saves 3 s apart)', paused.html, 100)
    if (!paused.pdfProblem) report('save → PDF updated (saves 3 s apart)', paused.pdf, 400)
    await benchWatchEndnotes(saves)

    await reportMemory(project, session, memorySaves)
  } finally {
    await session.stop()
    removeProject(project)
  }

  for (const layout of ['one-file', 'included'] as const) {
    const long = trenchesWithDefinitions('bench-watch-20x-')
    lengthen(long, 20, layout)
    const longSession = new WatchProcess(long, ['--to', 'html'])
    try {
      console.log(layout === 'one-file' ? `trenches draft ×20 in one file (${(statSync(path.join(long, 'manuscript/manuscript.md')).size / 1024).toFixed(0)} KiB), HTML only` : 'trenches draft ×20 as 20 included files, the entry saved, HTML only')
      await longSession.started()
      await longSession.settled()
      report(`save → HTML updated (×20, ${layout === 'one-file' ? 'one file' : 'included files'})`, (await timeSaves(long, longSession, saves, false)).html, 300)
    } finally {
      await longSession.stop()
      removeProject(long)
    }
  }
  await benchWatchBook(saves, Number(process.env.BENCH_WATCH_BOOK_MEMORY_SAVES ?? 200))
}

/**
 * Quiet long enough that no print is going on (see settled): the memory is read in the same state each time, idle,
 * not in the middle of the book's 2-second print. After saves in quick succession the last print waits for a pause
 * in them (up to 1.5 s) and says nothing until it is done or has run for 3 s: up to 4.5 s of quiet before it ends.
 */
const idleAfterPrintsMs = 5000

/**
 * `saves` saves of `saved` (each a distinct sentence at its end, as the timed saves), then the watch process's
 * resident memory after 10 and after `saves` saves (the session idle each time): it must not grow by more than 20%.
 */
async function reportMemory(project: string, session: WatchProcess, saves: number, saved = 'manuscript/manuscript.md'): Promise<void> {
  console.log(`resident memory of the watch process over ${saves} saves (its browser not counted)`)
  const entry = path.join(project, saved)
  const original = readFileSync(entry, 'utf8')
  const htmlFile = path.join(project, 'build/manuscript.html')
  let afterTen = 0
  try {
    for (let save = 1; save <= saves; save++) {
      const marker = `Memory sentence ${save}.`
      writeFileSync(entry, `${original}\n${marker}\n`)
      await until(() => readFileSync(htmlFile, 'utf8').includes(marker), 120_000, 10).catch(() => {
        throw new Error(`the HTML did not follow save ${save}:\n${session.output.slice(-3000)}`)
      })
      if (save === 10) {
        await session.settled(idleAfterPrintsMs)
        afterTen = session.residentMiB()
      }
    }
    await session.settled(idleAfterPrintsMs)
    const afterAll = session.residentMiB()
    const growth = (afterAll / afterTen - 1) * 100
    console.log(`${'resident memory'.padEnd(44)} ${afterTen.toFixed(0)} MiB after 10 saves, ${afterAll.toFixed(0)} MiB after ${saves} (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%); within 20%: ${Math.abs(growth) <= 20 ? 'yes' : 'no'}`)
  } finally {
    writeFileSync(entry, original)
  }
}

/**
 * The book (as bench/book.ts makes it, on a copy of the trenches project) in `manuscript watch`, HTML and PDF: an
 * author edits a chapter, so a part in the middle is saved, not the entry.
 */
export async function benchWatchBook(saves: number, memorySaves: number): Promise<void> {
  const project = copyProject(trenches, 'bench-watch-book-')
  const made = writeBookProject(project)
  const chapter = 'manuscript/parts/part-06.md'
  console.log(`manuscript watch on the book (${made.kib.toFixed(0)} KiB in 11 included parts, ${made.entries} bibliography entries), ${saves} saves of ${chapter}`)
  const session = new WatchProcess(project, [])
  try {
    await session.started()
    await session.settled()
    const series = await timeSaves(project, session, saves, true, 50, chapter, 120_000)
    report('book: save → HTML updated', series.html, 150)
    report('book: save → preview told of it', series.preview, 150)
    if (series.pdfProblem) console.log(`book: save → PDF updated: not measured, ${series.pdfProblem}`)
    else report('book: save → PDF updated', series.pdf, 2000)
    // As an editor that saves a second after each pause in typing: saves come while the book prints.
    const autosaved = await timeSaves(project, session, saves, false, 1000, chapter, 120_000)
    report('book: save → HTML updated (saves 1 s apart)', autosaved.html, 150)
    await session.settled()
    await reportMemory(project, session, memorySaves, chapter)
  } finally {
    await session.stop()
    removeProject(project)
  }
}

/** The same saves with `notes: endnotes`: the PDF without the footnote layout pass, for its cost. */
async function benchWatchEndnotes(saves: number): Promise<void> {
  const project = trenchesWithDefinitions('bench-watch-endnotes-')
  const config = path.join(project, 'manuscript.yaml')
  writeFileSync(config, `${existsSync(config) ? readFileSync(config, 'utf8') : ''}\nnotes: endnotes\n`)
  const session = new WatchProcess(project, [])
  try {
    await session.started()
    await session.settled()
    const series = await timeSaves(project, session, saves, true)
    if (series.pdfProblem) console.log(`save → PDF updated, notes: endnotes: not measured, ${series.pdfProblem}`)
    else report('save → PDF updated, notes: endnotes', series.pdf, 400)
  } finally {
    await session.stop()
    removeProject(project)
  }
}
