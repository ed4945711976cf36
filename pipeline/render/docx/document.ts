/**
 * The manuscript as a Word document (`build/<name>.docx`), from the same analysed tree as the HTML and PDF: title
 * block, body with real footnotes, captions and cross-references as Word fields, equations as OMML, figures
 * embedded, the bibliography as citeproc made it. Written with the docx package, then made deterministic (see
 * package.ts).
 */
import {Document, LineNumberRestartFormat, Paragraph, TextRun, type FileChild} from 'docx'
import type {ProfileOptions} from '../../config/profiles.ts'
import type {FootnoteDefinition, Root} from 'mdast'
import {walk} from '../../syntax/walk.ts'
import type {DocumentMeta} from '../document.ts'
import {plainParagraphs} from '../title-block.ts'
import {defaultLabels, type RenderLabels} from '../to-hast.ts'
import {blocks} from './blocks.ts'
import type {DocxContext} from './context.ts'
import {Bookmarks} from './fields.ts'
import {prepareImages, type FigureFile} from './images.ts'
import type {DerivedCache} from '../../graph/derived-cache.ts'
import {Lists} from './lists.ts'
import {createOmmlRenderer} from './math.ts'
import {Notes} from './notes.ts'
import {writePackage} from './package.ts'
import {defaultStyles, templateStyles} from './styles.ts'
import {referenceStyles} from './reference-doc.ts'

export interface RenderDocxOptions {
  /** The bytes of each figure, by the URL the HTML gives it (`manuscript_files/images/x.svg`), with the file's name. */
  image(url: string): FigureFile | undefined
  /** Where rasterised figures are kept between builds. */
  cache?: DerivedCache
  /** The date in the document's properties (the PDF's date: SOURCE_DATE_EPOCH, else the front matter's). */
  date: Date
  /** A Word document whose styles the document takes (`reference-doc`). */
  referenceDoc?: Uint8Array
  labels?: Partial<RenderLabels>
  /** The profile's options (see config/profiles.ts): its text size and line spacing, and Word's own line numbers. */
  profile?: ProfileOptions
}

const pages = {
  letter: {width: 12240, height: 15840},
  a4: {width: 11906, height: 16838}
}
const margin = 1440

export async function renderDocx(tree: Root, meta: DocumentMeta, options: RenderDocxOptions): Promise<Uint8Array> {
  const page = pages[meta.paperSize] ?? pages.letter
  const textWidth = page.width - 2 * margin
  const footnoteDefinitions = new Map<string, FootnoteDefinition>()
  walk(tree, 'footnoteDefinition', (node) => {
    footnoteDefinitions.set(node.identifier.toUpperCase(), node)
  })
  const figures = new Map<string, FigureFile>()
  walk(tree, 'image', (node) => {
    const found = figures.has(node.url) ? undefined : options.image(node.url)
    if (found) figures.set(node.url, found)
  })
  const images = await prepareImages(figures, (textWidth / 1440) * 96, options.cache)
  const context: DocxContext = {
    labels: {...defaultLabels, ...options.labels},
    bookmarks: Bookmarks.of(tree),
    notes: new Notes(),
    lists: new Lists(),
    math: createOmmlRenderer(),
    footnoteDefinitions,
    textWidth,
    image: (url) => images.get(url)
  }
  const children: FileChild[] = [...titleBlock(meta, context.labels), ...blocks(tree.children, context)]
  const styles = options.referenceDoc ? templateStyles(referenceStyles(options.referenceDoc)) : {styles: defaultStyles(options.profile)}
  const authors = meta.authors.map((author) => author.name.trim()).filter(Boolean).join('; ')
  const document = new Document({
    ...styles,
    title: meta.title?.trim() || undefined,
    creator: authors || 'manuscript-pipeline',
    lastModifiedBy: 'manuscript-pipeline',
    keywords: meta.keywords.join(', ') || undefined,
    description: meta.abstract ? plainParagraphs(meta.abstract).join(' ') : undefined,
    numbering: {config: context.lists.config},
    footnotes: context.notes.footnotes,
    sections: [
      {
        properties: {
          page: {size: page, margin: {top: margin, bottom: margin, left: margin, right: margin}},
          // Word numbers the lines itself (not those of tables, notes or text boxes), on from page to page.
          ...(options.profile?.lineNumbers ? {lineNumbers: {countBy: 1, restart: LineNumberRestartFormat.CONTINUOUS}} : {})
        },
        children
      }
    ]
  })
  return writePackage(document, options.date)
}

/** Title, authors with their affiliations, date, abstract and keywords, in pandoc's reference-document styles. */
function titleBlock(meta: DocumentMeta, labels: RenderLabels): Paragraph[] {
  const result: Paragraph[] = []
  if (meta.published?.trim()) result.push(new Paragraph({style: 'Subtitle', children: [new TextRun(meta.published.trim())]}))
  if (meta.title?.trim()) result.push(new Paragraph({style: 'Title', children: [new TextRun(meta.title.trim())]}))
  for (const author of meta.authors) {
    if (!author.name.trim()) continue
    result.push(new Paragraph({style: 'Author', children: [new TextRun(author.name.trim())]}))
    const details = [author.affiliation?.trim(), author.email?.trim()].filter(Boolean).join(', ')
    if (details) result.push(new Paragraph({style: 'Affiliation', children: [new TextRun(details)]}))
  }
  if (meta.date?.trim()) result.push(new Paragraph({style: 'Date', children: [new TextRun(meta.date.trim())]}))
  const abstract = meta.abstract ? plainParagraphs(meta.abstract) : []
  if (abstract.length > 0) {
    result.push(new Paragraph({style: 'AbstractTitle', children: [new TextRun(labels.abstract)]}))
    for (const paragraph of abstract) result.push(new Paragraph({style: 'Abstract', children: [new TextRun(paragraph)]}))
  }
  const keywords = meta.keywords.map((keyword) => keyword.trim()).filter(Boolean)
  if (keywords.length > 0) result.push(new Paragraph({style: 'Keywords', children: [new TextRun({text: `${labels.keywords}: `, bold: true}), new TextRun(keywords.join(' · '))]}))
  return result
}
