// Preloaded with `node --import` by bench/stop.ts: the longest stretch the main thread did not return to the event
// loop (what a Ctrl-C waits for at most before its handler runs), written to stderr as one JSON line at exit.
import {performance} from 'node:perf_hooks'

let last = performance.now()
let longest = 0
setInterval(() => {
  const now = performance.now()
  longest = Math.max(longest, now - last)
  last = now
}, 2).unref()
process.on('exit', () => process.stderr.write(`${JSON.stringify({longestBlockMs: Math.round(Math.max(longest, performance.now() - last))})}\n`))
