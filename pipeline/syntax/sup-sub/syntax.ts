/**
 * Micromark extension for pandoc superscript `^x^` and subscript `~x~` (extensions `superscript`, `subscript`).
 *
 * A text construct at `^` or `~` that runs to the next unescaped mark of its kind, as pandoc's do: the text between
 * is not empty and holds no space, tab or line ending (`x^a\ b^` escapes its space), except inside a code span,
 * which counts as one unit (a mark inside code does not close). The text between is handed on as a text chunk, so
 * emphasis, code and escapes inside are parsed with their true positions.
 *
 * `~~` is strikeout (micromark-extension-gfm-strikethrough, tried first): a subscript's `~` is neither followed nor
 * preceded by another `~`. `^[` is an inline note, tried first. A mark reads on at most to the next space, mark or
 * line ending, and a mark that fails is not read again: parsing stays linear.
 */
import {markdownLineEndingOrSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {codeSpanSource} from '../shared/code-span-source.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    superscript: 'superscript'
    superscriptMarker: 'superscriptMarker'
    superscriptContent: 'superscriptContent'
    subscript: 'subscript'
    subscriptMarker: 'subscriptMarker'
    subscriptContent: 'subscriptContent'
  }
}

type Kind = 'superscript' | 'subscript'

export const superscriptConstruct: Construct = {name: 'superscript', tokenize: tokenizer('superscript', codes.caret)}
export const subscriptConstruct: Construct = {
  name: 'subscript',
  tokenize: tokenizer('subscript', codes.tilde),
  // The second `~` of `~~` starts nothing of ours.
  previous: (code) => code !== codes.tilde
}

/** The micromark syntax extension: register with `micromark({extensions: [supSub()]})`. */
export function supSub(): Extension {
  return {text: {[codes.caret]: superscriptConstruct, [codes.tilde]: subscriptConstruct}}
}

function tokenizer(kind: Kind, mark: NonNullable<Code>) {
  return function tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    let contentOpen = false
    const codeSpan = codeSpanSource(effects, consumeContent, inside, nok)
    return start

    function start(code: Code): State | undefined {
      if (code !== mark || self.previous === mark) return nok(code)
      effects.enter(kind)
      effects.enter(`${kind}Marker`)
      effects.consume(code)
      effects.exit(`${kind}Marker`)
      return first
    }

    /** Right after the opening mark: `^^`, `~~` and a mark followed by a space open nothing. */
    function first(code: Code): State | undefined {
      if (code === mark || code === codes.eof || markdownLineEndingOrSpace(code)) return nok(code)
      return inside(code)
    }

    function inside(code: Code): State | undefined {
      if (code === codes.eof || markdownLineEndingOrSpace(code)) return nok(code)
      if (code === mark) return close(code)
      if (code === codes.graveAccent) return codeSpan(code)
      consumeContent(code)
      return code === codes.backslash ? afterBackslash : inside
    }

    /** After `\`: an escaped mark or space is content. */
    function afterBackslash(code: Code): State | undefined {
      if (code === mark || code === codes.space) {
        consumeContent(code)
        return inside
      }
      return inside(code)
    }

    function close(code: Code): State | undefined {
      effects.exit('chunkText')
      effects.exit(`${kind}Content`)
      effects.enter(`${kind}Marker`)
      effects.consume(code)
      effects.exit(`${kind}Marker`)
      // `~a~~`: the closing `~` is not the start of strikeout with the next.
      effects.exit(kind)
      return ok
    }

    function consumeContent(code: Code): void {
      if (!contentOpen) {
        effects.enter(`${kind}Content`)
        effects.enter('chunkText', {contentType: 'text'})
        contentOpen = true
      }
      effects.consume(code)
    }
  }
}
