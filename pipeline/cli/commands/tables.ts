/**
 * `manuscript tables`: regenerate the tables in tables/ and the figures in figures/ whose definition or data
 * changed, and say what was done.
 */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {formatDuration} from '../../diagnostics/reporter.ts'
import type {TableOutcome} from '../../tables/regenerate.ts'
import {isFigureDefinition, outputNoun} from '../../tables/staleness.ts'
import type {Command} from '../command.ts'
import {untilStopped} from '../stop.ts'

export const tablesCommand: Command = {
  summary: 'Regenerate the tables in tables/ and figures in figures/ whose definition (tables/<name>.ts, figures/<name>.ts) or data changed',
  usage: `  --root DIR        The manuscript project folder (default: the current folder)
  --force           Regenerate every table and figure, changed or not`,
  async run(argv, reporter, signal) {
    const {values} = parseArgs({args: argv, options: {root: {type: 'string'}, force: {type: 'boolean'}}})
    const {regenerateTables, summarize} = await import('../../tables/regenerate.ts')
    // Definitions run in workers, which end with the process: a stop does not wait for them.
    const result = await untilStopped(regenerateTables({root: path.resolve(values.root ?? '.'), force: values.force}), signal)
    if (result.outcomes.length === 0) {
      reporter.line('No table definitions in tables/ and no figure definitions in figures/ (a table is made by tables/<name>.ts, a figure by figures/<name>.ts; see the README): nothing to do.')
      return 0
    }
    const width = Math.max(...result.outcomes.map((outcome) => outcome.table.length))
    for (const outcome of result.outcomes) reporter.line(`${outcome.table.padEnd(width)}  ${describe(outcome)}`)
    const counts = reporter.messages(result.messages)
    reporter.line(`${countText(result.outcomes)}: ${summarize(result.outcomes)} in ${formatDuration(result.milliseconds)}`)
    reporter.counts(counts)
    return counts.error > 0 ? 1 : 0
  }
}

/** `8 tables`, `5 figures`, `8 tables and 5 figures`. */
function countText(outcomes: TableOutcome[]): string {
  const figures = outcomes.filter((outcome) => isFigureDefinition(outcome.definition)).length
  const tables = outcomes.length - figures
  const plural = (count: number, noun: string) => `${count} ${noun}${count === 1 ? '' : 's'}`
  return [tables ? plural(tables, 'table') : '', figures ? plural(figures, 'figure') : ''].filter(Boolean).join(' and ')
}

function describe(outcome: TableOutcome): string {
  const time = formatDuration(outcome.milliseconds)
  switch (outcome.status) {
    case 'up-to-date':
      return 'up to date'
    case 'regenerated':
      return `regenerated (${outcome.reason}) ${time}`
    case 'unchanged':
      return `regenerated, no change (${outcome.reason}) ${time}`
    case 'failed':
      return `failed (see below); the previous ${outputNoun(outcome.definition)} is kept`
  }
}
