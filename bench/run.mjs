// `npm run bench`: bundle the TypeScript benchmark with esbuild (a dependency) and run it.
import {build} from 'esbuild'
import {mkdirSync} from 'node:fs'

mkdirSync('.tmp', {recursive: true})
await build({entryPoints: ['bench/index.ts'], outfile: '.tmp/bench.mjs', bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning'})
await import(new URL('../.tmp/bench.mjs', import.meta.url).href)
