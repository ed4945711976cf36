/**
 * A citeproc host in a worker thread (engine.ts's CiteprocHost), for the CLI's builds: the worker starts with the
 * process and loads citeproc-js and citation-js, compiles the default style and reads the `.bib` files it is sent
 * while the main thread parses the manuscript (two cores; a first build otherwise pays for each in turn). The
 * interface stays synchronous: a call posts its message and waits on a shared flag, then takes the answer from the
 * port (`receiveMessageOnPort`). The worker runs the same code on the same input as the main thread would, so the
 * formatted results are the same; until the worker is running, and if it cannot start or stops, the main thread
 * formats itself.
 */
import {fileURLToPath} from 'node:url'
import {MessageChannel, receiveMessageOnPort, Worker} from 'node:worker_threads'
import {workerScript} from '../worker-script.ts'
import type {ParsedBibtex} from './bibtex.ts'
import type {CiteprocCall, CiteprocHint, CiteprocReply, CiteprocWorkerData} from './citeproc-worker.ts'
import {createLocalCiteprocHost, type CiteprocHost} from './engine.ts'
import type {StyleMemo} from './style.ts'

export interface CiteprocWorkerHost extends CiteprocHost {
  /** Send a `.bib` file's text ahead, to be read while the main thread goes on. */
  readAhead(text: string): void
  /** Settles once the worker is started (or failed to); calls made before are done on the calling thread. */
  started: Promise<void>
  close(): Promise<void>
}

/** How long a call waits between looks at whether the worker is still running. */
const waitSliceMs = 1000

/**
 * Start the worker now; `memo` is the session's, for what the main thread formats itself. `script`: the worker's
 * main script (default dist/citeproc-worker.mjs, see worker-script.ts; it must find node_modules from where it is).
 */
export function startCiteprocWorker(memo: StyleMemo, options: {script?: string} = {}): CiteprocWorkerHost {
  const local = createLocalCiteprocHost(memo)
  const flag = new Int32Array(new SharedArrayBuffer(4))
  const {port1: port, port2} = new MessageChannel()
  let worker: Worker | undefined
  let failed = false
  /** Hints sent before the worker runs. */
  const pending: CiteprocHint[] = []
  const script = options.script ? Promise.resolve(options.script) : workerScript(fileURLToPath(new URL('./citeproc-worker.ts', import.meta.url)), 'citeproc-worker')
  const starting = script.then(
    (script) => {
      const workerData: CiteprocWorkerData = {port: port2, answered: flag.buffer as SharedArrayBuffer}
      worker = new Worker(script, {workerData, transferList: [port2]})
      // It never keeps the process alive; an error ends it, and the main thread formats from then on.
      worker.unref()
      worker.on('error', () => (failed = true))
      worker.on('exit', () => (failed = true))
      for (const hint of pending.splice(0)) port.postMessage(hint)
    },
    () => {
      failed = true
    }
  )
  const running = () => worker !== undefined && !failed && worker.threadId !== -1
  const hint = (message: CiteprocHint) => {
    if (running()) port.postMessage(message)
    else if (!worker && !failed) pending.push(message)
  }
  /** The worker's answer, or undefined when it is not running (the caller then does the work here). */
  const call = (message: CiteprocCall): {value: unknown} | undefined => {
    if (!running()) return undefined
    Atomics.store(flag, 0, 0)
    port.postMessage(message)
    while (Atomics.wait(flag, 0, 0, waitSliceMs) === 'timed-out') {
      if (worker!.threadId === -1) {
        failed = true
        return undefined
      }
    }
    const reply = receiveMessageOnPort(port)?.message as CiteprocReply | undefined
    if (!reply) return undefined
    if (reply.error) throw Object.assign(new Error(reply.error.message), {name: reply.error.name})
    return {value: reply.value}
  }
  return {
    has: (style, lang) => local.has(style, lang),
    styleInfo(style, lang) {
      const answer = call({kind: 'styleInfo', styleXml: style.xml, lang})
      return answer ? (answer.value as ReturnType<CiteprocHost['styleInfo']>) : local.styleInfo(style, lang)
    },
    format(style, request) {
      const answer = call({kind: 'format', styleXml: style.xml, request})
      return answer ? (answer.value as string[]) : local.format(style, request)
    },
    bibliography(style, request) {
      const answer = call({kind: 'bibliography', styleXml: style.xml, request})
      return answer ? (answer.value as ReturnType<CiteprocHost['bibliography']>) : local.bibliography(style, request)
    },
    parseBibtex(text, convertOnly) {
      const answer = call({kind: 'parseBibtex', text, convertOnly: convertOnly ? [...convertOnly] : undefined})
      return answer ? (answer.value as ParsedBibtex) : undefined
    },
    readAhead: (text) => hint({kind: 'readBibtex', text}),
    started: starting,
    async close() {
      await starting
      port.close()
      await worker?.terminate()
    }
  }
}
