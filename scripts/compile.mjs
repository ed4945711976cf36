// Bundle the TypeScript CLI into ES modules, so a cold `manuscript build` loads a few files instead of hundreds.
// Code splitting keeps what only PDF printing needs (pdf-lib, hyphenation patterns) in chunks that an
// HTML-only build never loads. Packages that locate files next to themselves at run time stay external.
import {build} from 'esbuild'
import {rmSync} from 'node:fs'

rmSync('dist', {recursive: true, force: true})
await build({
  entryPoints: {manuscript: 'pipeline/cli/entry.ts'},
  outdir: 'dist',
  outExtension: {'.js': '.mjs'},
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['puppeteer-core', '@sparticuz/chromium', 'esbuild', 'chokidar'],
  // Some bundled CommonJS dependencies call require(); give the ES modules one.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"}
})
