/**
 * mdast-util-from-markdown and mdast-util-to-markdown handlers for `superscript` and `subscript` nodes (see
 * ../types.ts). Positions come from the tokens; the children from the content's text chunk.
 */
import type {CompileContext, Extension as FromMarkdownExtension, Token} from 'mdast-util-from-markdown'
import type {Options as ToMarkdownExtension, State, Info} from 'mdast-util-to-markdown'
import type {Parents} from 'mdast'
import type {Subscript, Superscript} from '../types.ts'

export function supSubFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {
      superscript(this: CompileContext, token: Token) {
        this.enter({type: 'superscript', children: []} as Superscript, token)
      },
      subscript(this: CompileContext, token: Token) {
        this.enter({type: 'subscript', children: []} as Subscript, token)
      }
    },
    exit: {
      superscript(this: CompileContext, token: Token) {
        this.exit(token)
      },
      subscript(this: CompileContext, token: Token) {
        this.exit(token)
      }
    }
  }
}

export function supSubToMarkdown(): ToMarkdownExtension {
  return {
    unsafe: [
      {character: '^', inConstruct: 'phrasing', notInConstruct: []},
      {character: '~', inConstruct: 'phrasing', notInConstruct: []}
    ],
    handlers: {
      superscript: (node: Superscript, _parent: Parents | undefined, state: State, info: Info) => wrap('^', node, state, info),
      subscript: (node: Subscript, _parent: Parents | undefined, state: State, info: Info) => wrap('~', node, state, info)
    } as never
  }
}

function wrap(mark: string, node: Superscript | Subscript, state: State, info: Info): string {
  const tracker = state.createTracker(info)
  let value = tracker.move(mark)
  value += tracker.move(state.containerPhrasing(node, {...tracker.current(), before: value, after: mark}))
  value += tracker.move(mark)
  return value
}
