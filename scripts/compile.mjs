// Bundle the TypeScript CLI into one ES module, so a cold `manuscript build` loads one file instead of hundreds.
// Packages that locate files next to themselves at run time (browsers, esbuild) stay external.
import {build} from 'esbuild'

await build({
  entryPoints: ['pipeline/cli/entry.ts'],
  outfile: 'dist/manuscript.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
  external: ['puppeteer-core', '@sparticuz/chromium', 'esbuild', 'chokidar'],
  // Some bundled CommonJS dependencies call require(); give the ES module one.
  banner: {js: "import {createRequire as __createRequire} from 'node:module'; const require = __createRequire(import.meta.url);"}
})
