/**
 * Parse one Markdown file of the project into mdast, stamping every node with the file it came from, so that a
 * node keeps its own file's path and positions after includes splice it into another tree.
 */
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {remarkPandoc} from './index.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import './types.ts'

const parser = unified().use(remarkParse).use(remarkPandoc).freeze()

/** With a cache, a file whose text was parsed by an earlier process is read back instead of parsed again. */
export function parseMarkdown(source: string, sourceFile: string, cache?: DerivedCache): Root {
  const slot = DerivedCache.slot('mdast', sourceFile)
  const key = cache?.hash(source) ?? ''
  const cached = cache?.read<Root>(slot, key)
  if (cached) return cached
  const tree = parser.parse(source) as Root
  visit(tree, (node) => {
    node.data = {...node.data, sourceFile}
  })
  cache?.write(slot, key, tree)
  return tree
}
