/**
 * What parse.ts keeps of a project's parses in a session whose builds follow one another (watch mode): the tree of
 * each file's latest text, the files really parsed since the session last asked, and the trees re-parsed around an
 * edit that the disk cache has not been given yet. Owned by the project's session (../graph/project-session.ts).
 */
import type {Root} from 'mdast'
import type {DerivedCache} from '../graph/derived-cache.ts'
import {cloneTree} from './clone-tree.ts'

export class ParseMemory {
  /**
   * The tree of each source file's latest text (one per file, so memory stays the size of the project), a copy of
   * it made ahead for the next build (see prepareCopies), and whether the last build found it edited.
   */
  readonly trees = new Map<string, {source: string; tree: Root; copy?: Root; edited?: boolean}>()
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

  /**
   * A copy of each kept tree, made now for the next build to take: the build transforms the tree it is given, so
   * it needs a copy, and copying a book's trees took a rebuild 5 ms before its first pass could start. Called when
   * a rebuild is done. Not of a file the last build found edited: the author is likely to save it again, and its
   * copy would be thrown away (a one-file book's 1 MB tree, on every save).
   */
  prepareCopies(): void {
    for (const kept of this.trees.values()) if (!kept.edited) kept.copy ??= cloneTree(kept.tree)
  }

  /** A copy of the file's kept tree, when its text is the one kept: the one made ahead, else one made now. */
  copyOf(sourceFile: string, source: string): Root | undefined {
    const kept = this.trees.get(sourceFile)
    if (!kept || kept.source !== source) return undefined
    const copy = kept.copy ?? cloneTree(kept.tree)
    kept.copy = undefined
    // Unchanged since: a copy is made ahead for the next build.
    kept.edited = false
    return copy
  }

  /** Writes the pending trees to the disk cache and forgets every tree (the session ends). */
  close(): void {
    for (const [slot, {cache, key, tree}] of this.pendingWrites) cache.write(slot, key, tree)
    this.pendingWrites.clear()
    this.trees.clear()
    this.parsedFiles.clear()
  }
}
