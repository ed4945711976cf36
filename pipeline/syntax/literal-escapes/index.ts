/**
 * `remarkLiteralEscapes`: a backslash-escaped quote, period or hyphen (`\"`, `\'`, `\...`, `\--`) is that character as
 * written, which pandoc's `smart` extension leaves alone ("\\..." stays three periods, `\"` a straight quote).
 * mdast-util-from-markdown joins an escape into the text around it, so the text node records where its escaped
 * characters are (`data.literal`: offsets in its value), for smart punctuation (transforms/smart-punctuation.ts).
 */
import type {Text} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {Processor} from 'unified'

declare module 'mdast' {
  interface TextData {
    /** Offsets in the value of characters written backslash-escaped that smart punctuation must not change. */
    literal?: number[]
  }
}

/** The characters smart punctuation would change. */
export const smartCharacters = new Set(['"', "'", '.', '-'])

export function remarkLiteralEscapes(this: Processor): void {
  ;(this.data().fromMarkdownExtensions ??= []).push(literalEscapesFromMarkdown())
}

function literalEscapesFromMarkdown(): Extension {
  return {
    exit: {
      characterEscapeValue(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as Text
        const at = node.value.length
        this.config.exit.data.call(this, token)
        if (smartCharacters.has(node.value.charAt(at))) (node.data ??= {}).literal = [...(node.data?.literal ?? []), at]
      }
    }
  }
}
