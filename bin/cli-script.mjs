// The compiled CLI as V8 runs it: dist/manuscript.cjs, a CommonJS bundle wrapped in its function (so that the script's
// value is the module), with V8's code cache for it; both made by scripts/compile.mjs. A fresh process then
// deserialises the functions a build runs instead of parsing and compiling the 1.5 MB of JavaScript an HTML build
// loaded as ES modules (a build of the book from the derived cache: 0.05 s less, a first build of the trenches
// draft: 0.07 s less). A code cache holds only for the V8 version and flags it was made with, so its name carries
// V8's tag for them. Without one for this process (`NODE_OPTIONS=--max-old-space-size=…`), V8 would compile the whole
// script; the CLI's ES modules (dist/manuscript.mjs), split so that an HTML build loads no printing code, cost less.
import {existsSync, readFileSync} from 'node:fs'
import {fileURLToPath} from 'node:url'
import {cachedDataVersionTag} from 'node:v8'
import {runScriptModule} from './script-module.mjs'

export const cliScript = fileURLToPath(new URL('../dist/manuscript.cjs', import.meta.url))
export const cliCache = fileURLToPath(new URL(`../dist/manuscript.${cachedDataVersionTag()}.cache`, import.meta.url))
const cliModules = new URL('../dist/manuscript.mjs', import.meta.url)

/** The CLI module ({main}): from the script and its code cache when there is one for this V8, else from the ES modules; undefined when not compiled. */
export async function loadCli() {
  if (existsSync(cliScript) && existsSync(cliCache)) return runCliScript(cliCache).cli
  if (existsSync(fileURLToPath(cliModules))) return import(cliModules.href)
  return undefined
}

/** Runs the script, with `cache` as its code cache if given (V8 compiles what it cannot take from it): the CLI module, and the script to make a cache from. */
export function runCliScript(cache) {
  const {exports, script} = runScriptModule(cliScript, cache === undefined ? undefined : readFileSync(cache))
  return {cli: exports, script}
}
