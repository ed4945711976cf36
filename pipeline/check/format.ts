/**
 * The machine-readable forms of check's findings: a JSON array, and GitHub Actions workflow commands that show
 * each finding as an annotation on the pull request. (The text form is the reporter's, as in `build`.)
 */
import path from 'node:path'
import type {Severity} from '../diagnostics/report.ts'
import type {Finding} from './check.ts'

export const checkFormats = ['text', 'json', 'github'] as const
export type CheckFormat = (typeof checkFormats)[number]

/** The findings as a JSON array of objects with exactly the keys of `Finding`, in that order. */
export function formatJson(findings: readonly Finding[]): string {
  const plain = findings.map(({file, line, column, endLine, endColumn, rule, severity, message}) => ({file, line, column, endLine, endColumn, rule, severity, message}))
  return JSON.stringify(plain, null, 2)
}

const commandOf: Record<Severity, string> = {error: 'error', warning: 'warning', info: 'notice'}

export interface GithubOptions {
  /** The project folder (`--root`). */
  root: string
  /** The folder paths are made relative to: the workflow's working folder, the repository's root. */
  cwd: string
}

/** `::error file=…,line=…,col=…,endLine=…,endColumn=…,title=rule::message`, one per finding. */
export function formatGithub(findings: readonly Finding[], options: GithubOptions): string[] {
  return findings.map((finding) => {
    const file = path.relative(options.cwd, path.resolve(options.root, finding.file)).split(path.sep).join('/')
    const properties = [
      `file=${escapeProperty(file)}`,
      `line=${finding.line}`,
      `col=${finding.column}`,
      `endLine=${finding.endLine}`,
      `endColumn=${finding.endColumn}`,
      `title=${escapeProperty(finding.rule)}`
    ]
    return `::${commandOf[finding.severity]} ${properties.join(',')}::${escapeData(finding.message)}`
  })
}

/** One line: the counts, and how much was checked. */
export function summaryLine(counts: Record<Severity, number>, sources: number, milliseconds: number): string {
  const time = milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`
  const checked = `checked ${sources} ${sources === 1 ? 'file' : 'files'} in ${time}`
  const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`
  if (counts.error + counts.warning + counts.info === 0) return `No problems (${checked}).`
  return `${plural(counts.error, 'error')}, ${plural(counts.warning, 'warning')}, ${counts.info} info (${checked}).`
}

// GitHub's workflow command escapes: data escapes %, CR and LF; properties also `:` and `,`.
function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A')
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C')
}
