/**
 * Which file is the manuscript: the config's `entry`, else manuscript/manuscript.md, else the single top-level .md in
 * manuscript/ that no other file there includes.
 */
import {readdirSync} from 'node:fs'
import {walk} from '../syntax/walk.ts'
import {UsageError} from '../cli/errors.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
import {parseMarkdown} from '../syntax/parse.ts'
import {resolutionCandidates} from '../transforms/includes.ts'

export const manuscriptFolder = 'manuscript'

export function findEntry(files: ProjectFiles, configured: string | undefined): string {
  if (configured) {
    const outside = files.refusal(configured)
    if (outside?.kind === 'outside-project') throw new UsageError(`The config names entry \`${configured}\`: ${outside.message}.`)
    // A file too large to read is still the entry: the build reports it at the file.
    if (!outside && !files.isFile(configured, '<config>')) throw new UsageError(`The config names entry \`${configured}\`, but there is no such file in ${files.root}.`)
    return files.relative(configured)
  }
  const conventional = `${manuscriptFolder}/manuscript.md`
  const refused = files.refusal(conventional)
  if (refused?.kind === 'outside-project') throw new UsageError(`The manuscript ${conventional} cannot be read: ${refused.message}.`)
  if (refused || files.isFile(conventional, '<build>')) return conventional
  let names: string[]
  try {
    names = readdirSync(files.absolute(manuscriptFolder)).filter((name) => name.endsWith('.md')).sort()
  } catch {
    throw new UsageError(`No manuscript found: ${files.root} has no ${manuscriptFolder}/ folder. Pass --root with your project folder, or name the file with \`entry:\` in manuscript.yaml.`)
  }
  // Files the build may not read (links out of the project, files too large) are not candidates.
  const candidates = names.map((name) => `${manuscriptFolder}/${name}`).filter((candidate) => files.isFile(candidate, '<build>'))
  if (candidates.length === 1) return candidates[0]
  const included = new Set<string>()
  for (const candidate of candidates) {
    walk(parseMarkdown(files.readText(candidate, '<build>'), candidate), 'include', (node) => {
      if (node.problem) return
      for (const target of resolutionCandidates(node.path, candidate)) included.add(target)
    })
  }
  const roots = candidates.filter((candidate) => !included.has(candidate))
  if (roots.length === 1) return roots[0]
  const listing = (roots.length ? roots : candidates).join(', ')
  throw new UsageError(
    roots.length === 0 && candidates.length === 0
      ? `No manuscript found: ${manuscriptFolder}/ holds no .md file.`
      : `Cannot tell which file is the manuscript (${listing}). Name it with \`entry:\` in manuscript.yaml.`
  )
}
