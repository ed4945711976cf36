import {readFileSync} from 'node:fs'
import type {Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {defaultStyle, loadBibliography} from './pipeline/bibliography/index.ts'
import remarkFrontmatter from './pipeline/syntax/frontmatter/index.ts'
import {remarkCitation} from './pipeline/syntax/citation/index.ts'
import {remarkGfmFootnote} from './pipeline/syntax/gfm/index.ts'
import {remarkInlineNote} from './pipeline/syntax/inline-note/index.ts'
import {citationsTransform} from './pipeline/transforms/citations.ts'
const dir = '/work/shared/corpus/trenches/manuscript/'
const parser = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfmFootnote).use(remarkInlineNote).use(remarkCitation)
const draft = readFileSync(dir + 'manuscript.md', 'utf8')
const bibText = readFileSync(dir + 'references.bib', 'utf8')
for (let round = 0; round < 6; round++) {
  const tree = parser.parse(draft) as Root
  const file = new VFile({path: 'manuscript.md'})
  const t0 = performance.now()
  const bib = loadBibliography(['references.bib'], {file, readFile: () => bibText})
  const t1 = performance.now()
  const stats = citationsTransform(tree, file, {items: bib.items, style: defaultStyle(), referenceSectionTitle: 'References'})
  console.log(`round ${round}: load bib ${(t1 - t0).toFixed(0)} ms, citations ${stats.milliseconds.toFixed(0)} ms (${stats.citations} citations, ${stats.works} works)`)
}
