/**
 * Pandoc definition lists (`definition_lists`): a term of one line, then one or more definitions, each opened by
 * `:` or `~` (indented at most two spaces, followed by spaces or a tab) and continued by lines indented four spaces
 * (or a tab), blank lines, or lazy paragraph lines:
 *
 *     Term
 *     :   Definition, *inline* Markdown.
 *
 *         A second paragraph makes it loose.
 *     ~   Another definition of the same term.
 *
 * A definition is a container (`definitionDescription`), like a list item. It opens only where pandoc reads one: right
 * after a paragraph of one line (its term), after such a paragraph and one blank line, or where a definition before
 * it ends (another definition of the same term). The term itself is that paragraph; the from-markdown layer groups
 * terms and definitions into a list. A definition is loose (its paragraphs stay paragraphs) when a blank line comes
 * before its marker or between two of its blocks, as in pandoc.
 */
import {markdownLineEnding} from 'micromark-util-character'
import {codes, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, Extension, State, TokenizeContext} from 'micromark-util-types'
import {withinNestingLimit} from '../nesting/index.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    definitionDescription: 'definitionDescription'
    definitionDescriptionPrefix: 'definitionDescriptionPrefix'
    definitionDescriptionMarker: 'definitionDescriptionMarker'
  }
  interface Token {
    /** On a `definitionDescription`: loose (a blank line before its marker or between its blocks). */
    _spread?: boolean
  }
  interface ContainerState {
    /** A definition: blank lines seen since its last non-blank line. */
    _definitionBlankLines?: number
    /** A definition: a blank line came before its marker or between two of its lines. */
    _definitionSpread?: boolean
  }
}

/** Where a definition did not continue: the next line may open another definition of the same term. */
interface EndedDefinition {
  line: number
  blankLines: number
}

const endedDefinitions = new WeakMap<TokenizeContext['parser'], EndedDefinition>()

const definitionDescriptionConstruct: Construct = {
  name: 'definitionDescription',
  tokenize: tokenizeDescriptionStart,
  continuation: {tokenize: tokenizeDescriptionContinuation},
  exit: exitDescription
}

export function definitionList(): Extension {
  const limited = withinNestingLimit(definitionDescriptionConstruct)
  return {document: {[codes.colon]: limited, [codes.tilde]: limited}}
}

function tokenizeDescriptionStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  // Pandoc reads the marker's indentation and the spaces after it up to the next tab stop (4 columns).
  const indent = indentBefore(self)
  let spaces = 0
  return start

  function start(code: Code): State | undefined {
    if (indent > 2) return nok(code)
    const blankBefore = termOrDefinitionBefore(self)
    if (blankBefore === undefined) return nok(code)
    const state = self.containerState!
    state._definitionBlankLines = 0
    state._definitionSpread = blankBefore
    effects.enter('definitionDescription', {_container: true})
    effects.enter('definitionDescriptionPrefix')
    effects.enter('definitionDescriptionMarker')
    effects.consume(code)
    effects.exit('definitionDescriptionMarker')
    return afterMarker
  }

  function afterMarker(code: Code): State | undefined {
    if (code !== codes.horizontalTab && code !== codes.space) return nok(code)
    effects.enter(types.whitespace)
    if (code === codes.space) return spacesAfter(code)
    effects.consume(code)
    return virtualSpaces
  }

  function spacesAfter(code: Code): State | undefined {
    if (code === codes.space && spaces < 3 - indent) {
      spaces++
      effects.consume(code)
      return spacesAfter
    }
    return done(code)
  }

  function virtualSpaces(code: Code): State | undefined {
    if (code === codes.virtualSpace) {
      effects.consume(code)
      return virtualSpaces
    }
    return done(code)
  }

  function done(code: Code): State | undefined {
    effects.exit(types.whitespace)
    effects.exit('definitionDescriptionPrefix')
    return ok(code)
  }
}

/** A blank line, or a line indented four columns; anything else ends the definition (lazy lines aside). */
function tokenizeDescriptionContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const state = self.containerState!
  let columns = 0
  return start

  function start(code: Code): State | undefined {
    if (markdownLineEnding(code) || code === codes.eof) {
      state._definitionBlankLines = (state._definitionBlankLines ?? 0) + 1
      return ok(code)
    }
    effects.enter(types.linePrefix)
    return indent(code)
  }

  function indent(code: Code): State | undefined {
    if (columns < 4 && (code === codes.space || code === codes.horizontalTab || code === codes.virtualSpace)) {
      columns += code === codes.horizontalTab ? 1 : 1
      effects.consume(code)
      return indent
    }
    if (columns < 4) {
      // A line of spaces only is blank.
      if (markdownLineEnding(code) || code === codes.eof) {
        effects.exit(types.linePrefix)
        state._definitionBlankLines = (state._definitionBlankLines ?? 0) + 1
        return ok(code)
      }
      endedDefinitions.set(self.parser, {line: self.now().line, blankLines: state._definitionBlankLines ?? 0})
      return nok(code)
    }
    effects.exit(types.linePrefix)
    if (!markdownLineEnding(code) && code !== codes.eof) {
      if ((state._definitionBlankLines ?? 0) > 0) state._definitionSpread = true
      state._definitionBlankLines = 0
    } else {
      state._definitionBlankLines = (state._definitionBlankLines ?? 0) + 1
    }
    return ok(code)
  }
}

function exitDescription(this: TokenizeContext, effects: Effects): undefined {
  const token = effects.exit('definitionDescription')
  token._spread = this.containerState?._definitionSpread === true
}

/** Spaces before the marker on its line (the container construct reads them as a line prefix). */
function indentBefore(context: TokenizeContext): number {
  const last = context.events[context.events.length - 1]
  if (!last || last[0] !== 'exit' || last[1].type !== types.linePrefix) return 0
  if (last[1].start.line !== context.now().line) return 0
  return last[1].end.offset - last[1].start.offset
}

/**
 * Whether a definition may open here, and whether a blank line comes before it: after a definition that just
 * ended (with at most one blank line between), after a paragraph of one line (the term) on the line before, or after
 * one blank line that follows such a paragraph. `undefined` where none of these is so.
 */
function termOrDefinitionBefore(context: TokenizeContext): boolean | undefined {
  const line = context.now().line
  if (openedOnThisLine(context)) return undefined
  const ended = endedDefinitions.get(context.parser)
  if (ended && ended.line === line) return ended.blankLines <= 1 ? ended.blankLines === 1 : undefined
  const flow = currentFlow(context)
  if (!flow) return undefined
  const events = flow.events
  let index = events.length - 1
  let blankLines = 0
  // Back over blank lines and the term's line ending (each line passed once per marker line after it: linear).
  for (; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.type === types.lineEndingBlank) blankLines += kind === 'enter' ? 1 : 0
    else if (token.type !== types.linePrefix && token.type !== types.whitespace && token.type !== types.lineEnding) break
  }
  if (blankLines > 1) return undefined
  const termLine = line - 1 - blankLines
  // Right after its term, a definition interrupts the paragraph, which only happens when every open container continued.
  if (blankLines === 0 && !context.interrupt) return undefined
  // Back to the start of the term's paragraph (micromark's `content`, or a first line that may still be a table's head).
  for (; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.start.line < termLine) return undefined
    if (token.type === types.content || ((token.type as string) === 'tableHead' && kind === 'enter')) {
      if (kind === 'exit' && token.end.line !== token.start.line) return undefined
      if (kind === 'exit') continue
      if (token.start.line !== termLine) return undefined
      return (token.type as string) === 'tableHead' && continuesParagraph(events, index) ? undefined : blankLines === 1
    }
  }
  return undefined
}

/** A table's head tried on a line of an open paragraph (tables may interrupt one): the line is not a paragraph of its own. */
function continuesParagraph(events: Event[], index: number): boolean {
  for (index--; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.type === types.content) return kind === 'enter'
    if (token.type !== types.lineEnding && token.type !== types.chunkContent && token.type !== types.linePrefix && token.type !== types.whitespace) return false
  }
  return false
}

/** The flow (block) tokenizer that the document's last line went to, when it is still open. */
function currentFlow(context: TokenizeContext): TokenizeContext | undefined {
  const events = context.events
  for (let index = events.length - 1; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.type === types.chunkFlow) return kind === 'exit' ? token._tokenizer : undefined
    if (token._container && kind === 'enter') return undefined
  }
  return undefined
}

/** A container (block quote, list item) was opened earlier on this line: the definition would go inside it, where no term is. */
function openedOnThisLine(context: TokenizeContext): boolean {
  const events = context.events
  for (let index = events.length - 1; index >= 0; index--) {
    const [kind, token] = events[index]
    if (kind === 'exit' && token.type === types.chunkFlow) return false
    if (kind === 'enter' && token._container) return true
  }
  return false
}

