/**
 * The same bytes from the same inputs: docx dates the package with the time it is made, names hyperlink
 * relationships with random ids and counts drawing ids across every document of the process, and fflate stamps
 * each zip entry with the current time. The package is read back and written again with the document's date (the
 * one the PDF gets), ids numbered in the order they appear, and fixed entry times.
 */
import {Packer, type Document} from 'docx'
import {strFromU8, strToU8, unzipSync, zipSync, type Zippable} from 'fflate'

/** docx's compiler, which gives the package's files before they are zipped (not part of its typed API). */
interface Compiler {
  compile(file: Document): Map<string, string | Uint8Array>
}

/** The package's files, in docx's order: taken before docx zips them when it can, else unzipped from its package. */
async function packageFiles(document: Document): Promise<Record<string, Uint8Array>> {
  const compiler = (Packer as unknown as {compiler?: Compiler}).compiler
  if (typeof compiler?.compile === 'function') {
    const files: Record<string, Uint8Array> = {}
    for (const [name, data] of compiler.compile(document)) files[name] = typeof data === 'string' ? strToU8(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
    return files
  }
  return unzipSync(await Packer.toBuffer(document))
}

export async function writePackage(document: Document, date: Date): Promise<Uint8Array> {
  return canonicalPackage(await packageFiles(document), date)
}

function canonicalPackage(entries: Record<string, Uint8Array>, date: Date): Uint8Array {
  const stamp = date.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const files: Zippable = {}
  // Zip times cannot be before 1980; a fixed one is enough, the document's own date is in docProps.
  const mtime = new Date(Date.UTC(1980, 0, 1))
  for (const name of Object.keys(entries)) {
    let data = entries[name]
    if (name === 'docProps/core.xml') {
      data = strToU8(strFromU8(data).replace(/(<dcterms:(?:created|modified)[^>]*>)[^<]*(<\/dcterms:)/g, `$1${stamp}$2`))
    }
    // Figures are compressed already.
    files[name] = [data, {mtime, level: name.startsWith('word/media/') ? 0 : 6}]
  }
  renumberRelationships(files)
  renumberDrawings(files)
  return zipSync(files, {level: 6, mtime})
}

function text(files: Zippable, name: string): string | undefined {
  const entry = files[name] as [Uint8Array, object] | undefined
  return entry ? strFromU8(entry[0]) : undefined
}

function setText(files: Zippable, name: string, value: string): void {
  const entry = files[name] as [Uint8Array, object]
  files[name] = [strToU8(value), entry[1]]
}

/** Random relationship ids (`rIdk3j…`) become `rIdL1`, `rIdL2`, … in the order the part uses them. */
function renumberRelationships(files: Zippable): void {
  for (const name of Object.keys(files)) {
    const match = /^(.*\/)_rels\/([^/]+)\.rels$/.exec(name)
    if (!match) continue
    const part = `${match[1]}${match[2]}`
    const rels = text(files, name)!
    const partText = text(files, part)
    const random = [...rels.matchAll(/Id="(rId[^"]*[^0-9"][^"]*|[^r"][^"]*)"/g)].map((found) => found[1]).filter((id) => !/^rId\d+$/.test(id))
    if (random.length === 0 || partText === undefined) continue
    const order = new Map<string, number>()
    for (const found of partText.matchAll(/r:(?:id|embed|link)="([^"]+)"/g)) if (random.includes(found[1]) && !order.has(found[1])) order.set(found[1], order.size + 1)
    for (const id of random) if (!order.has(id)) order.set(id, order.size + 1)
    const rename = (value: string) => value.replace(/(Id="|r:(?:id|embed|link)=")([^"]+)"/g, (whole, prefix: string, id: string) => (order.has(id) ? `${prefix}rIdL${order.get(id)}"` : whole))
    setText(files, name, sortRelationships(rename(rels)))
    setText(files, part, rename(partText))
  }
}

/** Relationships in the order of their ids' numbers, so that the file reads the same whatever order they were added in. */
function sortRelationships(rels: string): string {
  return rels.replace(/(<Relationships[^>]*>)([\s\S]*)(<\/Relationships>)/, (_, open: string, body: string, close: string) => {
    const items = body.match(/<Relationship [^>]*\/>/g) ?? []
    const key = (item: string) => /Id="([^"]+)"/.exec(item)?.[1] ?? ''
    return open + [...items].sort((a, b) => key(a).localeCompare(key(b), 'en', {numeric: true})).join('') + close
  })
}

/** Drawing ids (`wp:docPr`, `pic:cNvPr`) numbered from 1 in each part. */
function renumberDrawings(files: Zippable): void {
  for (const name of Object.keys(files)) {
    if (!/^word\/[^/]+\.xml$/.test(name)) continue
    const value = text(files, name)!
    if (!value.includes('<wp:docPr')) continue
    let count = 0
    const renumbered = value.replace(/<wp:docPr id="\d+"/g, () => `<wp:docPr id="${++count}"`)
    count = 0
    setText(files, name, renumbered.replace(/<pic:cNvPr id="\d+"/g, () => `<pic:cNvPr id="${++count}"`))
  }
}
