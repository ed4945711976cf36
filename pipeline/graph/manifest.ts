/**
 * `build/manifest.json`: what a build was made from and what it made, so that anyone can tell whether two builds
 * should be identical and, if they are not, why. Every input the build read (the dependency graph's files, with
 * the SHA-256 of the content read), every output written (with its SHA-256), and the versions of the tool, Node.js,
 * the browser that printed the PDF and the libraries that shape the output. It holds no time and no absolute
 * path, so the same inputs built anywhere give the same manifest.
 */
import {createHash} from 'node:crypto'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {DependencyGraph} from './dependency-graph.ts'
import {toolBuildId} from './derived-cache.ts'

export const manifestName = 'manifest.json'

/** Libraries whose version can change the bytes of the HTML or PDF. */
const outputLibraries = [
  'unified',
  'remark-parse',
  'micromark',
  'mdast-util-to-hast',
  'hast-util-to-html',
  'katex',
  'citeproc',
  '@citation-js/core',
  '@citation-js/plugin-bibtex',
  '@citation-js/plugin-csl',
  'js-yaml',
  'hyphen',
  'papaparse',
  'esbuild',
  'puppeteer-core',
  '@fontsource/source-serif-4',
  '@fontsource/source-sans-3',
  'docx',
  '@resvg/resvg-js'
]

export interface ManifestFile {
  /** Project-relative, forward slashes (`../` for a file in an allowed folder outside the project). */
  path: string
  sha256: string
}

export interface Manifest {
  tool: {name: string; version: string; build?: string}
  node: string
  /** The browser that printed the PDF (`HeadlessChrome/147.0.7727.0`); absent when no PDF was made. */
  browser?: string
  libraries: Record<string, string>
  /** The date written into the PDF and where it came from; absent when no PDF was made. */
  pdfDate?: {date: string; from: string}
  inputs: ManifestFile[]
  outputs: ManifestFile[]
}

export interface ManifestOptions {
  graph: DependencyGraph
  /** How a graph path is written in the manifest (ProjectFiles.portablePath); default: as it is. */
  portablePath?: (file: string) => string
  outputs: ManifestFile[]
  browser?: string
  pdfDate?: {date: Date; from: string}
}

export function createManifest(options: ManifestOptions): Manifest {
  const {tool, libraries} = versions()
  const portable = options.portablePath ?? ((file: string) => file)
  const inputs = options.graph
    .files()
    .map((file) => ({path: portable(file), sha256: options.graph.hashes.get(file)!}))
    .sort((left, right) => compare(left.path, right.path))
  const outputs = [...options.outputs].sort((left, right) => compare(left.path, right.path))
  return {
    tool,
    node: process.versions.node,
    ...(options.browser ? {browser: options.browser} : {}),
    libraries,
    ...(options.pdfDate ? {pdfDate: {date: options.pdfDate.date.toISOString(), from: options.pdfDate.from}} : {}),
    inputs,
    outputs
  }
}

/** The manifest as written to `build/manifest.json` (through ProjectFiles.writeOutput, like every output). */
export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`
}

export function sha256(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex')
}

export function fileSha256(file: string): string {
  return sha256(readFileSync(file))
}

/** Code-point order, the same in every locale. */
function compare(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0
}

let cachedVersions: {tool: Manifest['tool']; libraries: Record<string, string>} | undefined

/** The tool's version (and build id when compiled) and the installed libraries', read once per process. */
function versions(): {tool: Manifest['tool']; libraries: Record<string, string>} {
  if (cachedVersions) return cachedVersions
  const root = packageRoot()
  const read = (file: string): {name?: string; version?: string} | undefined => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as {name?: string; version?: string}
    } catch {
      return undefined
    }
  }
  const own = root ? read(path.join(root, 'package.json')) : undefined
  const libraries: Record<string, string> = {}
  for (const name of outputLibraries) {
    const version = root ? read(path.join(root, 'node_modules', name, 'package.json'))?.version : undefined
    libraries[name] = version ?? 'unknown'
  }
  cachedVersions = {
    tool: {name: 'manuscript-pipeline', version: own?.version ?? 'unknown', ...(toolBuildId ? {build: toolBuildId} : {})},
    libraries
  }
  return cachedVersions
}

/** The installed package's folder: the nearest one up from this module (or its bundle) with our package.json. */
function packageRoot(): string | undefined {
  for (let folder = path.dirname(fileURLToPath(import.meta.url)); ; folder = path.dirname(folder)) {
    const manifest = path.join(folder, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as {name?: string}).name === 'manuscript-pipeline') return folder
      } catch {
        // not ours
      }
    }
    if (path.dirname(folder) === folder) return undefined
  }
}
