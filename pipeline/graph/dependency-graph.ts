/**
 * The two-way dependency graph of a build (as Vite's module graph): for every file, whom it reads and who reads it,
 * with a content hash. Paths are project-relative with forward slashes. Watch mode uses it to know what a change
 * touches; the manifest uses the hashes.
 */
export class DependencyGraph {
  /** importer -> files it read */
  readonly imports = new Map<string, Set<string>>()
  /** file -> files that read it */
  readonly importers = new Map<string, Set<string>>()
  /** file -> sha256 of the content last read; absent for files looked for but missing */
  readonly hashes = new Map<string, string>()
  /** paths that were looked for and not found: a file appearing there must trigger a rebuild */
  readonly missing = new Set<string>()

  addEdge(importer: string, imported: string): void {
    link(this.imports, importer, imported)
    link(this.importers, imported, importer)
  }

  importsOf(path: string): string[] {
    return [...(this.imports.get(path) ?? [])]
  }

  importersOf(path: string): string[] {
    return [...(this.importers.get(path) ?? [])]
  }

  /** Every file the build read, sorted. */
  files(): string[] {
    return [...this.hashes.keys()].sort()
  }
}

function link(map: Map<string, Set<string>>, from: string, to: string): void {
  let set = map.get(from)
  if (!set) map.set(from, (set = new Set()))
  set.add(to)
}
