/**
 * Emphasis (`*`, `_`) and strikeout (`~~`, micromark-extension-gfm-strikethrough), resolved in linear time. micromark
 * pairs each closing run with an opening one by reading the events back from it, splices the pair's events into the
 * middle of the list, and resolves everything between again: a paragraph of many emphasized words was quadratic
 * (32,000 `*a*` took seconds), emphasis nested deep cubic.
 *
 * The pairing here is micromark's, decision for decision. For emphasis (CommonMark's rules): the nearest opener of
 * the same marker, except where the rule of three forbids it; two markers used when both runs have two. Each closer
 * finds its opener among stacks of the openers still open, one per marker, per whether the opener may also close,
 * and per its length modulo three: the rule of three depends on nothing else, so the nearest allowed opener is the
 * nearest top of an allowed stack. For strikeout: the nearest opener of the same length, used whole. A pair closes
 * every opener between its runs, as micromark's resolving of the span between does.
 *
 * micromark resolves the two kinds one after the other, each pair's span again with both (strikeout first): in a
 * paragraph, the kind whose construct matched first goes first, and the other kind's runs inside each of its pairs
 * are paired among themselves when the pair is made; inside a link's text, strikeout goes first. That order is kept
 * (it decides `~~a *b~~ c*`). The events are then written once, in order: micromark's tokens, places and nesting.
 */
import {attention} from 'micromark-core-commonmark'
import {splice} from 'micromark-util-chunked'
import type {Code, Construct, Effects, Event, State, Token, TokenizeContext} from 'micromark-util-types'

type Kind = 'attention' | 'strikethrough'

interface Run {
  kind: Kind
  token: Token
  marker: number
  canOpen: boolean
  canClose: boolean
  /** Characters not yet used by a pair (the token's start and end move in as pairs take them). */
  size: number
  /** Position among the runs. */
  order: number
  /** Events closing pairs at this run (its left part), in the order the pairs were made: innermost first. */
  closing: Event[][]
  /** Events opening pairs at this run (its right part), in the order the pairs were made: innermost first. */
  opening: Event[][]
}

/** The kinds in the order their constructs first matched in a text (that order decides micromark's). */
const firstMatched = new WeakMap<TokenizeContext, Kind[]>()

export const linearAttention: Construct = {...attention, tokenize: recordingMatch('attention', attention), resolveAll: resolveAllSpans}

/** micromark-extension-gfm-strikethrough's construct, resolved here. */
export function linearStrikethrough(strikethrough: Construct): Construct {
  return {...strikethrough, tokenize: recordingMatch('strikethrough', strikethrough), resolveAll: resolveAllSpans}
}

function recordingMatch(kind: Kind, construct: Construct): Construct['tokenize'] {
  return function (this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    return construct.tokenize.call(self, effects, matched, nok)

    function matched(code: Code): State | undefined {
      let kinds = firstMatched.get(self)
      if (!kinds) firstMatched.set(self, (kinds = []))
      if (!kinds.includes(kind)) kinds.push(kind)
      return ok(code)
    }
  }
}

function resolveAllSpans(events: Event[], context: TokenizeContext): Event[] {
  const runs: Run[] = []
  for (const [kind, token] of events) {
    if (kind !== 'enter' || (token.type !== 'attentionSequence' && token.type !== 'strikethroughSequenceTemporary')) continue
    runs.push({
      kind: token.type === 'attentionSequence' ? 'attention' : 'strikethrough',
      token,
      marker: context.sliceSerialize(token).charCodeAt(0),
      canOpen: Boolean(token._open),
      canClose: Boolean(token._close),
      size: token.end.offset - token.start.offset,
      order: runs.length,
      closing: [],
      opening: []
    })
  }
  if (runs.length === 0) return events
  // The whole text: in the order the constructs matched. A span (a link's text): strikeout first, as in
  // micromark's list of span resolvers.
  const matched = events === context.events ? (firstMatched.get(context) ?? []) : []
  const first: Kind = matched[0] ?? (runs.some((run) => run.kind === 'strikethrough') ? 'strikethrough' : 'attention')
  const second: Kind = first === 'attention' ? 'strikethrough' : 'attention'

  // Pair the first kind over the text; the second kind's runs wait, in order, until a pair around them is made
  // (then they are paired among themselves) or the end (then the rest are paired).
  const waiting: Run[] = []
  const pairFirst = new Pairing(first, context, (opener) => {
    const inside: Run[] = []
    while (waiting.length > 0 && waiting[waiting.length - 1].order > opener.order) inside.push(waiting.pop()!)
    new Pairing(second, context).pairAll(inside.reverse())
  })
  for (const run of runs) {
    if (run.kind === first) pairFirst.add(run)
    else waiting.push(run)
  }
  new Pairing(second, context).pairAll(waiting)
  return writeEvents(events, runs, context)
}

/** Pairs runs of one kind, given in order. `inside(opener)` is told of each pair made, when it is made. */
class Pairing {
  /** Open runs by stack (for emphasis: marker, may close, length modulo 3; for strikeout: length); nearest last. */
  private stacks = new Map<string, Run[]>()

  constructor(
    private readonly kind: Kind,
    private readonly context: TokenizeContext,
    private readonly inside?: (opener: Run) => void
  ) {}

  pairAll(runs: Run[]): void {
    for (const run of runs) this.add(run)
  }

  add(closer: Run): void {
    while (closer.canClose && closer.size > 0) {
      const opener = this.nearestOpener(closer)
      if (!opener) break
      this.inside?.(opener)
      if (this.kind === 'attention') pairAttention(opener, closer, this.context)
      else pairStrikethrough(opener, closer, this.context)
      // Openers between the two are inside the pair now (micromark turns them into text); the opener, now the top
      // of its stack, moves to the stack of its new length, where it is the nearest too, or is used up.
      for (const stack of this.stacks.values()) {
        while (stack.length > 0 && stack[stack.length - 1].order >= opener.order) stack.pop()
      }
      if (opener.size > 0) this.stackOf(opener).push(opener)
    }
    if (closer.canOpen && closer.size > 0) this.stackOf(closer).push(closer)
  }

  private key(run: Pick<Run, 'marker' | 'canClose' | 'size'>): string {
    return this.kind === 'attention' ? `${run.marker} ${run.canClose} ${run.size % 3}` : `${run.size}`
  }

  private stackOf(run: Run): Run[] {
    const key = this.key(run)
    let stack = this.stacks.get(key)
    if (!stack) this.stacks.set(key, (stack = []))
    return stack
  }

  private nearestOpener(closer: Run): Run | undefined {
    if (this.kind === 'strikethrough') return this.stacks.get(this.key(closer))?.at(-1)
    let nearest: Run | undefined
    for (const canClose of [false, true]) {
      for (let modulo = 0; modulo < 3; modulo++) {
        const top = this.stacks.get(`${closer.marker} ${canClose} ${modulo}`)?.at(-1)
        if (!top || (nearest && nearest.order > top.order)) continue
        // micromark's rule of three, on the opener's and closer's current lengths.
        if ((canClose || closer.canOpen) && closer.size % 3 && !((top.size + closer.size) % 3)) continue
        nearest = top
      }
    }
    return nearest
  }
}

/** micromark's emphasis pair: strong when both runs have two characters left, else emphasis. */
function pairAttention(opener: Run, closer: Run, context: TokenizeContext): void {
  const use = opener.size > 1 && closer.size > 1 ? 2 : 1
  const strong = use > 1
  const start = {...opener.token.end}
  const end = {...closer.token.start}
  movePoint(start, -use)
  movePoint(end, use)
  const openingSequence: Token = {type: strong ? 'strongSequence' : 'emphasisSequence', start, end: {...opener.token.end}}
  const closingSequence: Token = {type: strong ? 'strongSequence' : 'emphasisSequence', start: {...closer.token.start}, end}
  const text: Token = {type: strong ? 'strongText' : 'emphasisText', start: {...opener.token.end}, end: {...closer.token.start}}
  const group: Token = {type: strong ? 'strong' : 'emphasis', start: {...openingSequence.start}, end: {...closingSequence.end}}
  opener.token.end = {...openingSequence.start}
  closer.token.start = {...closingSequence.end}
  opener.size -= use
  closer.size -= use
  opener.opening.push([
    ['enter', group, context],
    ['enter', openingSequence, context],
    ['exit', openingSequence, context],
    ['enter', text, context]
  ])
  closer.closing.push([
    ['exit', text, context],
    ['enter', closingSequence, context],
    ['exit', closingSequence, context],
    ['exit', group, context]
  ])
}

/** micromark-extension-gfm-strikethrough's pair: both runs whole. */
function pairStrikethrough(opener: Run, closer: Run, context: TokenizeContext): void {
  opener.token.type = 'strikethroughSequence'
  closer.token.type = 'strikethroughSequence'
  const group: Token = {type: 'strikethrough', start: {...opener.token.start}, end: {...closer.token.end}}
  const text: Token = {type: 'strikethroughText', start: {...opener.token.end}, end: {...closer.token.start}}
  opener.size = 0
  closer.size = 0
  opener.opening.push([
    ['enter', group, context],
    ['enter', opener.token, context],
    ['exit', opener.token, context],
    ['enter', text, context]
  ])
  closer.closing.push([
    ['exit', text, context],
    ['enter', closer.token, context],
    ['exit', closer.token, context],
    ['exit', group, context]
  ])
}

/**
 * The events with each run replaced by its closing pairs, what is left of it (as text), and its opening pairs; in
 * place, as micromark's resolvers do (the caller may hold the list).
 */
function writeEvents(events: Event[], runs: Run[], context: TokenizeContext): Event[] {
  const result: Event[] = []
  const byToken = new Map(runs.map((run) => [run.token, run]))
  for (const event of events) {
    const [kind, token] = event
    const run = byToken.get(token)
    if (!run) {
      result.push(event)
      continue
    }
    if (kind === 'exit') continue
    for (const part of run.closing) result.push(...part)
    if (run.size > 0) {
      token.type = 'data'
      result.push(['enter', token, context], ['exit', token, context])
    }
    // The pair made last is the outermost: its opening comes first.
    for (let index = run.opening.length - 1; index >= 0; index--) result.push(...run.opening[index])
  }
  splice(events, 0, events.length, result)
  return events
}

function movePoint(point: Token['start'], offset: number): void {
  point.column += offset
  point.offset += offset
  point._bufferIndex += offset
}
