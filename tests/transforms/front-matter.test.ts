import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {Root} from 'mdast'
import remarkFrontmatter from '../../pipeline/syntax/frontmatter/index.ts'
import {frontMatterTransform} from '../../pipeline/transforms/front-matter.ts'

function read(source: string) {
  const tree = unified().use(remarkParse).use(remarkFrontmatter).parse(source) as Root
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
})
