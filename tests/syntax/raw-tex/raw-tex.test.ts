/**
 * Raw TeX (pandoc's `raw_tex`) and raw attributes (`{=html}`): what reaches the HTML. Fixtures: fixtures/<case>/input.md
 * beside expected.html (the body as rendered); `UPDATE=1` rewrites expected.html. What pandoc 2.17 gives for each is
 * the reference they were checked against (`pandoc -f markdown -t html`), up to our own markup (figures, math).
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Root} from 'mdast'
import {toHtml} from 'hast-util-to-html'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../../pipeline/syntax/parse.ts'
import {attributesTransform} from '../../../pipeline/transforms/attributes.ts'
import {rawTexTransform} from '../../../pipeline/transforms/raw-tex.ts'
import {defaultLabels, manuscriptToHast} from '../../../pipeline/render/to-hast.ts'
import type {RawBlock, RawInline} from '../../../pipeline/syntax/types.ts'
import {walk} from '../../../pipeline/syntax/walk.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')

function render(source: string): {html: string; file: VFile; tree: Root} {
  const file = new VFile({path: 'manuscript.md'})
  const tree = parseText(source, 'manuscript.md')
  attributesTransform(tree, file, {leftovers: 'text'})
  rawTexTransform(tree, file)
  const html = toHtml(manuscriptToHast(structuredClone(tree), {labels: defaultLabels, file}), {allowDangerousHtml: true})
  return {html, file, tree}
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

describe('raw TeX nodes', () => {
  it('keep the LaTeX as written, with positions, commands and environments', () => {
    const {tree} = render('Text \\foo[a]{b} d\n\n\\begin{tabular}{rr}\na & b\n\n\\end{tabular}\n')
    const found: Array<RawInline | RawBlock> = []
    walk(tree, (node) => {
      if (node.type === 'rawInline' || node.type === 'rawBlock') found.push(node as RawInline | RawBlock)
    })
    expect(found.map((node) => [node.type, node.value, node.commands, node.environments, node.position?.start.line, node.position?.start.column, node.position?.end.line, node.position?.end.column])).toEqual([
      ['rawInline', '\\foo[a]{b}', ['foo'], [], 1, 6, 1, 16],
      ['rawBlock', '\\begin{tabular}{rr}\na & b\n\n\\end{tabular}', ['begin'], ['tabular'], 3, 1, 6, 14]
    ])
  })

  it('give one info per dropped block, none for page breaks, layout commands or math', () => {
    const {file} = render('\\newpage\n\n\\vspace{1em}\n\\noindent\n\n\\begin{tabular}{p{5.4cm}rr}\nx\n\\end{tabular}\n\n\\begin{equation}\nx\n\\end{equation}\n\n```{=latex}\n\\section*{Goals}\n```\n')
    expect(file.messages.map((message) => [message.line, message.column, message.ruleId, message.fatal])).toEqual([
      [6, 1, 'raw-latex', undefined],
      [14, 1, 'raw-latex', undefined]
    ])
    expect(file.messages[0].reason).toContain('left out of the HTML and the PDF')
  })
})
