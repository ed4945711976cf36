/**
 * The build's stages up to cross-references, in the build's order (pipeline/build.ts), on one Markdown text:
 * parse → includes (when project files are given) → front matter → attributes → heading identifiers → figures → table captions → crossref.
 */
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import type {ProjectFiles} from '../../../pipeline/graph/project-files.ts'
import {parseMarkdown} from '../../../pipeline/syntax/parse.ts'
import {attributesTransform} from '../../../pipeline/transforms/attributes.ts'
import {crossrefTransform, type CrossrefTransformOptions} from '../../../pipeline/transforms/crossref.ts'
import {figuresTransform} from '../../../pipeline/transforms/figures.ts'
import {headingIdentifiersTransform} from '../../../pipeline/transforms/heading-identifiers.ts'
import {frontMatterTransform} from '../../../pipeline/transforms/front-matter.ts'
import {includesTransform} from '../../../pipeline/transforms/includes.ts'
import {tableCaptionsTransform} from '../../../pipeline/transforms/table-captions.ts'

export interface PipelineResult {
  tree: Root
  file: VFile
}

export function runPipeline(source: string, path: string, options: CrossrefTransformOptions = {}, files?: ProjectFiles): PipelineResult {
  const file = new VFile({path, value: source})
  const tree = parseMarkdown(source, path)
  if (files) includesTransform(tree, file, {files, parse: parseMarkdown})
  const frontMatter = frontMatterTransform(tree, file)
  attributesTransform(tree, file)
  headingIdentifiersTransform(tree)
  figuresTransform(tree, file)
  tableCaptionsTransform(tree, file)
  crossrefTransform(tree, file, {...options, metadata: {...options.metadata, ...frontMatter.raw}})
  return {tree, file}
}
