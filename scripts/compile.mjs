// Bundle the TypeScript CLI into ES modules, so a cold `manuscript build` loads a few files instead of hundreds.
// Code splitting keeps what only PDF printing needs (puppeteer, hyphenation patterns) in chunks that an
// HTML-only build never loads. Packages that locate files next to themselves at run time stay external.
import {build} from 'esbuild'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {readFileSync, readdirSync, rmSync} from 'node:fs'
import path from 'node:path'

// The build id names this exact code, its locked dependencies and our patches to them (patches/): results cached
// on disk by one build of the tool are never reused by another (pipeline/graph/derived-cache.ts).
function buildId() {
  const hash = createHash('sha256')
  const walk = (folder) => {
    for (const entry of readdirSync(folder, {withFileTypes: true}).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(folder, entry.name)
      if (entry.isDirectory()) walk(file)
      else hash.update(file).update(readFileSync(file))
    }
  }
  walk('pipeline')
  walk('patches')
  hash.update(readFileSync('package-lock.json'))
  return hash.digest('hex').slice(0, 16)
}

// puppeteer-core's launcher imports @puppeteer/browsers whole, whose download code brings proxy-agent and with it
// 1.5 MB of JavaScript (a PAC-script interpreter among it) that a PDF build would parse on every start. We never
// download a browser (browser.ts finds one), so the download path gets an agent that refuses.
const withoutDownloads = {
  name: 'without-browser-downloads',
  setup(build) {
    build.onResolve({filter: /^proxy-agent$/}, () => ({path: 'proxy-agent', namespace: 'without-downloads'}))
    build.onLoad({filter: /.*/, namespace: 'without-downloads'}, () => ({
      contents: "export class ProxyAgent { constructor() { throw new Error('manuscript-pipeline does not download browsers') } }",
      loader: 'js'
    }))
  }
}

rmSync('dist', {recursive: true, force: true})
await build({
  plugins: [withoutDownloads],
  // The parse worker (pipeline/syntax/parse-pool.ts) shares the parser's chunks with the CLI; the figure worker
  // (pipeline/figures/draw.ts) holds Vega, which the CLI itself never loads.
  entryPoints: {manuscript: 'pipeline/cli/entry.ts', 'parse-worker': 'pipeline/syntax/parse-worker.ts', 'figure-worker': 'pipeline/figures/draw-worker.ts'},
  outdir: 'dist',
  outExtension: {'.js': '.mjs'},
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // Less for V8 to parse when a build starts; identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // citeproc and katex are loaded with require() on first use (see citeproc-module.ts, math.ts).
  external: ['@sparticuz/chromium', 'esbuild', 'chokidar', 'citeproc', 'katex'],
  define: {__MANUSCRIPT_BUILD_ID__: JSON.stringify(buildId())},
  // Some bundled CommonJS dependencies call require(); give the ES modules one.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"}
})
// The figure renderer as a script with V8's code cache (pipeline/figures/renderer-code.ts): a CommonJS module wrapped
// in its function, so that the script's value is the module. vega-canvas is the same without its optional `canvas`
// import (a top-level await, which a script cannot have; the pipeline never installs canvas, and measures text itself).
// The cache is made by a process with the figure process's heap flag, after drawing a figure, so that it holds the
// functions drawing compiles too; V8 ignores it where its version or flags differ.
const canvasWithout = {
  name: 'vega-canvas-without-node-canvas',
  setup(build) {
    build.onResolve({filter: /^vega-canvas$/}, () => ({path: 'vega-canvas', namespace: 'vega-canvas-without-node-canvas'}))
    build.onLoad({filter: /.*/, namespace: 'vega-canvas-without-node-canvas'}, () => ({
      contents: `export function domCanvas(w, h) {
  if (typeof document !== 'undefined' && document.createElement) {
    const c = document.createElement('canvas')
    if (c && c.getContext) { c.width = w; c.height = h; return c }
  }
  return null
}
export function nodeCanvas() { return null }
export function canvas(w, h) { return domCanvas(w, h) || null }
export function image() { return (typeof Image !== 'undefined' ? Image : null) || null }`,
      loader: 'js'
    }))
  }
}
await build({
  entryPoints: {'figure-renderer': 'pipeline/figures/render.ts'},
  outdir: 'dist',
  outExtension: {'.js': '.cjs'},
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [canvasWithout],
  define: {'import.meta.url': '__importMetaUrl'},
  banner: {js: "(function (exports, require, module, __filename, __dirname) {var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;"},
  footer: {js: '})'}
})
const cacheMaker = `
const {writeFileSync} = require('node:fs')
const {createRequire} = require('node:module')
const path = require('node:path')
const {Script} = require('node:vm')
const code = path.resolve('dist/figure-renderer.cjs')
const script = new Script(require('node:fs').readFileSync(code, 'utf8'), {filename: code})
const module = {exports: {}}
script.runInThisContext()(module.exports, createRequire(code), module, code, path.dirname(code))
const figure = {label: 'fig:cache', caption: 'Cache', spec: {title: 'Cache', data: {values: [{name: 'One', count: 1}, {name: 'Two', count: 2}]}, encoding: {y: {field: 'name', type: 'nominal'}, x: {field: 'count', type: 'quantitative'}}, layer: [{mark: 'bar'}, {mark: {type: 'text', align: 'left', dx: 4}, encoding: {text: {field: 'count'}}}]}}
new module.exports.FigureRenderer().render(figure).then(() => writeFileSync('dist/figure-renderer.cache', script.createCachedData()))
`
// The figure process's heap flag (pipeline/figures/draw.ts, memoryLimitMb in pipeline/tables/run.ts): V8's cache records its flags.
const made = spawnSync(process.execPath, ['--max-old-space-size=512', '-e', cacheMaker], {stdio: 'inherit'})
// Without it, figures are drawn all the same (the figure process compiles the script): a warning, not a failure.
if (made.status !== 0) console.warn('Warning: the figure renderer code cache could not be made; figures are drawn without it.')
// The table sandbox (pipeline/tables/sandbox-files.ts builds the same from sources; keep the two in step): each
// table worker's main script, which hosts QuickJS, and the runtime module it gives definitions as
// `manuscript-pipeline/tables`, minified (QuickJS parses it for every definition) and without anything of Node, and the
// distribution functions' script, which the runtime evaluates only when a test needs them (pipeline/tables/distributions.ts).
const distributionsOnDemand = {
  name: 'distributions-on-demand',
  setup(build) {
    build.onResolve({filter: /^\.\/distributions\.ts$/}, (args) => ({path: path.join(args.resolveDir, 'distributions-sandbox.ts')}))
  }
}
await build({entryPoints: {'tables-sandbox': 'pipeline/tables/sandbox.ts'}, outdir: 'dist', outExtension: {'.js': '.mjs'}, bundle: true, platform: 'node', format: 'esm', target: 'node20', legalComments: 'none', logLevel: 'warning'})
await build({entryPoints: {'tables-runtime': 'pipeline/tables/runtime.ts'}, outdir: 'dist', outExtension: {'.js': '.mjs'}, bundle: true, platform: 'neutral', mainFields: ['module', 'main'], format: 'esm', target: 'es2023', minify: true, legalComments: 'none', logLevel: 'warning', plugins: [distributionsOnDemand]})
await build({entryPoints: {'tables-distributions': 'pipeline/tables/distributions.ts'}, outdir: 'dist', bundle: true, platform: 'neutral', mainFields: ['module', 'main'], format: 'iife', globalName: 'manuscriptDistributions', target: 'es2023', minify: true, legalComments: 'none', logLevel: 'warning'})
