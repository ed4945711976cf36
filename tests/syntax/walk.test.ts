/**
 * The pipeline's tree walk stands in for unist-util-visit (which costs a watch rebuild of a long manuscript dearly):
 * on real manuscripts it must visit the same nodes, in the same order, with the same index, parent and ancestors,
 * and honour SKIP and a returned index the same way.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import type {Node, Parent} from 'unist'
import {SKIP as visitSkip, visit} from 'unist-util-visit'
import {visitParents} from 'unist-util-visit-parents'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../pipeline/syntax/parse.ts'
import {SKIP, walk} from '../../pipeline/syntax/walk.ts'
import {corpus, repoRoot} from '../support/project.ts'

const documents = {
  'trenches draft': path.join(corpus, 'trenches/manuscript/manuscript.md'),
  'sample paper': path.join(repoRoot, 'manuscript/manuscript.md'),
  'dissertation chapter': path.join(corpus, 'peers/Dissertation/Writing/4_gatekeeping/gatekeeping.md')
}

const parse = (file: string): Root => parseText(readFileSync(file, 'utf8'), path.basename(file))
const describeVisit = (node: Node, index: number | undefined, parent: Node | undefined) => `${node.type}@${node.position?.start.offset ?? '-'} ${index ?? '-'} in ${parent?.type ?? '-'}`

describe('walk', () => {
  for (const [name, file] of Object.entries(documents)) {
    const tags = file.startsWith(corpus) ? ['corpus'] : []
    it(`visits what unist-util-visit visits, in its order, on the ${name}`, {tags}, () => {
      const tree = parse(file)
      const expected: string[] = []
      visit(tree, (node, index, parent) => void expected.push(describeVisit(node, index, parent)))
      const seen: string[] = []
      walk(tree, (node, index, parent) => void seen.push(describeVisit(node, index, parent)))
      expect(seen.length).toBeGreaterThan(100)
      expect(seen).toEqual(expected)
    })

    it(`gives the ancestors unist-util-visit-parents gives, for one node type, on the ${name}`, {tags}, () => {
      const tree = parse(file)
      const expected: string[] = []
      visitParents(tree, 'text', (node, ancestors) => void expected.push(`${node.position?.start.offset}: ${ancestors.map((each) => each.type).join('/')}`))
      const seen: string[] = []
      walk(tree, 'text', (node, _index, _parent, ancestors) => void seen.push(`${node.position?.start.offset}: ${ancestors.map((each) => each.type).join('/')}`))
      expect(seen.length).toBeGreaterThan(20)
      expect(seen).toEqual(expected)
    })

    it(`does not enter a node whose visitor returns SKIP, as unist-util-visit does not, on the ${name}`, {tags}, () => {
      const tree = parse(file)
      const expected: string[] = []
      visit(tree, (node, index, parent) => {
        expected.push(describeVisit(node, index, parent))
        return node.type === 'paragraph' || node.type === 'table' ? visitSkip : undefined
      })
      const seen: string[] = []
      walk(tree, (node, index, parent) => {
        seen.push(describeVisit(node, index, parent))
        return node.type === 'paragraph' || node.type === 'table' ? SKIP : undefined
      })
      expect(seen).toEqual(expected)
      expect(seen.some((each) => each.startsWith('text@'))).toBe(true)
      expect(seen.filter((each) => each.startsWith('text@')).every((each) => !each.endsWith('in paragraph'))).toBe(true)
    })
  }

  it('goes on at the index a visitor returns, so that it may remove what it visits', () => {
    const removeEmphasis = (tree: Root, walker: 'walk' | 'visit') => {
      const unwrap = (node: Node, index: number | undefined, parent: Parent | undefined) => {
        if (node.type !== 'emphasis' || !parent || index === undefined) return undefined
        parent.children.splice(index, 1, ...(node as Parent).children)
        // The children moved up are visited next, in the parent.
        return index
      }
      if (walker === 'walk') walk(tree, (node, index, parent) => unwrap(node, index, parent as Parent | undefined))
      else visit(tree, (node, index, parent) => unwrap(node, index, parent))
      return tree
    }
    const withWalk = removeEmphasis(parse(documents['sample paper']), 'walk')
    const withVisit = removeEmphasis(parse(documents['sample paper']), 'visit')
    expect(JSON.stringify(parse(documents['sample paper']))).toContain('"emphasis"')
    expect(JSON.stringify(withWalk)).not.toContain('"emphasis"')
    expect(withWalk).toEqual(withVisit)
  })
})
