// The compiled CLI as V8 runs it: dist/manuscript.cjs, a CommonJS bundle wrapped in its function (so that the script's
// value is the module), with V8's code cache for it in dist/manuscript.cache; both made by scripts/compile.mjs.
// A fresh process then deserialises the functions a build runs instead of parsing and compiling the 1.5 MB of
// JavaScript an HTML build loaded as ES modules (a build of the book from the derived cache: 0.05 s less, a first
// build of the trenches draft: 0.07 s less). V8 checks the cache against its
// own version and flags and compiles the script as usual when they differ (`node --some-flag`), so a cache that
// does not fit costs time, never correctness.
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'

export const cliScript = fileURLToPath(new URL('../dist/manuscript.cjs', import.meta.url))
export const cliCache = fileURLToPath(new URL('../dist/manuscript.cache', import.meta.url))

/** The CLI module ({main}) and the script it was run from (to make the cache from); undefined when not compiled. */
export function loadCli(cache = cliCache) {
  if (!existsSync(cliScript)) return undefined
  const cachedData = existsSync(cache) ? readFileSync(cache) : undefined
  // The script is ASCII (compile.mjs escapes every other character): read as latin1 it is one byte per character
  // for V8, with no UTF-8 to decode.
  const script = new Script(readFileSync(cliScript, 'latin1'), {filename: cliScript, cachedData})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(cliScript), module, cliScript, path.dirname(cliScript))
  return {cli: module.exports, script}
}
