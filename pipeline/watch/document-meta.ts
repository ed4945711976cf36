/**
 * What the background printer needs besides the HTML: the document's metadata (for the PDF's information
 * dictionary and paper size) and its date, read from the entry's front matter and the config as a build reads
 * them. The entry's parse comes from the session's memory of parsed files, so this costs a copy, not a parse.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import {openProject} from '../analyse.ts'
import {documentMeta} from '../build.ts'
import {findEntry} from '../config/entry.ts'
import {DerivedCache} from '../graph/derived-cache.ts'
import type {DocumentMeta} from '../render/document.ts'
import {pdfDate} from '../render/pdf-date.ts'
import {parseMarkdown} from '../syntax/parse.ts'
import {frontMatterTransform} from '../transforms/front-matter.ts'

export interface PrintMeta {
  meta: DocumentMeta
  /** The PDF's creation and modification date (SOURCE_DATE_EPOCH, else the front matter's date). */
  date: Date
}

/** Throws when the project cannot be read (it was, a moment ago, by the build) or SOURCE_DATE_EPOCH is malformed. */
export function readPrintMeta(root: string): PrintMeta {
  const {files, config} = openProject(root)
  const entry = findEntry(files, config.entry)
  const cache = new DerivedCache(files.absolute(path.join(config.outputDir, '.cache')))
  const tree = parseMarkdown(files.readText(entry, '<watch>'), entry, cache)
  const frontMatter = frontMatterTransform(tree, new VFile({path: entry}))
  return {meta: documentMeta(frontMatter, config), date: pdfDate(frontMatter.date).date}
}
