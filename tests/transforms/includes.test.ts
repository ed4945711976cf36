import type {Paragraph, Root, Text} from 'mdast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {frontMatterTransform} from '../../pipeline/transforms/front-matter.ts'
import {includesTransform} from '../../pipeline/transforms/includes.ts'
import {projectFromFiles} from '../support/project.ts'

const project = (tree: Record<string, string>) => projectFromFiles(tree, 'includes-')

function expand(root: string, entry = 'manuscript/manuscript.md') {
  const files = new ProjectFiles(root)
  const file = new VFile({path: entry})
  const tree: Root = parseMarkdown(files.readText(entry, '<test>'), entry)
  includesTransform(tree, file, {files, parse: parseMarkdown})
  return {tree, file, files}
}

const texts = (tree: Root) => tree.children.filter((node): node is Paragraph => node.type === 'paragraph').map((node) => (node.children[0] as Text).value)

describe('!INCLUDE', () => {
  it('resolves beside the including file first, then from the project root, recursively', () => {
    const root = project({
      'manuscript/manuscript.md': 'Intro.\n\n!INCLUDE "sections/a.md"\n\n!INCLUDE "tables/t.md"\n\nEnd.\n',
      'manuscript/sections/a.md': 'A one.\n\n!INCLUDE "b.md"\n',
      'manuscript/sections/b.md': 'B from beside a.\n',
      'tables/t.md': 'Table from the root.\n'
    })
    const {tree, file, files} = expand(root)
    expect(file.messages).toEqual([])
    expect(texts(tree)).toEqual(['Intro.', 'A one.', 'B from beside a.', 'Table from the root.', 'End.'])
    expect(files.graph.importersOf('manuscript/sections/b.md')).toEqual(['manuscript/sections/a.md'])
    expect(files.graph.importsOf('manuscript/manuscript.md').sort()).toEqual(['manuscript/sections/a.md', 'manuscript/tables/t.md', 'tables/t.md'])
  })

  it('keeps the included file’s own path and line numbers on its nodes', () => {
    const root = project({
      'manuscript/manuscript.md': '---\ntitle: x\n---\n\n!INCLUDE "part.md"\n',
      'manuscript/part.md': '\n\n\nLine four of part.\n'
    })
    const {tree} = expand(root)
    const paragraph = tree.children.find((node) => node.type === 'paragraph')!
    expect(paragraph.data?.sourceFile).toBe('manuscript/part.md')
    expect(paragraph.position?.start).toMatchObject({line: 4, column: 1})
  })

  it('reports a missing file at the directive, naming both places it looked', () => {
    const root = project({'manuscript/manuscript.md': 'Text.\n\n  !INCLUDE "tables/none.md"\n'})
    const {file, files} = expand(root)
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect(message).toMatchObject({file: 'manuscript/manuscript.md', line: 3, column: 3, ruleId: 'missing-include', fatal: true})
    expect(message.reason).toContain('`manuscript/tables/none.md`')
    expect(message.reason).toContain('`tables/none.md`')
    // Watch mode must rebuild when the file appears at either place.
    expect(files.graph.missing).toEqual(new Set(['manuscript/tables/none.md', 'tables/none.md']))
  })

  it('includes a path in single quotes, and reports every include line it cannot read at its place, never as text', () => {
    const root = project({
      'manuscript/manuscript.md': "!INCLUDE 'part.md'\n\n!INCLUDE \"\"\n\n!INCLUDE part.md\n\n!include part.md\n\n!INCLUDE \"sections/*.md\"\n",
      'manuscript/part.md': 'The part.\n'
    })
    const {tree, file} = expand(root)
    expect(texts(tree)).toEqual(['The part.', '⟨include line not understood⟩', '⟨include line not understood⟩', '⟨include line not understood⟩', '⟨missing include: sections/*.md⟩'])
    expect(file.messages.map((message) => [message.line, message.column, message.ruleId, message.fatal])).toEqual([
      [3, 1, 'include-syntax', true],
      [5, 1, 'include-syntax', true],
      [7, 1, 'include-syntax', true],
      [9, 1, 'missing-include', true]
    ])
    expect(file.messages[1].reason).toContain('must be in quotes: `!INCLUDE "part.md"`')
    expect(file.messages[3].reason).toContain('a pattern (sections/*.md) is not expanded into files')
  })

  it('reports a cycle of one file, showing the chain', () => {
    const root = project({'manuscript/manuscript.md': 'A\n\n!INCLUDE "manuscript.md"\n'})
    const {file} = expand(root)
    expect(file.messages.map((m) => [m.ruleId, m.line, m.reason])).toEqual([
      ['include-cycle', 3, 'Include cycle: manuscript/manuscript.md → manuscript/manuscript.md. Remove one of these !INCLUDE lines.']
    ])
  })

  it('reports a cycle of three files at the directive that closes it, in that file', () => {
    const root = project({
      'manuscript/manuscript.md': '!INCLUDE "a.md"\n',
      'manuscript/a.md': '!INCLUDE "b.md"\n',
      'manuscript/b.md': 'text\n\n!INCLUDE "a.md"\n'
    })
    const {file} = expand(root)
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]).toMatchObject({file: 'manuscript/b.md', line: 3, ruleId: 'include-cycle'})
    expect(file.messages[0].reason).toContain('manuscript/a.md → manuscript/b.md → manuscript/a.md')
  })

  it('refuses a binary file', () => {
    const root = project({'manuscript/manuscript.md': '!INCLUDE "data.bin"\n', 'manuscript/data.bin': 'PK\u0003\u0004\u0000\u0000'})
    const {file} = expand(root)
    expect(file.messages.map((m) => m.ruleId)).toEqual(['include-not-text'])
  })

  it('keeps an included file’s metadata blocks, merged into the document’s in reading order, each key placed in its file', () => {
    const root = project({
      'manuscript/manuscript.md': '!INCLUDE "000_meta.md"\n\n!INCLUDE "010_intro.md"\n',
      'manuscript/000_meta.md': '---\n# The thesis metadata\ntitle: A Thesis\nbibliography: refs.bib\n---\n',
      'manuscript/010_intro.md': '# Introduction\n\nText.\n\n---\nlang: en-GB\ntitel: typo\n---\n'
    })
    const {tree, file} = expand(root)
    const meta = frontMatterTransform(tree, file)
    expect(meta).toMatchObject({title: 'A Thesis', bibliography: ['refs.bib'], lang: 'en-GB'})
    expect(meta.keyPlaces).toEqual({
      title: {sourceFile: 'manuscript/000_meta.md', line: 3, column: 1},
      bibliography: {sourceFile: 'manuscript/000_meta.md', line: 4, column: 1},
      lang: {sourceFile: 'manuscript/010_intro.md', line: 6, column: 1},
      titel: {sourceFile: 'manuscript/010_intro.md', line: 7, column: 1}
    })
    expect(tree.children.map((node) => node.type)).toEqual(['heading', 'paragraph'])
    expect(file.messages.map((message) => [message.ruleId, message.file, message.line, message.column])).toEqual([['unknown-front-matter-key', 'manuscript/010_intro.md', 7, 1]])
  })

  it('reports an included file’s front matter that is never closed, at its first line', () => {
    const root = project({
      'manuscript/manuscript.md': '---\ntitle: T\n---\n\n!INCLUDE "meta.md"\n',
      'manuscript/meta.md': '---\nbibliography: refs.bib\n\nText.\n'
    })
    const {tree, file} = expand(root)
    frontMatterTransform(tree, file)
    expect(file.messages.map((message) => [message.ruleId, message.file, message.line])).toEqual([['front-matter', 'manuscript/meta.md', 1]])
  })
})
