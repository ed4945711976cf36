/**
 * The date written into a PDF as its creation and modification date. It must not be the time of the build, or two
 * builds of the same inputs would differ: it is SOURCE_DATE_EPOCH when set (the reproducible-builds.org
 * convention, e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`), else the front matter's `date` when it names a
 * day (`2016-03-05`, `March 5, 2016`, `5 March 2016`, `November 2026`, `2016`: the first day of what it names, at
 * midnight UTC), else 1970-01-01T00:00:00Z.
 */
import {EnvironmentError} from '../cli/errors.ts'

export type PdfDateSource = 'SOURCE_DATE_EPOCH' | 'front matter date' | 'fixed'

export interface PdfDate {
  date: Date
  source: PdfDateSource
}

export function pdfDate(frontMatterDate: string | undefined, env: NodeJS.ProcessEnv = process.env): PdfDate {
  const epoch = sourceDateEpoch(env)
  if (epoch) return {date: epoch, source: 'SOURCE_DATE_EPOCH'}
  const written = frontMatterDate === undefined ? undefined : parseWrittenDate(frontMatterDate)
  if (written) return {date: written, source: 'front matter date'}
  return {date: new Date(0), source: 'fixed'}
}

/**
 * SOURCE_DATE_EPOCH as a date, or undefined when it is not set. The convention asks a malformed value to stop the
 * build rather than be ignored: an EnvironmentError.
 */
export function sourceDateEpoch(env: NodeJS.ProcessEnv = process.env): Date | undefined {
  const epoch = env.SOURCE_DATE_EPOCH?.trim()
  if (epoch === undefined || epoch === '') return undefined
  if (!/^\d{1,12}$/.test(epoch)) {
    throw new EnvironmentError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC (such as the output of \`git log -1 --format=%ct\`); it is ${JSON.stringify(env.SOURCE_DATE_EPOCH)}. Correct it, or unset it to date the PDF by the front matter's \`date\`.`)
  }
  return new Date(Number(epoch) * 1000)
}

const months = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december']

/**
 * A date as authors write it, read the same on every machine (no time zone, no locale): ISO 8601 (with an optional
 * time and offset), or an English month name with or without a day. Undefined for anything else ("Draft", "today").
 */
export function parseWrittenDate(text: string): Date | undefined {
  const value = text.trim()
  const iso = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?(Z|[+-]\d{2}:?\d{2})?)?)?)?$/i.exec(value)
  if (iso) {
    const [, year, month = '1', day = '1', hour = '0', minute = '0', second = '0', zone] = iso
    const date = utcDate(Number(year), Number(month), Number(day), Number(hour), Number(minute), Number(second))
    if (!date) return undefined
    return new Date(date.getTime() - zoneOffsetMinutes(zone) * 60_000)
  }
  const words = value.toLowerCase().replace(/,/g, ' ').replace(/(\d)(st|nd|rd|th)\b/g, '$1').split(/\s+/)
  const monthOf = (word: string) => {
    const name = word.replace(/\.$/, '')
    const index = months.findIndex((month) => name.length >= 3 && month.startsWith(name))
    return index === -1 ? undefined : index + 1
  }
  let month: number | undefined
  let day = 1
  let year: number | undefined
  if (words.length === 3 && monthOf(words[0]) && /^\d{1,2}$/.test(words[1]) && /^\d{4}$/.test(words[2])) {
    ;[month, day, year] = [monthOf(words[0]), Number(words[1]), Number(words[2])]
  } else if (words.length === 3 && /^\d{1,2}$/.test(words[0]) && monthOf(words[1]) && /^\d{4}$/.test(words[2])) {
    ;[day, month, year] = [Number(words[0]), monthOf(words[1]), Number(words[2])]
  } else if (words.length === 2 && monthOf(words[0]) && /^\d{4}$/.test(words[1])) {
    ;[month, year] = [monthOf(words[0]), Number(words[1])]
  }
  return month && year ? utcDate(year, month, day, 0, 0, 0) : undefined
}

function utcDate(year: number, month: number, day: number, hour: number, minute: number, second: number): Date | undefined {
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second))
  // Date.UTC rolls 31 February over into March: such a day does not exist.
  return date.getUTCDate() === day && date.getUTCFullYear() === year ? date : undefined
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0
  const sign = zone.startsWith('-') ? -1 : 1
  const digits = zone.slice(1).replace(':', '')
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)))
}
