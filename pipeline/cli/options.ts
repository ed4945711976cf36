/** Option values more than one command takes. */
import path from 'node:path'
import type {OutputFormat} from '../config/config.ts'
import {UsageError} from './errors.ts'

/** `--to html,pdf,docx`: the formats to write; undefined when the option is not given. */
export function parseFormats(value: string | undefined): OutputFormat[] | undefined {
  if (value === undefined) return undefined
  const formats = value.split(',').map((format) => format.trim().toLowerCase()).filter(Boolean)
  const unknown = formats.find((format) => format !== 'html' && format !== 'pdf' && format !== 'docx')
  if (unknown || formats.length === 0) throw new UsageError(`--to takes html, pdf, docx or a list of them such as html,pdf,docx; got ${JSON.stringify(value)}.`)
  return formats as OutputFormat[]
}

export const browserUsage = `  --browser PATH    The Chrome or Chromium to print the PDF with: a path or a command on PATH
                    (default: MANUSCRIPT_BROWSER, else the system's, else the one npm installed)`

/**
 * `--browser PATH`: the browser is the user's choice, never the project's. A path is taken from the folder the command
 * runs in (as the shell would), a name without a slash is looked up on PATH.
 */
export function parseBrowser(value: string | undefined): string | undefined {
  if (value === undefined) return undefined
  if (!value.trim()) throw new UsageError('--browser takes the path of a Chrome or Chromium executable, or a command name such as `chromium`.')
  return /[/\\]/.test(value) ? path.resolve(value) : value.trim()
}
