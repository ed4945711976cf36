/**
 * The first user's draft and bibliography (read from ../shared): every citation formats, the reference list holds
 * exactly the cited works, no BibTeX markup reaches the page, and linking the bibliography (pandoc's default
 * `link-bibliography`) changes no word of it: each printed DOI becomes a link to itself.
 * @module-tag corpus
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Element} from 'hast'
import type {Nodes, Parent, Root} from 'mdast'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {defaultStyle, loadBibliography} from '../../pipeline/bibliography/index.ts'
import remarkFrontmatter from '../../pipeline/syntax/frontmatter/index.ts'
import {remarkCitation} from '../../pipeline/syntax/citation/index.ts'
import {remarkGfmFootnote} from '../../pipeline/syntax/gfm/index.ts'
import {remarkInlineNote} from '../../pipeline/syntax/inline-note/index.ts'
import type {Citation} from '../../pipeline/syntax/types.ts'
import {citationsTransform, type BibliographyNode} from '../../pipeline/transforms/citations.ts'
import {corpus} from '../support/project.ts'
import {hastToString} from './pandoc-cases.ts'

const manuscript = path.join(corpus, 'trenches/manuscript')
const crossrefKey = /^(fig|tbl|sec|eq):/

/** The draft's tree as the citations transform receives it: cross-references already taken out by crossref. */
function draftTree(): Root {
  const draft = readFileSync(path.join(manuscript, 'manuscript.md'), 'utf8')
  const tree = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfmFootnote).use(remarkInlineNote).use(remarkCitation).parse(draft) as Root
  const dropCrossReferences = (parent: Parent): void => {
    parent.children = (parent.children as Nodes[]).filter(
      (child) => (child.type as string) !== 'citation' || !(child as unknown as Citation).children.every((item) => crossrefKey.test(item.key))
    ) as Parent['children']
    for (const child of parent.children) if ('children' in child) dropCrossReferences(child as Parent)
  }
  dropCrossReferences(tree)
  return tree
}

/** The draft's reference list entries, formatted with or without `link-bibliography`. */
function draftEntries(linkBibliography: boolean | undefined): Element[] {
  const tree = draftTree()
  const file = new VFile({path: 'manuscript/manuscript.md'})
  const bibliography = loadBibliography(['references.bib'], {file, readFile: (name) => readFileSync(path.join(manuscript, name), 'utf8')})
  citationsTransform(tree, file, {items: bibliography.items, style: defaultStyle(), bibliographyFile: 'references.bib', referenceSectionTitle: 'References', linkBibliography})
  return (tree.children.at(-1) as unknown as BibliographyNode).data.hChildren as Element[]
}

/** The links in an entry: [href, text]. */
function linksOf(node: Element): Array<[string, string]> {
  const links: Array<[string, string]> = []
  const visit = (child: Element): void => {
    if (child.tagName === 'a') links.push([String(child.properties.href), hastToString(child)])
    for (const inner of child.children) if (inner.type === 'element') visit(inner)
  }
  visit(node)
  return links
}

describe('the trenches draft', () => {
  it('keeps its reference list word for word with links, and every DOI printed is a link to it', () => {
    const linked = draftEntries(undefined)
    const plain = draftEntries(false)
    expect(linked.map(hastToString)).toEqual(plain.map(hastToString))
    expect(plain.flatMap(linksOf)).toEqual([])

    const printedDois = linked.flatMap((entry) => [...hastToString(entry).matchAll(/https:\/\/doi\.org\/\S+?(?=\.?$|\.?\s)/g)].map((match) => match[0]))
    expect(printedDois.length).toBeGreaterThan(10)
    const links = linked.flatMap(linksOf)
    for (const doi of printedDois) expect(links).toContainEqual([doi, doi])
    const buthe = linked.find((entry) => hastToString(entry).startsWith('Büthe, Tim, and Walter Mattli'))!
    expect(linksOf(buthe)).toEqual([['https://doi.org/10.1515/9781400838790', 'https://doi.org/10.1515/9781400838790']])
  })


  it('formats every citation and lists exactly the cited works', () => {
    const tree = draftTree()
    const file = new VFile({path: 'manuscript/manuscript.md'})
    const bibliography = loadBibliography(['references.bib'], {file, readFile: (name) => readFileSync(path.join(manuscript, name), 'utf8')})
    const stats = citationsTransform(tree, file, {items: bibliography.items, style: defaultStyle(), bibliographyFile: 'references.bib', referenceSectionTitle: 'References'})

    expect(file.messages.filter((message) => message.ruleId === 'unknown-citation-key')).toEqual([])
    expect(stats.citations).toBeGreaterThan(20)
    expect(stats.bibliographyEntries).toBe(stats.works)
    const unused = file.messages.filter((message) => message.ruleId === 'unused-bibliography-entry')
    expect(unused).toHaveLength(53 - stats.works)

    const texts: string[] = []
    const collect = (node: Nodes): void => {
      if ((node.type as string) === 'citation') texts.push(((node as unknown as Citation).data?.hChildren as Element[]).map(hastToString).join(''))
      if ('children' in node) for (const child of node.children as Nodes[]) collect(child)
    }
    collect(tree)
    expect(texts).toContain('(Foerster 2009, 153)')
    expect(texts).toContain('(Büthe and Mattli 2011; Edwards et al. 2009)')
    expect(texts).toContain('Gallagher (2011)')
    expect(texts).toContain('(2014, 611)')

    const list = tree.children.at(-1) as unknown as BibliographyNode
    const entries = (list.data.hChildren as Element[]).map((entry) => hastToString(entry).trim())
    expect(entries).toHaveLength(stats.works)
    for (const entry of entries) expect(entry).not.toMatch(/[{}\\]/)
    expect(entries).toContain(
      'Büthe, Tim, and Walter Mattli. 2011. The New Global Rulers: The Privatization of Regulation in the World Economy. Princeton: Princeton University Press. https://doi.org/10.1515/9781400838790.'
    )
  })
})
