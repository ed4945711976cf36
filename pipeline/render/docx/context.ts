/** What every part of the Word serializer shares while one document is written. */
import type {FootnoteDefinition} from 'mdast'
import type {RenderLabels} from '../to-hast.ts'
import type {Bookmarks} from './fields.ts'
import type {DocxImage} from './images.ts'
import type {OmmlRenderer} from './math.ts'
import type {Lists} from './lists.ts'
import type {Notes} from './notes.ts'

export interface DocxContext {
  labels: RenderLabels
  bookmarks: Bookmarks
  notes: Notes
  lists: Lists
  math: OmmlRenderer
  /** The figure an image URL (as the HTML has it) shows, ready for Word; undefined when it cannot be shown. */
  image(url: string): DocxImage | undefined
  /** `[^id]` notes by identifier. */
  footnoteDefinitions: Map<string, FootnoteDefinition>
  /** Width of the text column, in twentieths of a point. */
  textWidth: number
}

/** Run formatting carried down through emphasis, strong, links and the like. */
export interface RunFormat {
  bold?: boolean
  italics?: boolean
  superScript?: boolean
  subScript?: boolean
  smallCaps?: boolean
  strike?: boolean
  underline?: boolean
  /** A character style id (`VerbatimChar`, `Hyperlink`). */
  style?: string
}

/** Run properties as XML, for runs written as XML (fields). */
export function runPropertiesXml(format: RunFormat): string {
  let xml = ''
  if (format.style) xml += `<w:rStyle w:val="${format.style}"/>`
  if (format.bold) xml += '<w:b/>'
  if (format.italics) xml += '<w:i/>'
  if (format.smallCaps) xml += '<w:smallCaps/>'
  if (format.strike) xml += '<w:strike/>'
  if (format.underline) xml += '<w:u w:val="single"/>'
  if (format.superScript) xml += '<w:vertAlign w:val="superscript"/>'
  else if (format.subScript) xml += '<w:vertAlign w:val="subscript"/>'
  return xml ? `<w:rPr>${xml}</w:rPr>` : ''
}
