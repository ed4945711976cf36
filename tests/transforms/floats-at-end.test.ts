/**
 * Figures and tables after the references (floats-at-end.ts), on documents analysed and cited as a build does it:
 * which floats move, what the markers say, where the floats go.
 */
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import {afterEach, describe, expect, it} from 'vitest'
import {analyse} from '../../pipeline/analyse.ts'
import {citationsOptions} from '../../pipeline/build-project.ts'
import {defaultLabels} from '../../pipeline/render/to-hast.ts'
import type {Figure} from '../../pipeline/syntax/types.ts'
import {citationsTransform} from '../../pipeline/transforms/citations.ts'
import {floatMarkerClass, floatsAtEndTransform} from '../../pipeline/transforms/floats-at-end.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const projects: string[] = []
afterEach(() => projects.splice(0).forEach(removeProject))

const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'

async function moved(markdown: string): Promise<Root> {
  const root = projectFromFiles({'manuscript/manuscript.md': markdown, 'manuscript/refs.bib': '@book{a, author = {Ann A}, title = {T}, publisher = {P}, year = {2000}}\n', 'manuscript/a.svg': svg}, 'floats-')
  projects.push(root)
  const analysis = await analyse({root})
  citationsTransform(analysis.tree, analysis.file, citationsOptions(analysis.frontMatter, analysis.bibliography, analysis.cache))
  floatsAtEndTransform(analysis.tree, {labels: defaultLabels})
  return analysis.tree
}

const markers = (tree: Root) => tree.children.filter((node) => node.type === 'paragraph' && (node.data as {hProperties?: {className?: string[]}})?.hProperties?.className?.includes(floatMarkerClass)).map((node) => toString(node))

describe('floatsAtEndTransform', () => {
  it('leaves a marker where each numbered figure and table was, and puts them, each after a page break, after the references', async () => {
    const tree = await moved(`---\nbibliography: refs.bib\n---\n\nText [@a].\n\n![A figure.](a.svg){#fig:a}\n\n| x |\n|---|\n| 1 |\n\n: A table. {#tbl:a}\n\nMore text.\n\n![Another.](a.svg){#fig:b}\n`)
    expect(markers(tree)).toEqual(['[Figure 1 about here]', '[Table 1 about here]', '[Figure 2 about here]'])
    const types = tree.children.map((node) => (node.type === 'figure' ? `figure ${(node as unknown as Figure).identifier}` : node.type === ('rawBlock' as string) ? 'page break' : node.type))
    const references = tree.children.findIndex((node) => ((node.data as {hProperties?: {className?: string[]}})?.hProperties?.className ?? []).includes('references'))
    expect(references).toBeGreaterThan(0)
    expect(types.slice(references + 1).filter((type) => type !== 'footnoteDefinition')).toEqual(['page break', 'figure fig:a', 'page break', 'figure tbl:a', 'page break', 'figure fig:b'])
  })

  it('takes the label the caption shows (pandoc-crossref\'s figureTitle), and leaves listings and tables without a caption in place', async () => {
    const tree = await moved(`---\nfigureTitle: Fig.\ncodeBlockCaptions: true\n---\n\n![A figure.](a.svg){#fig:a}\n\n| x |\n|---|\n| 1 |\n\n\`\`\` {#lst:a caption="Code."}\ncode\n\`\`\`\n`)
    expect(markers(tree)).toEqual(['[Fig. 1 about here]'])
    expect(tree.children.map((node) => node.type).slice(0, 3)).toEqual(['paragraph', 'table', 'figure'])
  })
})
