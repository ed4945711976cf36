/** Option values more than one command takes. */
import type {OutputFormat} from '../config/config.ts'
import {UsageError} from './errors.ts'

/** `--to html,pdf`: the formats to write; undefined when the option is not given. */
export function parseFormats(value: string | undefined): OutputFormat[] | undefined {
  if (value === undefined) return undefined
  const formats = value.split(',').map((format) => format.trim().toLowerCase()).filter(Boolean)
  const unknown = formats.find((format) => format !== 'html' && format !== 'pdf')
  if (unknown || formats.length === 0) throw new UsageError(`--to takes html, pdf or html,pdf; got ${JSON.stringify(value)}.`)
  return formats as OutputFormat[]
}
