/**
 * The author's placeholder patterns (`placeholders: patterns:` in manuscript.yaml) run under a time limit. A regular
 * expression can take exponential time on an ordinary line (`(a+)+$` on forty a's and a full stop), and JavaScript
 * cannot stop a match in progress; no static test tells every such pattern from a harmless one. So the patterns run
 * in a worker thread, one after another over all the texts of the manuscript, each with `timeLimitMs`: the caller
 * waits (synchronously, as the transforms run) on a shared counter the worker advances as it starts each pattern,
 * and a pattern still running at its deadline is stopped with its worker and named, while the others still run.
 * The built-in placeholder words never come here: they are the project's own expressions, and run in the caller.
 */
import {MessageChannel, receiveMessageOnPort, Worker, type MessagePort} from 'node:worker_threads'
import type {WordMatch} from './patterns.ts'

/** How long one pattern may take over the whole manuscript: a well-behaved one takes milliseconds. */
export const patternTimeLimitMs = 2000
/** How long a worker thread may take to start, on a machine busy with other work. */
const startLimitMs = 20_000

export interface AuthorPattern {
  /** As written in the config. */
  written: string
  expression: RegExp
}

export interface PatternRun {
  /** For each text, the matches of every pattern that finished, in the order of the patterns. */
  matches: WordMatch[][]
  /** The patterns stopped at their time limit (indexes into the patterns given). */
  stopped: number[]
}

/**
 * The worker: for each pattern, says it started (the counter at index 0 becomes its number plus one), finds its
 * matches in every text and posts them; then sets the counter past the last pattern. CommonJS, since `eval` workers
 * are scripts.
 */
const workerSource = `
const {workerData} = require('node:worker_threads')
const {counter, port, patterns, texts} = workerData
for (let index = 0; index < patterns.length; index++) {
  Atomics.store(counter, 0, index + 1)
  Atomics.notify(counter, 0)
  const expression = new RegExp(patterns[index].source, patterns[index].flags)
  const found = []
  texts.forEach((text, textIndex) => {
    expression.lastIndex = 0
    for (const match of text.matchAll(expression)) if (match[0] !== '') found.push([textIndex, match.index, match[0]])
  })
  port.postMessage(found)
}
Atomics.store(counter, 0, patterns.length + 1)
Atomics.notify(counter, 0)
`

export function runAuthorPatterns(patterns: readonly AuthorPattern[], texts: readonly string[], timeLimitMs = patternTimeLimitMs): PatternRun {
  const run: PatternRun = {matches: texts.map(() => []), stopped: []}
  let next = 0
  while (next < patterns.length) {
    const batch = patterns.slice(next)
    const {finished, stoppedAt} = runInWorker(batch, texts, timeLimitMs, (patternIndex, found) => {
      for (const [textIndex, index, text] of found) run.matches[textIndex].push({index, text, pattern: batch[patternIndex].written})
    })
    next += finished
    if (stoppedAt !== undefined) {
      run.stopped.push(next)
      next++
    }
  }
  for (const matches of run.matches) matches.sort((a, b) => a.index - b.index)
  return run
}

/** Runs `patterns` in one worker until all are done or one passes its limit; how many finished, and which stopped. */
function runInWorker(patterns: readonly AuthorPattern[], texts: readonly string[], timeLimitMs: number, collect: (pattern: number, found: [number, number, string][]) => void): {finished: number; stoppedAt?: number} {
  const counter = new Int32Array(new SharedArrayBuffer(4))
  const {port1, port2} = new MessageChannel()
  const worker = new Worker(workerSource, {
    eval: true,
    workerData: {counter, port: port2, patterns: patterns.map(({expression}) => ({source: expression.source, flags: expression.flags})), texts},
    transferList: [port2],
    // A pattern has the text of the manuscript and its matches; nothing else.
    resourceLimits: {maxOldGenerationSizeMb: 512},
    stdout: true,
    stderr: true
  })
  worker.unref()
  let finished = 0
  const drain = (port: MessagePort) => {
    for (let message = receiveMessageOnPort(port); message; message = receiveMessageOnPort(port)) collect(finished++, message.message as [number, number, string][])
  }
  try {
    for (let started = 0; started <= patterns.length; ) {
      const outcome = Atomics.wait(counter, 0, started, started === 0 ? startLimitMs : timeLimitMs)
      started = Atomics.load(counter, 0)
      if (outcome !== 'timed-out') continue
      if (started === 0) throw new Error(`the worker thread for the placeholder patterns did not start within ${startLimitMs / 1000} s`)
      drain(port1)
      return {finished, stoppedAt: started - 1}
    }
    drain(port1)
    return {finished}
  } finally {
    port1.close()
    void worker.terminate()
  }
}
