/**
 * A printed PDF as a reader sees it, read with poppler's `pdftotext -bbox`: the words of each page with their boxes
 * (in points, from the top left), the text of each page, and the line numbers in the left margin.
 */
import {spawnSync} from 'node:child_process'

export interface PdfWord {
  text: string
  xMin: number
  yMin: number
  xMax: number
  yMax: number
}

export interface PdfPage {
  /** 1-based. */
  number: number
  width: number
  height: number
  words: PdfWord[]
}

export function pdfPages(pdf: string): PdfPage[] {
  const xml = spawnSync('pdftotext', ['-bbox', pdf, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024}).stdout
  const unescape = (text: string) => text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&')
  return [...xml.matchAll(/<page width="([\d.]+)" height="([\d.]+)">([\s\S]*?)<\/page>/g)].map((page, index) => ({
    number: index + 1,
    width: Number(page[1]),
    height: Number(page[2]),
    words: [...page[3].matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map((word) => ({
      xMin: Number(word[1]),
      yMin: Number(word[2]),
      xMax: Number(word[3]),
      yMax: Number(word[4]),
      text: unescape(word[5])
    }))
  }))
}

/** The text of one page, in pdftotext's reading order. */
export function pageText(pdf: string, page: number): string {
  return spawnSync('pdftotext', ['-f', String(page), '-l', String(page), pdf, '-'], {encoding: 'utf8'}).stdout
}

export function center(word: PdfWord): number {
  return (word.yMin + word.yMax) / 2
}

/** The left edge of the text: where most words of the pages begin (numbers left out: they may be line numbers). */
export function textLeft(pages: PdfPage[]): number {
  const lefts = new Map<number, number>()
  for (const word of pages.flatMap((page) => page.words)) {
    if (!/^\d+$/.test(word.text)) lefts.set(Math.round(word.xMin), (lefts.get(Math.round(word.xMin)) ?? 0) + 1)
  }
  return [...lefts.entries()].sort((left, right) => right[1] - left[1])[0][0]
}

/** Numbers standing alone left of the text, page by page, top to bottom. */
export function marginNumbers(pages: PdfPage[]): {page: number; value: number; word: PdfWord}[] {
  const left = textLeft(pages)
  return pages.flatMap((page) =>
    page.words
      .filter((word) => word.xMax < left - 2 && /^\d+$/.test(word.text))
      .sort((one, other) => center(one) - center(other))
      .map((word) => ({page: page.number, value: Number(word.text), word}))
  )
}

/**
 * The lines of text of a page left of nothing, as the centres of their words' boxes grouped within `tolerance` points
 * (words of one line differ a little: superscripts, a heading's larger type).
 */
export function textLines(page: PdfPage, left: number, tolerance = 4): number[] {
  const centres = page.words.filter((word) => word.xMin >= left - 2).map(center).sort((one, other) => one - other)
  const lines: number[] = []
  for (const value of centres) if (lines.length === 0 || value - lines[lines.length - 1] > tolerance) lines.push(value)
  return lines
}

export function median(values: number[]): number {
  const sorted = [...values].sort((one, other) => one - other)
  return sorted[Math.floor(sorted.length / 2)]
}
