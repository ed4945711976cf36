/**
 * `check`: everything unfinished or broken in a manuscript, each at its place, without formatting citations or
 * rendering anything (unless a `word-limit` asks for the words as rendered), so that it is fast enough for every
 * save and for CI.
 *
 * It reuses the build's analysis (config, parse with includes, front matter, structure, placeholders,
 * cross-references, bibliography), which reports most problems, and adds what the build only finds later or
 * elsewhere: cited keys against the bibliography, image files, and generated tables out of date with their
 * definition or data (decided from hashes; no definition is run).
 */
import path from 'node:path'
import type {VFileMessage} from 'vfile-message'
import {analyse, type StageTiming} from '../analyse.ts'
import {report, severityOf, type Severity} from '../diagnostics/report.ts'
import {imagesTransform} from '../render/assets.ts'
import {reportStaleTables} from '../tables/staleness.ts'
import {citationKeysTransform} from '../transforms/citations.ts'
import {renderedWordCount} from '../build-project.ts'
import type {WordCount} from '../render/word-count.ts'
import type {MetadataPlace} from '../transforms/front-matter.ts'
import type {VFile} from 'vfile'

export interface CheckOptions {
  root: string
  onStage?: (stage: StageTiming) => void
  /** Stops the check (a long file's parse ends at once); check then rejects with the signal's reason. */
  signal?: AbortSignal
}

/** One problem, as `--format json` prints it (exactly these keys). */
export interface Finding {
  /** Project-relative path of the file the problem is in (an included file's own path). */
  file: string
  line: number
  /** 1-based column of the first character. */
  column: number
  /** Where the problem ends (the start again when only a point is known). */
  endLine: number
  endColumn: number
  rule: string
  severity: Severity
  message: string
}

export interface CheckResult {
  /** Sorted by file, then place. */
  findings: Finding[]
  /** The same problems as vfile messages, for the reporter. */
  messages: VFileMessage[]
  counts: Record<Severity, number>
  entry: string
  /** Project-relative paths of the Markdown files read (the entry and everything it includes). */
  sources: string[]
}

export async function check(options: CheckOptions): Promise<CheckResult> {
  const {files, config, entry, file, tree, frontMatter, bibliography, cache, stages, configPlaces} = await analyse(options)
  imagesTransform(tree, file, {files, assetUrl: '', cacheDir: '', outputDir: config.outputDir, cache, verifyOnly: true})
  if (config.wordLimit === undefined) {
    citationKeysTransform(tree, file, {items: bibliography.items, itemsById: bibliography.byId, bibliographyFile: bibliography.paths[0], nocite: frontMatter.nocite})
  } else {
    // Words are counted with the citations as the reader sees them: formatting them reports the keys as well.
    reportWordLimit(file, renderedWordCount({file, tree, frontMatter, bibliography, cache, config}), config.wordLimit, configPlaces['word-limit'])
  }
  reportStaleTables(files, file)
  stages.done('check')

  const findings = file.messages.map((message) => toFinding(message, files.root)).sort(compareFindings)
  const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0}
  for (const finding of findings) counts[finding.severity]++
  const sources = files.graph.files().filter((name) => name.endsWith('.md'))
  return {findings, messages: file.messages, counts, entry, sources}
}

/** The body (text and notes) over the config's `word-limit`: a warning at the setting. */
function reportWordLimit(file: VFile, wordCount: WordCount, limit: number, place: MetadataPlace | undefined): void {
  const body = wordCount.words.body
  if (body <= limit) return
  const number = (count: number) => count.toLocaleString('en-US')
  report(
    file,
    undefined,
    `The body has ${number(body)} words (text and notes, as Word counts them), ${number(body - limit)} over the word limit of ${number(limit)}: shorten it, or raise \`word-limit\`. \`manuscript count\` shows the words per section.`,
    'word-limit',
    'warning',
    {sourceFile: place?.sourceFile, place: place && {line: place.line, column: place.column}}
  )
}

/** True when CI should fail: any error or warning (info never fails). */
export function hasProblems(result: Pick<CheckResult, 'counts'>): boolean {
  return result.counts.error + result.counts.warning > 0
}

function toFinding(message: VFileMessage, root: string): Finding {
  const place = message.place
  const start = place && 'start' in place ? place.start : place
  const end = place && 'end' in place ? place.end : start
  const line = start?.line ?? message.line ?? 1
  const column = start?.column ?? message.column ?? 1
  const written = String(message.file ?? '')
  const file = path.isAbsolute(written) ? path.relative(root, written).split(path.sep).join('/') : written
  return {
    file,
    line,
    column,
    endLine: end?.line ?? line,
    endColumn: end?.column ?? column,
    rule: message.ruleId ?? 'unknown',
    severity: severityOf(message),
    message: message.reason
  }
}

const severityOrder: Record<Severity, number> = {error: 0, warning: 1, info: 2}

function compareFindings(a: Finding, b: Finding): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || severityOrder[a.severity] - severityOrder[b.severity] || a.rule.localeCompare(b.rule)
}
