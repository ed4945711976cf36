import {describe, expect, it} from 'vitest'
import {cloneTree} from '../../pipeline/syntax/clone-tree.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'

describe('cloneTree', () => {
  it('copies a parsed tree whole: equal to it, sharing no object with it', () => {
    const tree = parseMarkdown('# A *heading* {#intro}\n\nText [@doe, p. 3] and a note.^[Inside.]\n\n| a | b |\n|---|---|\n| 1 | 2 |\n', 'doc.md')
    const copy = cloneTree(tree)
    expect(copy).toStrictEqual(tree)
    const originals = new Set<object>()
    const collect = (value: unknown, into: Set<object>) => {
      if (typeof value !== 'object' || value === null) return
      into.add(value)
      for (const field of Object.values(value)) collect(field, into)
    }
    collect(tree, originals)
    const copies = new Set<object>()
    collect(copy, copies)
    expect(copies.size).toBe(originals.size)
    for (const object of copies) expect(originals.has(object)).toBe(false)
  })

  it('copies a position of another shape field by field (a point without an offset, extra fields)', () => {
    const nodes = [
      {type: 'text', value: 'x', position: {start: {line: 1, column: 1, offset: 0}, end: {line: 1, column: 2, offset: 1}, indent: [1]}},
      {type: 'text', value: 'y', position: {start: {line: 1, column: 1}, end: {line: 1, column: 2, offset: 1}}},
      {type: 'text', value: 'z', position: {start: {line: 2, column: 1, offset: 5, _index: 0}, end: {line: 2, column: 3, offset: 7}}}
    ]
    for (const node of nodes) {
      const copy = cloneTree(node)
      expect(copy).toStrictEqual(node)
      expect(copy.position.start).not.toBe(node.position.start)
    }
  })
})
