/**
 * Link and definition titles as pandoc reads them: quotes nest (`[a](/url/ "title with "quotes" in it")`,
 * `[a]: /url/ "Title with "quotes" inside"`), where CommonMark ends a title at its second `"` and the link or
 * definition with it. Where each title closes is found by ./closing-quote.ts; the tokens are micromark's
 * (`resourceTitle`, `definitionTitle`, their markers and strings), so from-markdown reads them as it reads any title.
 *
 * micromark's link end and definition call micromark-factory-title from inside; these wrappers give them our title:
 *
 * - `pandocResource(resource)`: micromark's resource (`(destination "title")`), whose states run as they are until a
 *   quote (or `(`) opens its title; then the title is ours, and after it optional white space and `)` end the
 *   resource. (A `(title)` is CommonMark's, not pandoc's, which reads `[a](u (t))` as the URL `u (t)`; ours closes
 *   at the balancing `)`, found in linear time, where micromark read to the paragraph's end at every `](`.)
 * - `pandocDefinition`: micromark's definition, with its title (after white space, up to the line's end) ours.
 */
import {definition} from 'micromark-core-commonmark'
import {factorySpace} from 'micromark-factory-space'
import {factoryWhitespace} from 'micromark-factory-whitespace'
import {markdownLineEnding, markdownLineEndingOrSpace, markdownSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, TokenizeContext, TokenType} from 'micromark-util-types'
import {closingMark} from './closing-quote.ts'

/**
 * A title from its opening mark to the mark ./closing-quote.ts found for it, in micromark-factory-title's tokens:
 * `type` > `markerType`, `stringType` > `chunkString` (string content: escapes and references) and line endings.
 */
export function factoryPandocTitle(context: TokenizeContext, effects: Effects, ok: State, nok: State, type: TokenType, markerType: TokenType, stringType: TokenType): State {
  let close = -1
  return start

  function start(code: Code): State | undefined {
    if (code !== codes.quotationMark && code !== codes.apostrophe && code !== codes.leftParenthesis) return nok(code)
    return effects.check(closingMark.check, open, nok)(code)
  }

  function open(code: Code): State | undefined {
    close = closingMark.closingOffset(context, context.now().offset)
    effects.enter(type)
    effects.enter(markerType)
    effects.consume(code)
    effects.exit(markerType)
    return begin
  }

  function atClose(code: Code): boolean {
    return code !== null && code >= 0 && context.now().offset === close
  }

  function begin(code: Code): State | undefined {
    if (atClose(code)) {
      effects.enter(markerType)
      effects.consume(code)
      effects.exit(markerType)
      effects.exit(type)
      return ok
    }
    effects.enter(stringType)
    return atBreak(code)
  }

  function atBreak(code: Code): State | undefined {
    if (atClose(code)) {
      effects.exit(stringType)
      return begin(code)
    }
    if (code === codes.eof) return nok(code)
    if (markdownLineEnding(code)) {
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return factorySpace(effects, atBreak, 'linePrefix')
    }
    effects.enter('chunkString', {contentType: 'string'})
    return inside(code)
  }

  function inside(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code) || atClose(code)) {
      effects.exit('chunkString')
      return atBreak(code)
    }
    effects.consume(code)
    return inside
  }
}

/**
 * micromark's resource with pandoc's quoted titles: its own states run (destination, white space, `)`),
 * except that a quote or `(` after the destination and white space opens our title, after which optional white
 * space and `)` end the resource as micromark ends it.
 */
export function pandocResource(resource: Construct): Construct {
  return {...resource, tokenize: tokenizePandocResource}

  function tokenizePandocResource(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const context = this
    /** Whether the destination has ended, and whether what follows it (a quote or not) has been seen. */
    let afterDestination = false
    let decided = false
    /** Tokens micromark's states have open after the destination (white space, whose end is the quote's to see). */
    const open: TokenType[] = []
    const watched: Effects = {
      ...effects,
      enter(type, fields) {
        if (afterDestination) open.push(type)
        return effects.enter(type, fields)
      },
      exit(type) {
        if (afterDestination) open.pop()
        if (type === 'resourceDestination') afterDestination = true
        // The resource ended (`)` right after the destination): what follows is not ours to read.
        if (type === 'resource') decided = true
        return effects.exit(type)
      }
    }
    // Once the resource ends or fails, the states that follow are the text's: no longer watched.
    const finish =
      (next: State): State =>
      (code) => {
        decided = true
        return next(code)
      }
    return wrap(resource.tokenize.call(context, watched, finish(ok), finish(nok)))

    function wrap(state: State): State {
      return (code) => {
        if (afterDestination && !decided && (code === codes.quotationMark || code === codes.apostrophe || code === codes.leftParenthesis)) {
          decided = true
          // micromark's white space would end here, at the quote.
          while (open.length > 0) effects.exit(open.pop()!)
          return factoryPandocTitle(context, effects, titleAfter, nok, 'resourceTitle', 'resourceTitleMarker', 'resourceTitleString')(code)
        }
        const wasAfterDestination = afterDestination
        const next = state(code)
        // Past the destination and its white space without a quote: micromark's states finish alone.
        if (wasAfterDestination && code !== null && !markdownLineEndingOrSpace(code)) decided = true
        return next && !decided ? wrap(next) : (next as State)
      }
    }

    function titleAfter(code: Code): State | undefined {
      return markdownLineEndingOrSpace(code) ? factoryWhitespace(effects, end)(code) : end(code)
    }

    function end(code: Code): State | undefined {
      if (code !== codes.rightParenthesis) return nok(code)
      effects.enter('resourceMarker')
      effects.consume(code)
      effects.exit('resourceMarker')
      effects.exit('resource')
      return ok
    }
  }
}

const resources = new WeakMap<Construct, Construct>()

/**
 * micromark's link end asks micromark's resource construct (not exported) by `effects.attempt`: these effects give
 * it ours instead.
 */
export function withPandocResource(effects: Effects): Effects {
  return {
    ...effects,
    attempt: (construct, returnState, bogusState) => effects.attempt(isResource(construct) ? pandocResourceOf(construct as Construct) : construct, returnState, bogusState)
  }
}

// micromark's constructs are known by their tokenizers' names: a bundle that renamed them (a name clash) would
// leave micromark's titles in place, which tests/render/pandoc-markdown/link-titles (built by the bundled CLI) shows.
function isResource(construct: Construct | Construct[] | Record<string, unknown>): boolean {
  return !Array.isArray(construct) && typeof construct.tokenize === 'function' && construct.tokenize.name === 'tokenizeResource'
}

function pandocResourceOf(resource: Construct): Construct {
  let ours = resources.get(resource)
  if (!ours) resources.set(resource, (ours = pandocResource(resource)))
  return ours
}

/** micromark's definition, asking our title of its title attempt (its only attempt). */
export const pandocDefinition: Construct = {...definition, name: 'pandocDefinition', tokenize: tokenizePandocDefinition}

function tokenizePandocDefinition(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const withOurTitle: Effects = {
    ...effects,
    attempt: (construct, returnState, bogusState) => effects.attempt(isTitleBefore(construct) ? titleBefore : construct, returnState, bogusState)
  }
  return definition.tokenize.call(this, withOurTitle, ok, nok)
}

function isTitleBefore(construct: Construct | Construct[] | Record<string, unknown>): boolean {
  return !Array.isArray(construct) && typeof construct.tokenize === 'function' && construct.tokenize.name === 'tokenizeTitleBefore'
}

/** White space (with at most one line ending), a title, white space, then the end of the line (CommonMark). */
const titleBefore: Construct = {tokenize: tokenizePandocTitleBefore, partial: true}

function tokenizePandocTitleBefore(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const context = this
  return start

  function start(code: Code): State | undefined {
    return markdownLineEndingOrSpace(code) ? factoryWhitespace(effects, beforeMarker)(code) : nok(code)
  }

  function beforeMarker(code: Code): State | undefined {
    return factoryPandocTitle(context, effects, titleAfter, nok, 'definitionTitle', 'definitionTitleMarker', 'definitionTitleString')(code)
  }

  function titleAfter(code: Code): State | undefined {
    return markdownSpace(code) ? factorySpace(effects, lineEnd, 'whitespace')(code) : lineEnd(code)
  }

  function lineEnd(code: Code): State | undefined {
    return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}

/** The micromark syntax extension for definitions (link ends take `pandocResource` in ../linear/label-end.ts). */
export function pandocDefinitions(): Extension {
  return {contentInitial: {[codes.leftSquareBracket]: pandocDefinition}, disable: {null: ['definition']}}
}
