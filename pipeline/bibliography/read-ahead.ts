/**
 * The bibliography files a manuscript most likely uses, known before it is parsed, so that a citeproc worker
 * (citeproc-worker-host.ts) reads them while the main thread parses: those the front matter at the top of the entry
 * names under `bibliography:`, else the config's, else the single `.bib` beside the entry (analyse.ts's rule). Only
 * a guess: which files the build uses is decided after the parse, and a text read ahead is used only when the build
 * reads the same text.
 */
import {readYaml} from '../config/yaml.ts'

/** `bibliography:` of the YAML block that opens `source`, or undefined when there is none (or it does not read). */
export function bibliographyNamedAtTop(source: string): string[] | undefined {
  const block = /^---[ \t]*\r?\n([^]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(source)?.[1]
  if (!block || !/^bibliography\s*:/m.test(block)) return undefined
  try {
    const named = (readYaml(block).data as Record<string, unknown> | undefined)?.bibliography
    if (typeof named === 'string') return [named]
    if (Array.isArray(named) && named.every((path) => typeof path === 'string')) return named
  } catch {
    // The build reports it where it reads the front matter.
  }
  return undefined
}
