/**
 * Re-parsing an edited file around the change (watch mode) must give exactly the tree a full parse gives, positions
 * included: checked on real manuscripts under many edits, plain and hostile (fences, divs, comments, definitions
 * and list markers that change how the rest of the file reads), one after another as an author saves.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../pipeline/syntax/parse.ts'
import {reparseEdited} from '../../pipeline/syntax/reparse.ts'
import {corpus, repoRoot} from '../support/project.ts'

const documents = {
  'trenches draft': path.join(corpus, 'trenches/manuscript/manuscript.md'),
  'sample paper': path.join(repoRoot, 'manuscript/manuscript.md'),
  'ngo-crackdowns manuscript': path.join(corpus, 'peers/ngo-crackdowns-philanthropy/HEAD/manuscript/manuscript.md'),
  'dissertation chapter': path.join(corpus, 'peers/Dissertation/Writing/4_gatekeeping/gatekeeping.md')
}

const snippets = [
  'word ',
  '\n\n',
  'A new sentence with @Chuang:2014 and [@fig:locations].',
  '\n\n```\n',
  '\n\n::: {.note}\n',
  '\n\n:::\n',
  '<!-- ',
  '\n\n<div>\n',
  '\n\n[^n1]: A footnote defined here.\n\n',
  '[^n1]',
  '\n\n[site]: https://example.org\n\n',
  '\n- ',
  '\n\n    indented\n',
  '\n$$\n',
  '\n\n---\n',
  '\n===\n',
  '\nTable: A caption {#tbl:new}\n',
  '\n| a | b |\n|---|---|\n| 1 | 2 |\n',
  '^[an inline note',
  '> '
]

/** A small deterministic generator, so a failure names an edit that can be replayed. */
function generator(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648
    return state / 2147483648
  }
}

function edit(source: string, random: () => number): string {
  const at = Math.floor(random() * source.length)
  const kind = random()
  if (kind < 0.3) return source.slice(0, at) + source.slice(at + 1 + Math.floor(random() * 40))
  if (kind < 0.4) {
    const newline = source.indexOf('\n', at)
    return newline === -1 ? source : source.slice(0, newline) + source.slice(newline + 1)
  }
  return source.slice(0, at) + snippets[Math.floor(random() * snippets.length)] + source.slice(at)
}

const parse = (text: string): Root => parseText(text, 'manuscript/manuscript.md')

/**
 * `toEqual` on two trees of a whole manuscript, where they serialize alike first: the same JSON (same keys, in the
 * same order, same values) is the same tree, and comparing strings is several times faster than walking both trees.
 * Any difference, key order included, goes to `toEqual`, which decides and shows where the trees differ.
 */
function expectSameTree(actual: Root, expected: Root, label: string): void {
  if (JSON.stringify(actual) === JSON.stringify(expected)) return
  expect(actual, label).toEqual(expected)
}

describe('re-parsing an edited file around the change', () => {
  for (const [name, file] of Object.entries(documents)) {
    it(`gives the full parse's tree for 40 single edits and 40 successive edits of the ${name}`, {tags: file.startsWith(corpus) ? ['corpus'] : []}, () => {
      const random = generator(name.length * 7919)
      const original = readFileSync(file, 'utf8')
      const originalTree = parse(original)
      let reused = 0
      for (let step = 0; step < 40; step++) {
        const next = edit(original, random)
        const incremental = reparseEdited({source: original, tree: structuredClone(originalTree)}, next, parse)
        if (incremental) {
          reused++
          expectSameTree(incremental, parse(next), `single edit ${step}`)
        }
      }
      // Most edits (the hostile snippets aside) are local: the fast path is taken, not just the fallback.
      expect(reused).toBeGreaterThan(20)

      // As an author saves: each tree is made from the last one.
      let source = original
      let tree = structuredClone(originalTree)
      for (let step = 0; step < 40; step++) {
        const next = edit(source, random)
        const incremental = reparseEdited({source, tree}, next, parse)
        const full = parse(next)
        if (incremental) expectSameTree(incremental, full, `successive edit ${step}`)
        source = next
        tree = incremental ?? full
      }
    })
  }

  it('parses the file whole when an edit opens a fence that swallows the rest', () => {
    const source = 'Intro.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n\nFourth.\n'
    const edited = source.replace('Second paragraph.', '```\nSecond paragraph.')
    expect(reparseEdited({source, tree: parse(source)}, edited, parse)).toBeUndefined()
  })

  it('gives the full parse where an edit lets an HTML comment join a list outside the re-parsed blocks', () => {
    const source = 'Intro.\n\nMore.\n\n- one\n- ```\n  code\n  ```\n<!--\n- two\n-->\n- three\n\nLast.\n\nEnd.\n'
    const edited = source.replace('- ```\n  code\n  ```', '- code')
    const tree = reparseEdited({source, tree: parse(source)}, edited, parse) ?? parse(edited)
    expect(tree).toEqual(parse(edited))
    expect(tree.children.filter((block) => block.type === 'list')).toHaveLength(1)
  })

  it('parses the file whole when an edit is next to block-level HTML tags, whose reading depends on the lines around', () => {
    const source = 'Intro.\n\n<table>\n<tr>\n</tr>\n    <tr><td>*a*</td></tr>\n</table>\n\nMore.\n\nLast.\n'
    const edited = source.replace('<tr>\n</tr>', '<tr>\n</tr></table>')
    expect(reparseEdited({source, tree: parse(source)}, edited, parse)).toBeUndefined()
    const before = 'Intro.\n\nText before a table.\n\nMore.\n\nLast.\n'
    expect(reparseEdited({source: before, tree: parse(before)}, before.replace('More.', 'More.\n<table>'), parse)).toBeUndefined()
  })

  it('keeps a footnote reference working when its definition is outside the re-parsed blocks', () => {
    const source = 'Intro.\n\nA claim.[^a]\n\nMore.\n\nEven more.\n\nLast.\n\n[^a]: The note.\n'
    const edited = source.replace('A claim.[^a]', 'A changed claim.[^a]')
    const tree = reparseEdited({source, tree: parse(source)}, edited, parse)
    expect(tree).toBeDefined()
    expect(tree).toEqual(parse(edited))
    expect(JSON.stringify(tree)).toContain('"type":"footnoteReference"')
  })
})
