/**
 * A limit on how deep containers (block quotes, list items, divs, footnote definitions) nest. micromark checks every
 * open container on every line, so a line inside containers nested `d` deep costs `d` steps, and a list item or
 * block quote opened on a line nested `d` deep costs micromark more again: 10,000 nested list items took 85 s and
 * then overflowed the stack. Pandoc has no limit; 100 levels is far beyond any manuscript.
 *
 * Every container construct is wrapped (`withinNestingLimit`): the wrapper knows the depth of the container it
 * opens, and where one would open deeper than `nestingLimit`, it opens a `nestingTooDeep` container instead, which
 * takes the rest of that line and every later line it holds as plain text, with nothing nested in it. The
 * from-markdown layer turns it into a `parseLimit` node, which the nesting transform (pipeline/transforms/nesting.ts)
 * reports at its place (the marker of the container that goes too deep) and removes.
 *
 * The depth of a new container is that of the innermost container continued or opened before it on its line:
 * the continuation wrappers record the depth of the last container they continue, and containers opened earlier on
 * the line are the container tokens entered since the previous line's flow chunk.
 */
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, State, TokenizeContext} from 'micromark-util-types'

/** Containers nest at most this deep. */
export const nestingLimit = 100
/** Emphasis, strikeout, links, images and notes nest at most this deep inside each other (see ./tree.ts). */
export const phrasingNestingLimit = 100

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** A container that would nest deeper than the limit, with all it holds. */
    nestingTooDeep: 'nestingTooDeep'
    /** The text of one of its lines. */
    nestingTooDeepText: 'nestingTooDeepText'
  }
  interface Token {
    /** On a `nestingTooDeep` token: the name of the construct that would have opened there. */
    _nestingConstruct?: string
  }
  interface ContainerState {
    /** How deep the container is: 1 for one at the top level. */
    _nestingDepth?: number
    /** The container is a `nestingTooDeep` one. */
    _nestingTooDeep?: boolean
  }
}

/** The depth of the last container continued, and on which line, per parse. */
const continued = new WeakMap<TokenizeContext['parser'], {line: number; depth: number}>()

/**
 * The container construct `construct`, limited: opened at most `nestingLimit` deep, deeper as a `nestingTooDeep`
 * container. Register it before the construct it wraps (or instead of it).
 */
export function withinNestingLimit(construct: Construct, name = construct.name ?? ''): Construct {
  const continuation = construct.continuation
  const exit = construct.exit
  if (!continuation || !exit) throw new Error(`withinNestingLimit: ${construct.name ?? 'the construct'} is not a container`)
  const check: Construct = {tokenize: construct.tokenize, partial: true}

  return {
    name: construct.name,
    add: 'before',
    tokenize(effects, ok, nok) {
      const depth = depthBefore(this) + 1
      if (depth > nestingLimit) return tooDeep(this, effects, check, name, ok, nok)
      if (this.containerState) this.containerState._nestingDepth = depth
      return construct.tokenize.call(this, effects, ok, nok)
    },
    continuation: {
      tokenize(effects, ok, nok) {
        const self = this
        const state = self.containerState
        if (state?._nestingTooDeep) return tooDeepLine(self, effects, ok)
        return continuation.tokenize.call(self, effects, continues, nok)

        function continues(code: Code): State | undefined {
          continued.set(self.parser, {line: self.now().line, depth: state?._nestingDepth ?? 0})
          return ok(code)
        }
      }
    },
    exit(effects) {
      if (this.containerState?._nestingTooDeep) effects.exit('nestingTooDeep')
      else return exit.call(this, effects)
    }
  }
}

/** The depth of the innermost container continued or opened so far on the current line. */
function depthBefore(context: TokenizeContext): number {
  const last = continued.get(context.parser)
  let depth = last && last.line === context.now().line ? last.depth : 0
  const events: Event[] = context.events
  for (let index = events.length - 1; index >= 0; index--) {
    const [kind, token] = events[index]
    if (kind === 'exit' && token.type === types.chunkFlow) break
    if (kind === 'enter' && token._container) depth++
  }
  return depth
}

/** Where `check` (the wrapped container's start) would open a container too deep: open a `nestingTooDeep` one. */
function tooDeep(context: TokenizeContext, effects: Effects, check: Construct, name: string, ok: State, nok: State): State {
  return effects.check(check, open, nok)

  function open(code: Code): State | undefined {
    const state = context.containerState
    if (state) {
      state._nestingTooDeep = true
      state._nestingDepth = nestingLimit + 1
    }
    effects.enter('nestingTooDeep', {_container: true, _nestingConstruct: name})
    return tooDeepLine(context, effects, ok)(code)
  }
}

/** The rest of a line in a `nestingTooDeep` container, as text. */
function tooDeepLine(context: TokenizeContext, effects: Effects, ok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (code === codes.eof || code === codes.carriageReturn || code === codes.lineFeed || code === codes.carriageReturnLineFeed) {
      continued.set(context.parser, {line: context.now().line, depth: nestingLimit + 1})
      return ok(code)
    }
    effects.enter('nestingTooDeepText')
    return text(code)
  }

  function text(code: Code): State | undefined {
    if (code === codes.eof || code === codes.carriageReturn || code === codes.lineFeed || code === codes.carriageReturnLineFeed) {
      effects.exit('nestingTooDeepText')
      continued.set(context.parser, {line: context.now().line, depth: nestingLimit + 1})
      return ok(code)
    }
    effects.consume(code)
    return text
  }
}
