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
})
