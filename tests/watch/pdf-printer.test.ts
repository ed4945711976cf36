/**
 * The background PDF printer: requests coalesce onto the latest render, a failed print restarts the browser and
 * tries once more; and in a real session, a PDF follows each good build, survives the browser being killed, and is
 * never replaced after a failed build.
 */
import {createHash} from 'node:crypto'
import {mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {rebuildLine, WatchTerminal} from '../../pipeline/cli/commands/watch.ts'
import type {Reporter} from '../../pipeline/diagnostics/reporter.ts'
import type {BrowserSession} from '../../pipeline/render/browser.ts'
import {PdfPrinter, type PdfPrinterOptions, type PrintJob, type PrintOutcome, type PrintRunning} from '../../pipeline/watch/pdf-printer.ts'
import type {RebuildReport} from '../../pipeline/watch/session.ts'
import {removeProject} from '../support/project.ts'
import {copySample, recordSession, sleep, type RecordedSession} from './support.ts'

function job(name: string): PrintJob {
  return {htmlPath: `/out/${name}.html`, printHtml: '', pdfPath: `/out/${name}.pdf`, meta: {authors: [], keywords: [], paperSize: 'letter'}, allowedRoot: '/out', date: new Date(0)}
}

/** A stand-in browser: only its profile folder and close() are used by the printer. */
function fakeBrowser(id: number, closed: number[]): BrowserSession {
  return {profileDirectory: `/nonexistent/profile-${id}`, close: async () => void closed.push(id)} as unknown as BrowserSession
}

/** A printer whose prints take `milliseconds`, with the page each print started on and when. */
function printerTaking(milliseconds: number, options: Partial<PdfPrinterOptions> = {}) {
  const started: Array<[string, number]> = []
  const printer = new PdfPrinter({
    launch: async () => fakeBrowser(1, []),
    print: async (_browser, request) => {
      started.push([request.htmlPath, performance.now()])
      await sleep(milliseconds)
      return {pages: 1}
    },
    debounceMs: 0,
    onOutcome: () => undefined,
    ...options
  })
  return {printer, started}
}

describe('PdfPrinter', () => {
  it('prints the latest request once the current print is done, skipping those in between', async () => {
    const printed: string[] = []
    const outcomes: PrintOutcome[] = []
    const printer = new PdfPrinter({
      launch: async () => fakeBrowser(1, []),
      print: async (_browser, request) => {
        printed.push(request.htmlPath)
        await sleep(100)
        return {pages: 3}
      },
      debounceMs: 0,
      onOutcome: (outcome) => outcomes.push(outcome)
    })
    printer.request(job('a'))
    await sleep(30)
    printer.request(job('b'))
    printer.request(job('c'))
    await printer.idle()
    expect(printed).toEqual(['/out/a.html', '/out/c.html'])
    expect(outcomes.map((outcome) => outcome.ok && outcome.pages)).toEqual([3, 3])
    await printer.close()
  })

  it('while requests come closer together than a print takes, waits until they pause for that long; others print at once', async () => {
    const {printer, started} = printerTaking(300)
    // One print first: the printer learns that a print takes 300 ms.
    printer.request(job('first'))
    await printer.idle()
    await sleep(400)

    expect(printer.waitsForPause()).toBe(false)
    printer.request(job('a'))
    await sleep(50)
    // Saved while `a` prints, and again, each time well within a print's time of the last.
    expect(printer.waitsForPause()).toBe(true)
    printer.request(job('b'))
    await sleep(100)
    printer.request(job('c'))
    await sleep(100)
    printer.request(job('d'))
    const lastRequest = performance.now()
    await printer.idle()
    expect(started.map(([name]) => name)).toEqual(['/out/first.html', '/out/a.html', '/out/d.html'])
    expect(started[2][1] - lastRequest).toBeGreaterThanOrEqual(290)

    // Requests further apart than a print's time are printed as they come.
    await sleep(400)
    expect(printer.waitsForPause()).toBe(false)
    const alone = performance.now()
    printer.request(job('e'))
    await sleep(400)
    printer.request(job('f'))
    await printer.idle()
    expect(started.slice(3).map(([name]) => name)).toEqual(['/out/e.html', '/out/f.html'])
    expect(started[3][1] - alone).toBeLessThan(100)
    await printer.close()
  })

  it('prints requests that come further apart than the longest pause as they come, even during a longer print', async () => {
    const {printer, started} = printerTaking(300, {longestPauseMs: 100})
    printer.request(job('first'))
    await printer.idle()
    // Each request comes during the print of the one before, 200 ms after it: longer than the longest pause.
    for (const name of ['a', 'b', 'c']) {
      printer.request(job(name))
      await sleep(200)
    }
    await printer.idle()
    // `b` waited for `a`'s print and started as it ended, before `c` came; `c` then waited for `b`'s.
    expect(started.map(([name]) => name)).toEqual(['/out/first.html', '/out/a.html', '/out/b.html', '/out/c.html'])
    await printer.close()
  })

  it('wakes the page of a browser it started when a rebuild begins, and starts no browser to do so', async () => {
    const woken: string[] = []
    let launches = 0
    const browser = {...fakeBrowser(1, []), page: async () => ({evaluate: async (script: string) => void woken.push(script)})} as unknown as BrowserSession
    const printer = new PdfPrinter({
      launch: async () => (launches++, browser),
      print: async () => {
        printer.wake()
        return {pages: 1}
      },
      debounceMs: 0,
      onOutcome: () => undefined
    })
    printer.wake()
    await sleep(10)
    expect([launches, woken.length]).toEqual([0, 0])
    printer.request(job('a'))
    await printer.idle()
    // Not while it printed: only now.
    expect(woken).toEqual([])
    printer.wake()
    await sleep(10)
    expect([launches, woken.length]).toEqual([1, 1])
    await printer.close()
    printer.wake()
    await sleep(10)
    expect(woken.length).toBe(1)
  })

  it('restarts the browser after a failed print and tries once more; reports a second failure', async () => {
    const closed: number[] = []
    let launches = 0
    let failures = 1
    const outcomes: PrintOutcome[] = []
    const printer = new PdfPrinter({
      launch: async () => fakeBrowser(++launches, closed),
      print: async () => {
        if (failures-- > 0) throw new Error('Target closed')
        return {pages: 1}
      },
      debounceMs: 0,
      onOutcome: (outcome) => outcomes.push(outcome)
    })
    printer.request(job('a'))
    await sleep(10)
    await printer.idle()
    expect(outcomes).toEqual([{ok: true, pdfPath: '/out/a.pdf', pages: 1, milliseconds: expect.any(Number), restarted: true}])
    expect(launches).toBe(2)
    expect(closed).toEqual([1])

    failures = 2
    printer.request(job('b'))
    await sleep(10)
    await printer.idle()
    expect(outcomes[1]).toEqual({ok: false, message: 'Target closed', restarted: true})
    await printer.close()
    expect(closed).toEqual([1, 2, 3])
  })

  it('reports nothing of a print that ends after close(): the session has ended', async () => {
    const outcomes: PrintOutcome[] = []
    let finish: () => void = () => undefined
    const printer = new PdfPrinter({
      launch: async () => fakeBrowser(1, []),
      // Its last steps (writing the file) outrun the browser's closing.
      print: () => new Promise((resolve) => (finish = () => resolve({pages: 2}))),
      debounceMs: 0,
      onOutcome: (outcome) => outcomes.push(outcome)
    })
    printer.request(job('a'))
    await sleep(10)
    const closing = printer.close()
    finish()
    await closing
    expect(outcomes).toEqual([])
  })

  it('reports a browser that does not start, without retrying it for the same print', async () => {
    let launches = 0
    const outcomes: PrintOutcome[] = []
    const printer = new PdfPrinter({
      launch: async () => {
        launches++
        throw new Error('No Chrome or Chromium found to print the PDF')
      },
      print: async () => ({pages: 1}),
      debounceMs: 0,
      onOutcome: (outcome) => outcomes.push(outcome)
    })
    printer.warmUp()
    printer.request(job('a'))
    await sleep(10)
    await printer.idle()
    expect(outcomes).toEqual([{ok: false, message: 'No Chrome or Chromium found to print the PDF', restarted: false}])
    expect(launches).toBe(2)
    await printer.close()
  })
})

describe('PdfPrinter, for a save that changes nothing printed', () => {
  /** A printer whose stand-in print writes the page's HTML as the PDF and says what it wrote. */
  function writingPrinter(printed: string[], outcomes: PrintOutcome[]) {
    return new PdfPrinter({
      launch: async () => fakeBrowser(1, []),
      print: async (_browser, request) => {
        printed.push(request.printHtml)
        writeFileSync(request.pdfPath, request.printHtml)
        return {pages: 2, sha256: createHash('sha256').update(request.printHtml).digest('hex')}
      },
      debounceMs: 0,
      onOutcome: (outcome) => outcomes.push(outcome)
    })
  }

  it('keeps the PDF when the page to print is the one last printed, and prints when the page or the PDF changed', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'pdf-printer-'))
    const printed: string[] = []
    const outcomes: PrintOutcome[] = []
    const printer = writingPrinter(printed, outcomes)
    const page = (html: string): PrintJob => ({...job('manuscript'), htmlPath: path.join(folder, 'manuscript.html'), pdfPath: path.join(folder, 'manuscript.pdf'), allowedRoot: folder, printHtml: html, assetsVersion: 'v1'})
    const print = async (request: PrintJob) => {
      printer.request(request)
      await sleep(10)
      await printer.idle()
    }
    try {
      await print(page('<p>One</p>'))
      await print(page('<p>One</p>'))
      expect(printed).toEqual(['<p>One</p>'])
      expect(outcomes[1]).toMatchObject({ok: true, unchanged: true, pages: 2})
      // A changed page, changed files beside it, or a PDF changed on disk: printed again.
      await print(page('<p>Two</p>'))
      await print({...page('<p>Two</p>'), assetsVersion: 'v2'})
      writeFileSync(path.join(folder, 'manuscript.pdf'), 'edited')
      await print({...page('<p>Two</p>'), assetsVersion: 'v2'})
      expect(printed).toEqual(['<p>One</p>', '<p>Two</p>', '<p>Two</p>', '<p>Two</p>'])
      expect(outcomes.map((outcome) => outcome.ok && Boolean(outcome.unchanged))).toEqual([false, true, false, false, false])
      expect(readFileSync(path.join(folder, 'manuscript.pdf'), 'utf8')).toBe('<p>Two</p>')
    } finally {
      await printer.close()
      removeProject(folder)
    }
  })

  it('says once that a long print is still going on, and nothing for a quick one', async () => {
    const running: PrintRunning[] = []
    const printer = new PdfPrinter({
      launch: async () => fakeBrowser(1, []),
      print: async (_browser, request) => {
        await sleep(request.printHtml === 'long' ? 400 : 10)
        return {pages: 1}
      },
      debounceMs: 0,
      onOutcome: () => undefined,
      onRunning: (notice) => running.push(notice),
      runningNoticeMs: 150
    })
    printer.request({...job('quick'), printHtml: 'quick'})
    await sleep(10)
    await printer.idle()
    expect(running).toEqual([])
    printer.request({...job('long'), printHtml: 'long'})
    await sleep(10)
    await printer.idle()
    expect(running).toEqual([{pdfPath: '/out/long.pdf', milliseconds: expect.any(Number)}])
    expect(running[0].milliseconds).toBeGreaterThanOrEqual(140)
    await printer.close()
  })

  it('says in the rebuild’s line when the PDF waits for the saves to pause', () => {
    const rebuild = {changes: [{path: 'manuscript/manuscript.md', kind: 'changed'}], parsed: ['manuscript/manuscript.md'], regenerated: [], written: true, outputs: ['build/manuscript.html'], printing: true, printWaitsForPause: false, milliseconds: 40, messages: [], counts: {error: 0, warning: 0, info: 0}} satisfies RebuildReport
    expect(rebuildLine(rebuild)).toMatch(/changed: parsed manuscript\.md, html written, pdf queued {2}40 ms/)
    expect(rebuildLine({...rebuild, printWaitsForPause: true})).toMatch(/changed: parsed manuscript\.md, html written, pdf queued until the saves pause {2}40 ms/)
  })

  it('shows both in the terminal', () => {
    const lines: string[] = []
    const terminal = new WatchTerminal({line: (text: string) => lines.push(text), fail: (text: string) => lines.push(text)} as unknown as Reporter, '/project')
    terminal.stillPrinting({pdfPath: '/project/build/manuscript.pdf', milliseconds: 3200})
    terminal.printed({ok: true, pdfPath: '/project/build/manuscript.pdf', pages: 180, milliseconds: 2, restarted: false, unchanged: true})
    expect(lines[0]).toMatch(/pdf: build\/manuscript\.pdf still printing \(3\.20 s so far\)/)
    expect(lines[1]).toMatch(/pdf: build\/manuscript\.pdf unchanged \(the printed page is the same\), 180 pages$/)
  })
})

/** Processes whose command line names the profile folder: the browser and its helpers. */
function processesUsing(profile: string): number[] {
  const found: number[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(profile)) found.push(Number(entry))
    } catch {
      // gone meanwhile
    }
  }
  return found
}

describe.runIf(process.platform === 'linux')('the PDF in a watch session', () => {
  let project: string
  let watch: RecordedSession
  const pdf = () => path.join(project, 'build/manuscript.pdf')
  const manuscript = () => path.join(project, 'manuscript/manuscript.md')

  beforeAll(async () => {
    project = copySample('watch-pdf-')
    watch = await recordSession({root: project, port: 0, formats: ['html', 'pdf']})
    await watch.printAfter(0, 90_000)
  }, 120_000)

  afterAll(async () => {
    const profile = await watch?.session.printerProfile()
    await watch?.session.close()
    if (profile) expect(processesUsing(profile)).toEqual([])
    removeProject(project)
  })

  it('prints the PDF after the first build, atomically (no temporary file left beside it)', () => {
    expect(watch.prints[0]).toMatchObject({ok: true, pdfPath: pdf()})
    expect(readFileSync(pdf()).subarray(0, 5).toString()).toBe('%PDF-')
    expect(readdirSync(path.dirname(pdf())).filter((name) => name.endsWith('.tmp'))).toEqual([])
  })

  it('keeps the PDF as it is after a save that changes nothing printed', async () => {
    await watch.session.idle()
    const before = statSync(pdf()).mtimeMs
    const since = watch.prints.length
    writeFileSync(manuscript(), `${readFileSync(manuscript(), 'utf8')}\n\n`)
    const outcome = await watch.printAfter(since, 90_000)
    expect(outcome).toMatchObject({ok: true, unchanged: true})
    expect(statSync(pdf()).mtimeMs).toBe(before)
  }, 120_000)

  it('restarts a browser that crashed and prints again', async () => {
    const profile = (await watch.session.printerProfile())!
    const pids = processesUsing(profile)
    expect(pids.length).toBeGreaterThan(0)
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // already gone with its parent
      }
    }
    const before = statSync(pdf()).mtimeMs
    const since = watch.prints.length
    writeFileSync(manuscript(), `${readFileSync(manuscript(), 'utf8')}\nPrinted by a new browser.\n`)
    const outcome = await watch.printAfter(since, 90_000)
    expect(outcome).toMatchObject({ok: true, restarted: true})
    expect(statSync(pdf()).mtimeMs).toBeGreaterThan(before)
    expect(await watch.session.printerProfile()).not.toBe(profile)
  }, 120_000)

  it('does not hold the print of a save that comes after a pause longer than the longest, and says so', async () => {
    await watch.session.idle()
    // Longer than the longest pause a print waits for (1.5 s), whatever the last print took.
    await sleep(1600)
    const since = watch.rebuilds.length
    const prints = watch.prints.length
    writeFileSync(manuscript(), `${readFileSync(manuscript(), 'utf8')}\nSaved after a pause.\n`)
    expect(await watch.rebuildAfter(since)).toMatchObject({printing: true, printWaitsForPause: false})
    expect(await watch.printAfter(prints, 90_000)).toMatchObject({ok: true})
  }, 120_000)

  it('keeps the last good PDF when a build fails', async () => {
    await watch.session.idle()
    const good = readFileSync(pdf())
    const since = watch.rebuilds.length
    const prints = watch.prints.length
    writeFileSync(manuscript(), readFileSync(manuscript(), 'utf8').replace('short-title: Shared Soil', 'short-title: [Shared Soil'))
    const failed = await watch.rebuildAfter(since)
    expect(failed.written).toBe(false)
    expect(failed.printing).toBe(false)
    await watch.session.idle()
    expect(watch.prints.length).toBe(prints)
    expect(readFileSync(pdf()).equals(good)).toBe(true)
  })
})
