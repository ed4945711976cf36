/**
 * The compiled CLI as a running process, for tests that act on it while it works (signals, watch mode): what it
 * printed, when it exited and how, and the processes it started (read from /proc: Linux only).
 */
import {spawn, type ChildProcessWithoutNullStreams} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {repoRoot} from './project.ts'

export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
  /** Date.now() when it exited. */
  at: number
}

export class CliProcess {
  output = ''
  exit: Exit | undefined
  readonly exited: Promise<Exit>
  private readonly child: ChildProcessWithoutNullStreams

  constructor(args: string[], options: {env?: Record<string, string>; cwd?: string} = {}) {
    this.child = spawn(process.execPath, [path.join(repoRoot, 'bin/manuscript.mjs'), ...args], {cwd: options.cwd ?? repoRoot, env: {...process.env, NO_COLOR: '1', ...options.env}})
    this.child.stdout.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk))
    this.child.stderr.setEncoding('utf8').on('data', (chunk: string) => (this.output += chunk))
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve((this.exit = {code, signal, at: Date.now()}))))
  }

  get pid(): number {
    return this.child.pid!
  }

  /** Sends a signal; returns Date.now() when it was sent. */
  kill(signal: NodeJS.Signals): number {
    this.child.kill(signal)
    return Date.now()
  }

  /** Every running process below this one. */
  descendants(): number[] {
    return descendants(this.pid)
  }

  /** Ends it and everything below it, if a test left it running. */
  async stop(): Promise<void> {
    if (this.exit) return
    const below = this.descendants()
    this.child.kill('SIGKILL')
    for (const pid of below) if (alive(pid)) process.kill(pid, 'SIGKILL')
    await this.exited
  }
}

/** Every process below `pid`, from /proc. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const parent = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1])
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)])
    } catch {
      // gone meanwhile
    }
  }
  const found: number[] = []
  const visit = (parent: number) => {
    for (const next of children.get(parent) ?? []) {
      found.push(next)
      visit(next)
    }
  }
  visit(pid)
  return found
}

/** Running, that is: not gone and not a zombie (a killed process its new parent has not reaped yet). */
export function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** The program a process runs (its /proc comm), or undefined once it is gone. */
export function programOf(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
  } catch {
    return undefined
  }
}
