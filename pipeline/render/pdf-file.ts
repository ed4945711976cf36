/**
 * A minimal reader and writer for the PDF files Chromium prints (Skia's PDF writer): one body of plain objects, a
 * classic cross-reference table, one trailer. The objects are found through the cross-reference table and read
 * only when asked for (a stream only up to its dictionary: its data is never decoded); the writer copies every
 * object that was not replaced byte for byte, so a stream is never inflated or deflated again. Only the objects
 * replaced with `set` are serialised anew, in the style Skia writes them (one dictionary entry a line), so a file
 * written back unedited has the bytes it was read with.
 *
 * Anything else (a cross-reference stream, object streams, an incremental update, encryption) is not what Chromium
 * writes: reading it stops with a PdfFormatError that says what was found, rather than a guess.
 */
import {deflateSync} from 'node:zlib'

export class PdfFormatError extends Error {
  override readonly name = 'PdfFormatError'
  constructor(message: string, at?: number) {
    super(`Not a PDF this reader handles (it reads the classic form Chromium prints): ${message}${at === undefined ? '' : ` (at byte ${at})`}`)
  }
}

/** A name, as written after its slash (`#xx` escapes kept as written). */
export class PdfName {
  constructor(readonly raw: string) {}
}

/**
 * A string: its bytes, one character per byte (0–255). `written` is the form it was read in (literal with its
 * escapes, or hex), written back unchanged; a new string is written in a form of its own.
 */
export class PdfString {
  constructor(
    readonly bytes: string,
    readonly written?: string
  ) {}

  /**
   * A text string as a PDF reader decodes it: printable ASCII as itself, anything else as UTF-16BE with a byte order
   * mark, written in hex (as pdf-lib's PDFHexString.fromText writes it).
   */
  static fromText(text: string): PdfString {
    if (/^[\x20-\x7e]*$/.test(text)) return new PdfString(text)
    let hex = 'FEFF'
    for (let index = 0; index < text.length; index++) hex += text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')
    return new PdfString(Buffer.from(hex, 'hex').toString('latin1'), `<${hex}>`)
  }

  /** The text: UTF-16BE after a byte order mark, else each byte a character (PDFDocEncoding agrees for ASCII). */
  text(): string {
    if (this.bytes.startsWith('\xfe\xff')) {
      let text = ''
      for (let index = 2; index + 1 < this.bytes.length; index += 2) text += String.fromCharCode((this.bytes.charCodeAt(index) << 8) | this.bytes.charCodeAt(index + 1))
      return text
    }
    return this.bytes
  }
}

/** A number, kept as written (`184.49718`), so that an object written back has the bytes it was read with. */
export class PdfNumber {
  constructor(readonly raw: string) {}
  get value(): number {
    return Number(this.raw)
  }
}

export class PdfRef {
  constructor(
    readonly objectNumber: number,
    readonly generation: number
  ) {}
}

export class PdfDict {
  constructor(readonly entries = new Map<string, PdfValue>()) {}
  get(key: string): PdfValue | undefined {
    return this.entries.get(key)
  }
  set(key: string, value: PdfValue): void {
    this.entries.set(key, value)
  }
}

export type PdfValue = PdfName | PdfString | PdfNumber | PdfRef | PdfDict | PdfValue[] | boolean | null

/**
 * An object of the file: where it starts (`N 0 obj`) and where the next one does; once laid out, where its
 * `endobj` ends and its value is (an object stream holds values without their `N 0 obj`) and whether it is a stream.
 */
interface PdfObjectEntry {
  objectNumber: number
  start: number
  bound: number
  layout?: {end: number; valueStart: number; valueEnd: number; stream: boolean}
  /** Read on first use (a stream's dictionary for a stream). */
  value?: PdfValue
  /** Set when replaced or added: written anew. */
  replaced?: boolean
}

export interface PdfWriteOptions {
  /**
   * Pack the objects that are not streams into compressed object streams, with a compressed cross-reference stream
   * (PDF 1.5): a smaller file. Otherwise the file as Chromium wrote it, the replaced objects in place, with a classic
   * cross-reference table.
   */
  objectStreams: boolean
  /** The trailer's /ID: two hex strings of the same bytes. */
  id?: string
}

const whitespace = new Uint8Array(256)
for (const code of [0, 9, 10, 12, 13, 32]) whitespace[code] = 1
const delimiter = new Uint8Array(256)
for (const character of '()<>[]{}/%') delimiter[character.charCodeAt(0)] = 1
const regular = new Uint8Array(256).map((_, code) => (whitespace[code] === 1 || delimiter[code] === 1 ? 0 : 1))

/** More objects than a PDF has (the format's limit is 8,388,607); offsets times this stay exact in a double. */
const objectNumberLimit = 2 ** 23

/** Objects per object stream: a reader looking up one object inflates one stream of that many. */
const objectsPerStream = 100

export class PdfFile {
  readonly trailer: PdfDict
  /** By object number. */
  private readonly objects = new Map<number, PdfObjectEntry>()
  /** The objects of the file in the order of the file (added ones not included). */
  private readonly inFileOrder: PdfObjectEntry[]
  /** Where the cross-reference table starts: the end of the body. */
  private readonly bodyEnd: number

  private constructor(private readonly bytes: Buffer) {
    const {offsets, trailer, tableStart} = this.readCrossReference()
    this.trailer = trailer
    this.bodyEnd = tableStart
    // Each object ends before the next one starts (the last before the cross-reference table), so it can be found
    // without reading what comes before it, and only the objects asked for are read.
    // Sorted as numbers (offset and object number in one, a typed array's native sort): no comparator to call.
    const keys = new Float64Array(offsets.size)
    let index = 0
    for (const [objectNumber, start] of offsets) keys[index++] = start * objectNumberLimit + objectNumber
    keys.sort()
    this.inFileOrder = new Array<PdfObjectEntry>(keys.length)
    for (index = 0; index < keys.length; index++) {
      const objectNumber = keys[index] % objectNumberLimit
      const entry: PdfObjectEntry = {objectNumber, start: (keys[index] - objectNumber) / objectNumberLimit, bound: index + 1 < keys.length ? Math.floor(keys[index + 1] / objectNumberLimit) : tableStart}
      this.inFileOrder[index] = entry
      this.objects.set(objectNumber, entry)
    }
    for (const name of ['/ObjStm', '/XRef']) {
      for (const objectNumber of this.objectsContaining(name)) {
        const type = this.get(objectNumber)
        if (type instanceof PdfDict && type.get('Type') instanceof PdfName && `/${(type.get('Type') as PdfName).raw}` === name) {
          throw new PdfFormatError(`object ${objectNumber} is ${name === '/ObjStm' ? 'an object stream' : 'a cross-reference stream'} (PDF 1.5)`)
        }
      }
    }
  }

  static read(bytes: Uint8Array): PdfFile {
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    if (buffer.toString('latin1', 0, 5) !== '%PDF-') throw new PdfFormatError('the file does not start with %PDF-', 0)
    return new PdfFile(buffer)
  }

  /** The object numbers in use, in increasing order. */
  objectNumbers(): number[] {
    return Array.from(Float64Array.from(this.objects.keys()).sort())
  }

  /** The value of an object (a stream's dictionary for a stream), or undefined when there is no such object. */
  get(objectNumber: number): PdfValue | undefined {
    const entry = this.objects.get(objectNumber)
    if (!entry) return undefined
    if (entry.value === undefined) entry.value = this.readValue(entry)
    return entry.value
  }

  isStream(objectNumber: number): boolean {
    const entry = this.objects.get(objectNumber)
    return entry !== undefined && !entry.replaced && this.layout(entry).stream
  }

  /** A value with a reference followed to the object it names (null for a missing object, as the format says). */
  resolve(value: PdfValue | undefined): PdfValue | undefined {
    return value instanceof PdfRef ? (this.get(value.objectNumber) ?? null) : value
  }

  /**
   * The objects whose bytes contain `text`, in the order of the file: a quick way to the few objects worth reading.
   * A match in a stream's data counts too; the caller reads the object to be sure.
   */
  objectsContaining(...texts: string[]): number[] {
    const found = new Set<number>()
    for (const text of texts) {
      for (let at = this.bytes.indexOf(text, 0, 'latin1'); at !== -1 && at < this.bodyEnd; at = this.bytes.indexOf(text, at + 1, 'latin1')) {
        const entry = this.objectAt(at)
        if (entry) found.add(entry.objectNumber)
      }
    }
    return [...found].sort((left, right) => this.objects.get(left)!.start - this.objects.get(right)!.start)
  }

  /** Adds an object (written anew); its reference. */
  add(value: PdfValue): PdfRef {
    const objectNumber = this.highestObjectNumber() + 1
    this.objects.set(objectNumber, {objectNumber, start: -1, bound: -1, value, replaced: true})
    return new PdfRef(objectNumber, 0)
  }

  /** (A loop: spreading a book's objects into Math.max could pass more arguments than a call takes.) */
  private highestObjectNumber(): number {
    let highest = 0
    for (const objectNumber of this.objects.keys()) if (objectNumber > highest) highest = objectNumber
    return highest
  }

  /** Replaces the value of an object that is not a stream; it is written anew. */
  set(objectNumber: number, value: PdfValue): void {
    const entry = this.objects.get(objectNumber)
    if (!entry) throw new Error(`PDF object ${objectNumber} does not exist`)
    if (this.isStream(objectNumber)) throw new Error(`PDF object ${objectNumber} is a stream: only its data would stay`)
    entry.value = value
    entry.replaced = true
  }

  write(options: PdfWriteOptions): Buffer {
    return options.objectStreams ? this.writeWithObjectStreams(options.id) : this.writeClassic(options.id)
  }

  /** The file as it was, each replaced object written anew in its place, added ones at the end of the body. */
  private writeClassic(id: string | undefined): Buffer {
    const parts: Buffer[] = []
    const offsets = new Map<number, number>()
    // The bytes from `copiedTo` on are still to copy; `shift` is how much later they land in the new file.
    let copiedTo = 0
    let shift = 0
    for (const entry of this.inFileOrder) {
      offsets.set(entry.objectNumber, entry.start + shift)
      if (!entry.replaced) continue
      const {end} = this.layout(entry)
      const written = Buffer.from(`${entry.objectNumber} 0 obj\n${serialize(entry.value!)}\nendobj`, 'latin1')
      parts.push(this.bytes.subarray(copiedTo, entry.start), written)
      copiedTo = end
      shift += written.length - (end - entry.start)
    }
    parts.push(this.bytes.subarray(copiedTo, this.bodyEnd))
    let offset = this.bodyEnd + shift
    for (const entry of this.objects.values()) {
      if (entry.start !== -1) continue
      const written = Buffer.from(`${entry.objectNumber} 0 obj\n${serialize(entry.value!)}\nendobj\n`, 'latin1')
      offsets.set(entry.objectNumber, offset)
      parts.push(written)
      offset += written.length
    }
    const size = this.highestObjectNumber() + 1
    const heading = `xref\n0 ${size}\n`
    const table = Buffer.alloc(heading.length + size * 20)
    table.write(heading, 0, 'latin1')
    for (let objectNumber = 0; objectNumber < size; objectNumber++) {
      const at = offsets.get(objectNumber)
      writeRow(table, heading.length + objectNumber * 20, at ?? 0, at === undefined ? 65535 : 0, at === undefined ? 0x66 : 0x6e)
    }
    parts.push(table, Buffer.from(`trailer\n${this.trailerText(size, id)}\nstartxref\n${offset}\n%%EOF\n`, 'latin1'))
    return Buffer.concat(parts)
  }

  /**
   * The streams copied as they are, then the other objects packed into object streams, then a cross-reference stream.
   * The header says PDF 1.7: object streams are PDF 1.5.
   */
  private writeWithObjectStreams(id: string | undefined): Buffer {
    const header = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1')
    const parts: Buffer[] = [header]
    let offset = header.length
    // Each object's place: [1, offset] written as itself, [2, stream, index] inside an object stream.
    const places = new Map<number, [1, number] | [2, number, number]>()
    const packed: PdfObjectEntry[] = []
    for (const objectNumber of this.objectNumbers()) {
      const entry = this.objects.get(objectNumber)!
      if (entry.replaced || !this.layout(entry).stream) {
        packed.push(entry)
        continue
      }
      places.set(objectNumber, [1, offset])
      const bytes = this.bytes.subarray(entry.start, this.layout(entry).end + 1)
      parts.push(bytes)
      offset += bytes.length
    }
    let nextNumber = this.highestObjectNumber() + 1
    for (let first = 0; first < packed.length; first += objectsPerStream) {
      const streamNumber = nextNumber++
      const chunk = packed.slice(first, first + objectsPerStream)
      // The index (object numbers and offsets), then the values, copied into one buffer.
      const written = chunk.map((entry) => (entry.replaced ? Buffer.from(serialize(entry.value!), 'latin1') : undefined))
      let index = ''
      let length = 0
      chunk.forEach((entry, position) => {
        index += `${position === 0 ? '' : ' '}${entry.objectNumber} ${length}`
        length += (written[position]?.length ?? entry.layout!.valueEnd - entry.layout!.valueStart) + 1
        places.set(entry.objectNumber, [2, streamNumber, position])
      })
      index += '\n'
      const content = Buffer.allocUnsafe(index.length + length)
      let at = content.write(index, 0, 'latin1')
      chunk.forEach((entry, position) => {
        const replaced = written[position]
        at += replaced ? replaced.copy(content, at) : this.bytes.copy(content, at, entry.layout!.valueStart, entry.layout!.valueEnd)
        content[at++] = 0x0a
      })
      const data = deflateSync(content)
      const object = Buffer.concat([Buffer.from(`${streamNumber} 0 obj\n<</Type /ObjStm\n/N ${chunk.length}\n/First ${index.length}\n/Filter /FlateDecode\n/Length ${data.length}>> stream\n`, 'latin1'), data, Buffer.from('\nendstream\nendobj\n', 'latin1')])
      places.set(streamNumber, [1, offset])
      parts.push(object)
      offset += object.length
    }
    const xrefNumber = nextNumber++
    places.set(xrefNumber, [1, offset])
    const size = nextNumber
    const offsetWidth = byteWidth(Math.max(offset, size))
    const row = 1 + offsetWidth + 2
    const table = new Uint8Array(size * row)
    // Object 0, the head of the free list: type 0, generation 65535.
    table[row - 2] = 0xff
    table[row - 1] = 0xff
    for (const [objectNumber, place] of places) {
      const at = objectNumber * row
      table[at] = place[0]
      for (let byte = 0, value = place[1]; byte < offsetWidth; byte++, value = Math.floor(value / 256)) table[at + offsetWidth - byte] = value % 256
      if (place[0] === 2) {
        table[at + row - 2] = place[2] >> 8
        table[at + row - 1] = place[2] & 0xff
      }
    }
    const data = deflateSync(table)
    const dictionary = this.trailerText(size, id, [
      ['Type', new PdfName('XRef')],
      ['W', [new PdfNumber('1'), new PdfNumber(String(offsetWidth)), new PdfNumber('2')]],
      ['Filter', new PdfName('FlateDecode')],
      ['Length', new PdfNumber(String(data.length))]
    ])
    parts.push(Buffer.from(`${xrefNumber} 0 obj\n${dictionary} stream\n`, 'latin1'), data, Buffer.from(`\nendstream\nendobj\nstartxref\n${offset}\n%%EOF\n`, 'latin1'))
    return Buffer.concat(parts)
  }

  /** The trailer (or cross-reference stream dictionary): /Size, then `entries`, then what Chromium's trailer had. */
  private trailerText(size: number, id: string | undefined, entries: [string, PdfValue][] = []): string {
    const trailer = new PdfDict(new Map([['Size', new PdfNumber(String(size))], ...entries]))
    for (const [key, value] of this.trailer.entries) if (!trailer.entries.has(key) && key !== 'ID') trailer.set(key, value)
    // Written `[ <ID> <ID> ]`, with the spaces pdf-lib wrote: the ID is found by that pattern (saveWithContentId).
    return id === undefined ? serialize(trailer) : `${serialize(trailer).slice(0, -2)}\n/ID [ <${id}> <${id}> ]>>`
  }

  private readCrossReference(): {offsets: Map<number, number>; trailer: PdfDict; tableStart: number} {
    const bytes = this.bytes
    const startxref = bytes.lastIndexOf('startxref', bytes.length, 'latin1')
    if (startxref === -1) throw new PdfFormatError('no startxref at the end of the file')
    const at = Number(/^startxref\s+(\d+)/.exec(bytes.toString('latin1', startxref, Math.min(bytes.length, startxref + 40)))?.[1] ?? NaN)
    if (!Number.isInteger(at) || at >= bytes.length) throw new PdfFormatError('startxref does not give an offset in the file', startxref)
    if (at >= 2 ** 30) throw new PdfFormatError('a file of more than 1 GB')
    if (bytes.toString('latin1', at, at + 4) !== 'xref') {
      throw new PdfFormatError(/^\d+\s+\d+\s+obj/.test(bytes.toString('latin1', at, Math.min(bytes.length, at + 40))) ? 'a cross-reference stream (PDF 1.5), not a cross-reference table' : 'startxref does not point at a cross-reference table', at)
    }
    const offsets = new Map<number, number>()
    const lexer = new Lexer(bytes, at + 4)
    for (;;) {
      lexer.skipWhitespace()
      if (lexer.startsWith('trailer')) break
      const first = lexer.integer()
      const count = lexer.integer()
      lexer.skipWhitespace()
      for (let index = 0; index < count; index++) {
        const row = lexer.position
        // `nnnnnnnnnn ggggg n` and a two-byte end of line: 20 bytes.
        const offset = digitsAt(bytes, row, 10)
        const generation = digitsAt(bytes, row + 11, 5)
        const kind = bytes[row + 17]
        if (offset === -1 || generation === -1 || bytes[row + 10] !== 0x20 || bytes[row + 16] !== 0x20 || (kind !== 0x6e && kind !== 0x66)) throw new PdfFormatError('a malformed cross-reference entry', row)
        if (kind === 0x6e) {
          if (generation !== 0) throw new PdfFormatError(`object ${first + index} has generation ${generation}`, row)
          if (offset >= at) throw new PdfFormatError(`object ${first + index} is placed after the cross-reference table`, row)
          if (first + index >= objectNumberLimit) throw new PdfFormatError(`object number ${first + index} is beyond the format's limit`, row)
          offsets.set(first + index, offset)
        }
        lexer.position += 20
      }
    }
    lexer.position += 'trailer'.length
    const trailer = lexer.value()
    if (!(trailer instanceof PdfDict)) throw new PdfFormatError('the trailer is not a dictionary', lexer.position)
    for (const key of ['Prev', 'XRefStm', 'Encrypt']) {
      if (trailer.get(key) !== undefined) throw new PdfFormatError(`the trailer has /${key} (${key === 'Encrypt' ? 'an encrypted file' : 'an incremental update or a cross-reference stream'})`)
    }
    if (!(trailer.get('Root') instanceof PdfRef)) throw new PdfFormatError('the trailer names no /Root')
    return {offsets, trailer, tableStart: at}
  }

  /** Where an object's parts are, from `N 0 obj` at its start to its `endobj`, the last before the next object. */
  private layout(entry: PdfObjectEntry): NonNullable<PdfObjectEntry['layout']> {
    if (entry.layout) return entry.layout
    const {bytes} = this
    const {objectNumber, start} = entry
    const lexer = new Lexer(bytes, start)
    const number = lexer.integerOrUndefined()
    const generation = lexer.integerOrUndefined()
    lexer.skipWhitespace()
    if (number !== objectNumber || generation !== 0 || !lexer.startsWith('obj') || regular[bytes[lexer.position + 3]] === 1) throw new PdfFormatError(`the cross-reference table places object ${objectNumber} where there is no such object`, start)
    lexer.position += 3
    lexer.skipWhitespace()
    const endobj = bytes.lastIndexOf('endobj', entry.bound - 6, 'latin1')
    if (endobj < lexer.position) throw new PdfFormatError(`object ${objectNumber} does not end with endobj`, start)
    let valueEnd = endobj
    while (valueEnd > lexer.position && whitespace[bytes[valueEnd - 1]] === 1) valueEnd--
    const stream = valueEnd - 9 >= lexer.position && new Lexer(bytes, valueEnd - 9).startsWith('endstream')
    entry.layout = {end: endobj + 6, valueStart: lexer.position, valueEnd, stream}
    return entry.layout
  }

  /** The object whose bytes hold the byte at `position`: the last to start at or before it. */
  private objectAt(position: number): PdfObjectEntry | undefined {
    let low = 0
    let high = this.inFileOrder.length - 1
    let found: PdfObjectEntry | undefined
    while (low <= high) {
      const middle = (low + high) >> 1
      if (this.inFileOrder[middle].start <= position) {
        found = this.inFileOrder[middle]
        low = middle + 1
      } else {
        high = middle - 1
      }
    }
    return found
  }

  /** Reads an object's value; a stream's dictionary must give the length its data has. */
  private readValue(entry: PdfObjectEntry): PdfValue {
    const {valueStart, valueEnd, stream} = this.layout(entry)
    const lexer = new Lexer(this.bytes, valueStart)
    const value = lexer.value()
    const end = lexer.position
    lexer.skipWhitespace()
    if (stream) {
      if (!(value instanceof PdfDict) || !lexer.startsWith('stream')) throw new PdfFormatError(`object ${entry.objectNumber} has a stream without a dictionary`, lexer.position)
      const length = value.get('Length') instanceof PdfRef ? this.get((value.get('Length') as PdfRef).objectNumber) : value.get('Length')
      let dataStart = lexer.position + 'stream'.length
      if (this.bytes[dataStart] === 0x0d && this.bytes[dataStart + 1] === 0x0a) dataStart += 2
      else if (this.bytes[dataStart] === 0x0a) dataStart += 1
      // Between the data and `endstream`, an end of line.
      const slack = valueEnd - 'endstream'.length - dataStart - (length instanceof PdfNumber ? length.value : NaN)
      if (!(slack >= 0 && slack <= 2)) throw new PdfFormatError(`the stream of object ${entry.objectNumber} does not end where its /Length says`, dataStart)
    } else if (end !== valueEnd) {
      throw new PdfFormatError(`object ${entry.objectNumber} holds more than one value`, end)
    }
    return value
  }
}

/** A number of `count` decimal digits at `at`, or -1. */
function digitsAt(bytes: Uint8Array, at: number, count: number): number {
  let value = 0
  for (let index = at; index < at + count; index++) {
    const digit = bytes[index] - 0x30
    if (!(digit >= 0 && digit <= 9)) return -1
    value = value * 10 + digit
  }
  return value
}

/** A cross-reference table row: `nnnnnnnnnn ggggg n` and a space and a line feed. */
function writeRow(table: Uint8Array, at: number, offset: number, generation: number, kind: number): void {
  for (let index = 9, value = offset; index >= 0; index--, value = Math.floor(value / 10)) table[at + index] = 0x30 + (value % 10)
  table[at + 10] = 0x20
  for (let index = 15, value = generation; index >= 11; index--, value = Math.floor(value / 10)) table[at + index] = 0x30 + (value % 10)
  table[at + 16] = 0x20
  table[at + 17] = kind
  table[at + 18] = 0x20
  table[at + 19] = 0x0a
}

function byteWidth(value: number): number {
  let width = 1
  while (value >= 2 ** (8 * width)) width++
  return width
}

/** A value as PDF text: dictionaries one entry a line, as Skia writes them. */
export function serialize(value: PdfValue): string {
  if (value === null) return 'null'
  if (value === true) return 'true'
  if (value === false) return 'false'
  if (value instanceof PdfName) return `/${value.raw}`
  if (value instanceof PdfNumber) return value.raw
  if (value instanceof PdfRef) return `${value.objectNumber} ${value.generation} R`
  if (value instanceof PdfString) return value.written ?? literalString(value.bytes)
  if (Array.isArray(value)) return `[${value.map(serialize).join(' ')}]`
  let text = '<<'
  let first = true
  for (const [key, entry] of value.entries) {
    text += `${first ? '' : '\n'}/${key} ${serialize(entry)}`
    first = false
  }
  return `${text}>>`
}

/** Bytes as a literal string: parentheses and backslashes escaped, anything not printable as an octal escape. */
function literalString(bytes: string): string {
  let text = '('
  for (let index = 0; index < bytes.length; index++) {
    const code = bytes.charCodeAt(index)
    if (code === 0x28 || code === 0x29 || code === 0x5c) text += `\\${bytes[index]}`
    else if (code < 0x20 || code > 0x7e) text += `\\${code.toString(8).padStart(3, '0')}`
    else text += bytes[index]
  }
  return `${text})`
}

/** Parses a PDF value from a string, as written in a file (`<</Type /Catalog>>`): for tests and callers' values. */
export function parseValue(text: string): PdfValue {
  const lexer = new Lexer(Buffer.from(text, 'latin1'), 0)
  const value = lexer.value()
  lexer.skipWhitespace()
  if (lexer.position !== text.length) throw new PdfFormatError('more than one value', lexer.position)
  return value
}

/** Reads values from the file's bytes. */
class Lexer {
  constructor(
    private readonly bytes: Buffer,
    public position: number
  ) {}

  startsWith(text: string): boolean {
    for (let index = 0; index < text.length; index++) if (this.bytes[this.position + index] !== text.charCodeAt(index)) return false
    return true
  }

  skipWhitespace(): void {
    const bytes = this.bytes
    for (;;) {
      const code = bytes[this.position]
      if (whitespace[code] === 1) this.position++
      else if (code === 0x25) {
        // A comment, to the end of its line.
        while (this.position < bytes.length && bytes[this.position] !== 0x0a && bytes[this.position] !== 0x0d) this.position++
      } else return
    }
  }

  integer(): number {
    const value = this.integerOrUndefined()
    if (value === undefined) throw new PdfFormatError('a whole number was expected', this.position)
    return value
  }

  integerOrUndefined(): number | undefined {
    this.skipWhitespace()
    const start = this.position
    let value = 0
    while (this.bytes[this.position] >= 0x30 && this.bytes[this.position] <= 0x39) value = value * 10 + this.bytes[this.position++] - 0x30
    return start === this.position ? undefined : value
  }

  value(): PdfValue {
    this.skipWhitespace()
    const bytes = this.bytes
    const start = this.position
    const code = bytes[start]
    if (code === 0x2f) {
      // A name: up to the next whitespace or delimiter.
      let end = start + 1
      while (end < bytes.length && regular[bytes[end]] === 1) end++
      this.position = end
      return new PdfName(bytes.toString('latin1', start + 1, end))
    }
    if (code === 0x3c && bytes[start + 1] === 0x3c) {
      this.position += 2
      const entries = new Map<string, PdfValue>()
      for (;;) {
        this.skipWhitespace()
        if (bytes[this.position] === 0x3e && bytes[this.position + 1] === 0x3e) {
          this.position += 2
          return new PdfDict(entries)
        }
        if (this.position >= bytes.length) throw new PdfFormatError('a dictionary does not end', start)
        const key = this.value()
        if (!(key instanceof PdfName)) throw new PdfFormatError('a dictionary key is not a name', this.position)
        entries.set(key.raw, this.value())
      }
    }
    if (code === 0x5b) {
      this.position++
      const items: PdfValue[] = []
      for (;;) {
        this.skipWhitespace()
        if (bytes[this.position] === 0x5d) {
          this.position++
          return items
        }
        if (this.position >= bytes.length) throw new PdfFormatError('an array does not end', start)
        items.push(this.value())
      }
    }
    if (code === 0x28) return this.literal()
    if (code === 0x3c) {
      const end = bytes.indexOf(0x3e, start)
      if (end === -1) throw new PdfFormatError('a hex string does not end', start)
      const written = bytes.toString('latin1', start, end + 1)
      const digits = written.slice(1, -1).replace(/[\0\t\n\f\r ]/g, '')
      if (!/^[0-9A-Fa-f]*$/.test(digits)) throw new PdfFormatError('a hex string holds something other than hex digits', start)
      this.position = end + 1
      return new PdfString(Buffer.from(digits.length % 2 === 1 ? `${digits}0` : digits, 'hex').toString('latin1'), written)
    }
    // A number, a reference (`12 0 R`), true, false or null: a run of regular characters.
    let end = start
    while (end < bytes.length && regular[bytes[end]] === 1) end++
    const word = bytes.toString('latin1', start, end)
    this.position = end
    if (word === 'true') return true
    if (word === 'false') return false
    if (word === 'null') return null
    if (!/^[+-]?(?:\d+\.?\d*|\.\d+)$/.test(word)) throw new PdfFormatError(word === '' ? `unexpected ${start < bytes.length ? JSON.stringify(String.fromCharCode(code)) : 'end of data'}` : `unexpected ${JSON.stringify(word.slice(0, 20))}`, start)
    if (code >= 0x30 && code <= 0x39 && !word.includes('.')) {
      // Perhaps the object number of a reference: `12 0 R`.
      const reference = this.referenceAfter(end)
      if (reference !== undefined) return new PdfRef(Number(word), reference)
    }
    return new PdfNumber(word)
  }

  /** After an object number at `end`: ` 0 R` gives the generation (and moves past it), anything else undefined. */
  private referenceAfter(end: number): number | undefined {
    const bytes = this.bytes
    let at = end
    while (whitespace[bytes[at]] === 1) at++
    if (at === end || !(bytes[at] >= 0x30 && bytes[at] <= 0x39)) return undefined
    let generation = 0
    while (bytes[at] >= 0x30 && bytes[at] <= 0x39) generation = generation * 10 + bytes[at++] - 0x30
    const afterGeneration = at
    while (whitespace[bytes[at]] === 1) at++
    if (at === afterGeneration || bytes[at] !== 0x52 || regular[bytes[at + 1]] === 1) return undefined
    this.position = at + 1
    return generation
  }

  /** A literal string: balanced parentheses, backslash escapes (octal, named, line continuations). */
  private literal(): PdfString {
    const bytes = this.bytes
    const start = this.position
    let value = ''
    let depth = 0
    let index = start + 1
    // Runs without escapes or ends of line are taken whole.
    let runStart = index
    for (;;) {
      if (index >= bytes.length) throw new PdfFormatError('a literal string does not end', start)
      const code = bytes[index]
      if (code === 0x28) depth++
      else if (code === 0x29) {
        if (depth === 0) break
        depth--
      } else if (code === 0x5c || code === 0x0d) {
        value += bytes.toString('latin1', runStart, index)
        if (code === 0x0d) {
          // An end of line in a string is a line feed, whichever was written.
          value += '\n'
          index += bytes[index + 1] === 0x0a ? 2 : 1
        } else {
          const next = bytes[index + 1]
          const named = escapes[next]
          if (named !== undefined) {
            value += named
            index += 2
          } else if (next >= 0x30 && next <= 0x37) {
            let octal = 0
            let length = 0
            while (length < 3 && bytes[index + 1 + length] >= 0x30 && bytes[index + 1 + length] <= 0x37) octal = octal * 8 + bytes[index + 1 + length++] - 0x30
            value += String.fromCharCode(octal & 0xff)
            index += 1 + length
          } else if (next === 0x0d) {
            index += bytes[index + 2] === 0x0a ? 3 : 2
          } else if (next === 0x0a) {
            index += 2
          } else {
            // An unknown escape stands for the character itself.
            index += 1
          }
        }
        runStart = index
        continue
      }
      index++
    }
    value += bytes.toString('latin1', runStart, index)
    this.position = index + 1
    return new PdfString(value, bytes.toString('latin1', start, index + 1))
  }
}

const escapes: Record<number, string> = {0x6e: '\n', 0x72: '\r', 0x74: '\t', 0x62: '\b', 0x66: '\f', 0x28: '(', 0x29: ')', 0x5c: '\\'}
