import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {Root} from 'mdast'
import remarkFrontmatter from '../../pipeline/syntax/frontmatter/index.ts'
import {remarkTitleBlock} from '../../pipeline/syntax/title-block/index.ts'
import {frontMatterTransform} from '../../pipeline/transforms/front-matter.ts'
import {walk} from '../../pipeline/syntax/walk.ts'

function read(source: string) {
  const tree = unified().use(remarkParse).use(remarkFrontmatter).use(remarkTitleBlock).parse(source) as Root
  walk(tree, (node) => {
    node.data = {...node.data, sourceFile: 'manuscript/manuscript.md'}
  })
  const file = new VFile({path: 'manuscript/manuscript.md', value: source})
  const meta = frontMatterTransform(tree, file)
  return {meta, file, tree}
}

describe('front matter', () => {
  it('reads a pandoc metadata block closed by `...`, decoding entities in e-mails', () => {
    const {meta, file, tree} = read(
      '---\ntitle: "Notes from the Field"\nauthor:\n- name: Ana Lopez\n  affiliation: Example University\n  email: ana.lopez&#x40;example.edu\ndate: June 2, 2021\npublished: Working draft.\nreference-section-title: References\nkeywords: [a, b]\n...\n\nText.\n'
    )
    expect(file.messages).toEqual([])
    expect(meta.title).toBe('Notes from the Field')
    expect(meta.authors).toEqual([{name: 'Ana Lopez', affiliation: 'Example University', email: 'ana.lopez@example.edu'}])
    expect(meta.date).toBe('June 2, 2021')
    expect(meta.published).toBe('Working draft.')
    expect(meta.referenceSectionTitle).toBe('References')
    expect(meta.keywords).toEqual(['a', 'b'])
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph'])
  })

  it('reads `nocite` as pandoc does, as citations, each key at the place of its `@` in the file', () => {
    const nocite = (yaml: string) => {
      const {meta, file} = read(`---\n${yaml}\n---\n\nText.\n`)
      return {keys: meta.nocite.map(({key, place}) => `${key}@${place?.line}:${place?.column}`), messages: file.messages.map((message) => message.reason)}
    }
    expect(nocite('nocite: "[@*]"')).toEqual({keys: ['*@2:11'], messages: []})
    expect(nocite("nocite: '@*'")).toEqual({keys: ['*@2:10'], messages: []})
    expect(nocite("nocite: '[@a; @b]'")).toEqual({keys: ['a@2:11', 'b@2:15'], messages: []})
    expect(nocite("nocite: '@a, @b'")).toEqual({keys: ['a@2:10', 'b@2:14'], messages: []})
    expect(nocite("nocite:\n- '@a'\n- '[@b; @c]'")).toEqual({keys: ['a@3:4', 'b@4:5', 'c@4:9'], messages: []})
    expect(nocite('nocite: |\n  @a,\n  @b')).toEqual({keys: ['a@3:3', 'b@4:3'], messages: []})
    const bare = nocite('nocite: a, b')
    expect(bare.keys).toEqual([])
    expect(bare.messages).toEqual(['Front matter `nocite` holds no citation: write the keys as citations (`[@a; @b]`, `@a, @b`, or `@*` for every entry); as written it lists nothing.'])
  })

  it('reports bad YAML at its line in the manuscript file', () => {
    const {file} = read('---\ntitle: ok\nauthor: Jane: Doe\ndate: x\n---\n\nText.\n')
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect(message.ruleId).toBe('front-matter')
    expect(message.fatal).toBe(true)
    expect(message.file).toBe('manuscript/manuscript.md')
    // `author: Jane: Doe` is line 3 of the manuscript; the second colon is the problem.
    expect([message.line, message.column]).toEqual([3, 13])
    expect(message.reason).toMatch(/not valid YAML/)
  })

  it('reports front matter that is never closed', () => {
    const {file} = read('---\ntitle: ok\nauthor: me\n\nText.\n')
    expect(file.messages.map((message) => [message.ruleId, message.line])).toEqual([['front-matter', 1]])
  })

  it('accepts a plain author string and a missing block', () => {
    expect(read('---\nauthor: Jane Doe\n---\n').meta.authors).toEqual([{name: 'Jane Doe'}])
    expect(read('# Just text\n').meta).toMatchObject({authors: [], keywords: []})
  })

  it('leaves out values of the wrong type, with a warning at each, so that no "[object Object]" or stray number prints', () => {
    const {meta, file} = read(
      '---\ntitle: 1984\nauthor:\n- name: Ada\n  affiliation: {x: y}\n  email: [a, b]\n- 5\n- name: Grace\n  affiliation: [Navy, Yale]\ndate: 2016\nkeywords: [maps, {a: 1}, 7]\nshort-title: {a: b}\n---\n\nText.\n'
    )
    expect(meta.title).toBe('1984')
    expect(meta.date).toBe('2016')
    expect(meta.authors).toEqual([
      {name: 'Ada', affiliation: undefined, email: undefined},
      {name: 'Grace', affiliation: 'Navy; Yale', email: undefined}
    ])
    expect(meta.keywords).toEqual(['maps', '7'])
    expect(meta.shortTitle).toBeUndefined()
    expect(JSON.stringify(meta.authors)).not.toContain('object')
    expect(file.messages.map((message) => [message.line, message.column, message.fatal, message.reason.replace(/;.*/, '')])).toEqual([
      [12, 14, false, 'Front matter key `short-title` must be text'],
      [5, 16, false, 'Front matter `affiliation` of `author` 1 must be text'],
      [6, 10, false, 'Front matter `email` of `author` 1 must be text'],
      [7, 3, false, 'Front matter `author` 2 must be a name, or a mapping with `name`, `affiliation` and `email`'],
      [11, 18, false, 'Front matter `keywords` item 2 must be text']
    ])
  })

  it('refuses YAML aliases that would expand without bound, at the alias, and reads nothing of it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x]', ...'bcdefgh'.split('').map((key, index) => `${key}: &${key} [${Array(9).fill(`*${'abcdefg'[index]}`).join(', ')}]`)]
    const {meta, file} = read(`---\n${levels.join('\n')}\ntitle: [${Array(9).fill('*h').join(', ')}]\n---\n\nText.\n`)
    expect(meta.title).toBeUndefined()
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]).toMatchObject({line: 5, ruleId: 'front-matter', fatal: true})
    expect(file.messages[0].reason).toMatch(/^Front matter key `d` cannot be read: its aliases \(`\*c` here\) repeat values so often/)
    const cyclic = read('---\ntitle: &t [a, *t]\n---\n\nText.\n')
    expect(cyclic.file.messages.map((message) => [message.line, message.column, message.reason.slice(0, 70)])).toEqual([[2, 15, 'Front matter key `title` cannot be read: the alias `*t` is inside the ']])
  })

  it('merges a later metadata block as pandoc 2.17 does: a key set again takes the later value, the others stay', () => {
    const {meta, file, tree} = read('---\ntitle: First\nlang: en\n---\n\nText.\n\n---\ntitle: Second\nkeywords: [a]\n...\n\nMore.\n')
    expect(meta).toMatchObject({title: 'Second', lang: 'en', keywords: ['a']})
    expect(tree.children.map((node) => node.type)).toEqual(['paragraph', 'paragraph'])
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column, message.reason])).toEqual([
      ['repeated-metadata-key', 9, 1, 'Metadata key `title` is also set at manuscript/manuscript.md:2; as in pandoc, this later value is the one used. Remove the one you do not mean.']
    ])
    expect(meta.keyPlaces).toMatchObject({title: {line: 9, column: 1}, lang: {line: 3, column: 1}, keywords: {line: 10, column: 1}})
  })

  it('reads a block holding only a comment as empty metadata, and ignores keys ending in _ as pandoc does', () => {
    const comment = read('---\n# nothing yet\n---\n\nText.\n')
    expect(comment.file.messages).toEqual([])
    expect(comment.meta).toMatchObject({title: undefined, raw: {}})
    expect(comment.tree.children.map((node) => node.type)).toEqual(['paragraph'])
    const ignored = read('---\ntitle: T\nnotes_: for me\n---\n\nText.\n')
    expect(ignored.file.messages).toEqual([])
    expect(ignored.meta.raw).toEqual({title: 'T'})
  })

  it('reports bad YAML in a later block at its line, naming it a metadata block', () => {
    const {file} = read('---\ntitle: ok\n---\n\nText.\n\n---\nauthor: [Ann\ndate: x\n---\n')
    expect(file.messages.map((message) => [message.ruleId, message.line, message.column])).toEqual([['front-matter', 8, 9]])
    expect(file.messages[0].reason).toMatch(/^The YAML metadata block is not valid YAML: the `\[` on this line is never closed/)
  })

  it('reads a % title block, which a YAML block after it overrides key by key', () => {
    const titled = read('% A title\n  over two lines\n% Ann; Bob\n% 2021-03-02\n\nText.\n')
    expect(titled.file.messages).toEqual([])
    expect(titled.meta).toMatchObject({title: 'A title over two lines', authors: [{name: 'Ann'}, {name: 'Bob'}], date: '2021-03-02'})
    expect(titled.meta.keyPlaces).toMatchObject({title: {line: 1, column: 3}, author: {line: 3, column: 3}, date: {line: 4, column: 3}})
    expect(titled.tree.children.map((node) => node.type)).toEqual(['paragraph'])
    const both = read('% Title block title\n% Ann\n\n---\ntitle: YAML title\n---\n\nText.\n')
    expect(both.meta).toMatchObject({title: 'YAML title', authors: [{name: 'Ann'}]})
    expect(both.file.messages.map((message) => [message.ruleId, message.line])).toEqual([['repeated-metadata-key', 5]])
  })
})
