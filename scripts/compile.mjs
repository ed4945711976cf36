// Bundle the TypeScript CLI into one script with V8's code cache for it (bin/cli-script.mjs loads them), so a cold
// `manuscript build` reads two files and compiles almost nothing; and into ES modules, which its worker threads share
// and which a process runs when its V8 has no cache made for it. Packages that locate files next to themselves at run
// time stay external.
import {build} from 'esbuild'
import {spawnSync} from 'node:child_process'
import {createHash} from 'node:crypto'
import {cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
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
const bundleOptions = {
  plugins: [withoutDownloads],
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  // Less for V8 to parse when a build starts; identifiers keep their names, so stack traces stay readable.
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  // citeproc and katex are loaded with require() on first use (see citeproc-module.ts, math.ts); hyphen's patterns
  // (1.3 MB for its fifteen languages) when a page is printed, for the document's language only (hyphenate.ts).
  external: ['@sparticuz/chromium', 'esbuild', 'chokidar', 'citeproc', 'katex', 'hyphen'],
  define: {__MANUSCRIPT_BUILD_ID__: JSON.stringify(buildId())}
}
// A script whose value is its CommonJS module, wrapped in its function (bin/script-module.mjs runs such scripts with
// V8's code cache); `import.meta.url` is the script's URL.
const moduleFunction = {start: '(function (exports, require, module, __filename, __dirname) {', end: '\n})'}
const scriptModule = {
  format: 'cjs',
  outExtension: {'.js': '.cjs'},
  define: {'import.meta.url': '__importMetaUrl'},
  banner: {js: `${moduleFunction.start}var __importMetaUrl = require('node:url').pathToFileURL(__filename).href;`},
  footer: {js: moduleFunction.end}
}
// ES modules: the worker threads' scripts, the parse worker (pipeline/syntax/parse-pool.ts) and the figure worker
// (pipeline/figures/draw.ts, with Vega), and the CLI for a V8 that has no code cache made for it (below): run with
// other V8 flags (`NODE_OPTIONS=--max-old-space-size=…`), V8 would compile the whole script, where code splitting
// keeps what only printing needs (puppeteer) out of an HTML build.
await build({
  ...bundleOptions,
  entryPoints: {manuscript: 'pipeline/cli/entry.ts', 'parse-worker': 'pipeline/syntax/parse-worker.ts', 'figure-worker': 'pipeline/figures/draw-worker.ts'},
  outdir: 'dist',
  outExtension: {'.js': '.mjs'},
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  format: 'esm',
  // Some bundled CommonJS dependencies call require(); give the ES modules one.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"}
})
// The CLI: a CommonJS module wrapped in its function, so that the script's value is the module (bin/cli-script.mjs).
// What only some commands need (docx, the watcher) is in it too; with the code cache, code a build never runs costs
// reading it, not compiling it. puppeteer-core, the largest such part, is a script of its own (below).
await build({
  ...bundleOptions,
  entryPoints: {manuscript: 'pipeline/cli/entry.ts'},
  ...scriptModule,
  outdir: 'dist',
  // The packages it imports when it needs them (esbuild, the packaged Chromium) are required: a script run by V8
  // has no module loader of its own for import().
  supported: {'dynamic-import': false},
  define: {...bundleOptions.define, ...scriptModule.define}
})
// esbuild writes ASCII except inside regular expressions (a few en dashes and accented letters of its dependencies):
// escaped there too (`\u2013` means the same in a regular expression as in a string), V8 holds the script one byte
// per character, and the loader need not decode UTF-8. So are the other scripts run with a code cache written.
const asAscii = (code) => code.replace(/[^\0-\x7f]/g, (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`)
/** A script esbuild wrote, escaped to ASCII in place. */
const escapeInPlace = (file) => writeFileSync(file, asAscii(readFileSync(file, 'utf8')))
escapeInPlace('dist/manuscript.cjs')
// citeproc-js and KaTeX, which the CLI requires when a build first needs them, as scripts it runs with a code cache
// (pipeline/script-module.ts; the caches are made with the CLI's, below): each package's CommonJS file as it is,
// its notices included, wrapped in the module's function.
const requirePackage = createRequire(import.meta.url)
for (const name of ['citeproc', 'katex']) {
  const source = readFileSync(requirePackage.resolve(name), 'utf8')
  writeFileSync(`dist/${name}.cjs`, asAscii(moduleFunction.start + source + moduleFunction.end))
}
// puppeteer-core, which only printing needs, bundled into a script of its own the same way (its CommonJS build is
// many files): 1.5 MB of the CLI's 3.7 (with chromium-bidi and the launcher's packages) that every HTML
// build and check read and whose code cache it took in, 25 ms of a small paper's 285 ms.
await build({
  ...bundleOptions,
  ...scriptModule,
  stdin: {contents: "module.exports = require('puppeteer-core')", resolveDir: '.', loader: 'js'},
  outfile: 'dist/puppeteer-core.cjs',
  external: [],
  sourcemap: false
})
escapeInPlace('dist/puppeteer-core.cjs')
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
  ...scriptModule,
  entryPoints: {'figure-renderer': 'pipeline/figures/render.ts'},
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [canvasWithout]
})
escapeInPlace('dist/figure-renderer.cjs')
const cacheMaker = `
import(${JSON.stringify(new URL('../bin/script-module.mjs', import.meta.url).href)}).then(({runScriptModule}) => {
  const {exports, script} = runScriptModule(require('node:path').resolve('dist/figure-renderer.cjs'))
  const figure = {label: 'fig:cache', caption: 'Cache', spec: {title: 'Cache', data: {values: [{name: 'One', count: 1}, {name: 'Two', count: 2}]}, encoding: {y: {field: 'name', type: 'nominal'}, x: {field: 'count', type: 'quantitative'}}, layer: [{mark: 'bar'}, {mark: {type: 'text', align: 'left', dx: 4}, encoding: {text: {field: 'count'}}}]}}
  return new exports.FigureRenderer().render(figure).then(() => require('node:fs').writeFileSync('dist/figure-renderer.cache', script.createCachedData()))
})
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
// The CLI's code cache, named by V8's tag for its version and flags (bin/cli-script.mjs): made by a process that runs
// the script with this environment's V8 flags (those its builds will have) and builds the repository's sample paper
// twice, to HTML (a first build) and to HTML and PDF (with the derived cache), so that the cache holds the functions
// that a first build, a build from the derived cache and printing compile. Its own files are in a temporary folder,
// the derived cache's secret too; the packaged Chromium is unpacked where every build unpacks it.
const sample = mkdtempSync(path.join(tmpdir(), 'manuscript-code-cache-'))
try {
  for (const folder of ['manuscript', 'tables', 'figures', 'data']) cpSync(folder, path.join(sample, 'project', folder), {recursive: true})
  const cliCacheMaker = `
const {writeFileSync} = require('node:fs')
import(${JSON.stringify(new URL('../bin/cli-script.mjs', import.meta.url).href)}).then(async ({runCliScript, cliCache}) => {
  const {cli, script} = runCliScript()
  // A build that fails (no browser for the PDF) has still compiled what it ran.
  for (const to of ['html', 'html,pdf']) await cli.main(['build', '--root', ${JSON.stringify(path.join(sample, 'project'))}, '--to', to])
  writeFileSync(cliCache, script.createCachedData())
  // The libraries those builds loaded from their scripts, with what they compiled.
  for (const library of cli.libraryScripts()) writeFileSync(library.cache, library.codeCache())
  process.exit(0)
})
`
  const env = {...process.env, XDG_CACHE_HOME: path.join(sample, 'cache-home'), NO_COLOR: '1'}
  // Two builds of a small paper take seconds; a browser that never answers must not hold up the install.
  const madeCli = spawnSync(process.execPath, ['-e', cliCacheMaker], {encoding: 'utf8', env, timeout: 180_000})
  // Without it the CLI works all the same (V8 compiles the script as it goes): a warning, not a failure.
  if (madeCli.status !== 0) console.warn(`Warning: the CLI code cache could not be made; builds start a little slower without it.\n${madeCli.stderr ?? ''}`)
} finally {
  rmSync(sample, {recursive: true, force: true})
}
