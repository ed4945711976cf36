/**
 * micromark-extension-gfm-footnote's `]` of a footnote call written like an image (`![^a]`), found in linear time.
 * At every `]` the extension reads the paragraph's events back to the last bracket-like token, and when that is an
 * image start, serializes everything since and looks it up in a list of all footnotes: in a paragraph of many `]`
 * and no brackets, every `]` read back to its start. Here the reading back stops at the events read for the
 * previous `]`, whose answer is kept; a label longer than a footnote label can be is not serialized; and the lookup
 * is in a set. The tokens, and what they become, are the extension's.
 */
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Event, State, Token, TokenizeContext} from 'micromark-util-types'
import {definitionSet, spansMoreThan} from './label-end.ts'

declare module 'micromark-util-types' {
  interface ParseContext {
    gfmFootnotes?: string[]
  }
}

/** What the events before `length` hold as the last bracket-like token: an image start, or nothing to call. */
const lastScans = new WeakMap<TokenizeContext, {length: number; last: Event | undefined; imageStart: Token | undefined}>()

/** Tokens that end the reading back (the extension's list); `labelImage` is the one wanted. */
const stops = new Set(['labelImage', 'gfmFootnoteCall', 'labelLink', 'label', 'image', 'link'])

/** A footnote label is at most 999 characters; with its `^`, 1,000. */
const labelSizeMax = 1000

export function linearPotentialFootnoteCall(potentialCall: Construct): Construct {
  return {...potentialCall, tokenize: tokenizePotentialFootnoteCall}
}

function tokenizePotentialFootnoteCall(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  const defined = (self.parser.gfmFootnotes ??= [])
  const labelStart = lastImageStart(self)
  return start

  function start(code: Code): State | undefined {
    if (!labelStart || !labelStart._balanced) return nok(code)
    const label = {start: labelStart.end, end: self.now()}
    if (spansMoreThan(self, label, labelSizeMax)) return nok(code)
    const id = normalizeIdentifier(self.sliceSerialize(label))
    if (id.codePointAt(0) !== codes.caret || !definitionSet(defined).includes(id.slice(1))) return nok(code)
    effects.enter('gfmFootnoteCallLabelMarker')
    effects.consume(code)
    effects.exit('gfmFootnoteCallLabelMarker')
    return ok(code)
  }
}

function lastImageStart(context: TokenizeContext): Token | undefined {
  const events = context.events
  const previous = lastScans.get(context)
  const kept = previous !== undefined && previous.length <= events.length && (previous.length === 0 || events[previous.length - 1] === previous.last)
  const from = kept ? previous.length : 0
  let imageStart = kept ? previous.imageStart : undefined
  for (let index = events.length - 1; index >= from; index--) {
    const type = events[index][1].type
    if (stops.has(type)) {
      imageStart = type === 'labelImage' ? events[index][1] : undefined
      break
    }
  }
  lastScans.set(context, {length: events.length, last: events[events.length - 1], imageStart})
  return imageStart
}
