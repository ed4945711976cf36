/**
 * Markdown inside HTML blocks (pandoc's `markdown_in_html_blocks`): block-level tags are raw HTML one by one, the
 * text between them Markdown. Fixtures: fixtures/<case>/input.md beside expected.html (the body as rendered);
 * `UPDATE=1` rewrites expected.html. Each was checked against pandoc 2.17 (`pandoc -f markdown -t html`), which
 * puts each raw tag on a line of its own; the differences that remain are named in the fixture's input.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {toHtml} from 'hast-util-to-html'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../../pipeline/syntax/parse.ts'
import {defaultLabels, manuscriptToHast} from '../../../pipeline/render/to-hast.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'
import {placeholdersTransform} from '../../../pipeline/check/placeholders.ts'
import {checkRawHtmlLoads} from '../../../pipeline/render/raw-html-loads.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')

function render(source: string): {html: string; tree: Root} {
  const file = new VFile({path: 'manuscript.md'})
  const tree = parseText(source, 'manuscript.md')
  const html = toHtml(manuscriptToHast(structuredClone(tree), {labels: defaultLabels, file}), {allowDangerousHtml: true})
  return {html, tree}
}

describe('fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const {html} = render(readFileSync(path.join(fixtures, name, 'input.md'), 'utf8'))
      const expectedFile = path.join(fixtures, name, 'expected.html')
      if (process.env.UPDATE) writeFileSync(expectedFile, html + '\n')
      expect(existsSync(expectedFile), `${expectedFile} exists (write it with UPDATE=1)`).toBe(true)
      expect(html + '\n').toBe(readFileSync(expectedFile, 'utf8'))
    })
  }
})

describe('tags and text between them', () => {
  it('are html nodes and paragraphs at their own lines and columns', () => {
    const {tree} = render('<table>\n    <tr><td>A *b*</td>\n    </tr>\n</table>\n')
    const found: string[] = []
    walk(tree, (node) => {
      if (node.type === 'root' || !node.position) return
      const {start, end} = node.position
      const value = 'value' in node ? ` ${JSON.stringify(node.value)}` : ''
      const plain = node.type === 'paragraph' && node.data?.plain ? ' plain' : ''
      found.push(`${node.type}${plain}${value} ${start.line}:${start.column}-${end.line}:${end.column}`)
    })
    expect(found).toEqual([
      'html "<table>" 1:1-1:8',
      'html "<tr>" 2:5-2:9',
      'html "<td>" 2:9-2:13',
      'paragraph plain 2:13-2:18',
      'text "A " 2:13-2:15',
      'emphasis 2:15-2:18',
      'text "b" 2:16-2:17',
      'html "</td>" 2:18-2:23',
      'html "</tr>" 3:5-3:10',
      'html "</table>" 4:1-4:9'
    ])
  })

  it('let check find a placeholder in a table cell at its line and column', () => {
    const source = '<table>\n<tr>\n<td>Mean: TODO</td>\n    <td>XXX plots</td>\n</tr>\n</table>\n'
    const tree = parseText(source, 'doc.md')
    const file = new VFile({path: 'doc.md', value: source})
    placeholdersTransform(tree, file, {sourceText: () => source})
    expect(file.messages.filter((message) => message.ruleId === 'placeholder').map((message) => `${message.line}:${message.column}`)).toEqual(['3:11', '4:9'])
  })

  it('keep each tag whole for the check of what raw HTML loads, which reports a remote file at its tag', () => {
    const source = '<table>\n<tr>\n<td background="https://example.org/bg.png">*cell*</td>\n</tr>\n</table>\n'
    const file = new VFile({path: 'manuscript.md'})
    checkRawHtmlLoads(parseText(source, 'manuscript.md'), file, {folder: '/nonexistent/build', shown: 'build'})
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId}`)).toEqual(['3:1 remote-resource'])
    expect(file.messages[0].reason).toContain('https://example.org/bg.png')
  })
})
