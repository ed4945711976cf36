/**
 * The nesting limits as an author meets them: a document nested exactly as deep as the pipeline reads (100 levels
 * of lists, block quotes, divs and footnotes; 100 levels of emphasis, strikeout and links inside that) goes
 * through every stage, parse, transforms, placeholder check, HTML, without a stack overflow; one level more is an
 * error at the construct that goes too deep, and the rest of the document is still read.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.ts'
import {check} from '../../pipeline/check/check.ts'
import {nestingLimit, phrasingNestingLimit} from '../../pipeline/syntax/nesting/syntax.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const projects: string[] = []
afterAll(() => projects.forEach(removeProject))

const marks = ['*', '~~', '_']

/** Emphasis, strikeout and underscore emphasis in turn, `depth` deep, around a TODO. */
function phrasing(depth: number): string {
  const open = Array.from({length: depth}, (_, level) => `${marks[level % 3]}w${level} `).join('')
  const close = Array.from({length: depth}, (_, level) => ` v${depth - 1 - level}${marks[(depth - 1 - level) % 3]}`).join('')
  return `${open}core TODO${close}`
}

/**
 * A list, block quotes and divs each nested `depth` deep, each holding phrasing nested `phrasingDepth` deep; a
 * paragraph of such phrasing; then a paragraph with a TODO.
 */
function deepDocument(depth: number, phrasingDepth: number): string {
  const inner = phrasing(phrasingDepth)
  const list = Array.from({length: depth}, (_, level) => `${'  '.repeat(level)}- item ${level}\n`).join('') + `\n${'  '.repeat(depth)}${inner}\n\n`
  const quotes = `${'> '.repeat(depth)}${inner}\n\n`
  const divs = Array.from({length: depth}, (_, level) => `::: d${level}\n\n`).join('') + `${inner}\n\n` + ':::\n\n'.repeat(depth)
  return `# Deep\n\n${list}Between.\n\n${quotes}${divs}${inner}\n\nAfter the deep parts, a TODO.\n`
}

function project(source: string): string {
  const root = projectFromFiles({'manuscript/manuscript.md': source}, 'nesting-')
  projects.push(root)
  return root
}

const located = (message: {line?: number | null; column?: number | null; ruleId?: string | null}) => `${message.line}:${message.column} ${message.ruleId}`

describe('nesting limits', () => {
  it('builds a document nested as deep as the limits allow, through every stage', {timeout: 120_000}, async () => {
    const root = project(deepDocument(nestingLimit, phrasingNestingLimit))
    const result = await build({root, to: ['html']})
    expect(result.messages.filter((message) => message.fatal).map(located)).toEqual([])
    const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
    expect(html.split('<blockquote>').length - 1).toBe(nestingLimit)
    expect(html.split('<ul>').length - 1).toBe(nestingLimit)
    expect(html.split('<div class="d').length - 1).toBe(nestingLimit)
    // Four paragraphs with phrasing 100 deep.
    expect(html.split('<em>').length - 1 + html.split('<del>').length - 1).toBe(4 * phrasingNestingLimit)

    // The placeholder check walked to the bottom of each.
    const placeholders = (await check({root})).findings.filter((finding) => finding.rule === 'placeholder')
    expect(placeholders).toHaveLength(5)
  })

  it('reports one level more of each at the construct that goes too deep, and reads the rest', {timeout: 120_000}, async () => {
    const depth = nestingLimit + 1
    const source = deepDocument(depth, depth)
    const root = project(source)
    const lines = source.split('\n')
    const lineOf = (text: string, from = 0) => lines.findIndex((line, index) => index >= from && line.includes(text)) + 1

    const findings = (await check({root})).findings
    const errors = findings.filter((finding) => finding.severity === 'error')
    const listItem = lineOf(`- item ${nestingLimit}`)
    const quote = lineOf('> '.repeat(depth))
    const div = lineOf(`::: d${nestingLimit}`)
    expect(errors.map((error) => `${error.line}:${error.column} ${error.rule}`)).toEqual([
      `${listItem}:${2 * nestingLimit + 1} nesting-too-deep`,
      `${quote}:${2 * nestingLimit + 1} nesting-too-deep`,
      `${div}:1 nesting-too-deep`,
      // The paragraph of phrasing 101 deep, at its 101st level (those in the containers were left out with them).
      `${lines.length - 3}:${phrasing(depth).indexOf(`${marks[nestingLimit % 3]}w${nestingLimit} `) + 1} nesting-too-deep`
    ])
    expect(errors[0].message).toContain('list item is nested more than 100 levels deep')
    expect(errors[3].message).toContain('nested more than 100 levels deep in emphasis')
    // The paragraph after the deep parts is read: its TODO is found.
    expect(findings.some((finding) => finding.rule === 'placeholder' && finding.line === lines.length - 1)).toBe(true)

    const result = await build({root, to: ['html']})
    expect(result.written).toBe(false)
    const byLine = (a: {line?: number | null}, b: {line?: number | null}) => (a.line ?? 0) - (b.line ?? 0)
    expect(result.messages.filter((message) => message.fatal).sort(byLine).map(located)).toEqual(errors.map((error) => `${error.line}:${error.column} ${error.rule}`))
  })
})
