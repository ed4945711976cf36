/**
 * Micromark extension for pandoc's Divs: `fenced_divs` (`::: {#id .class key=value}` … `:::`, or `::: class`) and
 * `native_divs` (a `<div …>` line … a `</div>` line), whose content is ordinary Markdown blocks.
 *
 * A div is a document *container*, like a block quote or a list item, not a flow construct: the fence or tag line
 * opens it, every later line belongs to it until its closing line, and its content goes to a flow of its own, so
 * lists, block quotes, tables and other divs nest inside it (and it inside them) with exact positions.
 * (micromark-extension-directive's container directive instead re-parses its lines as a sub-document; that cannot
 * give pandoc's nesting, where a bare `:::` closes the innermost open div, because the outer fence cannot see what
 * its content will parse into.)
 *
 * Opening line, after up to three spaces: at least three colons, optional spaces, then a pandoc attribute block
 * (tokenized by the attributes construct, `{}` allowed) or a single word of non-spaces (a class), optional spaces,
 * optional colons, optional spaces, end of line. Native form: `<div`, HTML attributes, `>`, optional spaces, end of
 * line. As in pandoc, an opening line does not interrupt a paragraph (not even lazily, inside a block quote or a
 * list item): a div needs a blank line or another block before it.
 *
 * Closing line, after up to three spaces: at least three colons and optional spaces (`</div>` and optional spaces
 * for a native div). Like pandoc's `manyTill block divFenceEnd`, it closes the innermost open div of its kind that
 * the line reaches: through other divs, and into a list item only when indented to the item's content (a list item
 * or block quote that the line does not continue ends there, with the div around it). It interrupts a paragraph;
 * inside fenced code or an HTML comment it is content. An unclosed fenced div runs to the end of its container or of the document; an
 * unclosed native div is turned back into raw HTML by the from-markdown layer, as pandoc does.
 *
 * The closing line is consumed by the div's continuation (ending the containers inside); the div itself ends on
 * the next line, and the from-markdown layer takes its end from the closing line's token.
 */
import {factorySpace} from 'micromark-factory-space'
import {asciiAlpha, asciiAlphanumeric, markdownLineEnding, markdownLineEndingOrSpace, markdownSpace} from 'micromark-util-character'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, Extension, State, Token, TokenizeContext} from 'micromark-util-types'
import {attributesConstruct} from '../attributes/syntax.ts'
import {withinNestingLimit} from '../nesting/syntax.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** A fenced div, from its opening fence to its closing fence (or where it is cut off). */
    fencedDiv: 'fencedDiv'
    /** An opening or closing fence line (without indentation or line ending). */
    fencedDivFence: 'fencedDivFence'
    /** A run of colons. */
    fencedDivFenceSequence: 'fencedDivFenceSequence'
    /** The bare word of `::: warning`, a class. */
    fencedDivClass: 'fencedDivClass'
    /** `{}`: an attribute block with nothing in it (the attributes construct leaves it to prose). */
    fencedDivEmptyAttributes: 'fencedDivEmptyAttributes'
    /** A native div, from `<div …>` to `</div>` (or where it is cut off). */
    nativeDiv: 'nativeDiv'
    /** `<div …>` or `</div>`. */
    nativeDivTag: 'nativeDivTag'
    /** `name` or `name=value` inside `<div …>`. */
    nativeDivAttribute: 'nativeDivAttribute'
    nativeDivAttributeName: 'nativeDivAttributeName'
    /** `=`. */
    nativeDivAttributeInitializer: 'nativeDivAttributeInitializer'
    /** `"` or `'` around a quoted value. */
    nativeDivAttributeValueQuote: 'nativeDivAttributeValueQuote'
    /** The value without quotes, character references not yet decoded. */
    nativeDivAttributeValue: 'nativeDivAttributeValue'
    /** The `>` ending a tag. */
    nativeDivTagEnd: 'nativeDivTagEnd'
  }
  interface ContainerState {
    /** Set by the div constructs on the container they open. */
    div?: DivState
  }
}

type DivKind = 'fencedDiv' | 'nativeDiv'

/** What a div container remembers between lines. */
interface DivState {
  kind: DivKind
  /** The container token, to find the containers opened inside it in the document's events. */
  token: Token
  /** Its closing line was seen: the div ends before the next line. */
  closed: boolean
  /** Whether containers, or a block that a blank line does not end, were open inside it at its closing line. */
  mustCloseFlow?: boolean
}

/** The state of every div container by its token, so that an outer div can see whether an inner one is open. */
const divStates = new WeakMap<Token, DivState>()

const fenceSizeMin = 3
const leftCurlyBrace = 123 // `{`
const rightCurlyBrace = 125 // `}`

export const fencedDivConstruct: Construct = withinNestingLimit({
  name: 'fencedDiv',
  tokenize: tokenizeFencedDivStart,
  continuation: {tokenize: tokenizeDivContinuation},
  exit: exitDiv
})

export const nativeDivConstruct: Construct = withinNestingLimit({
  name: 'nativeDiv',
  tokenize: tokenizeNativeDivStart,
  continuation: {tokenize: tokenizeDivContinuation},
  exit: exitDiv
})

/** The attribute-block tokenizer, as a partial construct so that it does not replace the container as `currentConstruct`. */
const fenceAttributesConstruct: Construct = {tokenize: attributesConstruct.tokenize, partial: true}
const emptyAttributesConstruct: Construct = {tokenize: tokenizeEmptyAttributes, partial: true}

/** The micromark syntax extension: register with `micromark({extensions: [fencedDiv()]})`. */
export function fencedDiv(): Extension {
  return {document: {[codes.colon]: fencedDivConstruct, [codes.lessThan]: nativeDivConstruct}}
}

function exitDiv(this: TokenizeContext, effects: Effects): undefined {
  const state = this.containerState?.div
  if (state) effects.exit(state.kind)
}

// ---------------------------------------------------------------------------------------------------------------
// Opening lines

/** At `:`, after up to three spaces of indentation (taken by the document tokenizer). */
function tokenizeFencedDivStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const line = self.now().line
  let container: Token
  let size = 0

  return start

  function start(code: Code): State | undefined {
    if (code !== codes.colon || !mayOpenDiv(self)) return nok(code)
    container = effects.enter('fencedDiv', {_container: true})
    effects.enter('fencedDivFence')
    effects.enter('fencedDivFenceSequence')
    return openingSequence(code)
  }

  function openingSequence(code: Code): State | undefined {
    if (code === codes.colon) {
      effects.consume(code)
      size++
      return openingSequence
    }
    if (size < fenceSizeMin) return nok(code)
    effects.exit('fencedDivFenceSequence')
    return factorySpace(effects, beforeAttributes, types.whitespace)(code)
  }

  /** pandoc tries an attribute block first, then a bare word. */
  function beforeAttributes(code: Code): State | undefined {
    if (code === leftCurlyBrace) {
      return effects.attempt(fenceAttributesConstruct, afterAttributes, effects.attempt(emptyAttributesConstruct, afterAttributes, classStart))(code)
    }
    return classStart(code)
  }

  /** A bare word: everything up to the next space, as in pandoc (`::: warning`). */
  function classStart(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEndingOrSpace(code)) return nok(code)
    effects.enter('fencedDivClass')
    effects.consume(code)
    return inClass
  }

  function inClass(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEndingOrSpace(code)) {
      effects.exit('fencedDivClass')
      return afterAttributes(code)
    }
    effects.consume(code)
    return inClass
  }

  function afterAttributes(code: Code): State | undefined {
    // The attributes construct may cross line endings; an opening fence is one line.
    if (self.now().line !== line) return nok(code)
    return factorySpace(effects, beforeClosingSequence, types.whitespace)(code)
  }

  /** Optional colons after the attributes: `::: {#refs} :::`. */
  function beforeClosingSequence(code: Code): State | undefined {
    if (code !== codes.colon) return atLineEnd(code)
    effects.enter('fencedDivFenceSequence')
    return closingSequence(code)
  }

  function closingSequence(code: Code): State | undefined {
    if (code === codes.colon) {
      effects.consume(code)
      return closingSequence
    }
    effects.exit('fencedDivFenceSequence')
    return factorySpace(effects, atLineEnd, types.whitespace)(code)
  }

  function atLineEnd(code: Code): State | undefined {
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code)
    effects.exit('fencedDivFence')
    openContainer(self, 'fencedDiv', container)
    return ok(code)
  }
}

/** `{}` or `{ }`: pandoc reads an attribute block with no attributes, our attributes construct does not. */
function tokenizeEmptyAttributes(effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    if (code !== leftCurlyBrace) return nok(code)
    effects.enter('fencedDivEmptyAttributes')
    effects.consume(code)
    return inside
  }

  function inside(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return inside
    }
    if (code !== rightCurlyBrace) return nok(code)
    effects.consume(code)
    effects.exit('fencedDivEmptyAttributes')
    return ok
  }
}

/** At `<`, after up to three spaces: `<div`, HTML attributes, `>`, then nothing but spaces on the line. */
function tokenizeNativeDivStart(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let container: Token
  let quote: Code = null

  return start

  function start(code: Code): State | undefined {
    if (code !== codes.lessThan || !mayOpenDiv(self)) return nok(code)
    container = effects.enter('nativeDiv', {_container: true})
    effects.enter('nativeDivTag')
    effects.consume(code)
    return tagName(0)
  }

  function tagName(index: number): State {
    return function (code: Code): State | undefined {
      if (index === 3) return afterTagName(code)
      if (code === null || (code | 0x20) !== 'div'.charCodeAt(index)) return nok(code)
      effects.consume(code)
      return tagName(index + 1)
    }
  }

  /** `<div>` or `<div ` (anything else, such as `<divider>`, is some other tag). */
  function afterTagName(code: Code): State | undefined {
    if (code === codes.greaterThan) return tagEnd(code)
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, beforeAttribute, types.whitespace)(code)
  }

  function beforeAttribute(code: Code): State | undefined {
    if (code === codes.greaterThan) return tagEnd(code)
    if (!isHtmlAttributeNameStart(code)) return nok(code)
    effects.enter('nativeDivAttribute')
    effects.enter('nativeDivAttributeName')
    effects.consume(code)
    return attributeName
  }

  function attributeName(code: Code): State | undefined {
    if (isHtmlAttributeNameStart(code) || code === codes.dash || code === codes.dot || asciiAlphanumeric(code)) {
      effects.consume(code)
      return attributeName
    }
    effects.exit('nativeDivAttributeName')
    return factorySpace(effects, afterAttributeName, types.whitespace)(code)
  }

  function afterAttributeName(code: Code): State | undefined {
    if (code !== codes.equalsTo) {
      effects.exit('nativeDivAttribute')
      return beforeAttribute(code)
    }
    effects.enter('nativeDivAttributeInitializer')
    effects.consume(code)
    effects.exit('nativeDivAttributeInitializer')
    return factorySpace(effects, valueStart, types.whitespace)
  }

  function valueStart(code: Code): State | undefined {
    if (code === codes.quotationMark || code === codes.apostrophe) {
      quote = code
      effects.enter('nativeDivAttributeValueQuote')
      effects.consume(code)
      effects.exit('nativeDivAttributeValueQuote')
      effects.enter('nativeDivAttributeValue')
      return quotedValue
    }
    if (code === codes.eof || markdownLineEndingOrSpace(code) || isUnquotedExcluded(code)) return nok(code)
    effects.enter('nativeDivAttributeValue')
    effects.consume(code)
    return unquotedValue
  }

  function quotedValue(code: Code): State | undefined {
    // The tag is one line: an unclosed quote cannot swallow the document.
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)
    if (code === quote) {
      effects.exit('nativeDivAttributeValue')
      effects.enter('nativeDivAttributeValueQuote')
      effects.consume(code)
      effects.exit('nativeDivAttributeValueQuote')
      return afterValue
    }
    effects.consume(code)
    return quotedValue
  }

  function unquotedValue(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEndingOrSpace(code) || code === codes.greaterThan) {
      effects.exit('nativeDivAttributeValue')
      return afterValue(code)
    }
    if (isUnquotedExcluded(code)) return nok(code)
    effects.consume(code)
    return unquotedValue
  }

  /** Attributes are separated by whitespace (`a="1"b` is not HTML). */
  function afterValue(code: Code): State | undefined {
    effects.exit('nativeDivAttribute')
    if (code === codes.greaterThan) return tagEnd(code)
    if (!markdownSpace(code)) return nok(code)
    return factorySpace(effects, beforeAttribute, types.whitespace)(code)
  }

  function tagEnd(code: Code): State | undefined {
    effects.enter('nativeDivTagEnd')
    effects.consume(code)
    effects.exit('nativeDivTagEnd')
    effects.exit('nativeDivTag')
    return factorySpace(effects, atLineEnd, types.whitespace)
  }

  function atLineEnd(code: Code): State | undefined {
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code)
    openContainer(self, 'nativeDiv', container)
    return ok(code)
  }
}

function isHtmlAttributeNameStart(code: Code): boolean {
  return asciiAlpha(code) || code === codes.underscore || code === codes.colon
}

/** Characters HTML does not allow in an unquoted attribute value. */
function isUnquotedExcluded(code: Code): boolean {
  return (
    code === codes.quotationMark ||
    code === codes.apostrophe ||
    code === codes.lessThan ||
    code === codes.equalsTo ||
    code === codes.greaterThan ||
    code === codes.graveAccent
  )
}

function openContainer(context: TokenizeContext, kind: DivKind, token: Token): void {
  const state: DivState = {kind, token, closed: false}
  divStates.set(token, state)
  if (context.containerState) context.containerState.div = state
}

/**
 * pandoc reads a div only where a new block starts: an opening line does not interrupt a paragraph, including a
 * lazy continuation of a paragraph in a block quote or list item. Inside fenced code the document tokenizer does
 * not look for containers at all.
 */
function mayOpenDiv(context: TokenizeContext): boolean {
  if (context.interrupt) return false
  const construct = liveFlow(context)?.currentConstruct
  return !construct || construct.concrete === true
}

/**
 * The flow tokenizer that gets the content of the innermost open container: the one behind the document's last
 * flow chunk (a new chunk is started on every line before it ends, so at the start of a line this is current).
 */
function liveFlow(context: TokenizeContext): TokenizeContext | undefined {
  const stable = currentLine(context).stable
  return stable > 0 ? context.events[stable - 1][1]._tokenizer : undefined
}

// ---------------------------------------------------------------------------------------------------------------
// Following lines

/** At the start of each line inside a div (after the prefixes of the containers around it). */
function tokenizeDivContinuation(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const containerState = this.containerState
  const state = containerState?.div
  if (!containerState || !state || state.closed) return nok

  return start

  function start(code: Code): State | undefined {
    // Only a line starting with its fence or tag (after spaces) can close it, and none while a div of its kind is
    // open directly inside it (see `claimsClosingLine`): with many divs open, a line costs each outer one no more.
    if (code !== (state?.kind === 'fencedDiv' ? codes.colon : codes.lessThan) && !markdownSpace(code)) return ok(code)
    if (state && innerDivOfKind(self, state)) return ok(code)
    return effects.attempt(ownClosingLineConstruct, closed, ok)(code)
  }

  function closed(code: Code): State | undefined {
    if (!containerState || !state) return nok(code)
    state.closed = true
    // Lists, block quotes or divs inside, and blocks that a blank line does not end (HTML, tables), end before the
    // closing line. Otherwise the rest of the line reaches the div's flow as a blank line, which ends a paragraph
    // just as well: `_closeFlow` costs micromark a copy of all its events.
    if (state.mustCloseFlow) containerState._closeFlow = true
    return ok(code)
  }
}

const ownClosingLineConstruct: Construct = {tokenize: tokenizeOwnClosingLine, partial: true}

/** A closing line of the current div's kind that is the div's own (see `claimsClosingLine`). */
function tokenizeOwnClosingLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const state = self.containerState?.div
  if (!state) return nok
  const tokenizeClosingLine = state.kind === 'fencedDiv' ? tokenizeClosingFence : tokenizeClosingTag
  return tokenizeClosingLine(effects, claim, nok)

  function claim(code: Code): State | undefined {
    const line = self.events[self.events.length - 1][1]
    return state && claimsClosingLine(self, state, line.start.column) ? ok(code) : nok(code)
  }
}

/**
 * Whether a closing line (its marker at `column`) that `state`'s div sees is its own, as in pandoc, where it
 * closes the innermost open div of its kind that the line reaches. The containers opened inside the div and still
 * open are read from the document's events. Walking down them: a div of the same kind takes the line; a div of the
 * other kind passes it on; a list passes it on only when the line is indented to its current item's content (else
 * pandoc ends the item there); a block quote or footnote cannot continue on a line without `>` or four spaces.
 * Where the walk stops, the line is this div's, and closes it with everything inside. When the line reaches the
 * innermost flow, fenced code or an HTML comment there keeps it as content.
 */
function claimsClosingLine(context: TokenizeContext, state: DivState, column: number): boolean {
  const line = currentLine(context)
  const flowConstruct = liveFlow(context)?.currentConstruct
  state.mustCloseFlow = flowConstruct?.concrete === true
  for (const token of line.openInside(state.token)) {
    state.mustCloseFlow = true
    const inner = divStates.get(token)
    if (inner) {
      if (inner.closed) return true
      if (inner.kind === state.kind) return false
      continue
    }
    if (token.type === types.listOrdered || token.type === types.listUnordered) {
      const prefix = line.itemPrefix(token)
      if (prefix && column >= prefix.end.column) continue
    }
    return true
  }
  return !inVerbatimBlock(liveFlow(context))
}

/** Whether the first container open inside the div is an open div of the same kind, which a closing line reaches first. */
function innerDivOfKind(context: TokenizeContext, state: DivState): boolean {
  for (const token of currentLine(context).openInside(state.token)) {
    const inner = divStates.get(token)
    return inner !== undefined && !inner.closed && inner.kind === state.kind
  }
  return false
}

/** HTML blocks that only their end marker ends (comments, `<pre>`, `<script>`…; CommonMark kinds 1 to 5). */
const htmlBlockWithEndMarker = /^[ \t]*<(?:!--|\?|![A-Za-z]|!\[CDATA\[|(?:pre|script|style|textarea)(?:[\s>]|$))/i

/** For an HTML block token, whether it runs to an end marker (decided once: its first line tells). */
const verbatimHtml = new WeakMap<Token, boolean>()

/**
 * Whether the flow is inside fenced code or an HTML block that runs to an end marker (an HTML comment is a common
 * way to set text aside): a closing line there is content, as in pandoc, which reads such blocks whole.
 */
function inVerbatimBlock(flow: TokenizeContext | undefined): boolean {
  const construct = flow?.currentConstruct
  if (!flow || !construct) return false
  if (construct.name === 'codeFenced') return true
  if (construct.name !== 'htmlFlow') return false
  const token = openHtmlBlock(flow)
  if (!token) return false
  let verbatim = verbatimHtml.get(token)
  if (verbatim === undefined) {
    verbatim = htmlBlockWithEndMarker.test(flow.sliceSerialize({start: token.start, end: flow.now()}))
    verbatimHtml.set(token, verbatim)
  }
  return verbatim
}

/** The HTML block last found open in each flow, and where its token is among the flow's events. */
const openHtmlBlocks = new WeakMap<TokenizeContext, {index: number; token: Token}>()

/**
 * The HTML block open in a flow. Found by reading the flow's events back once per block (a block may hold many
 * closing lines); while it is open (micromark sets a token's `end` when it exits) it is where it was found.
 */
function openHtmlBlock(flow: TokenizeContext): Token | undefined {
  const events = flow.events
  const known = openHtmlBlocks.get(flow)
  if (known && events[known.index]?.[1] === known.token && known.token.end === undefined) return known.token
  for (let index = events.length - 1; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.type !== types.htmlFlow) continue
    if (kind !== 'enter') return undefined
    openHtmlBlocks.set(flow, {index, token})
    return token
  }
  return undefined
}

/**
 * The document's events on the current line, and the open tokens (containers) at the start of that line. Events
 * up to the document's last flow chunk never change again (micromark inserts the exits of containers it closes
 * after that chunk): the walk through them is kept, one per document, and only the current line's events are read
 * anew, once per change, however many divs ask. So each event is read about once in all.
 */
interface CurrentLine {
  /** Index after the document's last flow chunk (the previous line's). */
  stable: number
  /** The tokens opened inside `token` and still open, outermost first. */
  openInside(token: Token): Iterable<Token>
  /** The prefix (`- `, `1. `) of an open list's current item, whose end is where the item's content starts. */
  itemPrefix(list: Token): Token | undefined
}

/** Open tokens found by walking a document's events up to `next`, outermost first. */
interface DocumentWalk {
  next: number
  open: Token[]
  /** Each open token's index in `open`. */
  depth: Map<Token, number>
  itemPrefixes: Map<Token, Token>
}

/** The effect of the current line's events so far: tokens they close of the walk's, and tokens still open. */
interface LineEvents {
  stable: number
  length: number
  last: Event | undefined
  closed: number
  open: Token[]
  itemPrefixes: Map<Token, Token>
}

const documentWalks = new WeakMap<TokenizeContext, {walk: DocumentWalk; line?: LineEvents}>()

function currentLine(context: TokenizeContext): CurrentLine {
  const events = context.events
  let record = documentWalks.get(context)
  if (!record) {
    record = {walk: {next: 0, open: [], depth: new Map(), itemPrefixes: new Map()}}
    documentWalks.set(context, record)
  }
  const {walk} = record
  let line = record.line
  // The line's events read last time are still there unless a failed attempt took some back.
  if (!line || line.length > events.length || (line.length > 0 && events[line.length - 1] !== line.last)) {
    let stable = events.length
    while (stable > walk.next && !(events[stable - 1][0] === 'exit' && events[stable - 1][1].type === types.chunkFlow)) stable--
    line = startLine(events, walk, stable)
  }
  for (let index = line.length; index < events.length; index++) {
    const [kind, token] = events[index]
    if (kind === 'exit' && token.type === types.chunkFlow) {
      line = startLine(events, walk, index + 1)
      continue
    }
    if (kind === 'exit') {
      if (line.open.length > 0) line.itemPrefixes.delete(line.open.pop()!)
      else line.closed++
      continue
    }
    const parent = line.open.length > 0 ? line.open[line.open.length - 1] : walk.open[walk.open.length - 1 - line.closed]
    if (token.type === types.listItemPrefix && parent) line.itemPrefixes.set(parent, token)
    line.open.push(token)
  }
  line.length = events.length
  line.last = events[events.length - 1]
  record.line = line
  const current = line
  return {
    stable: current.stable,
    *openInside(token) {
      const depth = walk.depth.get(token)
      if (depth === undefined) return
      for (let index = depth + 1; index < walk.open.length - current.closed; index++) yield walk.open[index]
      yield* current.open
    },
    itemPrefix(list) {
      return current.itemPrefixes.get(list) ?? walk.itemPrefixes.get(list)
    }
  }
}

/** A line starting at `stable`: the document's events before it are walked and final. */
function startLine(events: Event[], walk: DocumentWalk, stable: number): LineEvents {
  walkDocument(events, walk, stable)
  return {stable, length: stable, last: events[stable - 1], closed: 0, open: [], itemPrefixes: new Map()}
}

function walkDocument(events: Event[], walk: DocumentWalk, to: number): void {
  for (let index = walk.next; index < to; index++) {
    const [kind, token] = events[index]
    if (kind === 'exit') {
      const closed = walk.open.pop()
      if (closed) {
        walk.itemPrefixes.delete(closed)
        walk.depth.delete(closed)
      }
      continue
    }
    const parent = walk.open[walk.open.length - 1]
    if (token.type === types.listItemPrefix && parent) walk.itemPrefixes.set(parent, token)
    walk.depth.set(token, walk.open.length)
    walk.open.push(token)
  }
  walk.next = Math.max(walk.next, to)
}

/** A closing fence: up to three spaces, at least three colons, optional spaces, end of line. */
function tokenizeClosingFence(effects: Effects, ok: State, nok: State): State {
  let size = 0
  return factorySpace(effects, start, types.linePrefix, constants.tabSize)

  function start(code: Code): State | undefined {
    if (code !== codes.colon) return nok(code)
    effects.enter('fencedDivFence')
    effects.enter('fencedDivFenceSequence')
    return sequence(code)
  }

  function sequence(code: Code): State | undefined {
    if (code === codes.colon) {
      effects.consume(code)
      size++
      return sequence
    }
    if (size < fenceSizeMin) return nok(code)
    effects.exit('fencedDivFenceSequence')
    return factorySpace(effects, atLineEnd, types.whitespace)(code)
  }

  function atLineEnd(code: Code): State | undefined {
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code)
    effects.exit('fencedDivFence')
    return ok(code)
  }
}

/**
 * Closing `</div>` tags written after indentation: pandoc ends the paragraph before one as a Plain block (without
 * `<p>`), where a `</div>` at the start of the line leaves it a paragraph.
 */
export const indentedClosingTags = new WeakSet<Token>()

/** A closing tag line: up to three spaces, `</div` in any case, optional spaces, `>`, optional spaces. */
function tokenizeClosingTag(effects: Effects, ok: State, nok: State): State {
  const text = '</div'
  let index = 0
  let indented = false
  return before

  function before(code: Code): State | undefined {
    indented = markdownSpace(code)
    return factorySpace(effects, start, types.linePrefix, constants.tabSize)(code)
  }

  function start(code: Code): State | undefined {
    if (code !== codes.lessThan) return nok(code)
    const tag = effects.enter('nativeDivTag')
    if (indented) indentedClosingTags.add(tag)
    return name(code)
  }

  function name(code: Code): State | undefined {
    if (index === text.length) return factorySpace(effects, tagEnd, types.whitespace)(code)
    if (code === null || (index > 1 ? code | 0x20 : code) !== text.charCodeAt(index)) return nok(code)
    effects.consume(code)
    index++
    return name
  }

  function tagEnd(code: Code): State | undefined {
    if (code !== codes.greaterThan) return nok(code)
    effects.enter('nativeDivTagEnd')
    effects.consume(code)
    effects.exit('nativeDivTagEnd')
    effects.exit('nativeDivTag')
    return factorySpace(effects, atLineEnd, types.whitespace)
  }

  function atLineEnd(code: Code): State | undefined {
    return code === codes.eof || markdownLineEnding(code) ? ok(code) : nok(code)
  }
}
