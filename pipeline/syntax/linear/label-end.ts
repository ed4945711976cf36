/**
 * micromark's link and image end (`]`), with three costs bounded:
 *
 * - At every `]` micromark serializes all the text since its `[` to see whether it names a link definition: with
 *   brackets nested, every `]` read everything inside it again (`[` × n, `a`, `]` × n is quadratic). A label of
 *   more than 999 characters cannot name a definition (CommonMark's limit, which definitions keep), so a longer
 *   one is not serialized.
 * - micromark looks the label up in a list of all definitions; here in a set.
 * - Links and images nest (an image in a link's text, an image in an image's description), and micromark copies a
 *   group's events into the enclosing one as each closes, so deep nesting is quadratic. A `]` that would close a
 *   group holding groups nested `phrasingNestingLimit` deep is not a link end: the brackets stay text, and the
 *   first such `]` in a paragraph becomes a `phrasingTooDeep` token (a `parseLimit` node, reported).
 */
import {labelEnd} from 'micromark-core-commonmark'
import type {Code, Construct, Effects, Extension, State, Token, TokenizeContext} from 'micromark-util-types'
import {phrasingNestingLimit} from '../nesting/syntax.ts'
import {withPandocResource} from '../link-title/syntax.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** Where phrasing would nest deeper than the limit (a `]`, or the first emphasis mark of a paragraph). */
    phrasingTooDeep: 'phrasingTooDeep'
  }
  interface TokenizeContext {
    _labelStarts?: Token[]
  }
}

/** The longest label that can name a definition (CommonMark: 999 characters between the brackets). */
const labelSizeMax = 999

/** How deep the links and images closed inside an open `[` or `![` nest. */
const depthInside = new WeakMap<Token, number>()
/** Texts where a `phrasingTooDeep` token was made (one per text). */
const toldTooDeep = new WeakSet<TokenizeContext>()
/** The definitions of a parse as a set, with the length of the list it was made from. */
const definitionSets = new WeakMap<string[], {size: number; set: Set<string>}>()

export const linearLabelEnd: Construct = {...labelEnd, name: 'linearLabelEnd', tokenize: tokenizeLinearLabelEnd}

/** A `]` closing a group with groups nested `phrasingNestingLimit` deep inside: text. Tried before the label end. */
export const labelEndTooDeep: Construct = {name: 'labelEndTooDeep', tokenize: tokenizeLabelEndTooDeep}

function tokenizeLinearLabelEnd(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const starts = openLabelStarts(self)
  const labelStart = starts?.[starts.length - 1]
  const parent = starts && starts.length > 1 ? starts[starts.length - 2] : undefined
  const depth = labelStart ? (depthInside.get(labelStart) ?? 0) : 0

  const bounded: TokenizeContext = Object.create(self)
  bounded.sliceSerialize = (token, expandTabs) => (spansMoreThan(self, token, labelSizeMax) ? 'x'.repeat(labelSizeMax + 1) : self.sliceSerialize(token, expandTabs))
  // pandoc's implicit header references: a link label that names no definition may still name a heading (of any
  // file), which only the tree as a whole knows. So every link label (`[a]`, `[a][]`, `[a][b]`) counts as defined
  // while its `]` is read, and the heading identifiers transform turns each reference that names nothing back into
  // the text it was written as. Image labels need a definition (their alt text is not parsed as Markdown).
  const lookup = definitionLookup(self.parser.defined)
  lookup.anyLabel = labelStart?.type === 'labelLink' && implicitReferencesOn(self)
  lookup.found = []
  // pandoc's link titles: quotes nest (../link-title).
  return labelEnd.tokenize.call(bounded, withPandocResource(effects), closed, notClosed)

  function closed(code: Code): State | undefined {
    lookup.anyLabel = false
    if (parent) depthInside.set(parent, Math.max(depthInside.get(parent) ?? 0, depth + 1))
    // A reference that names no definition is only possibly a link (to a heading, or not at all): unlike a link, it
    // leaves the brackets around it free to make a link, which pandoc reads first (`[embedded [brackets]][b]` is
    // a link to b). The heading identifiers transform then turns a possible reference inside a link into its text.
    if (!namesDefinition(self, lookup)) {
      const open = starts ? starts.map((start) => start._inactive) : []
      const next = ok(code)
      starts?.forEach((start, index) => (start._inactive = open[index]))
      return next
    }
    return ok(code)
  }

  function notClosed(code: Code): State | undefined {
    lookup.anyLabel = false
    if (parent) depthInside.set(parent, Math.max(depthInside.get(parent) ?? 0, depth))
    return nok(code)
  }
}

function tokenizeLabelEndTooDeep(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const starts = openLabelStarts(self)
  const labelStart = starts?.[starts.length - 1]
  const depth = labelStart ? (depthInside.get(labelStart) ?? 0) : 0
  if (!starts || !labelStart || depth < phrasingNestingLimit) return nok
  return start

  function start(code: Code): State | undefined {
    // The `]` fails to close, as a `]` that closes no link does.
    labelStart!._balanced = true
    const parent = starts!.length > 1 ? starts![starts!.length - 2] : undefined
    if (parent) depthInside.set(parent, Math.max(depthInside.get(parent) ?? 0, depth))
    const type = toldTooDeep.has(self) ? 'data' : 'phrasingTooDeep'
    toldTooDeep.add(self)
    effects.enter(type, {_nestingConstruct: 'labelEnd'})
    effects.consume(code)
    effects.exit(type)
    return ok
  }
}

/** micromark's open `[` and `![`, innermost last, after dropping those a `]` already failed to close (as it does). */
function openLabelStarts(context: TokenizeContext): Token[] | undefined {
  const starts = context._labelStarts
  while (starts && starts.length > 0 && starts[starts.length - 1]._balanced) starts.pop()
  return starts && starts.length > 0 ? starts : undefined
}

/** Whether a token holds more than `size` characters, found without serializing a long one. */
export function spansMoreThan(context: TokenizeContext, token: Pick<Token, 'start' | 'end'>, size: number): boolean {
  // A character is at most four chunks (a tab and its virtual spaces).
  if (token.end._index - token.start._index > 4 * size) return true
  let length = 0
  for (const chunk of context.sliceStream(token)) {
    length += typeof chunk === 'string' ? chunk.length : 1
    if (length > size) return true
  }
  return false
}

/**
 * Registering this extension (pipeline/syntax/implicit-header-references) turns on the reading of every link label
 * as a possible reference; without it, the label end is micromark's.
 */
export const implicitHeaderReferencesExtension = {implicitHeaderReferences: {null: []}} as unknown as Extension

function implicitReferencesOn(context: TokenizeContext): boolean {
  return Object.prototype.hasOwnProperty.call(context.parser.constructs, 'implicitHeaderReferences')
}

/** Whether a label can name a definition (not empty, not longer than CommonMark allows). */
function isPossibleLabel(label: string): boolean {
  return label.length > 0 && label.length <= labelSizeMax
}

interface DefinitionLookup {
  /** While a link's `]` is read: every possible label counts as defined. */
  anyLabel: boolean
  /** Whether each label looked up at this `]` names a definition (not only a possible heading), in order. */
  found: boolean[]
}

/**
 * Whether the link just closed is one for sure: a resource (`(url)`), or a reference whose label (its own, or the
 * second one of `[text][label]`) names a definition.
 */
function namesDefinition(context: TokenizeContext, lookup: DefinitionLookup): boolean {
  const events = context.events
  const last = events[events.length - 1]
  if (last && last[0] === 'exit' && last[1].type === 'resource') return true
  let full = false
  if (last && last[0] === 'exit' && last[1].type === 'reference') {
    for (let index = events.length - 2; index >= 0 && events[index][1].type !== 'reference'; index--) {
      if (events[index][1].type === 'referenceString') full = true
    }
  }
  return (full ? lookup.found[lookup.found.length - 1] : lookup.found[0]) === true
}

const lookups = new WeakMap<string[], DefinitionLookup>()

/**
 * The parse's list of definitions answers `includes` by a set kept up to date with the list (micromark looks labels
 * up in the list), and with `anyLabel` set, for any possible label. micromark's full reference (`[a][b]`) looks its
 * label up in the parser's own list, so the list itself answers.
 */
function definitionLookup(defined: string[]): DefinitionLookup {
  let lookup = lookups.get(defined)
  if (lookup) return lookup
  const state: DefinitionLookup = {anyLabel: false, found: []}
  const known = definitionSet(defined)
  const includes = (label: string) => {
    const found = known.includes(label)
    state.found.push(found)
    return state.anyLabel ? isPossibleLabel(label) : found
  }
  Object.defineProperty(defined, 'includes', {value: includes, configurable: true})
  lookups.set(defined, state)
  return state
}

/** `includes` of the parse's definitions, by a set kept up to date with the list. */
export function definitionSet(defined: string[]): {includes(label: string): boolean} {
  let known = definitionSets.get(defined)
  if (!known) definitionSets.set(defined, (known = {size: 0, set: new Set()}))
  const entry = known
  return {
    includes: (label) => {
      for (; entry.size < defined.length; entry.size++) entry.set.add(defined[entry.size])
      return entry.set.has(label)
    }
  }
}
