/**
 * The constructs that replace micromark's own to parse in linear time (pipeline/syntax/linear) give micromark's
 * tree, positions included: on thousands of short random texts made of the characters each one reads (a seeded
 * generator, so a failure repeats), the tree with the replacement equals the tree without it.
 */
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {codes} from 'micromark-util-symbol'
import type {Construct, Extension} from 'micromark-util-types'
import {describe, expect, it} from 'vitest'
import {linearStrikethrough} from '../../pipeline/syntax/linear/attention.ts'
import {linearPotentialFootnoteCall} from '../../pipeline/syntax/linear/footnote-call.ts'
import {linearCommonmarkExtension} from '../../pipeline/syntax/linear/index.ts'
import {joinedDataExtension} from '../../pipeline/syntax/linear/text-data.ts'

/** Texts of up to 30 characters out of `alphabet`, from a fixed seed. */
function* randomTexts(alphabet: string, count: number, seed: number): Generator<string> {
  let state = seed
  const random = () => (state = (state * 1103515245 + 12345) % 2147483648) / 2147483648
  for (let index = 0; index < count; index++) {
    let text = ''
    const length = 1 + Math.floor(random() * 30)
    for (let character = 0; character < length; character++) text += alphabet[Math.floor(random() * alphabet.length)]
    yield text
  }
}

const footnote = gfmFootnote()
const strikethrough = gfmStrikethrough({singleTilde: false})
const linearStrike = linearStrikethrough(strikethrough.text![codes.tilde] as Construct)

const micromarks: Extension[] = [footnote, strikethrough]
const linear: Extension[] = [
  linearCommonmarkExtension,
  {...footnote, text: {...footnote.text, [codes.rightSquareBracket]: linearPotentialFootnoteCall(footnote.text![codes.rightSquareBracket] as Construct)}},
  {...strikethrough, text: {[codes.tilde]: linearStrike}, insideSpan: {null: [linearStrike]}},
  joinedDataExtension()
]
const mdastExtensions = [gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown()]
/** Definitions after the text, so that references and footnote calls can resolve. */
const definitions = ['', '\n\n[a]: x\n\n[^a]: note\n', '\n\n[a b]: y\n\n[^b]: z\n']

describe('linear constructs give micromark’s tree', () => {
  for (const [name, alphabet, seed] of [
    ['emphasis and strikeout', '**__~~~a .,!?', 1],
    ['emphasis, strikeout, links and images', '*_~~ a[]()!', 2],
    ['code spans and escapes', '```\\ a\n*[]', 3],
    ['brackets, footnote calls and references', '[]!()^a *\n', 4],
    ['everything', '[]!()^a *_`\\$@{}~<>&;\n-:#.=', 5]
  ] as const) {
    it(name, () => {
      let index = 0
      for (const text of randomTexts(alphabet, 4000, seed)) {
        const source = text + definitions[index++ % definitions.length]
        const expected = fromMarkdown(source, {extensions: micromarks, mdastExtensions})
        expect(fromMarkdown(source, {extensions: linear, mdastExtensions}), JSON.stringify(source)).toEqual(expected)
      }
    })
  }

  it('inline HTML: comments, instructions, CDATA sections and declarations, closed or not', () => {
    const pieces = ['<!--', '-->', '<!-->', '<?', '?>', '<![CDATA[', ']]>', '<!a', '<a>', '>', '-', '<', '!', 'a', ' ', '\n']
    for (const text of randomTexts('0123456789abcdef', 4000, 7)) {
      const source = [...text].map((digit) => pieces[Number.parseInt(digit, 16)]).join('')
      const expected = fromMarkdown(source, {extensions: micromarks, mdastExtensions})
      expect(fromMarkdown(source, {extensions: linear, mdastExtensions}), JSON.stringify(source)).toEqual(expected)
    }
  })
})
