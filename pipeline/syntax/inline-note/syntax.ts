/**
 * Micromark extension for pandoc inline notes: `^[note text]`.
 *
 * A text construct at `^` directly followed by `[`. Like pandoc's `inlinesInBalancedBrackets`, the note runs to the
 * `]` that balances the opening `[`: brackets nest (`^[See [site](url).]`), and brackets inside backslash escapes and
 * code spans do not count. The content is handed on as linked text chunks (one per line, like a paragraph's), so
 * micromark parses links, emphasis, code, citations and footnote calls inside the note with their true positions.
 *
 * `[^id]` (a GFM footnote call) is untouched: there the `[` comes first and `^` is not followed by `[`.
 *
 * A note holds brackets nested at most `inlineNoteBracketsLimit` deep (notes in notes included); deeper, `^[` is
 * text. A note is looked for at every `^[` not already inside one and reads on to its balancing `]`: without a
 * limit, `^[` repeated read the paragraph's rest once for each. With it, a character is read from at most the
 * innermost `inlineNoteBracketsLimit` brackets around it.
 */
import {asciiPunctuation, markdownLineEnding} from 'micromark-util-character'
import {codeSpanSource} from '../shared/code-span-source.ts'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext, Token} from 'micromark-util-types'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    inlineNote: 'inlineNote'
    /** `^[`. */
    inlineNoteOpeningMarker: 'inlineNoteOpeningMarker'
    /** The `]` that balances the opening bracket. */
    inlineNoteClosingMarker: 'inlineNoteClosingMarker'
    /** Everything between the markers (absent for `^[]`); holds the text chunks. */
    inlineNoteContent: 'inlineNoteContent'
    /** Only ever inside a lookahead check; never reaches the event stream. */
    inlineNoteCodeLookahead: 'inlineNoteCodeLookahead'
  }
}

/** How deep brackets may nest inside a note, the note's own counted: far deeper than any note has. */
export const inlineNoteBracketsLimit = 32

const inlineNoteConstruct: Construct = {name: 'inlineNote', tokenize: tokenizeInlineNote}

export function inlineNote(): Extension {
  return {text: {[codes.caret]: inlineNoteConstruct}}
}

function tokenizeInlineNote(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  /** Unclosed `[` inside the note, counting the opening one. */
  let depth = 0
  let contentOpen = false
  /** The text chunk being filled, if one is open; chunks end after each line ending. */
  let chunk: Token | undefined
  let previousChunk: Token | undefined
  const codeSpan = codeSpanSource(effects, consumeContent, inside, nok)

  return start

  /** At `^`. */
  function start(code: Code): State | undefined {
    effects.enter('inlineNote')
    effects.enter('inlineNoteOpeningMarker')
    effects.consume(code)
    return afterCaret
  }

  /** After `^`, at `[`. */
  function afterCaret(code: Code): State | undefined {
    if (code !== codes.leftSquareBracket) return nok(code)
    effects.consume(code)
    effects.exit('inlineNoteOpeningMarker')
    depth = 1
    return inside
  }

  /** Somewhere in the note's content, outside code spans. */
  function inside(code: Code): State | undefined {
    // The paragraph ended before the brackets balanced: not a note.
    if (code === codes.eof) return nok(code)

    if (code === codes.rightSquareBracket) {
      depth--
      if (depth === 0) return close(code)
      consumeContent(code)
      return inside
    }

    if (code === codes.leftSquareBracket && ++depth > inlineNoteBracketsLimit) return nok(code)

    if (code === codes.graveAccent) {
      return codeSpan(code)
    }

    consumeContent(code)
    return code === codes.backslash ? afterBackslash : inside
  }

  /** After `\`: an escaped bracket or backtick does not count. */
  function afterBackslash(code: Code): State | undefined {
    if (asciiPunctuation(code)) {
      consumeContent(code)
      return inside
    }
    return inside(code)
  }

  /** At the balancing `]`. */
  function close(code: Code): State | undefined {
    if (chunk) effects.exit('chunkText')
    if (contentOpen) effects.exit('inlineNoteContent')
    effects.enter('inlineNoteClosingMarker')
    effects.consume(code)
    effects.exit('inlineNoteClosingMarker')
    effects.exit('inlineNote')
    return ok
  }

  /**
   * Consume one code of note content into the current text chunk, opening the content and a chunk first if needed.
   * A line ending ends its chunk, so that every line's start is known to the text tokenizer (columns inside block
   * quotes and list items stay right).
   */
  function consumeContent(code: Code): void {
    if (!contentOpen) {
      effects.enter('inlineNoteContent')
      contentOpen = true
    }
    if (!chunk) {
      chunk = effects.enter('chunkText', {contentType: 'text', previous: previousChunk})
      if (previousChunk) previousChunk.next = chunk
    }
    effects.consume(code)
    if (markdownLineEnding(code)) {
      effects.exit('chunkText')
      previousChunk = chunk
      chunk = undefined
    }
  }
}

