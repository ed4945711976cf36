/**
 * Parse one Markdown file of the project into mdast, stamping every node with the file it came from, so that a
 * node keeps its own file's path and positions after includes splice it into another tree.
 */
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {walk} from './walk.ts'
import {cloneTree} from './clone-tree.ts'
import {remarkPandoc} from './index.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import type {ParsePool} from './parse-pool.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {reparseEdited, type ParseText} from './reparse.ts'
import './types.ts'

const parser = unified().use(remarkParse).use(remarkPandoc).freeze()

/**
 * With a cache, a file whose text was parsed by an earlier process is read back instead of parsed again; in a session
 * that keeps builds (watch mode), one parsed earlier in the session is copied from its memory (session.parsing).
 * Callers transform the tree they get, so the kept tree is never handed out itself.
 */
export function parseMarkdown(source: string, sourceFile: string, cache?: DerivedCache, session?: ProjectSession): Root {
  const recalled = recall(source, sourceFile, cache, session, (text) => parseText(text, sourceFile))
  return recalled.tree ?? recalled.keep(parseText(source, sourceFile))
}

/**
 * parseMarkdown with its whole-text parse done by a ParsePool: in a worker when the text is long, where `signal`
 * stops it at once. A watch session's re-parse of an edited file's changed blocks stays on this thread when those
 * blocks are short enough for it, else the file is parsed whole in a worker.
 */
export async function parseMarkdownIn(pool: ParsePool, source: string, sourceFile: string, cache?: DerivedCache, signal?: AbortSignal, session?: ProjectSession): Promise<Root> {
  const recalled = recall(source, sourceFile, cache, session, (text) => (pool.parsesHere(text.length) ? parseText(text, sourceFile) : undefined))
  return recalled.tree ?? recalled.keep(await pool.parse(source, sourceFile, signal))
}

/**
 * A tree had without parsing the whole text (from memory, by re-parsing the edited blocks with `parseRegion`, or
 * from the disk cache), or else `keep`, which records the tree of a whole parse as parseMarkdown does and returns it.
 */
function recall(source: string, sourceFile: string, cache: DerivedCache | undefined, session: ProjectSession | undefined, parseRegion: ParseText): {tree: Root; keep?: undefined} | {tree?: undefined; keep(tree: Root): Root} {
  // A one-off build parses each file once: keeping copies would only cost.
  const memory = cache && session?.keepsBuilds ? session.parsing : undefined
  const remembered = memory?.trees
  // The same text (an unchanged file's is the very string read last time: FileReads keeps it) gives the same tree.
  const copy = memory?.copyOf(sourceFile, source)
  if (copy) return {tree: copy}
  const kept = remembered?.get(sourceFile)

  const slot = DerivedCache.slot('mdast', sourceFile)
  const key = cache?.hash(source) ?? ''
  const remember = (tree: Root, deferWrite: boolean): Root => {
    if (remembered) {
      // The caller transforms the tree it gets: memory and the pending write keep an untouched copy.
      const stored = cloneTree(tree)
      remembered.set(sourceFile, {source, tree: stored, edited: kept !== undefined})
      if (deferWrite) memory!.pendingWrites.set(slot, {cache: cache!, key, tree: stored})
    }
    return tree
  }
  // In a watch session, an edited file is re-parsed around the change only; its disk cache is written when the
  // session ends (writing a long manuscript's tree on every save would cost more than parsing the change).
  const reparsed = kept ? reparseEdited(kept, source, parseRegion) : undefined
  if (reparsed) {
    memory!.parsedFiles.add(sourceFile)
    return {tree: remember(reparsed, true)}
  }
  const cached = cache?.read<Root>(slot, key)
  if (cached) return {tree: remember(cached, false)}
  return {
    keep(tree) {
      memory?.parsedFiles.add(sourceFile)
      const deferWrite = Boolean(remembered && kept)
      if (!deferWrite) cache?.write(slot, key, tree)
      return remember(tree, deferWrite)
    }
  }
}

/** The tree of a text, every node stamped with the file it came from (no cache, no memory). */
export function parseText(source: string, sourceFile: string): Root {
  const tree = parser.parse(source) as Root
  walk(tree, (node) => {
    node.data = {...node.data, sourceFile}
  })
  return tree
}
