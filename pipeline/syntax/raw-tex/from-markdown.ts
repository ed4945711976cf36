/**
 * mdast-util-from-markdown handlers turning raw TeX tokens into `rawInline` and `rawBlock` nodes of format `tex` (see
 * `RawInline`, `RawBlock` in ../types.ts), and mdast-util-to-markdown handlers writing them back as they were.
 * Positions come from the tokens. A block's value is its lines as written (inside a block quote or list item, without
 * the container's prefixes), trimmed as pandoc trims it.
 */
import type {CompileContext, Extension as FromMarkdownExtension, Token} from 'mdast-util-from-markdown'
import type {Options as ToMarkdownExtension} from 'mdast-util-to-markdown'
import type {RawBlock, RawInline} from '../types.ts'

export function rawTexFromMarkdown(): FromMarkdownExtension {
  /** The open block's lines so far: line number and text. */
  let lines: Array<[number, string]> = []

  /** A block's text comes in tokens that follow one another on each line (data, names, optional arguments). */
  function addToLine(compile: CompileContext, token: Token): void {
    if (compile.stack[compile.stack.length - 1].type !== 'rawBlock') return
    const last = lines[lines.length - 1]
    const text = compile.sliceSerialize(token)
    if (last && last[0] === token.start.line) last[1] += text
    else lines.push([token.start.line, text])
  }

  return {
    enter: {
      rawTexInline(this: CompileContext, token: Token) {
        const node: RawInline = {type: 'rawInline', format: 'tex', value: '', commands: [], environments: []}
        this.enter(node, token)
      },
      rawTexBlock(this: CompileContext, token: Token) {
        lines = []
        const node: RawBlock = {type: 'rawBlock', format: 'tex', value: '', commands: [], environments: []}
        this.enter(node, token)
      }
    },
    exit: {
      rawTexInline(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as RawInline
        node.value = this.sliceSerialize(token)
        this.exit(token)
      },
      rawTexCommandName(this: CompileContext, token: Token) {
        ;(this.stack[this.stack.length - 1] as RawInline | RawBlock).commands?.push(this.sliceSerialize(token))
        addToLine(this, token)
      },
      rawTexEnvironmentName(this: CompileContext, token: Token) {
        ;(this.stack[this.stack.length - 1] as RawInline | RawBlock).environments?.push(this.sliceSerialize(token))
        addToLine(this, token)
      },
      rawTexOptional(this: CompileContext, token: Token) {
        addToLine(this, token)
      },
      rawTexData(this: CompileContext, token: Token) {
        addToLine(this, token)
      },
      rawTexBlock(this: CompileContext, token: Token) {
        const node = this.stack[this.stack.length - 1] as RawBlock
        // Blank lines inside an environment have no data token of their own.
        const text: string[] = []
        for (const [line, value] of lines) {
          while (text.length < line - token.start.line) text.push('')
          text.push(value)
        }
        node.value = text.join('\n').trim()
        this.exit(token)
      }
    }
  }
}

export function rawTexToMarkdown(): ToMarkdownExtension {
  return {
    handlers: {
      rawInline: (node: RawInline) => (node.format === 'tex' ? node.value : `\`${node.value}\`{=${node.format}}`),
      rawBlock: (node: RawBlock) => (node.format === 'tex' ? node.value : `\`\`\`{=${node.format}}\n${node.value}\n\`\`\``)
    }
  }
}
