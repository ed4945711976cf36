import {chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import puppeteer, {type Browser} from 'puppeteer-core'
import {afterAll, describe, expect, it} from 'vitest'
import {BrowserNotFoundError, BrowserSession, findBrowser, findBrowsers, launchBrowser} from '../../pipeline/render/browser.ts'
import {browserArguments, type BrowserProcess} from '../../pipeline/render/browser-process.ts'

const scratch = mkdtempSync(path.join(tmpdir(), 'manuscript-browser-test-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

/** A file that looks like a browser executable to the search (it is never started here). */
function fakeExecutable(relative: string): string {
  const file = path.join(scratch, relative)
  mkdirSync(path.dirname(file), {recursive: true})
  writeFileSync(file, '#!/bin/sh\nexit 1\n')
  chmodSync(file, 0o755)
  return file
}

describe('finding a browser', () => {
  it('uses the explicit setting, resolved against the project root', async () => {
    const executable = fakeExecutable('tools/my-chrome')
    const found = await findBrowser({executable: 'tools/my-chrome', root: scratch, env: {}})
    expect(found).toEqual({executablePath: executable, source: 'option'})
  })

  it('looks an explicit command name up on PATH', async () => {
    const executable = fakeExecutable('bin/chromium-nightly')
    const found = await findBrowser({executable: 'chromium-nightly', env: {PATH: path.dirname(executable)}})
    expect(found).toEqual({executablePath: executable, source: 'option'})
  })

  it('uses MANUSCRIPT_BROWSER when there is no setting, and the setting over it', async () => {
    const fromEnvironment = fakeExecutable('env/chrome')
    const fromSetting = fakeExecutable('setting/chrome')
    expect(await findBrowser({env: {MANUSCRIPT_BROWSER: fromEnvironment}})).toEqual({executablePath: fromEnvironment, source: 'environment'})
    expect(await findBrowser({executable: fromSetting, env: {MANUSCRIPT_BROWSER: fromEnvironment}})).toEqual({
      executablePath: fromSetting,
      source: 'option'
    })
  })

  it('does not fall back to another browser when the explicit one is missing', async () => {
    const error = await findBrowsers({executable: './no/such/chrome', root: scratch, env: {}}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BrowserNotFoundError)
    expect((error as BrowserNotFoundError).message).toMatch(/\.\/no\/such\/chrome.*not an executable file/)
    expect((error as BrowserNotFoundError).message).toMatch(/remove the setting/)
  })

  it('rejects a file that is not executable', async () => {
    const file = path.join(scratch, 'not-executable')
    writeFileSync(file, '')
    const error = await findBrowsers({env: {MANUSCRIPT_BROWSER: file}}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BrowserNotFoundError)
    expect((error as Error).message).toContain('MANUSCRIPT_BROWSER')
  })

  it('finds a system browser on PATH before the packaged one', async () => {
    const system = fakeExecutable('system-bin/google-chrome-stable')
    const candidates = await findBrowsers({env: {PATH: path.dirname(system)}})
    const systemCandidates = candidates.filter((candidate) => candidate.source === 'system')
    expect(systemCandidates.map((candidate) => candidate.executablePath)).toContain(system)
    const packagedIndex = candidates.findIndex((candidate) => candidate.source === 'packaged')
    if (packagedIndex >= 0) expect(packagedIndex).toBe(candidates.length - 1)
  })

  it('explains which browser failed to start', async () => {
    const broken = fakeExecutable('broken/chrome')
    const error = await launchBrowser({executable: broken, env: {}, timeout: 10_000}).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(BrowserNotFoundError)
    expect((error as Error).message).toContain(`option ${broken}: the browser exited with code 1`)
    expect((error as Error).message).toMatch(/Install Chromium/)
  })

  // At once, and once puppeteer is connecting (the closed pipe then fails the connection too).
  it.each([['at once', ''], ['while puppeteer connects', 'sleep 0.3\n']])('says what a browser that ended %s wrote on stderr', async (when, wait) => {
    const broken = path.join(scratch, `missing-library-${when.replace(/\W+/g, '-')}/chrome`)
    mkdirSync(path.dirname(broken), {recursive: true})
    writeFileSync(broken, `#!/bin/sh\n${wait}echo "error while loading shared libraries: libnss3.so" >&2\nexit 127\n`)
    chmodSync(broken, 0o755)
    const error = await launchBrowser({executable: broken, env: {}, timeout: 10_000}).catch((caught: unknown) => caught)
    expect((error as Error).message).toContain('the browser exited with code 127: error while loading shared libraries: libnss3.so')
  })
})

describe('starting the browser', () => {
  // The process is started without puppeteer's launcher, so its command line must stay the launcher's.
  it('gives Chromium the flags puppeteer’s launcher would give it, then ours', () => {
    for (const headlessShell of [true, false]) {
      const theirs = puppeteer.defaultArgs({headless: headlessShell ? 'shell' : true, userDataDir: '/profile', args: ['--ours']})
      expect(browserArguments({headlessShell, userDataDir: '/profile', args: ['--ours']})).toEqual([...theirs, '--remote-debugging-pipe'])
    }
  })
})

describe('what the printing page may load', () => {
  // Judging a URL needs no running browser.
  const session = new BrowserSession({} as Browser, {executablePath: 'chromium', source: 'system'}, path.join(scratch, 'no-profile'), {} as BrowserProcess)
  const output = path.join(scratch, 'output')
  mkdirSync(path.join(output, 'images'), {recursive: true})
  writeFileSync(path.join(output, 'images/a.png'), '')
  writeFileSync(path.join(scratch, 'secret.txt'), 'secret')
  symlinkSync('images/a.png', path.join(output, 'alias.png'))
  symlinkSync(path.join(scratch, 'secret.txt'), path.join(output, 'leak.html'))
  symlinkSync(scratch, path.join(output, 'up'))
  symlinkSync('nowhere.png', path.join(output, 'dangling.png'))
  session.allowFolders([output])
  const url = (file: string) => pathToFileURL(path.join(output, file)).href

  it('is a data: URL, or a regular file whose real path is inside the allowed folder', () => {
    expect(session.judge('data:image/png;base64,AAAA')).toBe('allowed')
    expect(session.judge(url('images/a.png'))).toBe('allowed')
    expect(session.judge(url('alias.png'))).toBe('allowed')
  })

  it('is not a link out of the folder, nor a file through a linked folder, a dangling link, a folder or anything remote', () => {
    for (const refused of [url('leak.html'), url('up/secret.txt'), url('dangling.png'), url('images'), url('images/'), pathToFileURL(path.join(scratch, 'secret.txt')).href, 'http://127.0.0.1/x.png', 'file://server/share/x.png', 'chrome://version']) {
      expect(session.judge(refused), refused).toBe('refused')
    }
  })

  it('calls a file that is not there inside the folder missing, not refused', () => {
    expect(session.judge(url('images/b.png'))).toBe('missing')
  })
})
