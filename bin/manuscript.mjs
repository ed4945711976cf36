#!/usr/bin/env node
// The compiled CLI (dist/) is made by `npm run compile`, which `npm ci` runs through the `prepare` script.
import {existsSync} from 'node:fs'
import {fileURLToPath} from 'node:url'

const compiled = new URL('../dist/manuscript.mjs', import.meta.url)
if (!existsSync(fileURLToPath(compiled))) {
  process.stderr.write('manuscript: the CLI is not compiled yet. Run `npm run compile` (npm ci does it for you).\n')
  process.exit(2)
}
const {main} = await import(compiled.href)
process.exitCode = await main(process.argv.slice(2))
// The command has finished and closed what it opened. A timer some library still holds (puppeteer keeps one per
// protocol call, for up to 3 minutes) must not keep the terminal waiting: the process ends within a second.
setTimeout(() => process.exit(), 1000).unref()
