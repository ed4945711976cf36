/**
 * The libraries a build loads on demand, run as scripts with V8's code cache (../bin/script-module.mjs, which loads the
 * CLI's own script too): the compiled package carries each as a script wrapped in its module's function
 * (dist/<name>.cjs) and the cache V8 made for it (dist/<name>.cache), both made by scripts/compile.mjs.
 */
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Script} from 'node:vm'
import {runScriptModule} from '../bin/script-module.mjs'

/**
 * The libraries a first build loads when it needs them, large enough for their compilation to count: citeproc-js
 * when citations are formatted (a first build of the trenches draft formats them ~45 ms sooner from its code cache),
 * KaTeX when a formula is typeset, puppeteer-core when a page is printed (out of the CLI's script, which every build
 * reads). Their caches are made after the sample paper is built (compile.mjs), so that they hold the functions
 * formatting, typesetting and printing compile.
 */
export type LibraryName = 'citeproc' | 'katex' | 'puppeteer-core'

const requireHere = createRequire(import.meta.url)
const libraries = new Map<LibraryName, {exports: unknown; script?: Script; cache?: string; cached: boolean}>()

/**
 * The library's module: from its script beside the compiled CLI (with its code cache, when there is one) or, running
 * from the TypeScript sources, as the package. Loaded once per process, as Node keeps a required package.
 */
export function requireLibrary<T>(name: LibraryName): T {
  let library = libraries.get(name)
  if (!library) {
    const code = path.join(path.dirname(fileURLToPath(import.meta.url)), `${name}.cjs`)
    const cache = code.replace(/\.cjs$/, '.cache')
    if (existsSync(code)) {
      const cachedData = existsSync(cache) ? readFileSync(cache) : undefined
      const {exports, script} = runScriptModule(code, cachedData)
      library = {exports, script, cache, cached: cachedData !== undefined && !script.cachedDataRejected}
    } else library = {exports: requireHere(name), cached: false}
    libraries.set(name, library)
  }
  return library.exports as T
}

/**
 * The libraries this process ran from their scripts: whether V8 took each one's code cache, where that cache is read
 * from, and the cache V8 would make now (compile.mjs writes it there).
 */
export function libraryScripts(): {name: LibraryName; cached: boolean; cache: string; codeCache: () => Buffer}[] {
  return [...libraries].flatMap(([name, {script, cache, cached}]) => (script && cache ? [{name, cached, cache, codeCache: () => script.createCachedData()}] : []))
}
