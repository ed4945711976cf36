/**
 * Running a helper program (poppler's pdftocairo) on a file of the project, which may be hostile: a 2 MB PDF that
 * inflates to 2 GB keeps pdftocairo busy for 20 s on a fast machine, minutes on a slow one. Each run has limits on
 * CPU time, memory and the size of the file it writes that the kernel enforces (util-linux's `prlimit` sets them on
 * itself and then becomes the program, so they hold even if this process dies), a wall-clock limit enforced here
 * (the only one where prlimit is missing: macOS), and it is killed at once when the caller's AbortSignal fires
 * (Ctrl-C, SIGTERM).
 */
import {execFile, spawnSync} from 'node:child_process'
import {onPath} from './executables.ts'

export interface ProcessLimits {
  /** CPU seconds the program may use; it is killed after twice that in wall-clock time too. */
  cpuSeconds: number
  /** Bytes of memory (address space) it may map. */
  memoryBytes: number
  /** Bytes any file it writes may reach. */
  outputBytes: number
}

/**
 * Converting a figure takes pdftocairo some 0.02 s of CPU and 13 MB; a 2 MB PDF inflating to 2 GB of content, 11 s
 * and a 10,000 × 10,000 image inside a PDF, 5 s and 540 MB (measured on the test machine).
 */
export const defaultProcessLimits: ProcessLimits = {cpuSeconds: 10, memoryBytes: 1024 ** 3, outputBytes: 64 * 1024 ** 2}

export interface LimitedRunOptions {
  limits?: ProcessLimits
  /** Kills the program when it fires; the run then rejects (async) or throws (sync) with the signal's reason. */
  signal?: AbortSignal
  /** Environment to find the program and prlimit in (`PATH`); default `process.env`. */
  env?: NodeJS.ProcessEnv
}

export type LimitedRunResult =
  | {outcome: 'done'; stderr: string}
  /** It ended with an error of its own (a nonzero exit status, a crash). */
  | {outcome: 'failed'; stderr: string; status: number | null; signal: NodeJS.Signals | null}
  /** `limit` says which limit stopped it. */
  | {outcome: 'limit'; limit: 'time' | 'output'}
  | {outcome: 'missing'}

interface Invocation {
  file: string
  args: string[]
  timeout: number
}

/** The program under prlimit where it exists (`--cpu=N:N+1`: SIGXCPU at N seconds, SIGKILL a second later). */
function invocation(command: string, args: string[], options: LimitedRunOptions): Invocation | undefined {
  const env = options.env ?? process.env
  const program = onPath(command, env)
  if (!program) return undefined
  const limits = options.limits ?? defaultProcessLimits
  const timeout = limits.cpuSeconds * 2000
  const prlimit = process.platform === 'linux' ? onPath('prlimit', env) : undefined
  if (!prlimit) return {file: program, args, timeout}
  const cpu = Math.max(1, Math.ceil(limits.cpuSeconds))
  return {file: prlimit, args: [`--cpu=${cpu}:${cpu + 1}`, `--as=${limits.memoryBytes}`, `--fsize=${limits.outputBytes}`, '--', program, ...args], timeout}
}

function classify(status: number | null, signal: NodeJS.Signals | null, timedOut: boolean, stderr: string): LimitedRunResult {
  if (timedOut || signal === 'SIGXCPU') return {outcome: 'limit', limit: 'time'}
  if (signal === 'SIGXFSZ') return {outcome: 'limit', limit: 'output'}
  if (status === 0 && signal === null) return {outcome: 'done', stderr}
  return {outcome: 'failed', stderr, status, signal}
}

/** Runs `command` (looked up on PATH) under the limits; resolves when it has ended, however it ended. */
export function runLimited(command: string, args: string[], options: LimitedRunOptions = {}): Promise<LimitedRunResult> {
  options.signal?.throwIfAborted()
  const run = invocation(command, args, options)
  if (!run) return Promise.resolve({outcome: 'missing'})
  return new Promise((resolve, reject) => {
    execFile(run.file, run.args, {timeout: run.timeout, killSignal: 'SIGKILL', signal: options.signal, encoding: 'utf8'}, (error, _stdout, stderr) => {
      if (options.signal?.aborted) {
        reject(options.signal.reason)
        return
      }
      if (!error) {
        resolve({outcome: 'done', stderr})
        return
      }
      // `code` is the exit status, or a string when Node ended it: on its timeout (`killed`) or for too much output.
      const status = typeof error.code === 'number' ? error.code : null
      const timedOut = error.killed === true && error.code !== 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER'
      resolve(classify(status, (error.signal as NodeJS.Signals | undefined) ?? null, timedOut, stderr))
    })
  })
}

/**
 * The same, blocking. The signal is honoured before the program starts; while it runs, this process cannot listen,
 * but Ctrl-C reaches the program too (it is in the terminal's process group) and the limits end it anyway.
 */
export function runLimitedSync(command: string, args: string[], options: LimitedRunOptions = {}): LimitedRunResult {
  options.signal?.throwIfAborted()
  const run = invocation(command, args, options)
  if (!run) return {outcome: 'missing'}
  const result = spawnSync(run.file, run.args, {timeout: run.timeout, killSignal: 'SIGKILL', encoding: 'utf8'})
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ENOENT') return {outcome: 'missing'}
  const timedOut = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT'
  return classify(result.status, result.signal, timedOut, result.stderr ?? '')
}
