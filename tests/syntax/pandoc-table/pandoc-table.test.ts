/**
 * Pandoc simple and multiline tables (and pipe tables through the same plugin): node shapes, alignments and
 * exact positions, on fixtures and on the real tables of the corpus (R's pander output, pandoc-crossref tests).
 * Fixtures: fixtures/<case>/input.md beside expected.json (the mdast); `UPDATE=1` rewrites expected.json.
 */
import {existsSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import type {Image, Nodes, Root, Table, TableCell} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import remarkFrontmatter from '../../../pipeline/syntax/frontmatter/index.ts'
import {remarkPandocTable} from '../../../pipeline/syntax/pandoc-table/index.ts'
import {corpus} from '../../support/project.ts'

const fixtures = path.join(import.meta.dirname, 'fixtures')

const parse = (source: string): Root => unified().use(remarkParse).use(remarkPandocTable).parse(source) as Root

function tables(tree: Root): Table[] {
  const found: Table[] = []
  visit(tree, 'table', (table) => {
    found.push(table)
  })
  return found
}

/** A cell's text with its line breaks read as spaces (how a soft break renders). */
function cellText(cell: TableCell): string {
  return toString(cell).replace(/\s*\n\s*/g, ' ')
}

function rowTexts(table: Table): string[][] {
  return table.children.map((row) => row.children.map(cellText))
}

/** Source text as its text nodes read it: backslash escapes of ASCII punctuation resolved. */
function unescape(source: string): string {
  return source.replace(/\\([!-/:-@[-`{-~])/g, '$1')
}

/**
 * Every node has a position whose offsets agree with its line and column, inside its parent's, and every text node's value is
 * where its position says: a one-line text is its source slice; a text over several lines starts and ends
 * there, and each of its lines is on the matching source line.
 */
function expectExactPositions(tree: Root, source: string): void {
  const lineStarts = [0]
  for (const match of source.matchAll(/\r\n|\r|\n/g)) lineStarts.push(match.index + match[0].length)
  const sourceLines = source.split(/\r\n|\r|\n/)
  visit(tree, (node: Nodes) => {
    expect(node.position, `${node.type} has a position`).toBeDefined()
    const {start, end} = node.position!
    for (const point of [start, end]) {
      expect(point.offset, `${node.type} offset at ${point.line}:${point.column}`).toBe(lineStarts[point.line - 1] + point.column - 1)
    }
    const children: Nodes[] = ('children' in node && node.children) || []
    for (const child of children) {
      expect(child.position?.start.offset, `${child.type} starts inside its ${node.type}`).toBeGreaterThanOrEqual(start.offset!)
      expect(child.position?.end.offset, `${child.type} ends inside its ${node.type}`).toBeLessThanOrEqual(end.offset!)
    }
    if (node.type !== 'text') return
    const lines = node.value.split('\n')
    expect(end.line - start.line).toBeGreaterThanOrEqual(lines.length - 1)
    if (lines.length === 1) {
      expect(unescape(source.slice(start.offset, end.offset))).toBe(node.value)
      return
    }
    expect(unescape(sourceLines[start.line - 1].slice(start.column - 1)).startsWith(lines[0])).toBe(true)
    expect(unescape(sourceLines[end.line - 1].slice(0, end.column - 1)).endsWith(lines[lines.length - 1])).toBe(true)
    lines.forEach((line, index) => {
      if (line !== '') expect(unescape(sourceLines[start.line - 1 + index])).toContain(line)
    })
  })
}

describe('fixtures', () => {
  for (const name of readdirSync(fixtures).sort()) {
    it(name, () => {
      const source = readFileSync(path.join(fixtures, name, 'input.md'), 'utf8')
      const tree = parse(source)
      expectExactPositions(tree, source)
      const expectedFile = path.join(fixtures, name, 'expected.json')
      if (process.env.UPDATE) writeFileSync(expectedFile, JSON.stringify(tree, null, 2) + '\n')
      expect(existsSync(expectedFile), `${expectedFile} exists (write it with UPDATE=1)`).toBe(true)
      expect(tree).toEqual(JSON.parse(readFileSync(expectedFile, 'utf8')))
    })
  }
})

describe('simple tables', () => {
  const fixture = (name: string): string => readFileSync(path.join(fixtures, name, 'input.md'), 'utf8')

  it('takes alignment from where the header text sits over its dashes', () => {
    const [table] = tables(parse(fixture('simple-with-header')))
    expect(table.align).toEqual(['right', 'left', 'center', null])
    expect(rowTexts(table)).toEqual([
      ['Count', 'Name', 'Region', 'Remarks'],
      ['48', 'Ada', 'North', 'yes'],
      ['305', 'Ben', 'South', 'no'],
      ['9', 'Cy', 'East', 'yes']
    ])
    expect(table.data).toBeUndefined()
  })

  it('ends at a blank line, so the caption after it stays a paragraph', () => {
    const tree = parse(fixture('simple-with-header'))
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph'])
    expect(tree.children[0].position?.end).toMatchObject({line: 5, column: 37})
  })

  it('without header: alignment from the first row, every row a body row', () => {
    const [table] = tables(parse(fixture('simple-headless')))
    expect(table.data).toEqual({headless: true})
    // The last column's `65` is indented and shorter than its dashes, hence centred.
    expect(table.align).toEqual(['right', 'left', 'center', 'center'])
    expect(rowTexts(table)).toEqual([
      ['65', '65', '410', '65'],
      ['410', '410', '410', '410'],
      ['8', '8', '8', '8']
    ])
  })

  it('parses the simple tables of pandoc-crossref tests', {tags: ['corpus']}, () => {
    const source = readFileSync(path.join(corpus, 'peers/pandoc-crossref/test/m2m/secLabels/input.md'), 'utf8')
    const tree = parse(source)
    const [table] = tables(tree)
    expect(rowTexts(table)).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
      ['4', '5', '6']
    ])
    expect(table.align).toEqual(['left', 'left', 'left'])
    expect(table.position).toMatchObject({start: {line: 17, column: 1}, end: {line: 20, column: 10}})
    expectExactPositions(tree, source)
  })

  it('keeps lines that start like a block quote or list as table text once the table is certain', () => {
    const tree = parse(fixture('container-markers-in-rows'))
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'table'])
    const [multiline, simple] = tables(tree)
    expect(rowTexts(multiline).slice(1)).toEqual([
      ['> 50 staff', '12%'],
      ['- 2015 onwards', '8%'],
      ['1. first', '80%']
    ])
    expect(rowTexts(simple).slice(1)).toEqual([
      ['> 10', 'a'],
      ['+ 2', 'b']
    ])
  })

  it('does not read headings, rules or paragraphs as tables', () => {
    const tree = parse(fixture('not-tables'))
    expect(tables(tree)).toEqual([])
    expect(tree.children.map((node) => node.type)).toEqual([
      'heading',
      'heading',
      'thematicBreak',
      'heading',
      'paragraph',
      'thematicBreak',
      'paragraph',
      'heading',
      'paragraph',
      'paragraph'
    ])
  })

  it('leaves front matter to the front matter syntax', () => {
    const tree = unified().use(remarkParse).use(remarkFrontmatter).use(remarkPandocTable).parse('---\ntitle: x\n---\n\nText\n')
    expect(tree.children.map((node) => node.type)).toEqual(['yaml', 'paragraph'])
  })

  it('falls back as pandoc does when a multiline table has no bottom line', () => {
    // Not a multiline table, but its top part is a one-column table without header closed by the column line.
    const tree = parse(fixture('missing-bottom-line'))
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph', 'paragraph'])
    const [table] = tables(tree)
    expect(table.data).toEqual({headless: true})
    expect(rowTexts(table)).toEqual([['Header']])
  })
})

describe('multiline tables', () => {
  const fixture = (name: string): string => readFileSync(path.join(fixtures, name, 'input.md'), 'utf8')

  it('joins a cell’s lines with soft breaks and aligns by the shortest header line', () => {
    const [table] = tables(parse(fixture('multiline-with-header')))
    expect(table.align).toEqual(['center', null, 'right', 'left'])
    expect(rowTexts(table)).toEqual([
      ['Country Group', 'Members Counted', 'Share Percent', 'Remarks Written'],
      ['North', 'three', '41.5', 'Offices were counted once, in spring 2019.'],
      ['Centre', 'two', '7.5', 'A smaller sample; most replies came late in autumn.']
    ])
    const cell = table.children[1].children[3]
    expect(cell.children).toMatchObject([{type: 'text', value: 'Offices were counted\nonce, in spring 2019.'}])
    expect(cell.position).toMatchObject({start: {line: 5, column: 37}, end: {line: 6, column: 58}})
  })

  it('carries pandoc’s relative column widths', () => {
    const [table] = tables(parse(fixture('multiline-with-header')))
    // Dashes plus the following space over the 72-column reader width: 12, 8, 16 and 25 + 1.
    expect(table.data?.columnWidths).toEqual([12 / 72, 8 / 72, 16 / 72, 26 / 72])
  })

  it('without header: rows separated by blank lines, alignment from the first line', () => {
    const [table] = tables(parse(fixture('multiline-headless')))
    expect(table.data?.headless).toBe(true)
    expect(table.align).toEqual(['center', 'left', 'right', 'left'])
    expect(table.children).toHaveLength(2)
  })

  it('parses inline content across a cell’s lines, with positions on the real lines', () => {
    const [table] = tables(parse(fixture('inline-content')))
    const [first, second] = table.children.slice(1)
    expect(first.children[0].children[0]).toMatchObject({
      type: 'emphasis',
      position: {start: {line: 4, column: 1}, end: {line: 5, column: 11}},
      children: [{type: 'text', value: 'Emphasis that runs over\ntwo lines'}]
    })
    expect(first.children[0].children.map((node) => node.type)).toEqual(['emphasis', 'text', 'inlineCode'])
    expect(first.children[1].children[0]).toMatchObject({type: 'image', url: 'a.pdf', position: {start: {line: 4, column: 28}}})
    expect(first.children[2].children[1]).toMatchObject({
      type: 'link',
      url: 'https://example.org/r',
      position: {start: {line: 4, column: 45}, end: {line: 5, column: 65}}
    })
    expect(cellText(first.children[2])).toBe('See the full report and [@a]; 5* stars')
    expect(second.children[1].children[0]).toMatchObject({type: 'imageReference', identifier: 'ref'})
    expect(second.children[2].children.map((node) => node.type)).toEqual(['text', 'break', 'text'])
  })

  it('keeps empty cells, placed where their column starts', () => {
    const [table] = tables(parse(fixture('empty-cells')))
    expect(rowTexts(table)).toEqual([
      ['Left', 'Middle', 'Right'],
      ['a', 'b', 'c'],
      ['', 'only middle', ''],
      ['second line', 'x y z', 'last']
    ])
    const source = fixture('empty-cells')
    const [, , onlyMiddle, third] = table.children
    const line7 = source.indexOf('             only middle')
    expect(onlyMiddle.children[0].position).toEqual({
      start: {line: 7, column: 1, offset: line7},
      end: {line: 7, column: 1, offset: line7}
    })
    // The empty last cell sits at the end of its line, where its column would start.
    expect(onlyMiddle.children[2].position?.start).toEqual({line: 7, column: 25, offset: line7 + 24})
    // A cell's empty middle line is kept as a line ending between its pieces.
    expect(third.children[0].children).toMatchObject([{type: 'text', value: 'second\n\nline'}])
    expect(third.children[0].position).toMatchObject({start: {line: 9, column: 1}, end: {line: 11, column: 5}})
  })

  it('measures columns in display width (wide characters count twice)', () => {
    const [table] = tables(parse(fixture('wide-characters')))
    // `22` is 9 display columns in (in the second column) but only 6 characters.
    expect(rowTexts(table)).toEqual([
      ['名前', 'Value', 'Note'],
      ['山田', '1', 'はい'],
      ['日本語', '22', 'ok']
    ])
    expect(table.align).toEqual(['left', 'left', 'left'])
    // Positions stay in characters, as everywhere in unified.
    expect(table.children[1].children[2].children[0]).toMatchObject({type: 'emphasis', position: {start: {line: 3, column: 17}}})
    expect(table.children[2].children[1].position?.start).toMatchObject({line: 4, column: 7})
  })

  it('works inside block quotes and list items, and with CRLF line endings', () => {
    const containers = parse(fixture('in-containers'))
    expect(containers.children.map((node) => node.type)).toEqual(['blockquote', 'list'])
    expect(tables(containers).map(rowTexts)).toEqual([
      [
        ['Key', 'Value'],
        ['a', '1'],
        ['b', '2']
      ],
      [
        ['Key', 'Value'],
        ['x', 'the value'],
        ['y', '9']
      ]
    ])
    const [table] = tables(parse(fixture('crlf')))
    expect(rowTexts(table)).toEqual([
      ['Name', 'Note'],
      ['Alice', 'first and second'],
      ['Bob', 'third']
    ])
  })

  it('leaves pipe tables to GFM', () => {
    const [table] = tables(parse(fixture('pipe-table')))
    expect(table.align).toEqual(['left', 'center', 'right'])
    expect(rowTexts(table)).toEqual([
      ['Left', 'Center', 'Right'],
      ['a', 'b', 'c']
    ])
  })

  // A header row is only tried above a line that may be a delimiter row (pipe-code-spans.ts, header-gate.ts).
  it('reads a pipe table whatever its delimiter row starts with, indented or in a block quote, and no table above any other line', () => {
    const sources = ['a | b\n--|--\nc | d\n', 'a | b\n:-|-:\nc | d\n', '| a | b |\n|---|---|\n| c | d |\n', 'a | b\n   --|--\nc | d\n', 'a | b\n  |--|--|\nc | d\n', '> a | b\n> --|--\n> c | d\n', 'x\n\na | b\n--|--\n']
    for (const source of sources) {
      const found = tables(parse(source))
      expect(found, source).toHaveLength(1)
      expect(rowTexts(found[0]).slice(0, 1), source).toEqual([['a', 'b']])
    }
    for (const source of ['a | b\nc | d\n', 'a | b\n+--+--+\n', 'a | b\n', 'a | b\n\n--|--\n', 'a | b\nx --|--\n']) expect(tables(parse(source)), source).toHaveLength(0)
  })
})

describe('tables as R’s pander writes them', () => {
  it('keeps a header over only some columns, an image cell, strong text, and a last cell running past its dashes whole', () => {
    // Compared with pandoc 2.17 (`pandoc -t native`) on the same file.
    const source = readFileSync(path.join(fixtures, 'pander-style', 'input.md'), 'utf8')
    const tree = parse(source)
    expectExactPositions(tree, source)
    const [table] = tables(tree)
    expect(rowTexts(table)).toEqual([
      ['Question', '', 'Answer'],
      ['How often do you lend seeds to neighbours?', '', 'Weekly (41.5%; 83); monthly (30%; 60); never (28.5%; 57); N=200'],
      ['Do you keep seeds from your own plants?', '', 'Yes (72%; 144); no (28%; 56); N=200']
    ])
    expect(table.align).toEqual(['left', null, 'center'])
    expect(table.children.slice(1).map((row) => row.children[1].children[0])).toMatchObject([
      {type: 'image', url: 'bars/q1.svg', alt: '', position: {start: {offset: source.indexOf('![](bars/q1.svg)')}}},
      {type: 'image', url: 'bars/q2.svg', alt: ''}
    ])
    expect(table.children[2].children[0].children.map((node) => node.type)).toEqual(['text', 'strong', 'text'])
    // The caption paragraph is left for the table-captions transform.
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph'])
  })
})

describe('the first user’s tables (R pander output)', {tags: ['corpus']}, () => {
  const read = (name: string): string => readFileSync(path.join(corpus, 'trenches/expected/tables', name), 'utf8')

  it('summary_what_do.md: a header row, five body rows, three columns, an image in the middle', () => {
    const source = read('summary_what_do.md')
    const tree = parse(source)
    expectExactPositions(tree, source)
    const [table] = tables(tree)
    expect(table.children).toHaveLength(6)
    expect(table.children.every((row) => row.children.length === 3)).toBe(true)
    expect(rowTexts(table)[0]).toEqual(['Question', '', 'Summary'])

    const body = table.children.slice(1)
    expect(cellText(body[0].children[0])).toBe(
      'Q2.1: About what percent of your organization’s time and resources are spent on fighting against trafficking or helping victims of trafficking?'
    )
    const image = body[0].children[1].children[0] as Image
    expect(image).toMatchObject({type: 'image', url: 'figures/summary_table/q2_1.pdf', alt: ''})
    expect(image.position).toEqual({
      start: {line: 5, column: 31, offset: source.indexOf('![](figures/summary_table/q2_1.pdf)')},
      end: {line: 5, column: 66, offset: source.indexOf('![](figures/summary_table/q2_1.pdf)') + 35}
    })

    const q33 = body.find((row) => cellText(row.children[0]).startsWith('Q3.3'))
    expect(q33 && cellText(q33.children[2])).toBe(
      "None (0.72%; 4); Very little (3.06%; 17); Little (2.7%; 15); Some (18.56%; 103); A lot (74.23%; 412); Don't know (0.72%; 4); N=555"
    )
    expect(body.map((row) => (row.children[1].children[0] as Image).url)).toEqual(
      ['q2_1', 'q3_3', 'q2_2', 'q2_3', 'q2_4'].map((name) => `figures/summary_table/${name}.pdf`)
    )
    // The caption paragraph is left for the table-captions transform.
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph'])
  })

  it('summary_us_opinions.md: two body rows, text longer than its column kept whole', () => {
    const source = read('summary_us_opinions.md')
    const tree = parse(source)
    expectExactPositions(tree, source)
    const [table] = tables(tree)
    expect(table.children).toHaveLength(3)
    expect(cellText(table.children[1].children[2])).toBe(
      "Most important actor (26.63%; 139); Somewhat important actor (34.87%; 182); Not an important actor (13.03%; 68); Don't know (25.48%; 133); N=522"
    )
  })
})

describe('the peers’ pander tables', {tags: ['corpus']}, () => {
  const folder = path.join(corpus, 'peers/ngo-crackdowns-philanthropy/at-989a4b2/Manuscript/output/tables')
  // Columns from each file's dashed column line; rows counted by hand between its blank lines.
  it.each([
    ['tbl-amount-diffs.md', 6, 13],
    ['tbl-descriptive-stats.md', 3, 19],
    ['tbl-exp-sample.md', 5, 9],
    ['tbl-likely-diffs.md', 6, 13]
  ])('%s: %i columns, a header and %i body rows', (name, columns, rows) => {
    const source = readFileSync(path.join(folder, name), 'utf8')
    const tree = parse(source)
    expectExactPositions(tree, source)
    const [table] = tables(tree)
    expect(table.children).toHaveLength(rows + 1)
    expect(table.children.every((row) => row.children.length === columns)).toBe(true)
    expect(tree.children.map((node) => node.type)).toEqual(['table', 'paragraph'])
  })

  it('parses strong emphasis in a body row used as a sub-header', () => {
    const source = readFileSync(path.join(folder, 'tbl-amount-diffs.md'), 'utf8')
    const [table] = tables(parse(source))
    const subHeader = table.children[4]
    expect(subHeader.children.map((cell) => cell.children[0]?.type)).toEqual(Array(6).fill('strong'))
    expect(cellText(subHeader.children[0])).toBe('H~2b~ and H~3b~')
  })
})

describe('tables in the peers’ manuscripts', {tags: ['corpus']}, () => {
  // Start line, rows (header included) and columns of each table, read off the files (and pandoc's HTML).
  it.each([
    ['ngo-crackdowns-philanthropy/HEAD/manuscript/manuscript.md', ['185: 18x4', '247: 14x6', '298: 14x6']],
    ['pandoc-crossref/test/m2m/standalone-listOfMetadata/input.md', ['53: 3x3', '60: 2x2']],
    // Its other three tables are inside fenced divs (`:::`), which this test does not parse.
    ['pandoc-crossref/test/m2m/divTable/input.md', ['39: 4x2']],
    ['pandoc-crossref/docs/demo/demo.md', ['73: 3x2', '82: 3x2']]
  ])('%s', (name, expected) => {
    const source = readFileSync(path.join(corpus, 'peers', name), 'utf8')
    const tree = parse(source)
    expectExactPositions(tree, source)
    expect(tables(tree).map((table) => `${table.position?.start.line}: ${table.children.length}x${table.children[0].children.length}`)).toEqual(
      expected
    )
  })
})
