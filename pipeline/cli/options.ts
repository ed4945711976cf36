/** Option values more than one command takes. */
import path from 'node:path'
import type {OutputFormat} from '../config/config.ts'
import {isProfileName, profileNames, type ProfileName} from '../config/profiles.ts'
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

export const profileUsage = `The set of output options to build with: ${profileNames.join(', ')} (default: the config's
                    \`profile\`, else default). \`submission\`: double-spaced, 12 pt, line-numbered, figures and tables
                    after the references; written to build/<name>-submission.pdf (.html, .docx)`

/** `--profile NAME`: one of the profiles of config/profiles.ts; undefined when the option is not given. */
export function parseProfile(value: string | undefined): ProfileName | undefined {
  if (value === undefined) return undefined
  const name = value.trim().toLowerCase()
  if (!isProfileName(name)) throw new UsageError(`--profile takes ${profileNames.join(' or ')}; got ${JSON.stringify(value)}.`)
  return name
}
