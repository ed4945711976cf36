#!/usr/bin/env node
// The compiled CLI (dist/) is made by `npm run compile`, which `npm ci` runs through the `prepare` script.
import {loadCli} from './cli-script.mjs'

const cli = await loadCli()
if (!cli) {
  process.stderr.write('manuscript: the CLI is not compiled yet. Run `npm run compile` (npm ci does it for you).\n')
  process.exit(2)
}
process.exitCode = await cli.main(process.argv.slice(2))
// The command has finished and closed what it opened. A timer some library still holds (puppeteer keeps one per
// protocol call, for up to 3 minutes) must not keep the terminal waiting: the process ends within a second.
setTimeout(() => process.exit(), 1000).unref()
