/**
 * A watch session's rebuild converts only the blocks that changed (render/rendered-blocks.ts). That the page is
 * the same as a build from scratch is tested on whole projects (tests/watch/rebuild-bytes.test.ts); here, that the
 * unchanged blocks are in fact taken from the last conversion, and that a block is compared in full.
 */
import type {Element, ElementContent, Root as HastRoot} from 'hast'
import {describe, expect, it} from 'vitest'
import {toHtml} from 'hast-util-to-html'
import {defaultLabels, manuscriptToHast} from '../../pipeline/render/to-hast.ts'
import {RenderedBlocks, sameNode} from '../../pipeline/render/rendered-blocks.ts'
import {parseText} from '../../pipeline/syntax/parse.ts'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'

const paragraphs = (hast: HastRoot) => hast.children.filter((child): child is Element => child.type === 'element' && child.tagName === 'p')
const convert = (markdown: string, blocks?: RenderedBlocks) => manuscriptToHast(parseText(markdown, 'part.md'), {labels: defaultLabels, blocks})
const text = (node: ElementContent) => toHtml(node)

describe('the blocks kept from the last conversion', () => {
  it('gives back the unchanged blocks as they were converted, and converts the changed ones', () => {
    const blocks = new RenderedBlocks()
    const before = 'First paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n'
    const first = paragraphs(convert(before, blocks))
    const second = paragraphs(convert(before.replace('Second paragraph.', 'Second paragraph, edited.'), blocks))
    expect(second[0]).toBe(first[0])
    expect(second[1]).not.toBe(first[1])
    expect(text(second[1])).toBe('<p>Second paragraph, edited.</p>')
    // The third paragraph moved in the text (its offset changed): converted again, the same HTML.
    expect(second[2]).not.toBe(first[2])
    expect(text(second[2])).toBe(text(first[2]))
  })

  it('converts an unchanged block again when its note calls are numbered otherwise', () => {
    const blocks = new RenderedBlocks()
    const notes = '\n\n[^a]: Note a.\n\n[^b]: Note b.\n'
    const first = paragraphs(convert(`No call here.\n\nCalls a.[^a]${notes}`, blocks))
    expect(text(first[1])).toContain('>1</a>')
    // A call before it, in a paragraph as long as the one it replaces: the second paragraph is the same, at the
    // same place, but its call is now the second.
    const renumbered = `Calls b.[^b].\n\nCalls a.[^a] Twice.[^a]${notes}`
    const second = paragraphs(convert(renumbered, blocks))
    expect(second[1]).not.toBe(first[1])
    expect(text(second[1])).toContain('>2</a>')
    expect(text(second[1])).toContain('id="user-content-fnref-a-2"')
    const third = paragraphs(convert(renumbered, blocks))
    expect(third[1]).toBe(second[1])
    expect(toHtml(convert(renumbered, blocks))).toBe(toHtml(convert(renumbered)))
  })

  it('keeps a note’s content without the links back that the notes section adds to it', () => {
    const blocks = new RenderedBlocks()
    const markdown = 'A call.[^a]\n\n[^a]: The note.\n'
    const once = toHtml(convert(markdown, blocks))
    expect(toHtml(convert(markdown, blocks))).toBe(once)
    expect(toHtml(convert(markdown, blocks))).toBe(toHtml(convert(markdown)))
    expect(once.match(/href="#user-content-fnref-a"/g)).toHaveLength(1)
  })
})

describe('formulas in kept blocks', () => {
  it('are kept while no formula defines a macro, and stay in the typeset formulas kept for the next process', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'rendered-blocks-'))
    try {
      const cache = new DerivedCache(folder, 'test-version', {secret: 'test'})
      const blocks = new RenderedBlocks()
      const convertWith = (markdown: string) => manuscriptToHast(parseText(markdown, 'part.md'), {labels: defaultLabels, blocks, cache})
      const first = paragraphs(convertWith('Intro words.\n\nMath $a^2$ here.\n'))
      const second = paragraphs(convertWith('Intro words.\n\nMath $a^2$ here.\n\nMore text, and $b^2$.\n'))
      expect(second[1]).toBe(first[1])
      // The second conversion typeset $b^2$ anew and kept the document's formulas, $a^2$ (not typeset) among them.
      const kept = cache.read<Record<string, string>>('katex', cache.hash('katex')) ?? {}
      expect(Object.keys(kept).sort()).toEqual(['inline\u0000a^2', 'inline\u0000b^2'])
      // A formula before it defines a macro (the first paragraph, as long as before): the block is typeset again.
      const markdown = '$\\gdef\\x{1}$\n\nMath $a^2$ here.\n'
      const third = convertWith(markdown)
      expect(paragraphs(third)[1]).not.toBe(first[1])
      expect(toHtml(third)).toBe(toHtml(manuscriptToHast(parseText(markdown, 'part.md'), {labels: defaultLabels})))
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })
})

describe('sameNode', () => {
  it('compares every field, at any depth', () => {
    expect(sameNode({type: 'text', value: 'a', data: {x: [1, {y: 'z'}]}}, {type: 'text', value: 'a', data: {x: [1, {y: 'z'}]}})).toBe(true)
    expect(sameNode({type: 'text', value: 'a', data: {x: [1, {y: 'z'}]}}, {type: 'text', value: 'a', data: {x: [1, {y: 'w'}]}})).toBe(false)
    expect(sameNode({a: 1}, {a: 1, b: undefined})).toBe(false)
    expect(sameNode({a: [1, 2]}, {a: [1, 2, 3]})).toBe(false)
    expect(sameNode({a: []}, {a: {}})).toBe(false)
    expect(sameNode({a: null}, {a: undefined})).toBe(false)
    expect(sameNode({position: {start: {line: 1}}}, {position: {start: {line: 2}}})).toBe(false)
    // Instances other than plain objects and arrays are the same only when they are one.
    expect(sameNode({data: new Map([['a', 1]])}, {data: new Map([['a', 2]])})).toBe(false)
  })
})
