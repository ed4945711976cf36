/**
 * `\ ` becomes a non-breaking space in the text around it (mdast-util-from-markdown joins it to its neighbours as it
 * joins escapes); the to-markdown side needs nothing: a non-breaking space is written as the character itself.
 */
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import type {Text} from 'mdast'

export function escapedSpaceFromMarkdown(): Extension {
  return {
    enter: {
      escapedSpace(this: CompileContext, token: Token) {
        this.config.enter.data.call(this, token)
      }
    },
    exit: {
      escapedSpace(this: CompileContext, token: Token) {
        const node = this.stack.pop() as Text
        node.value += '\u00a0'
        node.position!.end = {line: token.end.line, column: token.end.column, offset: token.end.offset}
      }
    }
  }
}
