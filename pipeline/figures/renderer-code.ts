/**
 * The figure renderer (render.ts, with Vega and Vega-Lite) as the figure process loads it. Parsing Vega's 1.6 MB took
 * about a third of the process's start, each time a figure is drawn; so the compiled package carries the renderer as
 * a script (dist/figure-renderer.cjs) with V8's code cache for it (dist/figure-renderer.cache), both made by
 * scripts/compile.mjs. V8 checks the cache against the script and its own version and flags, and compiles the script
 * as usual when it does not match; without the two files (running from the TypeScript sources) the module is imported.
 */
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {runScriptModule} from '../../bin/script-module.mjs'

export type RendererModule = typeof import('./render.ts')

export async function loadRenderer(): Promise<RendererModule> {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const code = path.join(here, 'figure-renderer.cjs')
  const cache = path.join(here, 'figure-renderer.cache')
  if (!existsSync(code) || !existsSync(cache)) return import('./render.ts')
  return runScriptModule<RendererModule>(code, readFileSync(cache)).exports
}
