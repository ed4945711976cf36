// `npm run bench`: bundle the TypeScript benchmark with esbuild (a dependency) and run it.
import {build} from 'esbuild'
import {mkdirSync, readFileSync} from 'node:fs'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
// Packages stay outside the bundle, except rehype-citation, whose style file the pipeline imports by a path its
// package exports do not list (the CLI's bundle includes it the same way).
const external = Object.keys({...manifest.dependencies, ...manifest.devDependencies}).filter((name) => name !== 'rehype-citation')
mkdirSync('.tmp', {recursive: true})
await build({entryPoints: ['bench/index.ts'], outfile: '.tmp/bench.mjs', bundle: true, platform: 'node', format: 'esm', external, logLevel: 'warning'})
await import(new URL('../.tmp/bench.mjs', import.meta.url).href)
