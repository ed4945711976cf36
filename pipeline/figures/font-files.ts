/**
 * Where the document's typefaces are: @fontsource's font files, by family, weight, style and Unicode subset. A module
 * without opentype.js, so that finding the files loads nothing else (the figure drawer gives the folders to its
 * worker, whose bundled script cannot find the packages from where it is).
 */
import {createRequire} from 'node:module'
import path from 'node:path'

export interface FaceKey {
  family: 'Source Sans 3' | 'Source Serif 4'
  weight: number
  style: 'normal' | 'italic'
}

export interface Family {
  packageName: string
  filePrefix: string
  /** The weights the document uses (and a figure embeds): regular and its bold. */
  weights: number[]
}

export const families: Record<FaceKey['family'], Family> = {
  'Source Sans 3': {packageName: '@fontsource/source-sans-3', filePrefix: 'source-sans-3', weights: [400, 600]},
  'Source Serif 4': {packageName: '@fontsource/source-serif-4', filePrefix: 'source-serif-4', weights: [400, 700]}
}

/** The Unicode subsets read, in order: Latin first, then the rest of Latin (ő, ł, ș …). */
export const subsets = ['latin', 'latin-ext']

const require = createRequire(import.meta.url)

/** Where each family's font files are (@fontsource's `files/` folder), found from the pipeline's own modules. */
export type FontFolders = Record<FaceKey['family'], string>

export function fontFolders(): FontFolders {
  const folders = {} as FontFolders
  for (const [family, {packageName, filePrefix}] of Object.entries(families) as [FaceKey['family'], Family][]) {
    folders[family] = path.dirname(require.resolve(`${packageName}/files/${filePrefix}-latin-400-normal.woff`))
  }
  return folders
}

/** A face's file of one subset. */
export function fontFile(face: FaceKey, subset: string, format: 'woff' | 'woff2', folders: FontFolders = fontFolders()): string {
  return path.join(folders[face.family], `${families[face.family].filePrefix}-${subset}-${face.weight}-${face.style}.${format}`)
}
