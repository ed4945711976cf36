/**
 * The live preview in a real browser (JavaScript on, as a reader's browser has it): a save reloads the page where
 * the reader was, a broken save lays the error overlay over the last good render, and a fix takes it away.
 */
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import puppeteer, {type Browser, type Page} from 'puppeteer-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {findBrowser} from '../../pipeline/render/browser.ts'
import {overlayId} from '../../pipeline/watch/client.ts'
import {removeProject} from '../support/project.ts'
import {copySample, recordSession, waitFor, type RecordedSession} from './support.ts'

let project: string
let watch: RecordedSession
let browser: Browser
let page: Page
let profile: string
const manuscript = () => path.join(project, 'manuscript/manuscript.md')

beforeAll(async () => {
  project = copySample('watch-browser-')
  watch = await recordSession({root: project, port: 0, formats: ['html']})
  const location = await findBrowser()
  profile = mkdtempSync(path.join(tmpdir(), 'watch-browser-profile-'))
  browser = await puppeteer.launch({
    executablePath: location.executablePath,
    headless: location.source === 'packaged' ? 'shell' : true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
    userDataDir: profile,
    pipe: true,
    defaultViewport: {width: 800, height: 600}
  })
  page = await browser.newPage()
  await page.goto(watch.session.url, {waitUntil: 'load'})
  await waitFor(() => watch.session.previewReaders() > 0, 10_000, 'the page to connect')
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await watch?.session.close()
  removeProject(project)
  if (profile) rmSync(profile, {recursive: true, force: true})
})

/** Marks the current document, so that a reload (a new document) can be told from the same one. */
const mark = () => page.evaluate(() => ((window as unknown as {watchMark: boolean}).watchMark = true))
const marked = () => page.evaluate(() => (window as unknown as {watchMark?: boolean}).watchMark === true)

describe('the live preview in a browser', () => {
  it('reloads after a save, keeping the scroll position', async () => {
    await page.evaluate(() => window.scrollTo(0, 1500))
    const scrolled = await page.evaluate(() => window.scrollY)
    expect(scrolled).toBeGreaterThan(1000)
    await mark()
    const reloaded = page.waitForNavigation({waitUntil: 'load', timeout: 20_000})
    // At the end of the text, so that nothing above the reader's place moves.
    writeFileSync(manuscript(), `${readFileSync(manuscript(), 'utf8')}\nA sentence saved while the preview was open.\n`)
    await reloaded
    expect(await marked()).toBe(false)
    expect(await page.evaluate(() => document.body.textContent)).toContain('A sentence saved while the preview was open.')
    await page.waitForFunction((y: number) => Math.abs(window.scrollY - y) <= 2, {timeout: 10_000}, scrolled)
  })

  it('shows the errors of a broken save over the last good render, and removes them when it is fixed', async () => {
    await waitFor(() => watch.session.previewReaders() > 0, 10_000, 'the page to reconnect')
    await mark()
    const good = readFileSync(manuscript(), 'utf8')
    writeFileSync(manuscript(), good.replace('short-title: Shared Soil', 'short-title: [Shared Soil'))
    const overlay = await page.waitForSelector(`#${overlayId}`, {visible: true, timeout: 20_000})
    const text = await overlay!.evaluate((element) => element.textContent ?? '')
    const error = watch.rebuilds.at(-1)!.messages.find((message) => message.fatal === true)!
    expect(text).toContain(`manuscript/manuscript.md:${error.line}:${error.column}`)
    expect(text).toContain('The front matter is not valid YAML')
    // The same document as before: the last good render stays under the overlay.
    expect(await marked()).toBe(true)
    expect(await page.evaluate(() => document.body.textContent)).toContain('A sentence saved while the preview was open.')

    const reloaded = page.waitForNavigation({waitUntil: 'load', timeout: 20_000})
    writeFileSync(manuscript(), good)
    await reloaded
    expect(await page.$(`#${overlayId}`)).toBeNull()
  })
})
