/**
 * YAML as the project's files hold it (metadata blocks, manuscript.yaml, a CSL YAML bibliography): the one module
 * that parses YAML (js-yaml's parser), with the aliases weighed before anything is built. An alias (`*a`) repeats what its anchor (`&a`) holds;
 * aliases of aliases multiply, so that ten lines can stand for gigabytes (a "billion laughs"), and an alias inside
 * its own anchor (`a: &a [*a]`) for a value without end. Everything downstream (messages quoting a value, pandoc
 * metadata turned into text) would then take minutes or run out of memory. Reading stops instead, at the alias
 * that makes the document larger than `expansionFactor` times its text, with what to do.
 *
 * Also where each value and each key is written (`placeOf(['author', 1, 'affiliation'])`, `placeOfKey(['title'])`),
 * so that a problem with a nested value is reported at its own line, and one with a key at the key.
 */
import {constructFromEvents, EVENT_ID, getScalarValue, parseEvents, YAMLException, type Event, type ScalarEvent} from 'js-yaml'

/** js-yaml's syntax error (with its `mark`); the project's other modules take it from here, the one YAML reader. */
export {YAMLException}

/** How much larger than its text a document may become through its aliases (plus a small allowance). */
export const expansionFactor = 10
const expansionAllowance = 10_000

/** A place in the YAML text: 0-based line, 1-based column (as js-yaml's marks, plus one on the column). */
export interface YamlPlace {
  line: number
  column: number
}

/** Aliases that would expand the document too far: where the alias is, the top-level key it is under, and why. */
export class YamlExpansionError extends Error {
  override name = 'YamlExpansionError'
  constructor(
    message: string,
    readonly place: YamlPlace,
    readonly key: string | undefined
  ) {
    super(message)
  }
}

export interface ReadYaml {
  /** The document's value; undefined for a text with no document (empty, or comments only). */
  data: unknown
  /** Where the value at `path` (keys and list indexes from the top) starts; undefined if there is none. */
  placeOf: (path: readonly (string | number)[]) => YamlPlace | undefined
  /** Where the key that names the value at `path` is written (`title` in `title: A paper`); undefined if there is none. */
  placeOfKey: (path: readonly (string | number)[]) => YamlPlace | undefined
}

type Frame = {kind: 'mapping'; path: (string | number)[]; expectingKey: boolean; key?: string; anchor?: string; sizeBefore: number} | {kind: 'sequence'; path: (string | number)[]; index: number; anchor?: string; sizeBefore: number}

/**
 * Parse `text` as one YAML document. Throws js-yaml's YAMLException for a syntax error (with its `mark`), and
 * YamlExpansionError for aliases that would make the document more than `expansionFactor` times its size.
 */
export function readYaml(text: string, options: {filename?: string} = {}): ReadYaml {
  const events = parseEvents(text, {filename: options.filename})
  const {starts, keyStarts} = weighAliases(text, events)
  const documents = constructFromEvents(events, {source: text, filename: options.filename})
  // As js-yaml's load() says it; the caller reports it like any syntax error.
  if (documents.length > 1) throw new YAMLException('expected a single document in the stream, but found more')
  return {data: documents[0], placeOf: placeFinder(text, starts), placeOfKey: placeFinder(text, keyStarts)}
}

/**
 * Walk the events once, keeping the size the document has so far with every alias expanded (a scalar counts its
 * characters and one, a collection one), and each anchor's size. Linear in the events: an alias adds its anchor's
 * size as a number, without expanding anything. Returns where each value starts, and where each mapping key is
 * written, by path.
 */
function weighAliases(text: string, events: Event[]): {starts: Map<string, number>; keyStarts: Map<string, number>} {
  const limit = expansionFactor * text.length + expansionAllowance
  const anchors = new Map<string, number>()
  const open = new Set<string>()
  const starts = new Map<string, number>()
  const keyStarts = new Map<string, number>()
  const frames: Frame[] = []
  let size = 0

  const anchorOf = (event: {anchorStart: number; anchorEnd: number}) => (event.anchorStart === -1 ? undefined : text.slice(event.anchorStart, event.anchorEnd))
  /** The path of the value about to start, and records a mapping key as the frame's current key. */
  const nextPath = (keyText?: string): (string | number)[] | undefined => {
    const frame = frames[frames.length - 1]
    if (!frame) return []
    if (frame.kind === 'sequence') return [...frame.path, frame.index++]
    if (frame.expectingKey) {
      frame.expectingKey = false
      frame.key = keyText ?? '?'
      return undefined
    }
    frame.expectingKey = true
    return [...frame.path, frame.key ?? '?']
  }
  const topKey = (path: (string | number)[] | undefined): string | undefined => {
    const first = path?.[0] ?? (frames[0]?.kind === 'mapping' ? frames[0].key : undefined)
    return typeof first === 'string' ? first : undefined
  }

  for (const event of events) {
    switch (event.type) {
      case EVENT_ID.SCALAR: {
        const scalar = event as ScalarEvent
        const path = nextPath(getScalarValue(text, scalar))
        const start = scalar.valueStart === -1 ? eventStart(scalar) : scalar.valueStart
        if (path) starts.set(pathKey(path), start)
        else keyStarts.set(pathKey(keyPath(frames)), start)
        size += 1 + Math.max(0, scalar.valueEnd - scalar.valueStart)
        const anchor = anchorOf(scalar)
        if (anchor !== undefined) anchors.set(anchor, 1 + Math.max(0, scalar.valueEnd - scalar.valueStart))
        break
      }
      case EVENT_ID.MAPPING:
      case EVENT_ID.SEQUENCE: {
        const collection = event as Extract<Event, {type: typeof EVENT_ID.MAPPING}>
        const path = nextPath() ?? [...(frames[frames.length - 1]?.path ?? []), '?']
        starts.set(pathKey(path), collection.start)
        const anchor = anchorOf(collection)
        if (anchor !== undefined) open.add(anchor)
        frames.push(event.type === EVENT_ID.MAPPING ? {kind: 'mapping', path, expectingKey: true, anchor, sizeBefore: size} : {kind: 'sequence', path, index: 0, anchor, sizeBefore: size})
        size += 1
        break
      }
      case EVENT_ID.ALIAS: {
        const alias = event as Extract<Event, {type: typeof EVENT_ID.ALIAS}>
        const name = text.slice(alias.anchorStart, alias.anchorEnd)
        const path = nextPath(name)
        if (path) starts.set(pathKey(path), alias.anchorStart - 1)
        const key = topKey(path)
        if (open.has(name)) {
          throw new YamlExpansionError(`the alias \`*${name}\` is inside the value its anchor \`&${name}\` names, so it would repeat without end. Remove the alias, or write the value out`, placeAt(text, alias.anchorStart - 1), key)
        }
        size += anchors.get(name) ?? 1
        if (size > limit) {
          throw new YamlExpansionError(
            `its aliases (\`*${name}\` here) repeat values so often that the YAML would grow to more than ${expansionFactor} times its written size. An alias may repeat a value, not multiply it: write the values out, or use fewer aliases of aliases`,
            placeAt(text, alias.anchorStart - 1),
            key
          )
        }
        break
      }
      case EVENT_ID.POP: {
        const frame = frames.pop()
        if (frame?.anchor !== undefined) {
          open.delete(frame.anchor)
          anchors.set(frame.anchor, size - frame.sizeBefore)
        }
        break
      }
      default:
    }
  }
  return {starts, keyStarts}
}

/** The path of the value the key just read names: the mapping's path and that key. */
function keyPath(frames: Frame[]): (string | number)[] {
  const frame = frames[frames.length - 1]
  return frame?.kind === 'mapping' ? [...frame.path, frame.key ?? '?'] : []
}

function eventStart(event: {anchorStart: number; tagStart: number; valueStart: number}): number {
  return [event.anchorStart, event.tagStart, event.valueStart].find((offset) => offset !== -1) ?? 0
}

function pathKey(path: readonly (string | number)[]): string {
  return path.map((part) => String(part)).join('\u0000')
}

function placeFinder(text: string, starts: Map<string, number>): (path: readonly (string | number)[]) => YamlPlace | undefined {
  return (path) => {
    const offset = starts.get(pathKey(path))
    return offset === undefined ? undefined : placeAt(text, offset)
  }
}

function placeAt(text: string, offset: number): YamlPlace {
  let line = 0
  let lineStart = 0
  for (let index = text.indexOf('\n'); index !== -1 && index < offset; index = text.indexOf('\n', index + 1)) {
    line++
    lineStart = index + 1
  }
  return {line, column: offset - lineStart + 1}
}
