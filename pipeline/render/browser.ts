/**
 * Finding and driving the Chromium that prints PDFs.
 * Search order: the explicit setting (option, else `MANUSCRIPT_BROWSER`), the system's Chrome/Chromium,
 * then the Chromium packaged in @sparticuz/chromium (unpacked to the temp folder on first use).
 * The page runs no JavaScript, may load only regular files inside the allowed folders (links resolved), never
 * navigates away from the page it was given, and the browser opens no connection at all: rendering never touches
 * the network, never reads outside the output folder, and scripts in the manuscript's raw HTML never run.
 */
import {existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type * as Puppeteer from 'puppeteer-core'
import type {Browser, HTTPRequest, Page} from 'puppeteer-core'
import type * as PipeTransportModule from 'puppeteer-core/internal/node/PipeTransport.js'
import {browserArguments, startBrowserProcess, type BrowserProcess} from './browser-process.ts'
import {isExecutableFile, onPath} from './executables.ts'
import {requireLibrary} from '../script-module.ts'

export type BrowserSource = 'option' | 'environment' | 'system' | 'packaged'

export interface BrowserLocation {
  executablePath: string
  source: BrowserSource
}

/** No browser could be found or started; the message says what to install or set. */
export class BrowserNotFoundError extends Error {
  override readonly name = 'BrowserNotFoundError'
  /** What was tried, in order, each with why it did not work. */
  readonly attempts: string[]
  constructor(message: string, attempts: string[]) {
    super(message)
    this.attempts = attempts
  }
}

export interface FindBrowserOptions {
  /** A path (absolute or relative to `root`) or a command name on PATH; takes precedence over everything. */
  executable?: string
  /** Folder that a relative `executable` is resolved against; default: the working directory. */
  root?: string
  /** Environment to read `MANUSCRIPT_BROWSER` and `PATH` from; default: `process.env`. */
  env?: NodeJS.ProcessEnv
}

export interface LaunchBrowserOptions extends FindBrowserOptions {
  /** Milliseconds to wait for the browser to start; default 30 s. */
  timeout?: number
  /** Called once the browser process is starting (or no browser could be started): a caller may go on meanwhile. */
  onStarting?: () => void
  /** Kills a browser still starting (and removes its profile); launchBrowser then rejects with the signal's reason. */
  signal?: AbortSignal
  /**
   * The page will be photographed (`page.screenshot`), not only printed. A printing browser paints no frames
   * (see launchOne), and a screenshot needs one.
   */
  screenshots?: boolean
}

const installAdvice =
  'Install Chromium or Google Chrome (Debian/Ubuntu: `apt-get install chromium`; macOS: `brew install --cask chromium`), ' +
  'or name a Chrome/Chromium executable with `--browser PATH` or the MANUSCRIPT_BROWSER environment variable.'

const systemPaths = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/snap/bin/chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium'
]
const systemCommands = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable', 'chrome', 'chrome-headless-shell']

/** An explicit setting: a path with a slash is a file (relative to root), anything else a command on PATH. */
function resolveExplicit(setting: string, root: string, env: NodeJS.ProcessEnv): string | undefined {
  if (setting.includes('/') || setting.includes('\\')) {
    const absolute = path.resolve(root, setting)
    return isExecutableFile(absolute) ? absolute : undefined
  }
  return onPath(setting, env)
}

/** The system's browsers, in order of preference, without duplicates. */
function systemBrowsers(env: NodeJS.ProcessEnv): string[] {
  const found = new Set<string>()
  for (const candidate of systemPaths) if (isExecutableFile(candidate)) found.add(candidate)
  for (const command of systemCommands) {
    const candidate = onPath(command, env)
    if (candidate) found.add(candidate)
  }
  return [...found]
}

let packagedUnpacking: Promise<string> | undefined

async function packagedBrowser(): Promise<string> {
  if (process.platform !== 'linux') throw new Error(`@sparticuz/chromium only ships Linux builds (this is ${process.platform})`)
  packagedUnpacking ??= unpackPackagedBrowser().catch((error: unknown) => {
    packagedUnpacking = undefined
    throw error
  })
  return packagedUnpacking
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds))

/**
 * @sparticuz/chromium unpacks itself to the temp folder and trusts any file already there. Two builds
 * (or test workers) starting at once on a fresh machine would write the same file, and one killed while
 * unpacking would leave a broken one; so unpacking holds a lock folder, and a marker written after a
 * complete unpack tells a finished binary from a partial one.
 */
async function unpackPackagedBrowser(): Promise<string> {
  const lock = path.join(tmpdir(), 'manuscript-chromium-unpack.lock')
  const marker = path.join(tmpdir(), 'manuscript-chromium-unpacked')
  const binary = path.join(tmpdir(), 'chromium')
  // Unpacked by an earlier build: the marker names it (loading the package to be told so costs a build 30 ms).
  const unpacked = readMarker(marker)
  if (unpacked && !existsSync(lock) && isExecutableFile(unpacked)) return unpacked
  const {default: chromium} = await import('@sparticuz/chromium')
  const deadline = Date.now() + 180_000
  for (;;) {
    try {
      mkdirSync(lock)
      break
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      if (Date.now() - lockTime(lock) > 300_000) rmSync(lock, {recursive: true, force: true})
      if (Date.now() > deadline) {
        throw new Error(`another process is still unpacking Chromium (remove ${lock} if no build is running)`)
      }
      await sleep(200)
    }
  }
  try {
    if (!existsSync(marker)) rmSync(binary, {force: true})
    const executablePath = await chromium.executablePath()
    writeFileSync(marker, `${executablePath}\n`)
    return executablePath
  } finally {
    rmSync(lock, {recursive: true, force: true})
  }
}

function readMarker(marker: string): string | undefined {
  try {
    return readFileSync(marker, 'utf8').trim() || undefined
  } catch {
    return undefined
  }
}

/** When the lock was taken (now, if it is already gone). */
function lockTime(lock: string): number {
  try {
    return statSync(lock).mtimeMs
  } catch {
    return Date.now()
  }
}

/**
 * The browsers to try, best first. An explicit setting is the only candidate (a typo must not
 * silently fall back to another browser); otherwise the system's browsers, then the packaged one,
 * which is unpacked only when it is reached. Why a candidate is missing goes into `attempts`.
 */
async function* browserCandidates(options: FindBrowserOptions, attempts: string[]): AsyncGenerator<BrowserLocation> {
  const env = options.env ?? process.env
  const root = options.root ?? process.cwd()

  const explicit: Array<[string | undefined, BrowserSource, string]> = [
    [options.executable, 'option', '--browser'],
    [env.MANUSCRIPT_BROWSER, 'environment', 'MANUSCRIPT_BROWSER']
  ]
  for (const [setting, source, name] of explicit) {
    if (!setting?.trim()) continue
    const resolved = resolveExplicit(setting.trim(), root, env)
    if (!resolved) {
      throw new BrowserNotFoundError(
        `The browser named by ${name} (${setting}) is not an executable file or a command on PATH. ` +
          'Fix the path (or the command name), or remove the setting to use the browser found on this system.',
        [`${name}: ${setting} not found`]
      )
    }
    yield {executablePath: resolved, source}
    return
  }

  const system = systemBrowsers(env)
  if (system.length === 0) attempts.push(`system: none of ${[...systemPaths, ...systemCommands].join(', ')}`)
  for (const executablePath of system) yield {executablePath, source: 'system'}
  let packaged: string | undefined
  try {
    packaged = await packagedBrowser()
  } catch (error) {
    attempts.push(`packaged @sparticuz/chromium: ${(error as Error).message}`)
  }
  if (packaged) yield {executablePath: packaged, source: 'packaged'}
}

function notFound(attempts: string[]): BrowserNotFoundError {
  return new BrowserNotFoundError(`No Chrome or Chromium found to print the PDF. ${installAdvice}`, attempts)
}

/** Every browser that could be used, best first (unpacks the packaged Chromium if needed). */
export async function findBrowsers(options: FindBrowserOptions = {}): Promise<BrowserLocation[]> {
  const attempts: string[] = []
  const found: BrowserLocation[] = []
  for await (const candidate of browserCandidates(options, attempts)) found.push(candidate)
  if (found.length === 0) throw notFound(attempts)
  return found
}

/** The browser that would be used first, without starting it (the packaged one is unpacked only if there is no other). */
export async function findBrowser(options: FindBrowserOptions = {}): Promise<BrowserLocation> {
  const attempts: string[] = []
  for await (const candidate of browserCandidates(options, attempts)) return candidate
  throw notFound(attempts)
}

/**
 * Request interception (preparePage) refuses every request the page makes, but Chromium also opens connections no
 * request asked for: Chromium 156 connects to the server named by a `<link rel="preconnect">`, a frame or a
 * `<meta http-equiv="refresh">` while the interception is refusing the request itself. The flags below (and the
 * profile's preferences) leave it nothing to connect to; tests/trust/network.test.ts checks it with a server that
 * counts connections.
 */
const launchArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--no-first-run',
  // Same glyph positions on every machine.
  '--font-render-hinting=none',
  // Every host name and address, 127.0.0.1 and [::1] included, resolves to "not found": a preconnect, DNS prefetch
  // or speculative connection the interception never sees has nowhere to go (this alone stops Chromium 156's).
  '--host-resolver-rules=MAP * ~NOTFOUND',
  // No proxy: none taken from the system or the environment, no PAC script fetched, no WPAD lookup.
  '--no-proxy-server',
  // No DNS prefetching of the page's links (it does not stop preconnects: the preference below does).
  '--dns-prefetch-disable',
  // No background requests: component and variations updates, safe browsing lists, sync, crash and reliability reports.
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-domain-reliability',
  // No hyperlink auditing (`<a ping>`).
  '--no-pings'
]

/**
 * Written into the fresh profile before launch. Network prediction "never" (2): Chrome's preconnect and prefetch
 * predictor is off, which on its own also stops Chromium 156's preconnects (headless shell has no predictor).
 */
const profilePreferences = {net: {network_prediction_options: 2}}

/**
 * One running browser with one reused page, set up for printing manuscripts.
 * Launch it once per build (or once per watch session) and `close()` it at the end.
 */
export class BrowserSession {
  readonly location: BrowserLocation
  /** Every request refused since launch (remote URLs, files outside the allowed folders), in order. */
  readonly blockedRequests: string[] = []
  /** The temporary profile folder, deleted by `close()`. */
  readonly profileDirectory: string
  private readonly browser: Browser
  /** The allowed folders with their links resolved. */
  private allowedFolders: string[] = []
  /** The file the page is about to load (see expectNavigation). */
  private expectedNavigation: string | undefined
  private pagePromise: Promise<Page> | undefined
  private closed = false

  /** The browser's process, which this session started and ends. */
  private readonly process: BrowserProcess

  constructor(browser: Browser, location: BrowserLocation, profile: string, browserProcess: BrowserProcess) {
    this.browser = browser
    this.process = browserProcess
    this.location = location
    this.profileDirectory = profile
  }

  /** Folders whose files the page may load (the HTML, its assets, its images); everything else is blocked. */
  allowFolders(folders: string[]): void {
    this.allowedFolders = folders.map((folder) => realOrResolved(folder))
  }

  /**
   * The page may load `data:` URLs and regular files whose real path (every link resolved) is inside an allowed
   * folder: not a link in the output folder to a file elsewhere (`build/leak.html -> /etc/passwd`), not a folder
   * (Chromium would show its listing), not a device or a pipe. A file that does not exist inside is `missing`: the
   * load fails as it would anyway, and is not counted as refused.
   */
  judge(url: string): 'allowed' | 'missing' | 'refused' {
    if (url.startsWith('data:') || url === 'about:blank') return 'allowed'
    const file = filePathOf(url)
    if (file === undefined) return 'refused'
    let real: string
    try {
      real = realpathSync(file)
    } catch {
      // Missing, unless a link that points nowhere: that is refused like any link out.
      const resolved = path.join(realOrResolved(path.dirname(file)), path.basename(file))
      return this.isInside(resolved) && !isLink(file) ? 'missing' : 'refused'
    }
    if (!this.isInside(real)) return 'refused'
    try {
      return statSync(real).isFile() ? 'allowed' : 'refused'
    } catch {
      return 'refused'
    }
  }

  private isInside(file: string): boolean {
    return this.allowedFolders.some((folder) => {
      const relative = path.relative(folder, file)
      return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
    })
  }

  /**
   * The next navigation of the page (printPdf's `page.goto`) loads `url`. Every other navigation of the page, such
   * as a `<meta http-equiv="refresh">` in the author's raw HTML, is answered with "204 No Content", which Chromium
   * treats as "stay on this page": the page printed is always the one given.
   */
  expectNavigation(url: string): void {
    this.expectedNavigation = url
  }

  /** The page all printing happens in: JavaScript off, every request checked against the allowed folders. */
  page(): Promise<Page> {
    this.pagePromise ??= this.preparePage()
    return this.pagePromise
  }

  private async preparePage(): Promise<Page> {
    const [existing] = await this.browser.pages()
    const page = existing ?? (await this.browser.newPage())
    await page.setJavaScriptEnabled(false)
    await page.setRequestInterception(true)
    page.on('request', (request: HTTPRequest) => {
      if (request.isInterceptResolutionHandled()) return
      const url = request.url()
      if (request.isNavigationRequest() && request.frame() === page.mainFrame()) {
        const expected = this.expectedNavigation !== undefined && sameFile(url, this.expectedNavigation)
        this.expectedNavigation = undefined
        if (!expected) {
          void request.respond({status: 204, body: ''})
          return
        }
      }
      const judgement = this.judge(url)
      if (judgement === 'allowed') {
        void request.continue()
      } else if (judgement === 'missing') {
        void request.abort('failed')
      } else {
        this.blockedRequests.push(url)
        void request.abort('blockedbyclient')
      }
    })
    return page
  }

  /** The browser's product and version, e.g. `HeadlessChrome/147.0.7727.0`. */
  version(): Promise<string> {
    return this.browser.version()
  }

  /** Closes the browser and deletes its temporary profile. Safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Nothing the browser holds is kept (its profile is deleted next), so its processes are ended at once rather
    // than asked to shut down: the book's browser took some 450 ms to close itself after printing, which a PDF build
    // waited for.
    this.process.kill()
    await this.process.exited
    rmSync(this.profileDirectory, {recursive: true, force: true})
  }
}

/** The local path of a `file:` URL (on this machine: no host), else undefined. */
function filePathOf(url: string): string | undefined {
  if (!url.startsWith('file:')) return undefined
  try {
    return path.resolve(fileURLToPath(new URL(url)))
  } catch {
    return undefined
  }
}

function sameFile(url: string, expected: string): boolean {
  const file = filePathOf(url)
  return file !== undefined ? file === filePathOf(expected) : url === expected
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

function realOrResolved(folder: string): string {
  try {
    return realpathSync(folder)
  } catch {
    return path.resolve(folder)
  }
}

/**
 * Starts the browser, then loads puppeteer and connects it to the browser's pipe: the two overlap. If the browser
 * ends before it answers, the error says how, with the end of what it wrote on stderr (a missing library, say).
 */
async function launchOne(location: BrowserLocation, options: {timeout: number; onStarting?: () => void; signal?: AbortSignal; screenshots?: boolean}): Promise<BrowserSession> {
  const profile = mkdtempSync(path.join(tmpdir(), 'manuscript-chromium-'))
  let started: BrowserProcess | undefined
  let timer: NodeJS.Timeout | undefined
  const onAbort = () => started?.kill()
  try {
    mkdirSync(path.join(profile, 'Default'))
    writeFileSync(path.join(profile, 'Default', 'Preferences'), JSON.stringify(profilePreferences))
    options.signal?.throwIfAborted()
    // Frames are painted only on request, and a printing browser never requests one: a page laid out for
    // printing is not also painted to a screen after every change (the same PDF, some 50 ms sooner). Only
    // chrome-headless-shell, the packaged browser, has the switch.
    const headlessShell = location.source === 'packaged'
    const printing = headlessShell && !options.screenshots ? ['--enable-begin-frame-control'] : []
    // The page's renderer runs in the browser's own process, and no zygote is forked to start it: the browser and
    // its page are ready some 150 ms sooner, which a PDF build waits for. The same PDF: the renderer is the same code.
    const oneProcess = headlessShell ? ['--single-process', '--no-zygote'] : []
    const args = [...launchArgs, ...printing, ...oneProcess]
    const browserProcess = startBrowserProcess(location.executablePath, browserArguments({headlessShell, userDataDir: profile, args}))
    started = browserProcess
    options.signal?.addEventListener('abort', onAbort, {once: true})
    options.onStarting?.()
    const connecting = (async () => {
      await browserProcess.spawned
      // The package's module holds its pipe transport too, though its types list it only under its own path.
      const {default: puppeteer, PipeTransport} = requireLibrary<typeof Puppeteer & typeof PipeTransportModule>('puppeteer-core')
      // Ended while it started: `failed` says how. Otherwise the transport sees the pipe close if it ends later.
      if (browserProcess.ended) return new Promise<never>(() => undefined)
      const transport = new PipeTransport(browserProcess.pipeWrite, browserProcess.pipeRead)
      return puppeteer.connect({transport, defaultViewport: null})
    })()
    const endedHow = (how: string) => (options.signal?.aborted ? options.signal.reason : new Error(how))
    const failed = new Promise<never>((_, reject) => {
      void browserProcess.exited.then((how) => reject(endedHow(how)))
      timer = setTimeout(() => reject(new Error(`the browser did not answer within ${options.timeout} ms`)), options.timeout)
    })
    // A browser that ends as puppeteer connects closes the pipe, and the connection may fail first ("Target
    // closed"): how the process ended (its stderr) says more, so that is the error when it ends within a second.
    const connected = connecting.catch(async (error: unknown) => {
      const how = await Promise.race([browserProcess.exited, new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000).unref())])
      throw how === undefined ? error : endedHow(how)
    })
    const browser = await Promise.race([connected, failed])
    return new BrowserSession(browser, location, profile, browserProcess)
  } catch (error) {
    started?.kill()
    if (started) await started.exited
    rmSync(profile, {recursive: true, force: true})
    throw error
  } finally {
    clearTimeout(timer)
    options.signal?.removeEventListener('abort', onAbort)
  }
}

/**
 * Finds a browser and starts it. If a system browser fails to start, the next candidate is tried;
 * if none starts, a BrowserNotFoundError says what was tried.
 */
export async function launchBrowser(options: LaunchBrowserOptions = {}): Promise<BrowserSession> {
  const attempts: string[] = []
  const failures: string[] = []
  try {
    for await (const candidate of browserCandidates(options, attempts)) {
      try {
        return await launchOne(candidate, {timeout: options.timeout ?? 30_000, onStarting: options.onStarting, signal: options.signal, screenshots: options.screenshots})
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason
        failures.push(`${candidate.source} ${candidate.executablePath}: ${firstLine((error as Error).message)}`)
      }
    }
  } finally {
    options.onStarting?.()
  }
  if (failures.length === 0) throw notFound(attempts)
  throw new BrowserNotFoundError(
    `No browser could be started to print the PDF (tried: ${failures.join('; ')}). ${installAdvice}`,
    [...attempts, ...failures]
  )
}

function firstLine(message: string): string {
  return message.split('\n')[0]
}
