/**
 * CommonJS modules run as scripts with V8's code cache: the compiled package carries a module as a script wrapped in
 * its function (dist/<name>.cjs, so that the script's value is the module) and the cache V8 made for it
 * (dist/<name>.cache), both made by scripts/compile.mjs. A process then deserialises the functions it runs instead of
 * parsing and compiling them. V8 checks the cache against the script and its own version and flags, and compiles the
 * script as usual when it does not fit. (The CLI's own script is loaded the same way by bin/cli-script.mjs.)
 */
import {existsSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {Script} from 'node:vm'

/** Runs `code`, a script wrapped as compile.mjs writes it, with `cachedData` as its code cache if given: the module's exports, and the script. */
export function runScriptModule<T>(code: string, cachedData?: Buffer): {exports: T; script: Script} {
  // compile.mjs writes the scripts in ASCII: read as latin1, each is one byte per character for V8, with no UTF-8 to decode.
  const script = new Script(readFileSync(code, 'latin1'), {filename: code, cachedData})
  const module = {exports: {} as T}
  const wrapper = script.runInThisContext() as (exports: object, require: NodeJS.Require, module: object, filename: string, dirname: string) => void
  wrapper(module.exports as object, createRequire(code), module, code, path.dirname(code))
  return {exports: module.exports, script}
}

/**
 * The libraries a first build loads when it needs them, large enough for their compilation to count: citeproc-js
 * when citations are formatted (a first build of the trenches draft formats them ~45 ms sooner from its code cache),
 * KaTeX when a formula is typeset. Their caches are made after the sample paper is built (compile.mjs), so that they
 * hold the functions formatting and typesetting compile.
 */
export type LibraryName = 'citeproc' | 'katex'

const requireHere = createRequire(import.meta.url)
const libraries = new Map<LibraryName, {exports: unknown; script?: Script; cached: boolean}>()

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
      library = {exports, script, cached: cachedData !== undefined && !script.cachedDataRejected}
    } else library = {exports: requireHere(name), cached: false}
    libraries.set(name, library)
  }
  return library.exports as T
}

/** The libraries this process ran from their scripts: whether V8 took each one's code cache, and the cache it would make now (compile.mjs writes it). */
export function libraryScripts(): {name: LibraryName; cached: boolean; codeCache: () => Buffer}[] {
  return [...libraries].flatMap(([name, {script, cached}]) => (script ? [{name, cached, codeCache: () => script.createCachedData()}] : []))
}
