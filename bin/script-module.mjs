// A CommonJS module run as a script with V8's code cache: scripts/compile.mjs writes the module wrapped in its
// function (so that the script's value is that function) and the cache V8 made for it. V8 deserialises the functions
// the cache holds instead of parsing and compiling them; it checks the cache against the script and its own version
// and flags, and compiles as usual what does not fit. The CLI's script is loaded with it (cli-script.mjs), and so
// are the libraries a build loads on demand and the figure renderer (pipeline/script-module.ts).
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {Script} from 'node:vm'

/** Runs the script at `code`, with `cachedData` as its code cache if given: the module's exports, and the script (to make a cache from). */
export function runScriptModule(code, cachedData) {
  // compile.mjs writes these scripts in ASCII: read as latin1, each is one byte per character for V8, with no UTF-8
  // to decode.
  const script = new Script(readFileSync(code, 'latin1'), {filename: code, cachedData})
  const module = {exports: {}}
  script.runInThisContext()(module.exports, createRequire(code), module, code, path.dirname(code))
  return {exports: module.exports, script}
}
