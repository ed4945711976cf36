/**
 * `!INCLUDE "path"`: splice the included file's Markdown in place of the directive, recursively. A path resolves
 * against the including file's folder, then the project root. Included nodes keep their own file's path and
 * positions (parseMarkdown stamps them), so every later diagnostic points into the included file. An included
 * file's YAML metadata blocks are spliced in like its text, and merged into the document's metadata later.
 */
import path from 'node:path'
import type {Root, RootContent} from 'mdast'
import type {Parent} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
import type {Include} from '../syntax/types.ts'

export interface IncludesOptions {
  files: ProjectFiles
  parse: (source: string, sourceFile: string) => Root
}

/** Candidate project-relative paths for `target` written in `fromFile`: its folder first, then the root. */
export function resolutionCandidates(target: string, fromFile: string): string[] {
  const besideIncluder = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), target))
  const fromRoot = path.posix.normalize(target)
  return besideIncluder === fromRoot ? [fromRoot] : [besideIncluder, fromRoot]
}

export function includesTransform(tree: Root, file: VFile, options: IncludesOptions): void {
  const entry = tree.children[0]?.data?.sourceFile ?? file.path
  expand(tree, [entry], file, options)
}

function expand(parent: Parent, chain: string[], file: VFile, options: IncludesOptions): void {
  const children = parent.children as RootContent[]
  for (let index = 0; index < children.length; index++) {
    const node = children[index]
    if (node.type !== 'include') {
      if ('children' in node) expand(node as Parent, chain, file, options)
      continue
    }
    const replacement = includeNode(node, chain, file, options)
    children.splice(index, 1, ...replacement)
    index += replacement.length - 1
  }
}

function includeNode(node: Include, chain: string[], file: VFile, options: IncludesOptions): RootContent[] {
  const {files} = options
  if (node.problem) {
    report(file, node, `${node.problem}.`, 'include-syntax', 'error')
    return [visibleProblem(node, 'include line not understood')]
  }
  const includer = node.data?.sourceFile ?? chain[chain.length - 1]
  const candidates = resolutionCandidates(node.path, includer)
  const location = files.locate(candidates, includer)
  if (location.refused) {
    report(file, node, `Cannot include "${node.path}": ${location.refused.message}.`, location.refused.kind, 'error')
    return [visibleProblem(node, `${location.refused.kind === 'outside-project' ? 'outside the project' : 'file too large'}: ${node.path}`)]
  }
  const found = location.found
  if (!found) {
    const folder = candidates.find((candidate) => files.isFolder(candidate))
    // A generated table whose definition failed (reported where it failed) or has not run yet.
    const definition = candidates.map((candidate) => candidate.replace(/\.md$/, '.ts')).find((candidate) => candidate.startsWith('tables/') && candidate.endsWith('.ts') && files.hasFile(candidate))
    const tried = candidates.map((candidate) => `\`${candidate}\``).join(' and ')
    const reason = folder
      ? `\`${folder}\` is a folder; include each file in it with its own !INCLUDE line`
      : /[*?[]/.test(node.path)
        ? `a pattern (${node.path}) is not expanded into files; include each file with its own !INCLUDE line`
        : definition
        ? `the table has not been made from ${definition} yet. Fix the definition's error if a build reported one, or run \`npm run tables\``
        : `no file at ${tried}. Create the file or correct the path`
    report(file, node, `Cannot include "${node.path}": ${reason}.`, 'missing-include', 'error')
    return [visibleProblem(node, `missing include: ${node.path}`)]
  }
  if (chain.includes(found)) {
    const cycle = [...chain.slice(chain.indexOf(found)), found].join(' → ')
    report(file, node, `Include cycle: ${cycle}. Remove one of these !INCLUDE lines.`, 'include-cycle', 'error')
    return [visibleProblem(node, `include cycle: ${node.path}`)]
  }
  const source = files.readText(found, includer)
  const problem = files.textProblem(found)
  if (problem?.kind === 'binary') {
    report(file, node, `Cannot include "${node.path}": ${problem.message}. Include a Markdown file instead.`, 'include-not-text', 'error')
    return [visibleProblem(node, `not a text file: ${node.path}`)]
  }
  if (problem) report(file, undefined, `${problem.message}.`, 'text-encoding', 'error', {sourceFile: found, place: {line: problem.line, column: problem.column}})
  const included = options.parse(source, found)
  // Its metadata blocks stay, in reading order: the front matter stage merges them with the entry's, as pandoc does.
  const holder: Parent = {type: 'root', children: included.children}
  expand(holder, [...chain, found], file, options)
  return holder.children as RootContent[]
}

/** A paragraph shown in the draft where the include failed, so readers of the HTML/PDF see it too. */
function visibleProblem(node: Include, text: string): RootContent {
  return {
    type: 'paragraph',
    position: node.position,
    data: {sourceFile: node.data?.sourceFile, hProperties: {className: ['build-problem']}},
    children: [{type: 'text', value: `⟨${text}⟩`, position: node.position, data: {sourceFile: node.data?.sourceFile}}]
  }
}
