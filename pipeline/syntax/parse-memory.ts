/**
 * What parse.ts keeps of a project's parses in a session whose builds follow one another (watch mode): the tree of
 * each file's latest text, the files really parsed since the session last asked, and the trees re-parsed around an
 * edit that the disk cache has not been given yet. Owned by the project's session (../graph/project-session.ts).
 */
import type {Root} from 'mdast'
import type {DerivedCache} from '../graph/derived-cache.ts'

export class ParseMemory {
  /** The tree of each source file's latest text (one per file, so memory stays the size of the project). */
  readonly trees = new Map<string, {source: string; tree: Root}>()
  /** Source files parsed (not found in memory or on disk) since `takeParsedFiles` was last called. */
  readonly parsedFiles = new Set<string>()
  /** Trees re-parsed around an edit and not yet written to the disk cache, by slot (written when the session ends). */
  readonly pendingWrites = new Map<string, {cache: DerivedCache; key: string; tree: Root}>()

  /** The source files really parsed since the last call (watch mode reports them); clears the list. */
  takeParsedFiles(): string[] {
    const files = [...this.parsedFiles]
    this.parsedFiles.clear()
    return files
  }

  /** Writes the pending trees to the disk cache and forgets every tree (the session ends). */
  close(): void {
    for (const [slot, {cache, key, tree}] of this.pendingWrites) cache.write(slot, key, tree)
    this.pendingWrites.clear()
    this.trees.clear()
    this.parsedFiles.clear()
  }
}
