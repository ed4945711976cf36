#!/usr/bin/env node
// The compiled CLI (dist/) is made by `npm run compile`, which `npm ci` runs through the `prepare` script.
import {loadCli} from './cli-script.mjs'

// A reader that goes away (`manuscript check | head`) ends what is printed, not the command: the build still writes
// its outputs and the exit status is still the command's. Node would otherwise throw at the next line printed.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error
  })
}

const cli = await loadCli()
if (!cli) {
  process.stderr.write('manuscript: the CLI is not compiled yet. Run `npm run compile` (npm ci does it for you).\n')
  process.exit(2)
}
process.exitCode = await cli.main(process.argv.slice(2))
// The command has finished and closed what it opened: the process ends as soon as what it printed is written. Left
// to end on its own, Node would first take its heap apart (a book's build: 40 ms more), and a timer some library
// still holds (puppeteer keeps one per protocol call, for up to 3 minutes) would keep the terminal waiting.
process.stdout.write('', () => process.stderr.write('', () => process.exit()))
setTimeout(() => process.exit(), 1000).unref()
