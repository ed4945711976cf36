/**
 * Bundles table definitions with esbuild, each into a single ES module that a table worker imports: an entry
 * that calls the harness, the definition and the project files it imports. The stable specifier
 * `manuscript-pipeline/tables` becomes an import of our table runtime by file URL (so a project needs no
 * node_modules of its own, and the runtime, which the worker has already loaded, is not bundled again). Project
 * files are read through ProjectFiles, so they are recorded in the dependency graph with their hashes.
 */
import {createHash} from 'node:crypto'
import {existsSync, readdirSync, readFileSync, renameSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {BuildFailure, Loader, Message, Plugin} from 'esbuild'
import {EnvironmentError} from '../cli/errors.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
import type {SourcePlace} from './model.ts'

export const apiSpecifier = 'manuscript-pipeline/tables'

export interface DefinitionBundle {
  definition: string
  /** The ES module's code. */
  code: string
  /** Its source map (sources relative to the project root). */
  sourceMap: unknown
  /** Project-relative files bundled from the project: the definition first, then what it imports, sorted. */
  inputs: string[]
}

export interface BundleProblem {
  message: string
  place?: SourcePlace
}

export type BundleResult = {bundle: DefinitionBundle; problems?: undefined} | {bundle?: undefined; problems: BundleProblem[]}

const entryNamespace = 'table-entry'

/**
 * Bundles the definitions in one esbuild run (shared helpers are read and parsed once); if that fails, each on
 * its own, so every problem is reported against the definition it belongs to.
 */
export async function bundleDefinitions(files: ProjectFiles, definitions: string[]): Promise<Map<string, BundleResult>> {
  const results = new Map<string, BundleResult>()
  if (definitions.length === 0) return results
  const together = await bundleTogether(files, definitions)
  if (together instanceof Map) return together
  if (definitions.length === 1) return results.set(definitions[0], {problems: together})
  const separately = await Promise.all(definitions.map(async (definition) => [definition, await bundleTogether(files, [definition])] as const))
  for (const [definition, result] of separately) results.set(definition, result instanceof Map ? result.get(definition)! : {problems: result})
  return results
}

async function bundleTogether(files: ProjectFiles, definitions: string[]): Promise<Map<string, BundleResult> | BundleProblem[]> {
  const esbuild = await import('esbuild')
  const runtime = pathToFileURL(await tableRuntime()).href
  const outputs = definitions.map((_, index) => `table-${index}`)
  const projectInputs = new Set<string>()
  try {
    const result = await esbuild.build({
      entryPoints: definitions.map((definition, index) => ({in: `${entryNamespace}:${definition}`, out: outputs[index]})),
      absWorkingDir: files.root,
      // Never written (write: false); an output folder at the root makes the source maps' paths project-relative.
      outdir: files.root,
      outExtension: {'.js': '.mjs'},
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [projectFilesPlugin(files, projectInputs, runtime)]
    })
    const bundles = new Map<string, BundleResult>()
    definitions.forEach((definition, index) => {
      const codePath = `${outputs[index]}.mjs`
      const code = result.outputFiles.find((output) => output.path === files.absolute(codePath))?.text ?? ''
      const map = result.outputFiles.find((output) => output.path === files.absolute(`${codePath}.map`))?.text ?? '{}'
      const read = Object.keys(result.metafile.outputs[codePath]?.inputs ?? {}).filter((input) => projectInputs.has(input))
      for (const input of read) files.graph.addEdge(definition, input)
      const others = read.filter((input) => input !== definition).sort()
      bundles.set(definition, {bundle: {definition, code, sourceMap: JSON.parse(map), inputs: [definition, ...others]}})
    })
    return bundles
  } catch (error) {
    const failure = error as Partial<BuildFailure>
    if (!Array.isArray(failure.errors)) throw error
    return failure.errors.map((message) => bundleProblem(message))
  }
}

/** Makes each definition's entry, resolves our API, refuses direct file reads, loads project files via ProjectFiles. */
function projectFilesPlugin(files: ProjectFiles, inputs: Set<string>, runtime: string): Plugin {
  return {
    name: 'manuscript-tables',
    setup(build) {
      build.onResolve({filter: /^table-entry:/}, (args) => ({path: args.path.slice(entryNamespace.length + 1), namespace: entryNamespace}))
      build.onLoad({filter: /.*/, namespace: entryNamespace}, (args) => ({
        contents: `import {runTableDefinition} from ${JSON.stringify(apiSpecifier)}\nrunTableDefinition(() => import(${JSON.stringify(`./${args.path}`)}))\n`,
        resolveDir: files.root,
        loader: 'js'
      }))
      build.onResolve({filter: /^manuscript-pipeline\/tables$/}, () => ({path: runtime, external: true}))
      build.onResolve({filter: /^(?:node:)?fs(?:\/promises)?$/}, () => ({
        errors: [{text: 'A table definition reads its data through `data` in defineTable (so the table is regenerated when the data changes), not through the file system.'}]
      }))
      // A definition reads only project files (and allowed folders): an import that leaves them is refused where it is written.
      build.onResolve({filter: /^(?:\.\.?\/|\/)/}, (args) => {
        if (!args.importer || args.namespace !== 'file') return undefined
        const refused = files.refusal(files.relative(path.resolve(args.resolveDir, args.path)))
        return refused?.kind === 'outside-project' ? {errors: [{text: `Cannot import "${args.path}": ${refused.message}`}]} : undefined
      })
      build.onLoad({filter: /\.(?:[cm]?[jt]sx?|json)$/}, (args) => {
        const relative = files.relative(args.path)
        const refused = files.refusal(relative)
        if (refused) return {errors: [{text: `Cannot bundle ${relative}: ${refused.message}`}]}
        if (relative.split('/').includes('node_modules')) return undefined
        inputs.add(relative)
        return {contents: files.readText(relative, '<tables>'), loader: loaderOf(relative)}
      })
    }
  }
}

function loaderOf(file: string): Loader {
  const loaders: Record<string, Loader> = {'.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.jsx': 'jsx', '.json': 'json'}
  return loaders[path.extname(file)] ?? 'js'
}

function bundleProblem(message: Message): BundleProblem {
  const location = message.location
  if (!location?.file || location.file.startsWith(`${entryNamespace}:`)) return {message: message.text}
  return {message: message.text, place: {file: location.file, line: location.line, column: location.column + 1}}
}

let runtimeBuild: Promise<string> | undefined

/**
 * The table runtime as a JavaScript file: the compiled CLI's dist/tables-runtime.mjs; when running from
 * TypeScript sources (tests), runtime.ts bundled once into the system's temporary folder, named by a hash of the
 * sources so concurrent test processes share it safely.
 */
export function tableRuntime(): Promise<string> {
  runtimeBuild ??= locateRuntime()
  return runtimeBuild
}

async function locateRuntime(): Promise<string> {
  const here = path.dirname(fileURLToPath(import.meta.url))
  const source = path.join(here, 'runtime.ts')
  if (existsSync(source)) return buildRuntime(source)
  for (let folder = here; ; folder = path.dirname(folder)) {
    const compiled = path.join(folder, 'dist/tables-runtime.mjs')
    if (isOurPackage(folder) && existsSync(compiled)) return compiled
    if (path.dirname(folder) === folder) break
  }
  throw new EnvironmentError(`The table runtime (dist/tables-runtime.mjs) is missing from the manuscript-pipeline package near ${here}; run \`npm run compile\`.`)
}

async function buildRuntime(source: string): Promise<string> {
  const folder = path.dirname(source)
  const hash = createHash('sha256')
  for (const name of readdirSync(folder).sort()) hash.update(name).update(readFileSync(path.join(folder, name)))
  const target = path.join(tmpdir(), `manuscript-tables-runtime-${hash.digest('hex').slice(0, 16)}.mjs`)
  if (existsSync(target)) return target
  const esbuild = await import('esbuild')
  const temporary = `${target}.${process.pid}.tmp`
  await esbuild.build({entryPoints: [source], outfile: temporary, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent'})
  renameSync(temporary, target)
  return target
}

function isOurPackage(folder: string): boolean {
  try {
    return JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).name === 'manuscript-pipeline'
  } catch {
    return false
  }
}
