/**
 * mdast for pandoc's autolinks: a `link` whose URL and text are what the author wrote with character references
 * decoded (`mailto:` before an e-mail address), as mdast-util-from-markdown makes them for CommonMark's autolinks.
 */
import type {Link} from 'mdast'
import type {CompileContext, Extension as FromMarkdownExtension, Token} from 'mdast-util-from-markdown'

export function pandocAutolinkFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {autolinkProtocol: enterDestination, autolinkEmail: enterDestination},
    exit: {autolinkProtocol: exitDestination(''), autolinkEmail: exitDestination('mailto:')}
  }
}

function enterDestination(this: CompileContext): undefined {
  this.buffer()
}

function exitDestination(prefix: string) {
  return function (this: CompileContext, token: Token): undefined {
    const value = this.resume()
    const link = this.stack[this.stack.length - 1] as Link
    link.url = prefix + value
    const at = (point: Token['start']) => ({line: point.line, column: point.column, offset: point.offset})
    link.children = [{type: 'text', value, position: {start: at(token.start), end: at(token.end)}}]
  }
}
