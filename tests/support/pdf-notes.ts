/**
 * Where a PDF prints its note calls and its notes, read from the words' positions (`pdftotext -bbox-layout`):
 * a call is a number raised above the words of its line, inside a link to a note (the PDF's link annotations, so
 * that a raised number in a formula is not taken for one); a note is a line that starts with its number at the left
 * edge of the text, in the small type of notes (smaller than the running text), its number not raised.
 */
import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {PDFArray, PDFDict, PDFDocument, PDFName, PDFNumber} from 'pdf-lib'

interface Word {
  text: string
  xMin: number
  yMin: number
  xMax: number
  yMax: number
}

export interface NotePlacement {
  /** Page (from 1) of each call, by number; a number called twice keeps its first page. */
  calls: Map<number, number>
  /** Page of each note, by number; the page where it starts. */
  notes: Map<number, number[]>
  /** Each page's lines of text. */
  pages: string[][]
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]

/** Each page's rectangles (PDF points, origin at the bottom left) that link to a note, and the page's height. */
async function noteLinks(pdfPath: string): Promise<{height: number; rects: number[][]}[]> {
  const pdf = await PDFDocument.load(readFileSync(pdfPath), {updateMetadata: false})
  return pdf.getPages().map((page) => {
    const rects: number[][] = []
    const annotations = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray)
    for (let index = 0; index < (annotations?.size() ?? 0); index++) {
      const annotation = annotations!.lookup(index, PDFDict)
      const destination = annotation.get(PDFName.of('Dest'))
      if (!(destination instanceof PDFName) || !destination.decodeText().startsWith('user-content-fn-')) continue
      const rect = annotation.lookup(PDFName.of('Rect'), PDFArray)
      rects.push(rect.asArray().map((value) => (value as PDFNumber).asNumber()))
    }
    return {height: page.getHeight(), rects}
  })
}

export async function readNotePlacement(pdfPath: string): Promise<NotePlacement> {
  const links = await noteLinks(pdfPath)
  const run = spawnSync('pdftotext', ['-bbox-layout', pdfPath, '-'], {encoding: 'utf8', maxBuffer: 64 * 1024 * 1024})
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.stderr}`)
  const pageTexts = run.stdout.split(/<page\b/).slice(1)
  const pageLines = pageTexts.map((page) =>
    page.split(/<line\b/).slice(1).map((line) =>
      [...line.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)].map(
        (match): Word => ({xMin: Number(match[1]), yMin: Number(match[2]), xMax: Number(match[3]), yMax: Number(match[4]), text: match[5].replace(/&amp;/g, '&')})
      )
    ).filter((line) => line.length > 0)
  )
  // The running text's type: the largest in which a good share of the words are set (notes may be as many).
  const heights = new Map<number, number>()
  const words = pageLines.flat(2)
  for (const word of words) heights.set(Math.round((word.yMax - word.yMin) * 2) / 2, (heights.get(Math.round((word.yMax - word.yMin) * 2) / 2) ?? 0) + 1)
  const textHeight = Math.max(...[...heights].filter(([, count]) => count >= words.length * 0.15).map(([height]) => height))
  const leftEdge = Math.min(...pageLines.flat(2).map((word) => word.xMin))
  const calls = new Map<number, number>()
  const notes = new Map<number, number[]>()
  pageLines.forEach((lines, index) => {
    const page = index + 1
    for (const line of lines) {
      const baseline = median(line.map((word) => word.yMax))
      line.forEach((word, position) => {
        if (!/^\d+$/.test(word.text) || word.yMax > baseline - 2) return
        const x = (word.xMin + word.xMax) / 2
        const y = links[index].height - (word.yMin + word.yMax) / 2
        if (!links[index].rects.some(([left, bottom, right, top]) => x >= Math.min(left, right) && x <= Math.max(left, right) && y >= Math.min(bottom, top) && y <= Math.max(bottom, top))) return
        // Raised: a call (a raised number starting a note line would be a note's own number in a smaller type).
        if (position === 0 && Math.abs(word.xMin - leftEdge) < 1) return
        const number = Number(word.text)
        if (!calls.has(number)) calls.set(number, page)
      })
      const [first, second] = line
      const lineHeight = median(line.map((word) => word.yMax - word.yMin))
      if (second && /^\d+$/.test(first.text) && Math.abs(first.xMin - leftEdge) < 1 && Math.abs(first.yMax - second.yMax) < 1 && lineHeight < textHeight * 0.86) {
        const number = Number(first.text)
        notes.set(number, [...(notes.get(number) ?? []), page])
      }
    }
  })
  return {calls, notes, pages: pageLines.map((lines) => lines.map((line) => line.map((word) => word.text).join(' ')))}
}
