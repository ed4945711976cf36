/**
 * The document's typefaces as font files resvg can read, so that a figure rasterised for Word (../render/docx/
 * images.ts) shows its text in the faces the PDF shows it in. resvg reads neither an SVG's CSS `@font-face` nor
 * WOFF/WOFF2 (only plain TrueType/OpenType files, by path), and finds a face as CSS does only by its typographic
 * family name, which @fontsource's files lack for all but the regular weight ("Source Sans 3 SemiBold" is a family
 * of its own there, so `font-weight="600"` would get the regular face). Each WOFF file (zlib-compressed tables in a
 * simple container) is therefore unpacked to the OpenType font it holds, given its typographic family ("Source Sans
 * 3", name ID 16) and subfamily (17), and written once to the system's temporary folder, named by a hash of what it
 * is made from; nothing else in the font changes. The files are only read by the rasteriser, never shipped.
 */
import {createHash} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {inflateSync} from 'node:zlib'
import {families, fontFile, fontFolders, subsets, type FaceKey} from './font-files.ts'

/** Changes how the files are made: part of their names, so that a change makes new ones. */
const conversionVersion = 1

/** Every face of the document's typefaces (each weight, upright and italic, each subset) as an OpenType file path. */
export function rasterFontFiles(): string[] {
  const folders = fontFolders()
  const faces: FaceKey[] = []
  for (const family of Object.keys(families) as FaceKey['family'][]) {
    for (const weight of families[family].weights) for (const style of ['normal', 'italic'] as const) faces.push({family, weight, style})
  }
  const converted = faces.flatMap((face) => subsets.map((subset) => ({face, subset, woff: readFileSync(fontFile(face, subset, 'woff', folders))})))
  const hash = createHash('sha256').update(String(conversionVersion))
  for (const {woff} of converted) hash.update(woff)
  const folder = path.join(tmpdir(), `manuscript-fonts-${hash.digest('hex').slice(0, 16)}`)
  mkdirSync(folder, {recursive: true})
  return converted.map(({face, subset, woff}) => {
    const file = path.join(folder, `${face.family.replace(/ /g, '')}-${subset}-${face.weight}-${face.style}.otf`)
    if (!existsSync(file)) {
      // Written beside and renamed, so that a concurrent build never reads half a font.
      const partial = `${file}.${process.pid}.partial`
      writeFileSync(partial, withTypographicName(sfntOfWoff(woff), face.family, subfamilyName(face)))
      renameSync(partial, file)
    }
    return file
  })
}

const weightNames: Record<number, string> = {400: 'Regular', 600: 'SemiBold', 700: 'Bold'}

function subfamilyName({weight, style}: FaceKey): string {
  const weightName = weightNames[weight] ?? String(weight)
  if (style === 'normal') return weightName
  return weightName === 'Regular' ? 'Italic' : `${weightName} Italic`
}

interface Table {
  tag: string
  data: Buffer
}

/** The OpenType font inside a WOFF (1.0) file: https://www.w3.org/TR/WOFF/ */
export function sfntOfWoff(woff: Buffer): Buffer {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') throw new Error('not a WOFF file')
  const flavor = woff.readUInt32BE(4)
  const count = woff.readUInt16BE(12)
  const tables: Table[] = []
  for (let index = 0; index < count; index++) {
    const entry = 44 + index * 20
    const tag = woff.toString('latin1', entry, entry + 4)
    const offset = woff.readUInt32BE(entry + 4)
    const compressedLength = woff.readUInt32BE(entry + 8)
    const length = woff.readUInt32BE(entry + 12)
    const stored = woff.subarray(offset, offset + compressedLength)
    const data = compressedLength < length ? inflateSync(stored) : Buffer.from(stored)
    if (data.length !== length) throw new Error(`WOFF table ${tag} unpacks to ${data.length} bytes, not ${length}`)
    tables.push({tag, data})
  }
  return sfnt(flavor, tables)
}

/** The font with name IDs 16 and 17 (typographic family and subfamily) set in its Windows (Unicode) names. */
export function withTypographicName(font: Buffer, family: string, subfamily: string): Buffer {
  const tables = sfntTables(font)
  const name = tables.find((table) => table.tag === 'name')
  if (!name) throw new Error('the font has no name table')
  const records = nameRecords(name.data).filter((record) => !(record.platform === 3 && (record.nameId === 16 || record.nameId === 17)))
  for (const [nameId, text] of [
    [16, family],
    [17, subfamily]
  ] as const) {
    records.push({platform: 3, encoding: 1, language: 0x409, nameId, bytes: utf16be(text)})
  }
  name.data = nameTable(records)
  return sfnt(font.readUInt32BE(0), tables)
}

function sfntTables(font: Buffer): Table[] {
  const count = font.readUInt16BE(4)
  return Array.from({length: count}, (_, index) => {
    const record = 12 + index * 16
    const offset = font.readUInt32BE(record + 8)
    return {tag: font.toString('latin1', record, record + 4), data: Buffer.from(font.subarray(offset, offset + font.readUInt32BE(record + 12)))}
  })
}

/** An OpenType file of the tables, sorted by tag, with their checksums and the head table's checksum adjustment. */
function sfnt(flavor: number, unsorted: Table[]): Buffer {
  const tables = [...unsorted].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0))
  const head = tables.find((table) => table.tag === 'head')
  if (head) head.data.writeUInt32BE(0, 8)
  const entrySelector = Math.floor(Math.log2(tables.length))
  const searchRange = 2 ** entrySelector * 16
  const directoryLength = 12 + tables.length * 16
  const length = tables.reduce((total, table) => total + padded(table.data.length), directoryLength)
  const font = Buffer.alloc(length)
  font.writeUInt32BE(flavor, 0)
  font.writeUInt16BE(tables.length, 4)
  font.writeUInt16BE(searchRange, 6)
  font.writeUInt16BE(entrySelector, 8)
  font.writeUInt16BE(tables.length * 16 - searchRange, 10)
  let offset = directoryLength
  tables.forEach((table, index) => {
    const record = 12 + index * 16
    font.write(table.tag, record, 'latin1')
    font.writeUInt32BE(checksum(table.data), record + 4)
    font.writeUInt32BE(offset, record + 8)
    font.writeUInt32BE(table.data.length, record + 12)
    table.data.copy(font, offset)
    offset += padded(table.data.length)
  })
  if (head) {
    const headOffset = font.readUInt32BE(12 + tables.indexOf(head) * 16 + 8)
    font.writeUInt32BE((0xb1b0afba - checksum(font)) >>> 0, headOffset + 8)
  }
  return font
}

function padded(length: number): number {
  return (length + 3) & ~3
}

function checksum(data: Buffer): number {
  let sum = 0
  for (let offset = 0; offset < data.length; offset += 4) {
    const word = offset + 4 <= data.length ? data.readUInt32BE(offset) : Buffer.concat([data.subarray(offset), Buffer.alloc(4)]).readUInt32BE(0)
    sum = (sum + word) >>> 0
  }
  return sum
}

interface NameRecord {
  platform: number
  encoding: number
  language: number
  nameId: number
  bytes: Buffer
}

function nameRecords(table: Buffer): NameRecord[] {
  const count = table.readUInt16BE(2)
  const strings = table.readUInt16BE(4)
  return Array.from({length: count}, (_, index) => {
    const record = 6 + index * 12
    const offset = strings + table.readUInt16BE(record + 10)
    return {
      platform: table.readUInt16BE(record),
      encoding: table.readUInt16BE(record + 2),
      language: table.readUInt16BE(record + 4),
      nameId: table.readUInt16BE(record + 6),
      bytes: Buffer.from(table.subarray(offset, offset + table.readUInt16BE(record + 8)))
    }
  })
}

/** A format 0 name table of the records, in the order the format requires. */
function nameTable(unsorted: NameRecord[]): Buffer {
  const records = [...unsorted].sort((a, b) => a.platform - b.platform || a.encoding - b.encoding || a.language - b.language || a.nameId - b.nameId)
  const header = 6 + records.length * 12
  const table = Buffer.alloc(header + records.reduce((total, record) => total + record.bytes.length, 0))
  table.writeUInt16BE(0, 0)
  table.writeUInt16BE(records.length, 2)
  table.writeUInt16BE(header, 4)
  let offset = 0
  records.forEach((record, index) => {
    const at = 6 + index * 12
    table.writeUInt16BE(record.platform, at)
    table.writeUInt16BE(record.encoding, at + 2)
    table.writeUInt16BE(record.language, at + 4)
    table.writeUInt16BE(record.nameId, at + 6)
    table.writeUInt16BE(record.bytes.length, at + 8)
    table.writeUInt16BE(offset, at + 10)
    record.bytes.copy(table, header + offset)
    offset += record.bytes.length
  })
  return table
}

function utf16be(text: string): Buffer {
  const bytes = Buffer.from(text, 'utf16le')
  return bytes.swap16()
}
