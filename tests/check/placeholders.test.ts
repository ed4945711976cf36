import type {Nodes, Paragraph, Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {toHtml} from 'hast-util-to-html'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {placeholdersTransform, type PlaceholderMemo, type PlaceholdersOptions} from '../../pipeline/check/placeholders.ts'
import {runAuthorPatterns} from '../../pipeline/check/pattern-runner.ts'
import {compilePattern, findPlaceholderWords} from '../../pipeline/check/patterns.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {attributesTransform} from '../../pipeline/transforms/attributes.ts'
import {frontMatterTransform} from '../../pipeline/transforms/front-matter.ts'
import {figuresTransform} from '../../pipeline/transforms/figures.ts'
import {notesTransform} from '../../pipeline/transforms/notes.ts'
import {smartPunctuationTransform} from '../../pipeline/transforms/smart-punctuation.ts'

/** The analysis up to and including placeholders, as pipeline/analyse.ts runs it, on one file in memory. */
function run(source: string, options: Partial<PlaceholdersOptions> = {}, files: Record<string, string> = {}) {
  const all: Record<string, string> = {'doc.md': source, ...files}
  const tree = parseMarkdown(source, 'doc.md')
  const file = new VFile({path: 'doc.md', value: source})
  attributesTransform(tree, file)
  notesTransform(tree, file)
  figuresTransform(tree, file)
  smartPunctuationTransform(tree)
  const found = placeholdersTransform(tree, file, {sourceText: (name) => all[name], ...options})
  return {tree, file, found}
}

/** 1-based line and column of the `occurrence`-th `needle` in `text`, counted by hand. */
function placeOf(text: string, needle: string, occurrence = 0): {line: number; column: number} {
  let index = -1
  for (let count = 0; count <= occurrence; count++) index = text.indexOf(needle, index + 1)
  if (index === -1) throw new Error(`${needle} not in text`)
  const before = text.slice(0, index)
  return {line: before.split('\n').length, column: index - before.lastIndexOf('\n')}
}

function html(tree: Root): string {
  return toHtml(toHast(tree))
}

function firstParagraph(tree: Root): Paragraph {
  return tree.children.find((child) => child.type === 'paragraph') as Paragraph
}

function reported(file: VFile) {
  return file.messages.filter((message) => message.ruleId === 'placeholder').map((message) => ({line: message.line, column: message.column}))
}

describe('placeholder words', () => {
  it('finds TODO and FIXME in any case, TBD, TK and runs of X or Y as whole words', () => {
    const text = 'TODO todo FixMe TBD TK XX XXX% YYY (TODO) XX-XX'
    expect(findPlaceholderWords(text).map((match) => match.text)).toEqual(['TODO', 'todo', 'FixMe', 'TBD', 'TK', 'XX', 'XXX', 'YYY', 'TODO', 'XX', 'XX'])
  })

  it('leaves words that only contain them, lowercase x and y, and date formats', () => {
    const text = 'TODOS MYTODO todo_list XXL XIX Tbd tk xx yyy X Y YYYY-MM-DD DD/MM/YYYY MM.DD.YY Tier 2 (TIP) éXX 3TBD _TK \u{1D400}TODO'
    expect(findPlaceholderWords(text)).toEqual([])
  })

  it('reads patterns as `source` or `/source/flags` and refuses one that matches empty text', () => {
    expect('see (map) and (MAP)'.match(compilePattern('\\(MAP\\)'))).toEqual(['(MAP)'])
    expect('see (map) and (MAP)'.match(compilePattern('/\\(map\\)/i'))).toEqual(['(map)', '(MAP)'])
    expect(() => compilePattern('x*')).toThrow(/empty/)
    expect(() => compilePattern('(x')).toThrow(SyntaxError)
  })
})

describe('placeholdersTransform', () => {
  it('reports each placeholder at the line and column of its first character', () => {
    const source = 'Intro line.\n\nWe surveyed XXX NGOs, of which only XX% replied.\nA second line with TODO.\n'
    const {file, found} = run(source)
    expect(found.map((each) => each.text)).toEqual(['XXX', 'XX', 'TODO'])
    expect(reported(file)).toEqual([placeOf(source, 'XXX'), placeOf(source, 'XX%'), placeOf(source, 'TODO')])
    const message = file.messages[0]
    expect(message.ruleId).toBe('placeholder')
    expect(message.fatal).toBe(false)
    expect(message.place).toEqual({
      start: {...placeOf(source, 'XXX'), offset: source.indexOf('XXX')},
      end: {line: placeOf(source, 'XXX').line, column: placeOf(source, 'XXX').column + 3, offset: source.indexOf('XXX') + 3}
    })
  })

  it('counts columns in the source, past escapes, entities and smart quotes', () => {
    const source = 'It\'s \\*not\\* &amp; "quoted" -- and then XXX.\n'
    const {file, tree} = run(source)
    expect(reported(file)).toEqual([placeOf(source, 'XXX')])
    expect(html(tree)).toContain('<mark class="placeholder" title="Placeholder: replace it before submitting">XXX</mark>.')
  })

  it('wraps a placeholder in a mark node with its own position, splitting the text around it', () => {
    const source = 'in XXX countries\n'
    const paragraph = firstParagraph(run(source).tree)
    expect(paragraph.children.map((child) => child.type)).toEqual(['text', 'placeholder', 'text'])
    const [before, mark, after] = paragraph.children as unknown as [Nodes, {children: Nodes[]; position: unknown}, Nodes]
    expect(before).toMatchObject({value: 'in ', position: {start: {column: 1}, end: {column: 4}}})
    expect(mark.children).toMatchObject([{type: 'text', value: 'XXX', position: {start: {column: 4}, end: {column: 7}}}])
    expect(mark.position).toMatchObject({start: {line: 1, column: 4}, end: {line: 1, column: 7}})
    expect(after).toMatchObject({value: ' countries', position: {start: {column: 7}}})
  })

  it('finds a TODO inside inline code at its own column and highlights the whole code', () => {
    const source = 'Software:\n\n`TODO: match the journal house style`\n'
    const {file, tree} = run(source)
    expect(reported(file)).toEqual([placeOf(source, 'TODO')])
    expect(file.messages[0].reason).toContain('"TODO: match the journal house style" in inline code')
    expect(html(tree)).toContain('<mark class="placeholder" title="Placeholder: replace it before submitting"><code>TODO: match the journal house style</code></mark>')
  })

  it('finds placeholders in HTML comments, which stay unwrapped', () => {
    const source = 'Text <!-- FIXME: cite --> more.\n\n<!--\n  TODO: block comment\n-->\n'
    const {file, tree} = run(source)
    expect(reported(file)).toEqual([placeOf(source, 'FIXME'), placeOf(source, 'TODO')])
    expect(html(tree)).not.toContain('<mark')
  })

  it('reports a span wrapped in braces once, and highlights it across other inline nodes', () => {
    const source = 'The report was criticized for {XXX and *for* YYY}. {Stuff here.}\n'
    const {file, tree} = run(source)
    expect(reported(file)).toEqual([placeOf(source, '{XXX'), placeOf(source, '{Stuff')])
    expect(file.messages[0].place).toMatchObject({end: {column: placeOf(source, '}.').column + 1}})
    expect(html(tree)).toContain('for <mark class="placeholder" title="Placeholder: replace it before submitting">{XXX and <em>for</em> YYY}</mark>. <mark')
  })

  it('reports no word inside a braced span, a span around a note with braces of its own included', () => {
    const source = 'Done {see^[An {inner note here}.] the TODO list} and {Stuff here.} then TODO.\n'
    const {file} = run(source)
    // The outer span (one finding for it: not its TODO, nor the span in its note), the second span, the last TODO.
    expect(reported(file)).toEqual([placeOf(source, '{see'), placeOf(source, '{Stuff'), placeOf(source, 'TODO', 1)])
  })

  it('does not take attribute blocks, escaped braces or TeX groups for notes', () => {
    const source = '# Title {#sec:a}\n\n![A caption](a.png){#fig:a width=50%}\n\nEscaped \\{note\\}, \\emph{x}, a_{ij}, {} and {1, 2}.\n'
    const {file} = run(source)
    expect(reported(file)).toEqual([])
  })

  it('skips math and, unless asked, code blocks', () => {
    const source = 'Math $XX + TODO$ here.\n\n```\nTODO in code\n```\n\n    XXX indented\n'
    expect(reported(run(source).file)).toEqual([])
    expect(reported(run(source, {codeBlocks: true}).file)).toEqual([placeOf(source, 'TODO in'), placeOf(source, 'XXX')])
  })

  it('finds placeholders in notes and captions where they are written', () => {
    const source = 'Text.^[An inline note with XX.] More.[^a]\n\n![Caption with TBD](a.png){#fig:a}\n\n[^a]: A note with TODO.\n'
    const {file, found} = run(source)
    expect(reported(file)).toEqual([placeOf(source, 'XX.'), placeOf(source, 'TBD'), placeOf(source, 'TODO')])
    expect(found.map((each) => each.context)).toEqual(['text', 'image description', 'text'])
  })

  it('reports an included node at its own file and position', () => {
    const included = 'Part two.\n\nWe asked XX people.\n'
    const tree = parseMarkdown('Intro.\n', 'doc.md')
    tree.children.push(...parseMarkdown(included, 'sections/part.md').children)
    const file = new VFile({path: 'doc.md'})
    placeholdersTransform(tree, file, {sourceText: (name) => (name === 'doc.md' ? 'Intro.\n' : included)})
    expect(file.messages.map((message) => [message.file, message.line, message.column])).toEqual([['sections/part.md', placeOf(included, 'XX').line, placeOf(included, 'XX').column]])
  })

  it('lets a marker on the line before silence that line, or only the words it names', () => {
    const source = '<!-- placeholder-ok -->\nThe TODO list app.\n\n<!-- placeholder-ok: XXX -->\nSuper Bowl XXX, date TBD.\n\nAnd XX here.\n'
    const {file, found, tree} = run(source)
    expect(found.map((each) => [each.text, each.silenced])).toEqual([
      ['TODO', true],
      ['XXX', true],
      ['TBD', false],
      ['XX', false]
    ])
    expect(reported(file)).toEqual([placeOf(source, 'TBD'), placeOf(source, 'XX here')])
    expect(html(tree).match(/<mark/g)).toHaveLength(2)
  })

  it('reports a marker that silences nothing as info', () => {
    const source = 'Text.\n\n<!-- placeholder-ok -->\nNothing to silence.\n'
    const {file} = run(source)
    expect(file.messages.map((message) => [message.ruleId, message.fatal, message.line])).toEqual([['unused-placeholder-marker', undefined, 3]])
  })

  it('adds the author’s patterns, and one finding where a pattern and a word overlap', () => {
    const source = 'Section two opens with (MAP) and XXX regions.\n'
    const {file, found} = run(source, {patterns: ['\\(MAP\\)', 'XXX regions']})
    expect(found.map((each) => [each.kind, each.text])).toEqual([
      ['pattern', '(MAP)'],
      ['pattern', 'XXX regions']
    ])
    expect(reported(file)).toEqual([placeOf(source, '(MAP)'), placeOf(source, 'XXX')])
    expect(file.messages[0].reason).toContain('by your pattern \\(MAP\\)')
  })

  it('stops an author’s pattern that backtracks without end, reports it at its place in the config, and runs the others', () => {
    const source = 'A DRAFT here.\n\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n\nAnd TKTK there.\n'
    const {file, found} = run(source, {
      patterns: ['DRAFT', '(a+)+$', 'TKTK'],
      patternPlaces: [3, 4, 5].map((line) => ({sourceFile: 'manuscript.yaml', line, column: 7}))
    })
    expect(found.map((each) => [each.kind, each.text, each.position.start.line])).toEqual([
      ['pattern', 'DRAFT', 1],
      ['pattern', 'TKTK', 5]
    ])
    const stopped = file.messages.filter((message) => message.ruleId === 'config')
    expect(stopped.map((message) => [message.file, message.line, message.column, message.fatal])).toEqual([['manuscript.yaml', 4, 7, true]])
    expect(stopped[0].reason).toMatch(/^Placeholder pattern "\(a\+\)\+\$" was stopped after 2 s on the manuscript's text: it backtracks too much .* Rewrite it/)
  })

  it('runs the author’s patterns in one worker, in order, with partial results when one is stopped', () => {
    const patterns = ['b', '(a+)+$', 'c', '(x+x+)+y', 'd'].map((written) => ({written, expression: compilePattern(written)}))
    const texts = ['abcd', `${'a'.repeat(50)}!`, `d ${'x'.repeat(60)}`]
    const run = runAuthorPatterns(patterns, texts, 200)
    expect(run.stopped).toEqual([1, 3])
    expect(run.matches.map((matches) => matches.map((match) => `${match.pattern}@${match.index}`))).toEqual([['b@1', 'c@2', 'd@3'], [], ['d@0']])
  })

  it('looks in every metadata block: the front matter, later blocks, an included file’s', () => {
    const source = '---\ntitle: Draft TBD\n---\n\nBody.\n\n---\nabstract: XXX words\n---\n'
    const tree = parseMarkdown(source, 'doc.md')
    const part = parseMarkdown('---\nsubtitle: TODO\n---\n', 'part.md')
    tree.children.push(...part.children)
    const file = new VFile({path: 'doc.md'})
    const {yamlBlocks} = frontMatterTransform(tree, file)
    const found = placeholdersTransform(tree, file, {sourceText: (name) => (name === 'doc.md' ? source : '---\nsubtitle: TODO\n---\n'), metadataBlocks: yamlBlocks})
    expect(found.map((each) => [each.context, each.sourceFile, each.position.start.line, each.position.start.column])).toEqual([
      ['front matter', 'doc.md', 2, 14],
      ['front matter', 'doc.md', 8, 11],
      ['front matter', 'part.md', 2, 11]
    ])
  })
})

describe('placeholdersTransform, special sources', () => {
  it('counts lines of a file with CRLF line endings', () => {
    const source = 'Line one.\r\n\r\nWith XXX here.\r\n'
    expect(reported(run(source).file)).toEqual([{line: 3, column: 6}])
  })

  it('reports a file included twice once, and highlights both copies', () => {
    const included = 'We asked XX people.\n'
    const tree = parseMarkdown('Intro.\n', 'doc.md')
    tree.children.push(...parseMarkdown(included, 'part.md').children, ...parseMarkdown(included, 'part.md').children)
    const file = new VFile({path: 'doc.md'})
    placeholdersTransform(tree, file, {sourceText: (name) => (name === 'doc.md' ? 'Intro.\n' : included)})
    expect(file.messages).toHaveLength(1)
    expect(html(tree).match(/<mark class="placeholder"[^>]*>XX<\/mark>/g)).toHaveLength(2)
  })
})

describe('placeholdersTransform, long paragraphs', () => {
  /** CPU milliseconds of the placeholders transform alone on `source`, the fastest of two runs. */
  const cpu = (source: string) => {
    let best = Number.POSITIVE_INFINITY
    for (let round = 0; round < 2; round++) {
      const tree = parseMarkdown(source, 'doc.md')
      smartPunctuationTransform(tree)
      const start = process.cpuUsage()
      placeholdersTransform(tree, new VFile({path: 'doc.md', value: source}), {sourceText: () => source})
      const used = process.cpuUsage(start)
      best = Math.min(best, (used.user + used.system) / 1000)
    }
    return best
  }
  // Each placeholder was looked for again in its whole paragraph (and each word against every braced span): 20,000
  // of them in one paragraph took over two minutes.
  it('finds thousands of placeholders and braced spans in one paragraph in linear time', {timeout: 120_000}, () => {
    const paragraph = (n: number) => Array.from({length: n}, (_, index) => `{note ${index}} TODO`).join(' ') + '\n'
    const small = cpu(paragraph(2000))
    const large = cpu(paragraph(8000))
    expect(run(paragraph(2000)).file.messages).toHaveLength(4000)
    // Linear: about 4 times as long; the quadratic search was about 16 times.
    expect(large / small, `2,000: ${small.toFixed(0)} ms, 8,000: ${large.toFixed(0)} ms`).toBeLessThan(10)
  })
})

describe('placeholdersTransform, from one rebuild to the next', () => {
  const memo = (): PlaceholderMemo => new Map()

  it('reports what a fresh scan reports, on the same text and after an edit that moves it', () => {
    const kept = memo()
    const first = 'Intro.\n\nThe effect is XX percent. TODO: cite it.\n\nMore {Stuff here.} text.\n'
    const fresh = reported(run(first).file)
    expect(reported(run(first, {memo: kept}).file)).toEqual(fresh)
    // Again from what the memo kept: the same places.
    expect(reported(run(first, {memo: kept}).file)).toEqual(fresh)
    // Lines added above: every place moves down with its text, as a scan of the new text finds it.
    const edited = `Two lines\nadded.\n\n${first}`
    expect(reported(run(edited, {memo: kept}).file)).toEqual(reported(run(edited).file))
    expect(reported(run(edited, {memo: kept}).file)[0]).toEqual(placeOf(edited, 'XX'))
  })
})
