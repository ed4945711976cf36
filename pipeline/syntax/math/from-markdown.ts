/**
 * mdast-util-from-markdown handlers turning pandoc math tokens into mdast-util-math `inlineMath` nodes.
 * Display math (`$$...$$`) is `inlineMath` with `data.display = true` (see `MathData` in ../types.ts),
 * wherever it stands; a later transform decides whether it is laid out as a block.
 */
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {InlineMath} from 'mdast-util-math'
import type {MathData} from '../types.ts'

function currentMath(context: CompileContext): InlineMath {
  const node = context.stack[context.stack.length - 1]
  if (!node || node.type !== 'inlineMath') {
    throw new Error('Expected an `inlineMath` node on the stack (the pandoc math syntax extension is missing)')
  }
  return node
}

/** The TeX between the markers; line endings normalised to `\n`. */
function texSource(context: CompileContext, token: Token, markerSize: number): string {
  return context.sliceSerialize(token).slice(markerSize, -markerSize).replace(/\r\n?/g, '\n')
}

/** The from-markdown extension: register with `fromMarkdown(doc, {extensions: [pandocMath()], mdastExtensions: [pandocMathFromMarkdown()]})`. */
export function pandocMathFromMarkdown(): Extension {
  return {
    enter: {
      pandocMathInline(this: CompileContext, token: Token) {
        this.enter({type: 'inlineMath', value: ''}, token)
      },
      pandocMathDisplay(this: CompileContext, token: Token) {
        const data: MathData = {display: true}
        this.enter({type: 'inlineMath', value: '', data}, token)
      }
    },
    exit: {
      pandocMathInline(this: CompileContext, token: Token) {
        currentMath(this).value = texSource(this, token, 1)
        this.exit(token)
      },
      pandocMathDisplay(this: CompileContext, token: Token) {
        // Pandoc trims display math (`$$ x $$` is `x`).
        currentMath(this).value = texSource(this, token, 2).trim()
        this.exit(token)
      }
    }
  }
}
