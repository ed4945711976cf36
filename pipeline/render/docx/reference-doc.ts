/**
 * `reference-doc: path.docx` (front matter, else manuscript.yaml), as pandoc reads it: a Word document whose styles
 * the docx takes. Read through the project's reader, so it is an input of the build like any other; a missing or
 * unreadable one is an error at the key that names it. Apart from the docx renderer (and its library), which only a
 * docx build loads.
 */
import {strFromU8, unzipSync} from 'fflate'
import type {VFile} from 'vfile'
import {report} from '../../diagnostics/report.ts'
import type {ProjectFiles} from '../../graph/project-files.ts'
import type {FrontMatter, MetadataPlace} from '../../transforms/front-matter.ts'
import {resolutionCandidates} from '../../transforms/includes.ts'

export interface ReferenceDoc {
  bytes: Uint8Array
}

export function loadReferenceDoc(files: ProjectFiles, file: VFile, entry: string, frontMatter: FrontMatter, configValue: string | undefined, configPlaces: Record<string, MetadataPlace>): Uint8Array | undefined {
  const fromFrontMatter = frontMatter.raw['reference-doc']
  const named = typeof fromFrontMatter === 'string' && fromFrontMatter.trim() ? fromFrontMatter.trim() : configValue
  if (!named) return undefined
  const written = typeof fromFrontMatter === 'string' ? frontMatter.keyPlaces['reference-doc'] : configPlaces['reference-doc']
  const where = written ? {sourceFile: written.sourceFile, place: {line: written.line, column: written.column}} : {sourceFile: entry, place: {line: 1, column: 1}}
  const from = written?.sourceFile ?? entry
  const location = files.locate(resolutionCandidates(named, from), from)
  if (location.refused) {
    report(file, undefined, `Cannot read the reference document "${named}": ${location.refused.message}.`, location.refused.kind, 'error', where)
    return undefined
  }
  if (!location.found) {
    report(file, undefined, `Reference document "${named}" not found (looked beside ${from} and in the project root). Fix the \`reference-doc\` path, or remove it to use the default styles.`, 'reference-doc', 'error', where)
    return undefined
  }
  const bytes = files.readBytes(location.found, from)
  try {
    referenceStyles(bytes)
  } catch (error) {
    if (!(error instanceof ReferenceDocError)) throw error
    report(file, undefined, `Cannot take styles from "${named}": ${error.message}. Name a .docx file saved by Word or LibreOffice.`, 'reference-doc', 'error', where)
    return undefined
  }
  return bytes
}

export class ReferenceDocError extends Error {}

/** The styles of a template document (its word/styles.xml). */
export function referenceStyles(bytes: Uint8Array): string {
  let entries: Record<string, Uint8Array>
  try {
    entries = unzipSync(bytes, {filter: (file) => file.name === 'word/styles.xml'})
  } catch (error) {
    throw new ReferenceDocError(`it is not a Word document (${(error as Error).message})`)
  }
  const styles = entries['word/styles.xml']
  if (!styles) throw new ReferenceDocError('it has no styles (word/styles.xml)')
  return strFromU8(styles)
}
