/**
 * YAML front matter as pandoc reads it. The construct is ours (syntax.ts); mdast-util-frontmatter builds the node.
 */
import type {Processor} from 'unified'
import {frontmatterFromMarkdown, frontmatterToMarkdown} from 'mdast-util-frontmatter'
import {pandocFrontMatter} from './syntax.ts'

export default function remarkFrontmatter(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(pandocFrontMatter())
  ;(data.fromMarkdownExtensions ??= []).push(frontmatterFromMarkdown('yaml'))
  ;(data.toMarkdownExtensions ??= []).push(frontmatterToMarkdown('yaml'))
}
