#!/usr/bin/env node
// The compiled CLI (dist/) is made by `npm run compile`, which `npm ci` runs through the `prepare` script.
import {loadCli} from './cli-script.mjs'

// Output that cannot be written ends what is printed, not the command: the build still writes its outputs and the exit
// status is still the command's. A reader that goes away (`manuscript check | head`) is meant; any other failure
// (`> log.txt` on a full disk) is said once on stderr. Node would otherwise throw at the next line printed.
let unwritable = false
process.stdout.on('error', (error) => {
  if (unwritable || error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return
  unwritable = true
  process.stderr.write(`manuscript: cannot write the output (${error.message}); the command goes on without printing it.\n`)
})
process.stderr.on('error', () => {})

const cli = await loadCli()
if (!cli) {
  process.stderr.write('manuscript: the CLI is not compiled yet. Run `npm run compile` (npm ci does it for you).\n')
  process.exit(2)
}
process.exitCode = await cli.main(process.argv.slice(2))
// The command has finished and closed what it opened: the process ends as soon as what it printed is written. Left
// to end on its own, Node would first take its heap apart (a book's build: 40 ms more), and a timer some library
// still holds (puppeteer keeps one per protocol call, for up to 3 minutes) would keep the terminal waiting.
// (After the events already due, such as a write's failure, have been handled.)
process.stdout.write('', () => process.stderr.write('', () => setImmediate(() => process.exit())))
setTimeout(() => process.exit(), 1000).unref()
