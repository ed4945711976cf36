/**
 * What a table worker is made of: its main script (sandbox.ts, which hosts QuickJS), the runtime module it gives
 * definitions (runtime.ts: `manuscript-pipeline/tables` inside the sandbox), the distribution functions' script the
 * runtime evaluates when a test first needs them (distributions.ts) and QuickJS itself, compiled from its
 * WebAssembly once per process and shared by every worker. The compiled CLI has the three scripts prebuilt in dist/
 * (scripts/compile.mjs); when running from TypeScript sources (tests), they are bundled once into the system's
 * temporary folder, named by a hash of the sources so concurrent test processes share them safely.
 */
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, renameSync} from 'node:fs'
import {readFile} from 'node:fs/promises'
import {createRequire} from 'node:module'
import {tmpdir} from 'node:os'
import {setFlagsFromString} from 'node:v8'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {BuildOptions, Plugin} from 'esbuild'
import {EnvironmentError} from '../cli/errors.ts'
import {distributionsName} from './model.ts'

export interface SandboxFiles {
  /** The worker's main script. */
  worker: string
  /** The runtime module's source. */
  runtime: string
  /** The distribution functions' script. */
  distributions: string
  engine: WebAssembly.Module
}

/** The runtime's distributions.ts is distributions-sandbox.ts, which takes them from the distributions script. */
const distributionsOnDemand: Plugin = {
  name: 'distributions-on-demand',
  setup(build) {
    build.onResolve({filter: /^\.\/distributions\.ts$/}, (args) => ({path: path.join(args.resolveDir, 'distributions-sandbox.ts')}))
  }
}

/** How the three scripts are built, here from sources and by scripts/compile.mjs for dist/ (keep the two in step). */
const sandboxScripts: Record<'worker' | 'runtime' | 'distributions', {entry: string; output: string; options: BuildOptions}> = {
  worker: {entry: 'sandbox.ts', output: 'tables-sandbox.mjs', options: {bundle: true, format: 'esm', platform: 'node', target: 'node20', legalComments: 'none'}},
  // Minified: QuickJS parses it for every definition. Platform neutral: nothing of Node can be in it.
  runtime: {entry: 'runtime.ts', output: 'tables-runtime.mjs', options: {bundle: true, format: 'esm', platform: 'neutral', mainFields: ['module', 'main'], target: 'es2023', minify: true, legalComments: 'none', plugins: [distributionsOnDemand]}},
  // A script (not a module) that sets one global, which the runtime's `eval` returns (harness.ts).
  distributions: {entry: 'distributions.ts', output: 'tables-distributions.js', options: {bundle: true, format: 'iife', globalName: distributionsName, platform: 'neutral', mainFields: ['module', 'main'], target: 'es2023', minify: true, legalComments: 'none'}}
}

let located: Promise<SandboxFiles> | undefined

export function sandboxFiles(): Promise<SandboxFiles> {
  located ??= locate()
  return located
}

async function locate(): Promise<SandboxFiles> {
  const here = path.dirname(fileURLToPath(import.meta.url))
  // A definition runs for a fraction of a second, mostly QuickJS parsing the runtime module and the definition:
  // there V8's optimizing tier for WebAssembly costs more than it gains (the first definition's runtime parsed in
  // 160 ms with the baseline compiler alone, 720 ms with tier-up; a long loop runs about half as fast). QuickJS is
  // the only WebAssembly the pipeline runs.
  setFlagsFromString('--liftoff-only')
  const engine = WebAssembly.compile(await readFile(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm')))
  const [worker, runtime, distributions] = existsSync(path.join(here, sandboxScripts.worker.entry)) ? await buildFromSources(here) : compiledScripts(here)
  return {worker, runtime: readFileSync(runtime, 'utf8'), distributions: readFileSync(distributions, 'utf8'), engine: await engine}
}

type ScriptPaths = [worker: string, runtime: string, distributions: string]

function compiledScripts(here: string): ScriptPaths {
  for (let folder = here; ; folder = path.dirname(folder)) {
    const scripts = [sandboxScripts.worker, sandboxScripts.runtime, sandboxScripts.distributions].map((script) => path.join(folder, 'dist', script.output)) as ScriptPaths
    if (isOurPackage(folder) && scripts.every((script) => existsSync(script))) return scripts
    if (path.dirname(folder) === folder) break
  }
  throw new EnvironmentError(`The table sandbox (dist/${sandboxScripts.worker.output}, dist/${sandboxScripts.runtime.output}, dist/${sandboxScripts.distributions.output}) is missing from the manuscript-pipeline package near ${here}; run \`npm run compile\`.`)
}

async function buildFromSources(folder: string): Promise<ScriptPaths> {
  const hash = createHash('sha256')
  // The runtime takes the figure API from pipeline/figures too.
  for (const source of [folder, path.join(folder, '../figures')]) {
    for (const name of readdirSync(source).sort()) hash.update(name).update(readFileSync(path.join(source, name)))
  }
  const prefix = path.join(tmpdir(), `manuscript-tables-${hash.digest('hex').slice(0, 16)}`)
  const esbuild = await import('esbuild')
  return Promise.all(
    [sandboxScripts.worker, sandboxScripts.runtime, sandboxScripts.distributions].map(async (script) => {
      const target = `${prefix}-${script.output}`
      if (existsSync(target)) return target
      const temporary = `${target}.${process.pid}.tmp`
      await esbuild.build({...script.options, entryPoints: [path.join(folder, script.entry)], outfile: temporary, logLevel: 'silent'})
      renameSync(temporary, target)
      return target
    })
  ) as Promise<ScriptPaths>
}

function isOurPackage(folder: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).name === 'manuscript-pipeline'
  } catch {
    return false
  }
}
