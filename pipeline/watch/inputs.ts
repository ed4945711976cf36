/**
 * What a watch session watches, read from the last build's dependency graph: every file the build read (with the
 * hash it read), every path it looked for and did not find, and every folder it listed. A file-system event counts
 * as a change only if it makes the project differ from what that build saw, so the build's own writes (generated
 * tables) and saves that change nothing never cause a rebuild.
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import type {DependencyGraph} from '../graph/dependency-graph.ts'

export interface WatchInputs {
  /** Project-relative path → sha256 of the content the build read. */
  files: Map<string, string>
  /** Project-relative paths looked for and not found. */
  missing: Set<string>
  /** Project-relative folders whose listing the build read (`''` is the project root). */
  folders: Set<string>
}

export function watchInputsOf(graph: DependencyGraph): WatchInputs {
  const folders = new Set<string>()
  for (const imported of graph.importers.keys()) {
    if (imported.endsWith('/')) folders.add(imported === '/' ? '' : imported.slice(0, -1))
  }
  return {files: new Map(graph.hashes), missing: new Set(graph.missing), folders}
}

/**
 * Used before any build has succeeded in reading the project (no manuscript yet): the config file and the places
 * where the build looks for the entry.
 */
export function fallbackInputs(): WatchInputs {
  return {files: new Map(), missing: new Set(['manuscript.yaml', 'manuscript.yml', 'manuscript/manuscript.md']), folders: new Set(['', 'manuscript'])}
}

/**
 * The inputs of an earlier build as the project holds them now (each file with its current hash; a file gone is
 * missing), with the places where the build looks for the entry: what a build that could not run at all (no
 * manuscript found) is taken to have seen.
 */
export function inputsAsTheyAre(root: string, inputs: WatchInputs): WatchInputs {
  const fallback = fallbackInputs()
  const files = new Map<string, string>()
  const missing = new Set([...inputs.missing, ...fallback.missing])
  for (const file of inputs.files.keys()) {
    const hash = hashOf(path.join(root, file))
    if (hash === undefined) missing.add(file)
    else files.set(file, hash)
  }
  for (const file of files.keys()) missing.delete(file)
  return {files, missing, folders: new Set([...inputs.folders, ...fallback.folders])}
}

/** Every project-relative path the inputs name, files, missing paths and folders alike. */
export function watchedPaths(inputs: WatchInputs): string[] {
  return [...inputs.files.keys(), ...inputs.missing, ...inputs.folders]
}

/**
 * The folders to watch (absolute): for each watched path, the folder it is in (a listed folder itself), or when
 * that folder does not exist (an include in a folder not made yet), its nearest existing ancestor. Watching folders
 * rather than files is what lets a session see a file deleted and created again, renamed away and back, or
 * replaced by an editor's rename-save: a watch on the file itself ends with the file.
 */
export function foldersToWatch(root: string, inputs: WatchInputs): string[] {
  const folders = new Set<string>()
  const add = (start: string) => {
    let folder = path.resolve(root, start)
    while (!isFolder(folder)) {
      const parent = path.dirname(folder)
      if (parent === folder) return
      folder = parent
    }
    folders.add(folder)
  }
  for (const file of [...inputs.files.keys(), ...inputs.missing]) add(path.dirname(file))
  for (const folder of inputs.folders) add(folder)
  return [...folders].sort()
}

export type ChangeKind = 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir'

export interface FileEvent {
  kind: ChangeKind
  /** Project-relative, forward slashes. */
  path: string
}

/**
 * Does this event make the project differ from what the build that produced `inputs` read? Content is compared by
 * hash, so a build's own output and an editor's save of unchanged text are not changes.
 */
export function isRealChange(root: string, inputs: WatchInputs, event: FileEvent): boolean {
  const relative = event.path
  const recorded = inputs.files.get(relative)
  if (recorded !== undefined) return hashOf(path.join(root, relative)) !== recorded
  if (inputs.missing.has(relative)) return isFile(path.join(root, relative))
  if (event.kind === 'addDir' || event.kind === 'unlinkDir') {
    // A folder appearing on the way to a missing path, or going away with inputs in it.
    return watchedPaths(inputs).some((watched) => watched === relative || watched.startsWith(`${relative}/`))
  }
  // Any other file: it counts when it changes the listing of a folder the build listed.
  const folder = path.posix.dirname(relative)
  return (event.kind === 'add' || event.kind === 'unlink') && inputs.folders.has(folder === '.' ? '' : folder) && !isTemporaryName(path.posix.basename(relative))
}

/**
 * Files that editors and the pipeline itself create for a moment while saving (`.name.tmp`, `name~`, `.name.swp`,
 * vim's `4913`): a listed folder does not change when one comes and goes.
 */
export function isTemporaryName(name: string): boolean {
  return name.startsWith('.') || name.endsWith('~') || /\.(tmp|swp|swx|swo)$/i.test(name) || /^\d+$/.test(name) || name.startsWith('#')
}

/** sha256 of a file's bytes, as ProjectFiles records it; undefined when it cannot be read. */
export function hashOf(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex')
  } catch {
    return undefined
  }
}

function isFile(file: string): boolean {
  return statSync(file, {throwIfNoEntry: false})?.isFile() ?? false
}

function isFolder(folder: string): boolean {
  return statSync(folder, {throwIfNoEntry: false})?.isDirectory() ?? false
}
