/**
 * Parsing takes time linear in the input, for every construct: each hostile input below (repetitions that made
 * one construct or other read its text again and again) is parsed at a size n where the parse takes some 100 ms,
 * then at 4n. Linear time makes the second parse about 4 times as long, quadratic time 16 times: the test fails
 * above 10. Times are the process's CPU time, the best of a few runs, so that other work on the machine counts
 * little; a ratio over the bound is measured again before it fails.
 *
 * Cases marked `micromark` were super-linear in micromark itself (no extension of ours involved); the others in
 * our extensions or in how they met micromark. Nesting past the limits is cut off by the parser (an error the
 * nesting fixtures in tests/trust check), so those cases measure the parse up to the limit and past it.
 */
import {describe, expect, it} from 'vitest'
import {parseText} from '../../pipeline/syntax/parse.ts'

const repeat = (unit: string) => (n: number) => unit.repeat(n)

/**
 * Name, the input of size parameter n, and the parse time to calibrate n to (ms) where 100 ms leaves a quadratic
 * term too small to see: lazy lines cost little each, until there are thousands.
 */
const cases: Array<[string, (n: number) => string, number?]> = [
  // Citations, notes, attributes, math (ours).
  ['`[` unclosed', repeat('[')],
  ['`[a ` unclosed', repeat('[a ')],
  ['`[` nested around a key, each level failing', (n) => '['.repeat(n) + '@a' + ' x; @b]'.repeat(n)],
  ['`[@a; ` unclosed', repeat('[@a; ')],
  ['`@a [` (narrative citations, brackets never closed)', repeat('@a [')],
  ['`![@a` unclosed', repeat('![@a')],
  ['`^[` (inline notes never closed)', repeat('^[')],
  ['`^[a ` … `]` (inline notes nested)', (n) => '^[a '.repeat(n) + 'b' + ' c]'.repeat(n)],
  ['`{b=` (attribute values holding `{`)', repeat('{b=')],
  ['`{#a ` (attribute blocks never closed)', repeat('{#a ')],
  ['`$$a ` (display math)', repeat('$$a ')],
  ['`$a$ ` (inline math)', repeat('$a$ ')],
  ['`$\\text{$} ` (dollars inside `\\text{…}`, math never closed)', repeat('$\\text{$} ')],
  ['`$\\text{` (`\\text{` groups never closed)', repeat('$\\text{')],
  ['`$` then `\\text{$` nested, never closed', (n) => '$' + '\\text{$'.repeat(n)],
  ['`<a@b&amp;` (e-mail autolinks never closed)', repeat('<a@b&amp;')],
  ['`<a.` (e-mail autolinks never reaching `@`)', repeat('<a.')],
  ['`<http://a&` (URL autolinks never closed)', repeat('<http://a&')],
  ['`[a] ` (implicit header references, each a possible one)', repeat('[a] ')],
  ['`[*a ` … `] b*` (labels across emphasis)', (n) => '[*a '.repeat(n) + 'b' + '] c*'.repeat(n)],
  ['`[a][` unclosed', repeat('[a][')],
  ['`^` (superscript marks)', repeat('^')],
  ['`~` (subscript marks)', repeat('~')],
  ['`^a` (superscripts never closed)', repeat('^a')],
  ['`~a~~` (subscripts beside strikeout)', repeat('~a~~')],
  ['`^` then backtick runs', (n) => '^' + '` a^'.repeat(n)],
  ['`\\ ` (escaped spaces)', repeat('\\ ')],
  ['`[a]{.b}` (bracketed spans)', repeat('[a]{.b}')],
  ['`[` then backtick runs', (n) => '[' + '` a '.repeat(n)],
  // Raw TeX (ours).
  ['`\\a{` (raw TeX arguments never closed)', repeat('\\a{')],
  ['`\\a{` … `}` (raw TeX arguments nested)', (n) => '\\a{'.repeat(n) + '}'.repeat(n)],
  ['`\\a[` (raw TeX optional arguments never closed)', repeat('\\a[')],
  ['`\\begin{x}` (raw TeX environments never ended)', repeat('\\begin{x} ')],
  ['`\\begin{x}` blocks never ended', repeat('\\begin{x}\n\n')],
  ['`\\a{` blocks never closed', repeat('\\a{\n\n')],
  // Fenced divs (ours).
  ['`::::: {.a}` nested, then closed', (n) => '::::: {.a}\n\n'.repeat(n) + 'text\n\n' + ':::::\n\n'.repeat(n)],
  ['`:::` lines inside 100 nested divs, in fenced code', (n) => '::: a\n\n'.repeat(100) + '```\n' + ':::\n'.repeat(n) + '```\n'],
  ['`:::` lines inside a div, in an HTML comment', (n) => '::: a\n\n<!--\n' + ':::\n'.repeat(n) + '-->\n'],
  ['lines inside 100 nested divs', (n) => '::: a\n\n'.repeat(100) + 'x\n'.repeat(n)],
  // Tables (ours and micromark-extension-gfm-table).
  ['a simple table n columns wide', (n) => 'a '.repeat(n) + '\n' + '- '.repeat(n) + '\n' + 'x '.repeat(n) + '\n' + 'y '.repeat(n) + '\n\n'],
  ['a multiline table n columns wide', (n) => '-'.repeat(2 * n) + '\n' + 'a '.repeat(n) + '\n' + '- '.repeat(n) + '\n' + 'x '.repeat(n) + '\n' + '-'.repeat(2 * n) + '\n'],
  ['a simple table n rows tall', (n) => 'a   b\n--- ---\n' + 'x   y\n'.repeat(n) + '\n'],
  ['a table n columns wide with one-cell rows', (n) => 'a '.repeat(n) + '\n' + '- '.repeat(n) + '\n' + 'x\n'.repeat(n) + '\n'],
  ['a pipe table n columns wide with one-cell rows', (n) => '|a'.repeat(n) + '|\n' + '|-'.repeat(n) + '|\n' + '|x|\n'.repeat(n)],
  ['a pipe table row of n backticks that open no code span', (n) => 'a | b\n--|--\n' + '` |'.repeat(n) + '\n'],
  ['a pipe table row of code spans holding `|`', (n) => 'a | b\n--|--\n' + '`|` |'.repeat(n) + '\n'],
  ['pipe table rows of backtick runs of growing length', (n) => 'a | b\n--|--\n' + Array.from({length: Math.ceil(Math.sqrt(n * 40))}, (_, index) => '`'.repeat(index + 1) + ' a |').join('') + '\n'],
  ['a grid table n columns wide', (n) => '+-'.repeat(n) + '+\n' + '|a'.repeat(n) + '|\n' + '+='.repeat(n) + '+\n' + '|x'.repeat(n) + '|\n' + '+-'.repeat(n) + '+\n'],
  ['a grid table n columns wide with one-cell lines', (n) => '+-'.repeat(n) + '+\n' + '|\n'.repeat(n)],
  ['a grid table whose row never closes', (n) => '+---+---+\n' + '| a | b |\n'.repeat(n)],
  ['grid table cells holding lists nested n deep', (n) => '+' + '-'.repeat(2 * n + 4) + '+\n' + '| ' + '- '.repeat(n) + 'a |\n'],
  ['`+-+` lines that never become a grid table', repeat('+-+-+\n+=+\n')],
  ['`--- ---` lines', repeat('--- ---\na b\n')],
  // HTML block tags with Markdown between them (ours).
  ['`<div>` lines', repeat('<div>\n')],
  ['`<td>` lines, each indented further', (n) => Array.from({length: n}, (_, index) => ' '.repeat(Math.min(index, 40)) + '<td>\n').join('')],
  ['`<td>` on one line (tags nested, never closed)', (n) => '<td>'.repeat(n) + '\n'],
  ['`<td>a ` on one line', (n) => '<td>' + 'a <td>b '.repeat(n) + '\n'],
  ['`<td a="` on one line (quotes never closed)', (n) => '<td>' + '<td a="'.repeat(n) + '\n'],
  ['`<td a b ` on one line (tags never ended)', (n) => '<td>' + '<td a b '.repeat(n) + '\n'],
  ['`<!-- a -->` comments after a tag', (n) => '<td>' + '<!-- a -->x'.repeat(n) + '\n'],
  ['`<p>a` lines (Plain text ended by the next tag line)', repeat('<p>a\n')],
  ['a paragraph line then a `<table>` line', repeat('a\n<table>\n')],
  ['text after a `<p>` tag continued by n lines', (n) => '<p>a\n' + 'b <x\n'.repeat(n)],
  // Metadata blocks and title blocks (ours).
  ['YAML metadata blocks after blank lines (each fence opens or closes one)', repeat('\n---\na: b\n')],
  ['`---` rules each followed by a comment line (a metadata block up to the next rule)', repeat('\n---\n# c\nx\n')],
  ['a `%` title block continued over n lines', (n) => '% a\n' + '  b; c\n'.repeat(n) + '% d\n\ne\n'],
  // Definition lists and line blocks (ours).
  ['`Term` then `: definition`, repeated', repeat('Term\n: definition\n')],
  ['a term, then `: ` definitions after one blank line each', (n) => 'Term\n' + '\n: definition\n'.repeat(n)],
  ['`: ` lines after blank lines', repeat('\n\n: a\n')],
  ['`| ` lines', repeat('| a\n')],
  ['a line-block line with n continuation lines', (n) => '| a\n' + ' b\n'.repeat(n)],
  ['`| a | b` lines (a pipe table head never followed by its delimiter row)', repeat('| a | b\n')],
  // Containers.
  ['`- ` on one line (micromark)', (n) => '- '.repeat(n) + 'a\n'],
  ['`>` on one line (micromark)', (n) => '>'.repeat(n) + ' a\n'],
  ['`> a` then a blank line (micromark)', repeat('> a\n\n')],
  ['`> a` then a lazy line (micromark)', repeat('> a\nb\n\n')],
  ['a block quote continued by n lazy lines (micromark)', (n) => '> a\n' + 'b\n'.repeat(n), 1000],
  ['a list item continued by n lazy lines (micromark)', (n) => '- a\n' + 'b\n'.repeat(n), 400],
  ['a definition continued by n lazy lines (micromark)', (n) => 'Term\n: a\n' + 'b\n'.repeat(n), 400],
  ['nested list items, one per line', repeat('- a\n  - b\n')],
  // Pandoc's ordered list markers (ours).
  ['`a. ` on one line', (n) => 'a. '.repeat(n) + 'x\n'],
  ['`(@` then a label of n `a-` parts', (n) => '(@' + 'a-'.repeat(n) + 'a) x\n'],
  ['list items alternating style and delimiter, each a new list', repeat('a. x\n1) y\n(i) z\n#. w\n')],
  ['`B. x` lines (a capital and a period, one space: never an item)', (n) => 'a\n' + 'B. x\n'.repeat(n)],
  ['`iv.` items in a list of n items, each continued by a lazy line', (n) => 'i. a\n' + 'iv. b\nc\n'.repeat(n), 400],
  ['list items each followed by an HTML comment (one list, each comment kept in its item)', repeat('- a\n<!--\n-->\n')],
  ['lines of letters that read as roman numerals up to the marker', repeat('mmmdccclxxxviii mmmdccclxxxviii\n')],
  ['setext headings (micromark)', repeat('a\n---\n')],
  ['`===` lines (micromark)', repeat('===\n')],
  // Phrasing.
  ['`*a* ` (micromark)', repeat('*a* ')],
  ['`<!--` (inline HTML comments never closed, micromark)', (n) => 'x ' + '<!--'.repeat(n)],
  ['`<?` (processing instructions never closed, micromark)', (n) => 'x ' + '<?'.repeat(n)],
  ['`<![CDATA[` (CDATA sections never closed, micromark)', (n) => 'x ' + '<![CDATA['.repeat(n)],
  ['`<!a` (declarations never closed, micromark)', (n) => 'x ' + '<!a'.repeat(n)],
  ['`~~a~~ `', repeat('~~a~~ ')],
  ['`a* ` (closers only, micromark)', repeat('a* ')],
  ['`*_` (micromark)', repeat('*_')],
  ['`*a ` … ` b*` (emphasis nested, micromark)', (n) => '*a '.repeat(n) + 'b' + ' c*'.repeat(n)],
  ['`~~a ` … ` b~~` (strikeout nested)', (n) => '~~a '.repeat(n) + 'b' + ' c~~'.repeat(n)],
  ['`![` … `](b)` (images nested, micromark)', (n) => '!['.repeat(n) + 'a' + '](b)'.repeat(n)],
  ['`[` … `]` (brackets nested, micromark)', (n) => '['.repeat(n) + 'a' + ']'.repeat(n)],
  ['`a]` (micromark-extension-gfm-footnote)', repeat('a]')],
  ['`[a][b]` (micromark)', repeat('[a][b]')],
  ['`[a](u "(b"c ` (link titles whose quotes never balance)', repeat('[a](u "(b"c ')],
  ['`[a](u "b ` (link titles never closed)', repeat('[a](u "b ')],
  ['`[a](u (b ` (link titles in parentheses never closed)', repeat('[a](u (b ')],
  ['`[a]: u "(b"c` lines (definition titles whose quotes never balance)', repeat('[a]: u "(b"c\n')],
  ['`[a [b]][c]` (possible references inside links)', (n) => '[c]: u\n\n' + '[a [b]][c] '.repeat(n)],
  ['`[a](` … `)` (micromark)', (n) => '[a]('.repeat(n) + ')'.repeat(n)],
  ['backtick runs of growing length (micromark)', (n) => Array.from({length: Math.ceil(Math.sqrt(n * 40))}, (_, index) => '`'.repeat(index + 1) + ' a ').join('')],
  ['definitions and references to them (micromark)', (n) => Array.from({length: n}, (_, index) => `[x${index}]: y\n`).join('') + '\n' + '[x1] '.repeat(n)]
]

/** CPU milliseconds of the fastest of `runs` parses. */
function parseTime(source: string, runs: number): number {
  let best = Number.POSITIVE_INFINITY
  for (let run = 0; run < runs; run++) {
    const start = process.cpuUsage()
    parseText(source, 'manuscript.md')
    const used = process.cpuUsage(start)
    best = Math.min(best, (used.user + used.system) / 1000)
  }
  return best
}

/**
 * The time at n (the best of two parses) and at 4n, for n where the parse takes about `target` ms. n grows eightfold
 * while a parse is too short to time, then in proportion to the time: a size at the target costs about two
 * parses of it, where doubling up to it cost as much again in the sizes below.
 */
function measure(input: (n: number) => string, target = 100): {n: number; ratio: number; small: number; large: number} {
  const limit = 4_000_000
  let n = 100
  let small = parseTime(input(n), 1)
  while (small < target / 8 && n < limit) {
    n *= 8
    small = parseTime(input(n), 1)
  }
  // A first parse may run code V8 has not optimised yet and read slow: the size holds once the best of two is at
  // least half the target.
  let timedTwice = false
  for (let tries = 0; tries < 4 && small < target && n < limit; tries++) {
    n = Math.min(limit, Math.ceil((n * target * 1.1) / Math.max(small, 1)))
    small = parseTime(input(n), 2)
    timedTwice = true
    if (small >= target / 2) break
  }
  if (!timedTwice) small = Math.min(small, parseTime(input(n), 1))
  const large = parseTime(input(4 * n), 1)
  return {n, ratio: large / small, small, large}
}

describe('parse time is linear in the input', () => {
  for (const [name, input, target] of cases) {
    it(name, {timeout: 120_000}, () => {
      let result = measure(input, target)
      // Measured again before failing: one slow run on a busy machine is not quadratic time.
      for (let retry = 0; retry < 2 && result.ratio > 10; retry++) result = measure(input, target)
      expect(result.ratio, `n = ${result.n}: ${result.small.toFixed(0)} ms, 4n: ${result.large.toFixed(0)} ms`).toBeLessThan(10)
    })
  }
})
