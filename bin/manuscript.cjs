#!/usr/bin/env node
// The compiled CLI (dist/) is made by `npm run compile`, which `npm ci` runs through the `prepare` script.
// CommonJS, like the compiled CLI: a process started with an ES module sets up Node's module loader for it first,
// which cost a build ~10 ms (and a cached build of the trenches draft ~40 ms, in interleaved pairs).
const {loadCli} = require('./cli-script.cjs')

const loaded = loadCli()
if (!loaded) {
  process.stderr.write('manuscript: the CLI is not compiled yet. Run `npm run compile` (npm ci does it for you).\n')
  process.exit(2)
}
void loaded.cli.main(process.argv.slice(2)).then((exitCode) => {
  process.exitCode = exitCode
  // The command has finished and closed what it opened. A timer some library still holds (puppeteer keeps one per
  // protocol call, for up to 3 minutes) must not keep the terminal waiting: the process ends within a second.
  setTimeout(() => process.exit(), 1000).unref()
})
