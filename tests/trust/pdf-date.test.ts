/** The PDF's date: SOURCE_DATE_EPOCH, else the front matter's date read the same everywhere, else 1970-01-01. */
import {describe, expect, it} from 'vitest'
import {EnvironmentError} from '../../pipeline/cli/errors.ts'
import {parseWrittenDate, pdfDate} from '../../pipeline/render/pdf-date.ts'

const iso = (text: string) => parseWrittenDate(text)?.toISOString()

describe('the date written into the PDF', () => {
  it('is SOURCE_DATE_EPOCH when set, whatever the front matter says', () => {
    expect(pdfDate('March 5, 2016', {SOURCE_DATE_EPOCH: '1700000000'})).toEqual({date: new Date(1_700_000_000_000), source: 'SOURCE_DATE_EPOCH'})
    expect(pdfDate(undefined, {SOURCE_DATE_EPOCH: '0'}).date.toISOString()).toBe('1970-01-01T00:00:00.000Z')
  })

  it('stops the build on a malformed SOURCE_DATE_EPOCH instead of ignoring it', () => {
    for (const value of ['2016-03-05', '-5', '1.5', 'now']) {
      expect(() => pdfDate(undefined, {SOURCE_DATE_EPOCH: value}), value).toThrow(EnvironmentError)
    }
    expect(() => pdfDate(undefined, {SOURCE_DATE_EPOCH: 'now'})).toThrow(/whole number of seconds since 1970-01-01 UTC/)
  })

  it('is the front matter date otherwise, at midnight UTC', () => {
    expect(pdfDate('March 5, 2016', {})).toEqual({date: new Date(Date.UTC(2016, 2, 5)), source: 'front matter date'})
    expect(iso('2016-03-05')).toBe('2016-03-05T00:00:00.000Z')
    expect(iso('5 March 2016')).toBe('2016-03-05T00:00:00.000Z')
    expect(iso('Mar. 5th, 2016')).toBe('2016-03-05T00:00:00.000Z')
    expect(iso('November 2026')).toBe('2026-11-01T00:00:00.000Z')
    expect(iso('2016')).toBe('2016-01-01T00:00:00.000Z')
    expect(iso('2016-03')).toBe('2016-03-01T00:00:00.000Z')
    expect(iso('2016-03-05T14:30:00+02:00')).toBe('2016-03-05T12:30:00.000Z')
  })

  it('is 1970-01-01 when the front matter has no date it can read the same on every machine', () => {
    for (const written of [undefined, 'Draft', 'today', 'Spring 2016', '2016-02-30', 'March 32, 2016', '03/05/2016']) {
      expect(pdfDate(written, {}), String(written)).toEqual({date: new Date(0), source: 'fixed'})
    }
  })
})
