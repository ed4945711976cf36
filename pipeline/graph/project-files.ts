/**
 * The one function through which the build reads any file: it resolves the path inside the project, reads it,
 * and records the dependency edge (importer -> file) and the content hash in the graph, so watch mode can never
 * miss an input.
 */
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync, statSync} from 'node:fs'
import path from 'node:path'
import {DependencyGraph} from './dependency-graph.ts'
import {writeAtomically} from './write-atomically.ts'

/** Who reads: a project-relative file path, or a pseudo-importer such as `<config>` or `<build>`. */
export type Importer = string

export class ProjectFiles {
  readonly root: string
  readonly graph: DependencyGraph
  private readonly texts = new Map<string, string>()

  constructor(root: string, graph = new DependencyGraph()) {
    this.root = path.resolve(root)
    this.graph = graph
  }

  /** Project-relative path (forward slashes) of an absolute or root-relative path. */
  relative(file: string): string {
    return path.relative(this.root, path.resolve(this.root, file)).split(path.sep).join('/')
  }

  absolute(file: string): string {
    return path.resolve(this.root, file)
  }

  /** Is there a regular file at `file`? Records a missing path so that its appearance triggers a rebuild. */
  isFile(file: string, importer: Importer): boolean {
    const relative = this.relative(file)
    try {
      if (statSync(this.absolute(relative)).isFile()) return true
    } catch {
      // not there
    }
    this.graph.missing.add(relative)
    this.graph.addEdge(importer, relative)
    return false
  }

  readBytes(file: string, importer: Importer): Buffer {
    const relative = this.relative(file)
    this.graph.addEdge(importer, relative)
    let bytes: Buffer
    try {
      bytes = readFileSync(this.absolute(relative))
    } catch (error) {
      this.graph.missing.add(relative)
      throw error
    }
    this.graph.missing.delete(relative)
    this.graph.hashes.set(relative, createHash('sha256').update(bytes).digest('hex'))
    return bytes
  }

  /** A file's text; read once per build, so every stage sees the same content. */
  readText(file: string, importer: Importer): string {
    const relative = this.relative(file)
    const cached = this.texts.get(relative)
    if (cached !== undefined) {
      this.graph.addEdge(importer, relative)
      return cached
    }
    const text = this.readBytes(relative, importer).toString('utf8')
    this.texts.set(relative, text)
    return text
  }

  /** Files directly in `folder` whose names end with `extension`, sorted; the folder listing is an input too. */
  listFolder(folder: string, extension: string, importer: Importer): string[] {
    const relative = this.relative(folder)
    this.graph.addEdge(importer, `${relative}/`)
    try {
      return readdirSync(this.absolute(relative))
        .filter((name) => name.endsWith(extension))
        .sort()
        .map((name) => (relative ? `${relative}/${name}` : name))
        .filter((candidate) => statSync(this.absolute(candidate)).isFile())
    } catch {
      return []
    }
  }

  /**
   * Write a generated file of the project (a table made from data) atomically. Later stages of the same build
   * read the new text, and its hash is what the graph holds.
   */
  writeText(file: string, text: string): void {
    const relative = this.relative(file)
    writeAtomically(this.absolute(relative), text)
    this.texts.set(relative, text)
    this.graph.missing.delete(relative)
    this.graph.hashes.set(relative, createHash('sha256').update(text).digest('hex'))
  }
}
