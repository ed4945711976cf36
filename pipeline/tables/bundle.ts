/**
 * Bundles table definitions with esbuild, each into a single ES module that the sandbox (sandbox.ts) evaluates: an
 * entry that hands the definition to the harness, the definition and the project files it imports.
 * `manuscript-pipeline/tables` stays an import, which the sandbox alone resolves (so a project needs no
 * node_modules of its own). Node's modules are refused where they are imported: nothing of Node exists in the
 * sandbox. Project files are read through ProjectFiles, so they are recorded in the dependency graph with their
 * hashes.
 */
import {builtinModules} from 'node:module'
import path from 'node:path'
import type {BuildFailure, Loader, Message, Plugin} from 'esbuild'
import type {ProjectFiles} from '../graph/project-files.ts'
import {apiSpecifier, type SourcePlace} from './model.ts'
import {isFigureDefinition} from './staleness.ts'

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
      // The sandbox is no Node: packages resolve as for any JavaScript engine, Node's modules are refused below.
      platform: 'neutral',
      mainFields: ['module', 'main'],
      target: 'es2023',
      sourcemap: 'external',
      sourcesContent: false,
      logLevel: 'silent',
      plugins: [projectFilesPlugin(files, projectInputs)]
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

// Node's module names are plain letters, `_` and `/`.
const nodeModules = new RegExp(`^(?:node:.*|${builtinModules.join('|')})$`)

/** Makes each definition's entry, keeps our API for the sandbox, refuses Node's modules, loads project files via ProjectFiles. */
function projectFilesPlugin(files: ProjectFiles, inputs: Set<string>): Plugin {
  return {
    name: 'manuscript-tables',
    setup(build) {
      build.onResolve({filter: /^table-entry:/}, (args) => ({path: args.path.slice(entryNamespace.length + 1), namespace: entryNamespace}))
      build.onLoad({filter: /.*/, namespace: entryNamespace}, (args) => {
        const harness = isFigureDefinition(args.path) ? 'figureHarness' : 'tableHarness'
        return {
          contents: `import {${harness}} from ${JSON.stringify(apiSpecifier)}\nexport default ${harness}(() => import(${JSON.stringify(`./${args.path}`)}))\n`,
          resolveDir: files.root,
          loader: 'js'
        }
      })
      // One runtime module serves tables and figures alike (one DataTable class, one set of helpers).
      build.onResolve({filter: /^manuscript-pipeline\/(?:tables|figures)$/}, () => ({path: apiSpecifier, external: true}))
      build.onResolve({filter: /^(?:node:)?fs(?:\/promises)?$/}, () => ({
        errors: [{text: 'A table definition reads its data through `data` in defineTable (so the table is regenerated when the data changes), not through the file system.'}]
      }))
      build.onResolve({filter: nodeModules}, (args) => ({
        errors: [{text: `A table definition cannot import "${args.path}": it runs in a sandbox without Node's modules, files, network or processes, and computes only on the data named in \`data\`.`}]
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
