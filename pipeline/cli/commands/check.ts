/** `manuscript check`: everything unfinished or broken, at its `file:line:col`, without building. */
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {parseArgs} from 'node:util'
import {checkFormats, formatGithub, formatJson, summaryLine, type CheckFormat} from '../../check/format.ts'
import type {Command} from '../command.ts'
import {UsageError} from '../errors.ts'

export const checkCommand: Command = {
  summary: 'List placeholders (XXX, TODO, {notes}) and broken references, citations and files; exit 1 if any',
  usage: `  --root DIR        The manuscript project folder (default: the current folder)
  --format FORMAT   text (default), json (an array on stdout) or github (workflow annotations)`,
  async run(argv, reporter, signal) {
    const started = performance.now()
    const {values} = parseArgs({args: argv, options: {root: {type: 'string'}, format: {type: 'string'}}})
    const format = parseFormat(values.format)
    const root = path.resolve(values.root ?? '.')
    // The analysis modules load on first use (see build.ts), as for every command.
    const {check, hasProblems} = await import('../../check/check.ts')
    const result = await check({root, signal})
    const summary = summaryLine(result.counts, result.sources.length, performance.now() - started)
    if (format === 'json') {
      reporter.line(formatJson(result.findings))
    } else if (format === 'github') {
      for (const line of formatGithub(result.findings, {root, cwd: process.cwd()})) reporter.line(line)
      reporter.line(summary)
    } else {
      reporter.messages(result.messages, {includeInfo: true})
      reporter.line(summary)
    }
    return hasProblems(result) ? 1 : 0
  }
}

function parseFormat(value: string | undefined): CheckFormat {
  if (value === undefined) return 'text'
  const format = value.trim().toLowerCase()
  if (!(checkFormats as readonly string[]).includes(format)) throw new UsageError(`--format takes ${checkFormats.join(', ')}; got ${JSON.stringify(value)}.`)
  return format as CheckFormat
}
