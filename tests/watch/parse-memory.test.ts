/** The in-memory layer in front of the parse cache that lets a watch session re-parse only the file that changed. */
import {afterEach, describe, expect, it} from 'vitest'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {keepParsedTrees, parseMarkdown, takeParsedFiles} from '../../pipeline/syntax/parse.ts'

// No folder: the disk cache is off, so only the memory can spare a parse.
const cache = new DerivedCache(undefined)

afterEach(() => keepParsedTrees(false))

describe('parsed trees kept in memory', () => {
  it('parse a file again only when its text changed, and hand out a fresh copy each time', () => {
    keepParsedTrees(true)
    const first = parseMarkdown('# Title\n\nSome *text*.\n', 'a.md', cache)
    parseMarkdown('Other file.\n', 'b.md', cache)
    expect(takeParsedFiles().sort()).toEqual(['a.md', 'b.md'])

    // Transforms change the tree they get; the kept one must not change with it.
    first.children.pop()
    const again = parseMarkdown('# Title\n\nSome *text*.\n', 'a.md', cache)
    expect(takeParsedFiles()).toEqual([])
    expect(again).not.toBe(first)
    expect(again.children.map((node) => node.type)).toEqual(['heading', 'paragraph'])
    expect(again.children[1].position?.start).toEqual({line: 3, column: 1, offset: 9})
    expect(again.children[1].data).toEqual({sourceFile: 'a.md'})

    const changed = parseMarkdown('# Title\n\nSome *new* text.\n', 'a.md', cache)
    expect(takeParsedFiles()).toEqual(['a.md'])
    expect(JSON.stringify(changed)).toContain('new')
  })

  it('are not disturbed by parses without a cache (caption snippets of the same file)', () => {
    keepParsedTrees(true)
    parseMarkdown('Text with a figure.\n', 'c.md', cache)
    expect(takeParsedFiles()).toEqual(['c.md'])
    parseMarkdown('Caption *one*', 'c.md')
    parseMarkdown('Text with a figure.\n', 'c.md', cache)
    expect(takeParsedFiles()).toEqual([])
  })

  it('are forgotten when the session ends', () => {
    keepParsedTrees(true)
    parseMarkdown('Text.\n', 'd.md', cache)
    keepParsedTrees(false)
    keepParsedTrees(true)
    parseMarkdown('Text.\n', 'd.md', cache)
    expect(takeParsedFiles()).toEqual(['d.md'])
  })
})
