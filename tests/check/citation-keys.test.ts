/** Citation keys checked without citeproc (for `check`), and reported once by the build that formats them. */
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {loadBibliography, type CslItem} from '../../pipeline/bibliography/index.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {citationKeysTransform, citationsTransform} from '../../pipeline/transforms/citations.ts'

const bib = '@book{doe,\n  author = {Doe, Jane},\n  title = {A Book},\n  publisher = {Press},\n  year = 2001\n}\n@book{unused,\n  author = {Nobody, Ned},\n  title = {Never Cited},\n  year = 1999\n}\n@book{listed,\n  author = {Lister, Lee},\n  title = {Listed},\n  year = 1998\n}\n'
const markdown = 'As [@doe, 12] and [@dow] argue.^[See also @roe.]\n\nAgain @dow.\n'

function items(): CslItem[] {
  return loadBibliography(['refs.bib'], {file: new VFile({path: 'doc.md'}), readFile: () => bib}).items
}

function parsed(): {tree: Root; file: VFile} {
  return {tree: parseMarkdown(markdown, 'doc.md'), file: new VFile({path: 'doc.md', value: markdown})}
}

function summary(file: VFile) {
  return file.messages.map((message) => [message.ruleId, message.line, message.column, message.reason.match(/'([^']+)'/)?.[1]])
}

describe('citationKeysTransform', () => {
  it('reports each unknown key where it is cited, with the nearest key, and unused entries as info', () => {
    const {tree, file} = parsed()
    const keys = citationKeysTransform(tree, file, {items: items(), bibliographyFile: 'refs.bib', nocite: [{key: 'listed'}]})
    expect([...keys.cited]).toEqual(['doe'])
    expect(keys.unknown).toEqual(['dow', 'roe'])
    expect(summary(file)).toEqual([
      ['unknown-citation-key', 1, markdown.indexOf('@dow') + 1, 'dow'],
      ['unknown-citation-key', 1, markdown.indexOf('@roe') + 1, 'roe'],
      ['unknown-citation-key', 3, 7, 'dow'],
      ['unused-bibliography-entry', bib.split('\n').indexOf('@book{unused,') + 1, 1, 'unused']
    ])
    expect(file.messages[0].reason).toContain("did you mean 'doe'?")
    expect(file.messages[3].fatal).toBeUndefined()
  })

  it('is what the build reports, once, when it formats the citations', () => {
    const alone = parsed()
    citationKeysTransform(alone.tree, alone.file, {items: items(), bibliographyFile: 'refs.bib'})
    const built = parsed()
    const stats = citationsTransform(built.tree, built.file, {items: items(), bibliographyFile: 'refs.bib'})
    expect(summary(built.file)).toEqual(summary(alone.file))
    expect(stats.unknownKeys).toEqual(['dow', 'roe'])
    expect(stats.works).toBe(1)
  })
})
