/** The in-memory layer in front of the parse cache that lets a watch session re-parse only the file that changed. */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {parseMarkdown, parseText} from '../../pipeline/syntax/parse.ts'

// No folder: the disk cache is off, so only the memory can spare a parse.
const cache = new DerivedCache(undefined)

describe('parsed trees kept in memory', () => {
  it('parse a file again only when its text changed, and hand out a fresh copy each time', () => {
    const session = new ProjectSession({keepsBuilds: true})
    const first = parseMarkdown('# Title\n\nSome *text*.\n', 'a.md', cache, session)
    parseMarkdown('Other file.\n', 'b.md', cache, session)
    expect(session.parsing.takeParsedFiles().sort()).toEqual(['a.md', 'b.md'])

    // Transforms change the tree they get; the kept one must not change with it.
    first.children.pop()
    const again = parseMarkdown('# Title\n\nSome *text*.\n', 'a.md', cache, session)
    expect(session.parsing.takeParsedFiles()).toEqual([])
    expect(again).not.toBe(first)
    expect(again.children.map((node) => node.type)).toEqual(['heading', 'paragraph'])
    expect(again.children[1].position?.start).toEqual({line: 3, column: 1, offset: 9})
    expect(again.children[1].data).toEqual({sourceFile: 'a.md'})

    const changed = parseMarkdown('# Title\n\nSome *new* text.\n', 'a.md', cache, session)
    expect(session.parsing.takeParsedFiles()).toEqual(['a.md'])
    expect(JSON.stringify(changed)).toContain('new')
  })

  it('hand the next build a copy made ahead, once, and make another for a second place', () => {
    const session = new ProjectSession({keepsBuilds: true})
    const text = '# Title\n\nSome *text*.\n'
    const first = parseMarkdown(text, 'a.md', cache, session)
    session.parsing.takeParsedFiles()
    session.parsing.prepareCopies()
    const prepared = session.parsing.trees.get('a.md')!.copy
    expect(prepared).toEqual(first)
    expect(prepared).not.toBe(session.parsing.trees.get('a.md')!.tree)
    // A transform changed the tree of the last build: the copy made ahead is the parse, not that.
    first.children.pop()
    const again = parseMarkdown(text, 'a.md', cache, session)
    expect(again).toBe(prepared)
    expect(again.children.map((node) => node.type)).toEqual(['heading', 'paragraph'])
    // The same file at a second place: a copy of its own.
    const second = parseMarkdown(text, 'a.md', cache, session)
    expect(second).not.toBe(again)
    expect(second).toEqual(again)
    expect(session.parsing.takeParsedFiles()).toEqual([])
    // An edited text is parsed; the copy made ahead of the old text is not used.
    session.parsing.prepareCopies()
    const edited = parseMarkdown('# Title\n\nOther *text*.\n', 'a.md', cache, session)
    expect(JSON.stringify(edited)).toContain('Other')
    expect(session.parsing.takeParsedFiles()).toEqual(['a.md'])
    // The file being edited is likely to be saved again: no copy of it is made ahead, until a build finds it unchanged.
    session.parsing.prepareCopies()
    expect(session.parsing.trees.get('a.md')!.copy).toBeUndefined()
    expect(parseMarkdown('# Title\n\nOther *text*.\n', 'a.md', cache, session)).toEqual(edited)
    session.parsing.prepareCopies()
    expect(session.parsing.trees.get('a.md')!.copy).toEqual(edited)
  })

  it('are not disturbed by parses outside the session', () => {
    const session = new ProjectSession({keepsBuilds: true})
    parseMarkdown('Text with a figure.\n', 'c.md', cache, session)
    expect(session.parsing.takeParsedFiles()).toEqual(['c.md'])
    parseMarkdown('Caption *one*', 'c.md')
    parseMarkdown('Text with a figure.\n', 'c.md', cache, session)
    expect(session.parsing.takeParsedFiles()).toEqual([])
  })

  it('re-parse an edit in place, and leave the disk cache the untouched tree when the session ends', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'parse-memory-'))
    try {
      const disk = new DerivedCache(folder, 'test-version')
      const paragraphs = (edited: string) => ['# Title', 'First.', 'Second.', edited, 'Fourth.', 'Fifth.'].join('\n\n') + '\n'
      const session = new ProjectSession({keepsBuilds: true})
      parseMarkdown(paragraphs('Third.'), 'e.md', disk, session)
      const edited = parseMarkdown(paragraphs('Third, *edited*.'), 'e.md', disk, session)
      expect(session.parsing.takeParsedFiles()).toEqual(['e.md'])
      expect(edited).toEqual(parseText(paragraphs('Third, *edited*.'), 'e.md'))
      // A transform changes what it was given; what is written at the end of the session must be the parse.
      edited.children.length = 1
      session.close()
      const fromDisk = disk.read(DerivedCache.slot('mdast', 'e.md'), disk.hash(paragraphs('Third, *edited*.')))
      expect(fromDisk).toEqual(parseText(paragraphs('Third, *edited*.'), 'e.md'))
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })

  it('are forgotten when the session ends', () => {
    const session = new ProjectSession({keepsBuilds: true})
    parseMarkdown('Text.\n', 'd.md', cache, session)
    session.close()
    parseMarkdown('Text.\n', 'd.md', cache, session)
    expect(session.parsing.takeParsedFiles()).toEqual(['d.md'])
  })

  it('belong to one session: two projects with a file of the same path never see each other\'s tree', () => {
    const first = new ProjectSession({keepsBuilds: true})
    const second = new ProjectSession({keepsBuilds: true})
    parseMarkdown('First project.\n', 'manuscript.md', cache, first)
    expect(first.parsing.takeParsedFiles()).toEqual(['manuscript.md'])
    const other = parseMarkdown('Second project.\n', 'manuscript.md', cache, second)
    expect(JSON.stringify(other)).toContain('Second project.')
    expect(second.parsing.takeParsedFiles()).toEqual(['manuscript.md'])
    // The first session's next build finds its own tree in its memory, untouched by the second project's.
    const again = parseMarkdown('First project.\n', 'manuscript.md', cache, first)
    expect(first.parsing.takeParsedFiles()).toEqual([])
    expect(JSON.stringify(again)).toContain('First project.')
  })

  it('are not kept by a one-off build\'s session', () => {
    const session = new ProjectSession()
    parseMarkdown('Text.\n', 'f.md', cache, session)
    expect(session.parsing.trees.size).toBe(0)
  })
})
