/**
 * The only place that prints. Stage lines, the build summary and diagnostics as `path:line:col`, grouped by file,
 * with colour unless NO_COLOR is set or the stream is not a terminal.
 */
import type {VFileMessage} from 'vfile-message'
import {severityOf, type Severity} from './report.ts'

export interface ReporterOptions {
  stream?: NodeJS.WritableStream & {isTTY?: boolean}
  color?: boolean
}

export interface BuildSummary {
  pages?: number
  /** Absent when the build did not count them (watch mode). */
  words?: number
  figures: number
  tables: number
  citations: number
  works: number
}

const severityOrder: Record<Severity, number> = {error: 0, warning: 1, info: 2}

export class Reporter {
  private readonly stream: NodeJS.WritableStream
  private readonly color: boolean

  constructor(options: ReporterOptions = {}) {
    const stream = options.stream ?? process.stdout
    this.stream = stream
    this.color = options.color ?? (!('NO_COLOR' in process.env) && Boolean((stream as {isTTY?: boolean}).isTTY))
  }

  line(text = ''): void {
    this.stream.write(`${text}\n`)
  }

  stage(name: string, milliseconds: number, detail = ''): void {
    this.line(`${this.paint('dim', `${name.padEnd(10)}`)} ${formatDuration(milliseconds).padStart(7)}${detail ? `  ${detail}` : ''}`)
  }

  summary(summary: BuildSummary, outputs: string[]): void {
    const parts = [
      summary.pages === undefined ? undefined : `${summary.pages} ${plural(summary.pages, 'page')}`,
      summary.words === undefined ? undefined : `${summary.words} words`,
      `${summary.figures} ${plural(summary.figures, 'figure')}`,
      `${summary.tables} ${plural(summary.tables, 'table')}`,
      `${summary.citations} ${plural(summary.citations, 'citation')} of ${summary.works} ${plural(summary.works, 'work')}`
    ].filter(Boolean)
    this.line(parts.join(', '))
    for (const output of outputs) this.line(`${this.paint('green', 'wrote')} ${output}`)
  }

  /** Diagnostics grouped by file, ordered by place; returns the counts. */
  messages(messages: readonly VFileMessage[], options: {includeInfo?: boolean} = {}): Record<Severity, number> {
    const counts: Record<Severity, number> = {error: 0, warning: 0, info: 0}
    const shown = [...messages].filter((message) => options.includeInfo || severityOf(message) !== 'info')
    for (const message of messages) counts[severityOf(message)]++
    shown.sort(
      (a, b) =>
        String(a.file).localeCompare(String(b.file)) ||
        (a.line ?? 0) - (b.line ?? 0) ||
        (a.column ?? 0) - (b.column ?? 0) ||
        severityOrder[severityOf(a)] - severityOrder[severityOf(b)]
    )
    for (const message of shown) {
      const severity = severityOf(message)
      const where = `${message.file ?? ''}:${message.line ?? 1}:${message.column ?? 1}`
      const color = severity === 'error' ? 'red' : severity === 'warning' ? 'yellow' : 'blue'
      this.line(`${where}  ${this.paint(color, severity)}  ${message.reason}  ${this.paint('dim', message.ruleId ?? '')}`)
    }
    return counts
  }

  counts(counts: Record<Severity, number>): void {
    const text = `${counts.error} ${plural(counts.error, 'error')}, ${counts.warning} ${plural(counts.warning, 'warning')}`
    this.line(counts.error ? this.paint('red', text) : counts.warning ? this.paint('yellow', text) : this.paint('green', text))
  }

  fail(text: string): void {
    this.line(`${this.paint('red', 'error')}  ${text}`)
  }

  private paint(color: 'red' | 'yellow' | 'green' | 'blue' | 'dim', text: string): string {
    if (!this.color || !text) return text
    const codes = {red: 31, yellow: 33, green: 32, blue: 34, dim: 2}
    return `\u001B[${codes[color]}m${text}\u001B[0m`
  }
}

export function formatDuration(milliseconds: number): string {
  return milliseconds >= 1000 ? `${(milliseconds / 1000).toFixed(2)} s` : `${Math.round(milliseconds)} ms`
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}
