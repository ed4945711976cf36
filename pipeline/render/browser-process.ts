/**
 * Starting Chromium's process, with the DevTools protocol on a pipe (file descriptors 3 and 4), before puppeteer is
 * loaded: Chromium starts up on the other core while this process loads puppeteer and analyses the manuscript.
 * browser.ts then connects puppeteer to the pipe. The command line is the one puppeteer's launcher would give
 * (its default flags, which tests/render/browser.test.ts compares with puppeteer's own list) plus ours.
 */
import {spawn} from 'node:child_process'
import type {Readable, Writable} from 'node:stream'

/** puppeteer.defaultArgs() for puppeteer-core 24, before the profile folder and the headless mode. */
const puppeteerDefaultArgs = [
  '--allow-pre-commit-input',
  '--disable-background-networking',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--disable-component-extensions-with-background-pages',
  '--disable-crash-reporter',
  '--disable-default-apps',
  '--disable-dev-shm-usage',
  '--disable-hang-monitor',
  '--disable-infobars',
  '--disable-ipc-flooding-protection',
  '--disable-popup-blocking',
  '--disable-prompt-on-repost',
  '--disable-renderer-backgrounding',
  '--disable-search-engine-choice-screen',
  '--disable-sync',
  '--enable-automation',
  // Chromium writes the PDF's structure tree and its outline only with these two.
  '--export-tagged-pdf',
  '--force-color-profile=srgb',
  '--generate-pdf-document-outline',
  '--metrics-recording-only',
  '--no-first-run',
  '--password-store=basic',
  '--use-mock-keychain',
  '--disable-features=Translate,AcceptCHFrame,MediaRouter,OptimizationHints,WebUIReloadButton,ProcessPerSiteUpToMainFrameThreshold,IsolateSandboxedIframes',
  '--enable-features=PdfOopif'
]

export interface BrowserCommandLine {
  /** chrome-headless-shell (the packaged Chromium) has only the old headless mode; current Chrome only the new one. */
  headlessShell: boolean
  userDataDir: string
  /** Our flags (browser.ts), after puppeteer's. */
  args: string[]
}

/** The arguments Chromium is started with, in the order puppeteer's launcher puts them. */
export function browserArguments(commandLine: BrowserCommandLine): string[] {
  return [
    ...puppeteerDefaultArgs,
    `--user-data-dir=${commandLine.userDataDir}`,
    commandLine.headlessShell ? '--headless' : '--headless=new',
    '--hide-scrollbars',
    '--mute-audio',
    '--disable-extensions',
    'about:blank',
    ...commandLine.args,
    '--remote-debugging-pipe'
  ]
}

export interface BrowserProcess {
  /** Where the protocol's messages to the browser go (its file descriptor 3). */
  pipeWrite: Writable
  /** Where the browser's messages come from (its file descriptor 4). */
  pipeRead: Readable
  /** Settles once the process has started (rejects if it could not be started: no such file, not executable). */
  spawned: Promise<void>
  /** Settles when the process has ended, with a line saying how (and the end of what it wrote on stderr). */
  exited: Promise<string>
  /** Whether the process has ended (or could not be started); from then on its pipe is closed. */
  readonly ended: boolean
  /** Kills the browser and every process it started (SIGKILL to its process group). Safe to call at any time. */
  kill(): void
}

/** What is kept of the browser's stderr, to say why it ended. */
const stderrTail = 2000

/**
 * Starts the browser. Like puppeteer's launcher, it runs in its own process group (so that a Ctrl-C in the terminal
 * reaches this process, which decides what to do), and is killed when this process exits without closing it.
 */
export function startBrowserProcess(executablePath: string, args: string[]): BrowserProcess {
  // (Windows has no process groups: there, as with puppeteer, the browser stays in this process's.)
  const child = spawn(executablePath, args, {detached: process.platform !== 'win32', stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']})
  let stderr = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (text: string) => {
    stderr = (stderr + text).slice(-stderrTail)
  })
  const kill = () => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return
    try {
      process.kill(-child.pid, 'SIGKILL')
    } catch {
      child.kill('SIGKILL')
    }
  }
  process.once('exit', kill)
  const spawned = new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve)
    child.once('error', reject)
  })
  let ended = false
  const exited = new Promise<string>((resolve) => {
    const end = (how: string) => {
      ended = true
      process.removeListener('exit', kill)
      // Nothing will answer on the pipe any more: a connection waiting on it fails at once, and neither end keeps
      // this process running.
      child.stdio[3]?.destroy()
      child.stdio[4]?.destroy()
      const said = stderr.trim()
      resolve(said ? `${how}: ${said}` : how)
    }
    child.once('exit', (code, signal) => end(signal ? `the browser was ended by ${signal}` : `the browser exited with code ${code}`))
    child.once('error', (error) => end(error.message))
  })
  // A failed start is reported through `spawned`; this only keeps it from being an unhandled rejection.
  spawned.catch(() => undefined)
  return {
    pipeWrite: child.stdio[3] as Writable,
    pipeRead: child.stdio[4] as Readable,
    spawned,
    exited,
    get ended() {
      return ended
    },
    kill
  }
}
