/**
 * pandoc's `latex_macros`: `\newcommand` definitions in raw LaTeX blocks expanded in the math after them, in
 * document order; a macro that uses itself is reported at the formula and leaves it as written.
 */
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parseText} from '../../pipeline/syntax/parse.ts'
import {expandMacros, latexMacrosTransform, readDefinitions} from '../../pipeline/transforms/latex-macros.ts'
import {walk} from '../../pipeline/syntax/walk.ts'

function formulas(source: string): {values: string[]; file: VFile} {
  const tree: Root = parseText(source, 'manuscript.md')
  const file = new VFile({path: 'manuscript.md'})
  latexMacrosTransform(tree, file)
  const values: string[] = []
  walk(tree, (node) => {
    if (node.type === 'inlineMath' || node.type === 'math' || node.type === 'rawBlock') values.push((node as {value: string}).value)
  })
  return {values, file}
}

describe('readDefinitions', () => {
  it('reads \\newcommand in its forms: braced or bare name, arguments, an optional first argument, a starred form', () => {
    const definitions = readDefinitions('\\newcommand{\\a}{x}\n\\newcommand\\b[2]{#1+#2}\n\\renewcommand*{\\c}[2][0]{#1,#2}\n\\providecommand{\\d}{{y}}')
    expect(definitions).toEqual([
      ['a', {arity: 0, optionalDefault: undefined, body: 'x'}],
      ['b', {arity: 2, optionalDefault: undefined, body: '#1+#2'}],
      ['c', {arity: 2, optionalDefault: '0', body: '#1,#2'}],
      ['d', {arity: 0, optionalDefault: undefined, body: '{y}'}]
    ])
  })

  it('stops at a definition whose braces never close', () => {
    expect(readDefinitions('\\newcommand{\\a}{x}\n\\newcommand{\\b}[1]{\\c{#1}')).toEqual([['a', {arity: 0, optionalDefault: undefined, body: 'x'}]])
  })
})

describe('expandMacros', () => {
  const macros = new Map(readDefinitions('\\newcommand{\\pair}[2]{(#1,#2)}\n\\newcommand{\\half}{\\frac{1}{2}}\n\\newcommand{\\loop}{\\loop x}'))

  it('expands arguments given as groups, control sequences or single characters, and macros inside expansions', () => {
    expect(expandMacros('\\pair{a}{\\half} + \\pair x\\alpha', macros, 1000)).toBe('(a,\\frac{1}{2}) + (x,\\alpha)')
    expect(expandMacros('\\halfway \\pair', macros, 1000)).toBe('\\halfway (#1,#2)')
  })

  it('gives up on an expansion that does not end, within its limit', () => {
    expect(expandMacros('\\loop', macros, 10_000)).toBeUndefined()
  })

  it('reads arguments whose braces never close in bounded time', () => {
    const hostile = '\\pair{'.repeat(40_000)
    const started = performance.now()
    expect(expandMacros(hostile, macros, hostile.length + 100_000)).toBeUndefined()
    expect((performance.now() - started) / 1000).toBeLessThan(5)
  })
})

describe('latexMacrosTransform', () => {
  it('applies definitions to the math after them only, in display math and math environments too', () => {
    const {values, file} = formulas('$\\R$ before\n\n\\newcommand{\\R}{\\mathbb{R}}\n\n$\\R$ and\n\n$$\\R^2$$\n\n\\begin{equation}\n\\R^3\n\\end{equation}\n')
    expect(values).toEqual(['\\R', '\\newcommand{\\R}{\\mathbb{R}}', '\\mathbb{R}', '\\mathbb{R}^2', '\\begin{equation}\n\\mathbb{R}^3\n\\end{equation}'])
    expect(file.messages).toEqual([])
  })

  it('reports a macro that uses itself at the formula, which stays as written', () => {
    const {values, file} = formulas('\\newcommand{\\x}{\\x\\x}\n\nText $a + \\x$.\n')
    expect(values[1]).toBe('a + \\x')
    expect(file.messages.map((message) => `${message.line}:${message.column} ${message.ruleId} ${message.reason}`)).toEqual([
      '3:6 latex-macro The LaTeX macros in this formula expand without end (a macro that uses itself?), so they are left unexpanded in it. Define the macro without using itself.'
    ])
  })
})
