/** Reading a .docx the way the tests check it: its parts as text, and the text of each paragraph. */
import {strFromU8, unzipSync} from 'fflate'

export interface DocxParts {
  names: string[]
  document: string
  footnotes: string
  styles: string
  part(name: string): string | undefined
  bytes(name: string): Uint8Array | undefined
}

export function readDocx(bytes: Uint8Array): DocxParts {
  const entries = unzipSync(bytes)
  const part = (name: string) => (entries[name] ? strFromU8(entries[name]) : undefined)
  return {
    names: Object.keys(entries),
    document: part('word/document.xml') ?? '',
    footnotes: part('word/footnotes.xml') ?? '',
    styles: part('word/styles.xml') ?? '',
    part,
    bytes: (name) => entries[name]
  }
}

/** Each `w:p` of a part: its style and its text (runs, field results and math joined; field instructions left out). */
export function paragraphs(xml: string): Array<{style?: string; text: string; xml: string}> {
  return [...xml.matchAll(/<w:p\b[^>]*?(?:\/>|>([\s\S]*?)<\/w:p>)/g)].map((match) => {
    const inner = match[1] ?? ''
    const style = /<w:pStyle w:val="([^"]+)"/.exec(inner)?.[1]
    return {style, text: textOf(inner), xml: inner}
  })
}

export function textOf(xml: string): string {
  return [...xml.matchAll(/<(w|m):t\b[^>]*>([^<]*)<\/\1:t>|<w:tab\/>|<w:br\/>/g)]
    .map((match) => (match[0] === '<w:tab/>' ? '\t' : match[0] === '<w:br/>' ? '\n' : unescape(match[2])))
    .join('')
}

function unescape(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&')
}
