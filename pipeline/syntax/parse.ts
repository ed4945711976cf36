/**
 * Parse one Markdown file of the project into mdast, stamping every node with the file it came from, so that a
 * node keeps its own file's path and positions after includes splice it into another tree.
 */
import {createHash} from 'node:crypto'
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {walk} from './walk.ts'
import {remarkPandoc} from './index.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import {reparseEdited} from './reparse.ts'
import './types.ts'

const parser = unified().use(remarkParse).use(remarkPandoc).freeze()

/**
 * Parsed trees kept in memory for the life of the process, one per source file (the tree of its latest text), so
 * that a watch session re-parses only the file that changed. Off unless `keepParsedTrees(true)`: a one-off build
 * parses each file once and would only pay for the copies.
 */
let memory: Map<string, {hash: string; source: string; tree: Root}> | undefined
/** Source files parsed (not found in memory or on disk) since `takeParsedFiles` was last called. */
const parsedFiles = new Set<string>()

export function keepParsedTrees(keep: boolean): void {
  memory = keep ? (memory ?? new Map()) : undefined
  if (!keep) flushPendingWrites()
  parsedFiles.clear()
}

/** The source files really parsed since the last call (watch mode reports them); clears the list. */
export function takeParsedFiles(): string[] {
  const files = [...parsedFiles]
  parsedFiles.clear()
  return files
}

/**
 * With a cache, a file whose text was parsed by an earlier process is read back instead of parsed again; in a watch
 * session (`keepParsedTrees`), one parsed earlier in this process is copied from memory. Callers transform the tree
 * they get, so the kept tree is never handed out itself.
 */
export function parseMarkdown(source: string, sourceFile: string, cache?: DerivedCache): Root {
  const remembered = cache && memory ? memory : undefined
  const memoryKey = remembered ? createHash('sha256').update(source).digest('hex') : ''
  const kept = remembered?.get(sourceFile)
  if (kept && kept.hash === memoryKey) return cloneTree(kept.tree)

  const slot = DerivedCache.slot('mdast', sourceFile)
  const key = cache?.hash(source) ?? ''
  // In a watch session, an edited file is re-parsed around the change only; its disk cache is written when the
  // session ends (writing a long manuscript's tree on every save would cost more than parsing the change).
  let tree = kept ? reparseEdited(kept, source, (text) => parseText(text, sourceFile)) : undefined
  let deferWrite = tree !== undefined
  if (tree) {
    parsedFiles.add(sourceFile)
  } else {
    tree = cache?.read<Root>(slot, key)
    if (!tree) {
      tree = parseText(source, sourceFile)
      if (remembered) parsedFiles.add(sourceFile)
      if (remembered && kept) deferWrite = true
      else cache?.write(slot, key, tree)
    }
  }
  if (remembered) {
    // The caller transforms the tree it gets: memory and the pending write keep an untouched copy.
    const stored = cloneTree(tree)
    remembered.set(sourceFile, {hash: memoryKey, source, tree: stored})
    if (deferWrite) pendingWrites.set(slot, {cache: cache!, key, tree: stored})
  }
  return tree
}

/** Trees parsed in a watch session and not yet written to the disk cache, by slot. */
const pendingWrites = new Map<string, {cache: DerivedCache; key: string; tree: Root}>()

function flushPendingWrites(): void {
  for (const [slot, {cache, key, tree}] of pendingWrites) cache.write(slot, key, tree)
  pendingWrites.clear()
}

/** The tree of a text, every node stamped with the file it came from (no cache, no memory). */
export function parseText(source: string, sourceFile: string): Root {
  const tree = parser.parse(source) as Root
  walk(tree, (node) => {
    node.data = {...node.data, sourceFile}
  })
  return tree
}

/** A deep copy of a tree. mdast is plain data (the disk cache stores it as JSON), which this copies several times faster than structuredClone. */
function cloneTree<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value
  if (Array.isArray(value)) return value.map(cloneTree) as T
  const copy: Record<string, unknown> = {}
  for (const key in value) copy[key] = cloneTree((value as Record<string, unknown>)[key])
  return copy as T
}
