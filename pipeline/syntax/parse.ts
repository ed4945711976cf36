/**
 * Parse one Markdown file of the project into mdast, stamping every node with the file it came from, so that a
 * node keeps its own file's path and positions after includes splice it into another tree.
 */
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {remarkPandoc} from './index.ts'
import './types.ts'

const parser = unified().use(remarkParse).use(remarkPandoc).freeze()

export function parseMarkdown(source: string, sourceFile: string): Root {
  const tree = parser.parse(source) as Root
  visit(tree, (node) => {
    node.data = {...node.data, sourceFile}
  })
  return tree
}
