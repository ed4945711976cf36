/** `manuscript count`: the words of the manuscript as a journal counts them, per part and per top-level section. */
import path from 'node:path'
import {parseArgs} from 'node:util'
import type {WordCount, WordCountPart} from '../../render/word-count.ts'
import type {Command} from '../command.ts'
import {UsageError} from '../errors.ts'

const formats = ['text', 'json'] as const

export const countCommand: Command = {
  summary: 'Count the words (body with notes, abstract, captions, tables, references) as Word counts them',
  usage: `  --root DIR        The manuscript project folder (default: the current folder)
  --format FORMAT   text (default) or json`,
  async run(argv, reporter, signal) {
    const {values} = parseArgs({args: argv, options: {root: {type: 'string'}, format: {type: 'string'}}})
    const format = (values.format ?? 'text').trim().toLowerCase()
    if (!(formats as readonly string[]).includes(format)) throw new UsageError(`--format takes ${formats.join(' or ')}; got ${JSON.stringify(values.format)}.`)
    const root = path.resolve(values.root ?? '.')
    const [{analyse}, {renderedWordCount}] = await Promise.all([import('../../analyse.ts'), import('../../build-project.ts')])
    const analysis = await analyse({root, signal})
    const wordCount = renderedWordCount(analysis, analysis.file)
    // Only what stops the count is shown; `check` lists the rest.
    const errors = analysis.file.messages.filter((message) => message.fatal === true)
    if (errors.length > 0) {
      reporter.messages(errors)
      return 1
    }
    reporter.line(format === 'json' ? JSON.stringify(wordCount, null, 2) : countTable(wordCount))
    return 0
  }
}

const columns: [WordCountPart, string][] = [
  ['body', 'body'],
  ['notes', 'of which notes'],
  ['captions', 'captions'],
  ['tables', 'tables'],
  ['references', 'references']
]

/** Sections, one row each, then the parts and the total. */
export function countTable(count: WordCount): string {
  const number = (value: number) => value.toLocaleString('en-US')
  const names = count.sections.map((section) => section.title || '(before the first heading)')
  const nameWidth = Math.max(20, ...names.map((name) => name.length))
  const widths = columns.map(([part, label]) => Math.max(label.length, ...count.sections.map((section) => number(section.words[part]).length), number(count.words[part]).length))
  const row = (name: string, cells: string[]) => [name.padEnd(nameWidth), ...cells.map((cell, index) => cell.padStart(widths[index]))].join('  ').trimEnd()
  const lines = [row('Section', columns.map(([, label]) => label))]
  count.sections.forEach((section, index) => lines.push(row(names[index], columns.map(([part]) => number(section.words[part])))))
  lines.push(row('All sections', columns.map(([part]) => number(count.words[part]))))
  lines.push('')
  const parts: [string, number][] = [
    ['Body (text and notes)', count.words.body],
    ['Abstract', count.words.abstract],
    ['Captions', count.words.captions],
    ['Tables', count.words.tables],
    ['References', count.words.references],
    ['Total', count.total]
  ]
  const partWidth = Math.max(...parts.map(([, value]) => number(value).length))
  for (const [label, value] of parts) lines.push(`${label.padEnd(nameWidth)}  ${number(value).padStart(partWidth)}`)
  lines.push('', 'A word is a run of characters between spaces, as in Word; citations are counted as printed, an equation as one word.')
  return lines.join('\n')
}
