/**
 * The PDF reader and writer for Chromium's PDF (pdf-file.ts), and what pdf.ts makes of a printed PDF with it, on a
 * PDF Chromium printed (fixtures/chromium-pdf/small.pdf: a page with an escaped title, a German heading, a link to
 * a file beside it and a table whose headers Chromium names after DOM node ids). pdf-lib reads the results, as a
 * viewer would.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFString} from 'pdf-lib'
import {describe, expect, it} from 'vitest'
import {PdfDict, PdfFile, PdfFormatError, PdfNumber, PdfRef, PdfString, parseValue, serialize} from '../../pipeline/render/pdf-file.ts'
import {finishPrintedPdf, pdfCreator, pdfProducer} from '../../pipeline/render/pdf.ts'
import type {DocumentMeta} from '../../pipeline/render/document.ts'

const chromiumPdf = readFileSync(path.join(import.meta.dirname, 'fixtures/chromium-pdf/small.pdf'))
/** The folder of the page Chromium printed the fixture from: its link to `data/x y.csv` names it. */
const printedFrom = '/tmp/pp/fixture-qK9lPt'

function infoOf(file: PdfFile): PdfDict {
  return file.get((file.trailer.get('Info') as PdfRef).objectNumber) as PdfDict
}

describe('reading and writing Chromium’s PDF', () => {
  it('writes an unedited file back byte for byte', () => {
    expect(PdfFile.read(chromiumPdf).write({objectStreams: false}).equals(chromiumPdf)).toBe(true)
  })

  it('writes every object it reads back in the bytes Chromium wrote', () => {
    const file = PdfFile.read(chromiumPdf)
    for (const objectNumber of file.objectNumbers()) if (!file.isStream(objectNumber)) file.set(objectNumber, file.get(objectNumber)!)
    expect(file.write({objectStreams: false}).equals(chromiumPdf)).toBe(true)
  })

  it('packs the objects into object streams that a PDF library reads as the same document, the same bytes each time', async () => {
    const packed = PdfFile.read(chromiumPdf).write({objectStreams: true, id: 'AB'.repeat(16)})
    expect(PdfFile.read(chromiumPdf).write({objectStreams: true, id: 'AB'.repeat(16)}).equals(packed)).toBe(true)
    expect(packed.length).toBeLessThan(chromiumPdf.length)
    const original = await PDFDocument.load(chromiumPdf, {updateMetadata: false})
    const read = await PDFDocument.load(packed, {updateMetadata: false})
    expect(read.getPageCount()).toBe(original.getPageCount())
    expect(read.getTitle()).toBe('A (small) test \\ page')
    expect(read.context.enumerateIndirectObjects().length).toBeGreaterThanOrEqual(original.context.enumerateIndirectObjects().length)
    for (const [ref, object] of original.context.enumerateIndirectObjects()) expect(read.context.lookup(ref)?.toString(), String(ref)).toBe(object.toString())
    expect(packed.toString('latin1')).toMatch(/\/ID \[ <(AB){16}> <(AB){16}> \]/)
  })

  it('reads literal strings with their escapes and writes back what it read', () => {
    const value = parseValue('[(a\\(b\\)c\\\\d) (nested (paren) s) (\\101\\102\\0032) (line\\\ncontinued) <FEFF00DC> <4142>]') as PdfString[]
    expect(value.map((string) => string.bytes)).toEqual(['a(b)c\\d', 'nested (paren) s', 'AB\x032', 'linecontinued', '\xfe\xff\x00\xdc', 'AB'])
    expect(value[4].text()).toBe('Ü')
    expect(serialize(value)).toBe('[(a\\(b\\)c\\\\d) (nested (paren) s) (\\101\\102\\0032) (line\\\ncontinued) <FEFF00DC> <4142>]')
  })

  it('keeps a new string with parentheses, backslashes and non-ASCII text through a write and a read', async () => {
    const file = PdfFile.read(chromiumPdf)
    const info = infoOf(file)
    const titles = ['Cost (and benefit) of C:\\temp', 'Über Straßen — 道路', 'a)b(c']
    info.set('Title', PdfString.fromText(titles[0]))
    info.set('Subject', PdfString.fromText(titles[1]))
    info.set('Keywords', new PdfString(titles[2]))
    file.set((file.trailer.get('Info') as PdfRef).objectNumber, info)
    for (const objectStreams of [false, true]) {
      const written = file.write({objectStreams})
      if (!objectStreams) {
        const again = infoOf(PdfFile.read(written))
        expect([again.get('Title'), again.get('Subject'), again.get('Keywords')].map((value) => (value as PdfString).text())).toEqual(titles)
      }
      const read = await PDFDocument.load(written, {updateMetadata: false})
      expect([read.getTitle(), read.getSubject(), read.getKeywords()]).toEqual(titles)
    }
  })

  it('stops with a clear error on what Chromium does not write', async () => {
    // pdf-lib writes object streams and a cross-reference stream.
    const packed = await (await PDFDocument.load(chromiumPdf)).save()
    expect(() => PdfFile.read(packed)).toThrow(PdfFormatError)
    expect(() => PdfFile.read(packed)).toThrow(/cross-reference stream/)
    const text = chromiumPdf.toString('latin1')
    const updated = Buffer.from(text.replace(/trailer\n<</, 'trailer\n<</Prev 9\n'), 'latin1')
    expect(() => PdfFile.read(updated)).toThrow(/trailer has \/Prev \(an incremental update/)
    expect(() => PdfFile.read(Buffer.from('<html>not a PDF</html>'))).toThrow(/does not start with %PDF-/)
    const misplaced = Buffer.from(text.replace(/\n0000000015 00000 n /, '\n0000000016 00000 n '), 'latin1')
    expect(() => PdfFile.read(misplaced).get(1)).toThrow(/places object 1 where there is no such object/)
  })
})

describe('finishing a printed PDF', () => {
  const meta: DocumentMeta = {
    title: 'Small (test) page',
    authors: [{name: 'Ana López'}, {name: 'Ben Okoro'}],
    keywords: ['one', 'two words'],
    paperSize: 'letter',
    lang: 'de'
  } as DocumentMeta
  const date = new Date(Date.UTC(2016, 2, 5, 12, 0, 0))
  const finish = (printed: Buffer) => finishPrintedPdf(printed, {meta, date, folder: path.join(printedFrom, 'build'), headings: ['A (small) test page', 'Der Bäcker, 1.2']})

  it('writes the document information, language and dates, and reports the pages', async () => {
    const {bytes, pages} = finish(chromiumPdf)
    expect(pages).toBe(1)
    const pdf = await PDFDocument.load(bytes, {updateMetadata: false})
    expect(pdf.getTitle()).toBe('Small (test) page')
    expect(pdf.getAuthor()).toBe('Ana López, Ben Okoro')
    expect(pdf.getKeywords()).toBe('one; two words')
    expect(pdf.getCreator()).toBe(pdfCreator)
    expect(pdf.getProducer()).toBe(pdfProducer)
    expect(pdf.getCreationDate()?.toISOString()).toBe(date.toISOString())
    expect(pdf.getModificationDate()?.toISOString()).toBe(date.toISOString())
    expect(pdf.catalog.lookup(PDFName.of('Lang'), PDFString).decodeText()).toBe('de')
    expect(pdf.catalog.lookup(PDFName.of('ViewerPreferences'), PDFDict).get(PDFName.of('DisplayDocTitle'))?.toString()).toBe('true')
    expect(bytes.toString('latin1')).not.toContain('D:2026')
  })

  it('renumbers structure ids, makes file links relative and gives the outline the headings’ text', async () => {
    const pdf = await PDFDocument.load(finish(chromiumPdf).bytes, {updateMetadata: false})
    const strings: string[] = []
    for (const [, object] of pdf.context.enumerateIndirectObjects()) {
      if (!(object instanceof PDFDict)) continue
      // (A structure element's /A is an array of attributes.)
      const action = object.lookup(PDFName.of('A'))
      const uri = action instanceof PDFDict ? action.lookup(PDFName.of('URI')) : undefined
      if (uri instanceof PDFString) strings.push(`URI ${uri.decodeText()}`)
      const names = object.lookupMaybe(PDFName.of('Names'), PDFArray)
      if (names) strings.push(`IDTree ${names.asArray().filter((item) => item instanceof PDFString).map((item) => (item as PDFString).decodeText()).join(' ')}`)
    }
    expect(strings.sort()).toEqual(['IDTree node00000001 node00000002', 'URI ../data/x%20y.csv'])
    const outline = pdf.catalog.lookup(PDFName.of('Outlines'), PDFDict)
    const first = outline.lookup(PDFName.of('First'), PDFDict)
    const titles = [first, first.lookup(PDFName.of('First'), PDFDict)].map((entry) => (entry.lookup(PDFName.of('Title')) as PDFString | PDFHexString).decodeText())
    expect(titles).toEqual(['A (small) test page', 'Der Bäcker, 1.2'])
  })

  it('renumbers only the structure ids, not text the author wrote that looks like one', async () => {
    // A structure element given the alternate text "node42" in place of its type (the same length, so the
    // cross-reference table still holds): it is the author's text, not an id.
    const withAlt = Buffer.from(chromiumPdf.toString('latin1').replace('/S /NonStruct', '/Alt (node42)'), 'latin1')
    expect(withAlt.equals(chromiumPdf)).toBe(false)
    const finished = await PDFDocument.load(finish(withAlt).bytes, {updateMetadata: false})
    const alts: string[] = []
    for (const [, object] of finished.context.enumerateIndirectObjects()) {
      const alt = object instanceof PDFDict ? object.lookup(PDFName.of('Alt')) : undefined
      if (alt instanceof PDFString || alt instanceof PDFHexString) alts.push(alt.decodeText())
    }
    expect(alts).toEqual(['node42'])
  })

  it('gives the same bytes whatever Chromium’s dates and node ids, with an ID that is the hash of the file', () => {
    const {bytes} = finish(chromiumPdf)
    const text = chromiumPdf.toString('latin1')
    // The same page printed later by a browser that had loaded pages before: other dates, other node ids.
    const later = Buffer.from(text.replace(/D:\d{14}/g, 'D:20991231235959').replace(/node000000(\d\d)/g, (_, digits: string) => `node000009${digits}`), 'latin1')
    expect(later.equals(chromiumPdf)).toBe(false)
    expect(finish(later).bytes.equals(bytes)).toBe(true)
    const id = /\/ID \[ <([0-9A-F]{32})> <([0-9A-F]{32})> \]/.exec(bytes.toString('latin1'))!
    const zeroed = Buffer.from(bytes.toString('latin1').replaceAll(id[1], '0'.repeat(32)), 'latin1')
    expect(createHash('sha256').update(zeroed).digest('hex').slice(0, 32).toUpperCase()).toBe(id[1])
  })

  it('adds the document information when Chromium wrote none', async () => {
    const withoutInfo = Buffer.from(chromiumPdf.toString('latin1').replace(/\n\/Info 1 0 R>>\nstartxref/, '>>\nstartxref'), 'latin1')
    expect(PdfFile.read(withoutInfo).trailer.get('Info')).toBeUndefined()
    const pdf = await PDFDocument.load(finish(withoutInfo).bytes, {updateMetadata: false})
    expect(pdf.getTitle()).toBe('Small (test) page')
    expect(pdf.getCreationDate()?.toISOString()).toBe(date.toISOString())
  })

  it('copies the streams Chromium wrote without deflating them again', () => {
    const {bytes} = finish(chromiumPdf)
    const streams = [...chromiumPdf.toString('latin1').matchAll(/>> stream\n([\s\S]*?)\nendstream/g)].map((match) => match[1])
    expect(streams.length).toBeGreaterThan(3)
    for (const data of streams) expect(bytes.toString('latin1')).toContain(data)
  })
})

describe('PdfNumber and PdfDict', () => {
  it('keep numbers as written', () => {
    const dict = parseValue('<</Rect [184.49718 -.5 3] /Count 21 /Parent 12 0 R>>') as PdfDict
    expect((dict.get('Rect') as PdfNumber[]).map((number) => number.value)).toEqual([184.49718, -0.5, 3])
    expect(dict.get('Parent')).toEqual(new PdfRef(12, 0))
    expect(serialize(dict)).toBe('<</Rect [184.49718 -.5 3]\n/Count 21\n/Parent 12 0 R>>')
  })
})
