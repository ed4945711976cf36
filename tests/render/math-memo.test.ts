/** Typeset formulas kept by a project's session: reused by its next build, never by another project, never stale. */
import type {Raw} from 'mdast-util-to-hast'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {createMathRenderer} from '../../pipeline/render/math.ts'

const at = {type: 'inlineMath', position: {start: {line: 1, column: 1}, end: {line: 1, column: 6}}}

function html(rendered: ReturnType<ReturnType<typeof createMathRenderer>['render']>): string {
  expect(rendered.type).toBe('raw')
  return (rendered as unknown as Raw).value
}

describe('typeset formulas kept by the session', () => {
  it('are reused by the session\'s next build and not seen by another session', () => {
    const session = new ProjectSession({keepsBuilds: true})
    const other = new ProjectSession({keepsBuilds: true})
    const first = html(createMathRenderer(new VFile(), {session}).render('x^2', false, at))
    expect(session.typesetFormulas.peek('inline\u0000x^2')).toBe(first)
    expect(other.typesetFormulas.peek('inline\u0000x^2')).toBeUndefined()
    // The next build hands out the kept HTML, byte for byte; display mode is another formula.
    expect(html(createMathRenderer(new VFile(), {session}).render('x^2', false, at))).toBe(first)
    expect(html(createMathRenderer(new VFile(), {session}).render('x^2', true, at))).not.toBe(first)
  })

  it('do not serve a formula that used a macro once its definition is gone', () => {
    const session = new ProjectSession({keepsBuilds: true})
    const withMacro = createMathRenderer(new VFile(), {session})
    html(withMacro.render('\\gdef\\speed{v}', false, at))
    expect(html(withMacro.render('\\speed', false, at))).toContain('>v<')
    // The next build no longer defines \speed: the formula is an error again, as it would be in a fresh process.
    const file = new VFile()
    const rendered = createMathRenderer(file, {session}).render('\\speed', false, at)
    expect(rendered.type).toBe('element')
    expect(file.messages.map((message) => message.ruleId)).toEqual(['math-syntax'])
  })
})
