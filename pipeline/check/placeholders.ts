/**
 * Placeholders transform: find what an author left unfinished (`XXX`, `TODO`, `{notes to self}`), report each at
 * its exact place in the file its text is in (rule `placeholder`), and wrap each visible one in a
 * `<mark class="placeholder">` so that co-authors reading the HTML or PDF draft see it too.
 *
 * Where it looks: the text (headings, captions, notes, tables, link text), inline code, HTML (comments and the
 * text between tags), citation prefixes and suffixes, image descriptions, the front matter, and code blocks only
 * when `codeBlocks` is set. Not in math, URLs, citation keys or attribute blocks.
 *
 * What it finds: the words of patterns.ts, the author's patterns, and a span of text wrapped whole in braces
 * (`{Stuff here.}`, `{XXX and for YYY}`): one finding per span, none for the words inside it. A brace directly after
 * a letter, digit, `_` or `\` (`\textbf{x}`, `a_{ij}`), an escaped `\{`, and a span starting with `#` or `.` (an
 * attribute block) are not notes; pandoc attribute blocks are separate nodes and never text.
 *
 * Positions: every finding is located in the source text itself (node offsets plus the offset inside the node), so
 * a TODO inside inline code or an HTML comment gets the column of its `T`, whatever escapes, smart quotes or
 * line breaks the node's value has.
 *
 * Run after smart punctuation and before cross-references (attribute blocks are still nodes then).
 */
import type {Parent, PhrasingContent, Root, Text, Yaml} from 'mdast'
import type {Node, Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {Citation, Figure} from '../syntax/types.ts'
import {walk} from '../syntax/walk.ts'
import {LineIndex} from './line-index.ts'
import {findMarkers, markerName} from './markers.ts'
import {runAuthorPatterns, patternTimeLimitMs} from './pattern-runner.ts'
import {compilePattern, findPlaceholderWords, type WordMatch} from './patterns.ts'

export interface PlaceholdersOptions {
  /** The text of a project file; node offsets point into it. */
  sourceText: (sourceFile: string) => string | undefined
  /** Extra patterns, as written in manuscript.yaml (`source` or `/source/flags`); validated by the config. */
  patterns?: readonly string[]
  /** Also look inside fenced and indented code blocks. */
  codeBlocks?: boolean
  /** Where each pattern is written in the config, for a pattern that has to be stopped. */
  patternPlaces?: readonly {sourceFile: string; line: number; column: number}[]
  /** The document's YAML metadata blocks (the front matter stage takes them out of the tree), looked in as text. */
  metadataBlocks?: readonly Yaml[]
  /** What a watch session keeps from one rebuild to the next: a rebuild then scans only the files that changed. */
  memo?: PlaceholderMemo
}

/**
 * Per file, as last scanned: its text, line index and the built-in words found in each piece of it (kept by a project
 * session). A file whose text changed starts afresh, so nothing is kept of a text no file has any more.
 */
export type PlaceholderMemo = Map<string, ScannedFile>
interface ScannedFile {
  lines: LineIndex
  words: Map<string, WordMatch[]>
}

export type PlaceholderKind = 'word' | 'pattern' | 'braces'
export type PlaceholderContext = 'text' | 'inline code' | 'HTML' | 'code block' | 'front matter' | 'citation' | 'image description'

export interface Placeholder {
  kind: PlaceholderKind
  /** As written in the source: `XXX`, `TODO`, `{Stuff here.}`. */
  text: string
  context: PlaceholderContext
  /** Project-relative path of the file the text is in. */
  sourceFile: string
  position: Position
  /** The author's pattern that matched (for kind `pattern`). */
  pattern?: string
  /** Silenced by a `<!-- placeholder-ok -->` marker: neither reported nor highlighted. */
  silenced: boolean
}

/** The node a visible placeholder is wrapped in: rendered as `<mark class="placeholder">`. */
export interface PlaceholderMark extends Parent {
  type: 'placeholder'
  children: PhrasingContent[]
  data: {hName: 'mark'; hProperties: {className: string[]; title: string}; sourceFile?: string}
}

export const placeholderRule = 'placeholder'

interface Candidate {
  kind: PlaceholderKind
  text: string
  context: PlaceholderContext
  sourceFile: string
  start: number
  end: number
  pattern?: string
  /** For TODO and FIXME: the note that follows on its line, to quote in the message. */
  note?: string
  wrap?: Wrap
  /** The same text reached again through another `!INCLUDE` of its file: highlighted, not reported again. */
  copies?: Candidate[]
}

/** A place between two characters of a children list: inside child `child` at `value` (0 = before it). */
interface Cursor {
  child: number
  value: number
  point?: Point
}

interface Wrap {
  siblings: Node[]
  start: Cursor
  end: Cursor
}

interface Marker {
  sourceFile: string
  /** The line it silences. */
  line: number
  only?: string[]
  position: Position
  used: boolean
}

/** The node types whose own source is scanned (math, URLs and attribute blocks never are). */
const scanned = new Set(['text', 'inlineCode', 'html', 'code', 'citation', 'image'])
const wordCharacter = /[\p{L}\p{N}_]/u
const twoLetters = /\p{L}{2}/u

export function placeholdersTransform(tree: Root, file: VFile, options: PlaceholdersOptions): Placeholder[] {
  const patterns = (options.patterns ?? []).map((written) => ({written, expression: compilePattern(written)}))
  const entry = String(file.path ?? '')
  const sources = new Map<string, ({text: string} & ScannedFile) | undefined>()
  const {memo} = options
  const scannedFile = (sourceFile: string, text: string): ScannedFile => {
    const kept = memo?.get(sourceFile)
    if (kept?.lines.text === text) return kept
    const made = {lines: new LineIndex(text), words: new Map<string, WordMatch[]>()}
    memo?.set(sourceFile, made)
    return made
  }
  const sourceOf = (sourceFile: string) => {
    if (!sources.has(sourceFile)) {
      const text = options.sourceText(sourceFile)
      sources.set(sourceFile, text === undefined ? undefined : {text, ...scannedFile(sourceFile, text)})
    }
    return sources.get(sourceFile)
  }
  /** The built-in words in a piece of a file's text, found once per text of the file (across builds with a memo). */
  const wordsIn = (text: string, sourceFile: string): WordMatch[] => {
    const words = sourceOf(sourceFile)?.words
    if (!words) return findPlaceholderWords(text)
    let found = words.get(text)
    if (!found) {
      found = findPlaceholderWords(text)
      words.set(text, found)
    }
    return found
  }
  const candidates: Candidate[] = []
  const valueIndex = new ValueIndex()
  const markers: Marker[] = []
  /** Texts the author's patterns are to be run on, all at once, when the tree has been walked. */
  const forPatterns: {text: string; found: (matches: WordMatch[]) => void}[] = []

  const scan = (text: string, base: number, sourceFile: string, context: PlaceholderContext, wrapFor?: (match: WordMatch) => Wrap | undefined): void => {
    const add = (kind: PlaceholderKind, matches: WordMatch[]) => {
      for (const match of matches) {
        candidates.push({
          kind,
          text: match.text,
          context,
          sourceFile,
          start: base + match.index,
          end: base + match.index + match.text.length,
          pattern: match.pattern,
          note: /^(todo|fixme)$/i.test(match.text) ? noteAfter(text, match.index) : undefined,
          wrap: wrapFor?.(match)
        })
      }
    }
    // The matches are only read: a kept list is shared by the builds that meet its text.
    add('word', wordsIn(text, sourceFile))
    if (patterns.length > 0) forPatterns.push({text, found: (matches) => add('pattern', matches)})
  }

  const sliceOf = (node: Node): {text: string; start: number; sourceFile: string} | undefined => {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    const sourceFile = sourceFileOf(node) ?? entry
    const source = start === undefined || end === undefined ? undefined : sourceOf(sourceFile)
    if (!source || start === undefined || end === undefined) return undefined
    return {text: source.text.slice(start, end), start, sourceFile}
  }

  // Text inside an image figure's caption is the image's description.
  let inImageCaption = false
  const visitList = (siblings: Node[], parent: Node | undefined): void => {
    findBracedSpans(siblings)
    siblings.forEach((node, index) => {
      visitNode(node, index, siblings, parent)
      if (isBuildProblem(node) || node.type === 'citation') return
      const children = (node as Partial<Parent>).children
      if (!Array.isArray(children)) return
      const entersCaption = node.type === 'figureCaption' && parent?.type === 'figure' && (parent as Figure).kind === 'figure'
      if (entersCaption) inImageCaption = true
      visitList(children, node)
      if (entersCaption) inImageCaption = false
    })
  }

  const visitNode = (node: Node, index: number, siblings: Node[], parent: Node | undefined): void => {
    if (!scanned.has(node.type) || (node.type === 'code' && !options.codeBlocks)) return
    const slice = sliceOf(node)
    if (!slice) return
    switch (node.type) {
      case 'text': {
        if (slice.text.startsWith('![')) {
          // A caption made from an image's plain alt text carries the image's position: read the alt only.
          scan(slice.text.slice(0, altEnd(slice.text)), slice.start, slice.sourceFile, 'image description')
          return
        }
        const text = node as Text
        scan(slice.text, slice.start, slice.sourceFile, inImageCaption ? 'image description' : 'text', (match) => {
          const at = valueIndex.of(node, text.value, slice.text, match.index, match.text)
          return at === undefined ? undefined : {siblings, start: {child: index, value: at}, end: {child: index, value: at + match.text.length}}
        })
        return
      }
      case 'inlineCode':
        scan(slice.text, slice.start, slice.sourceFile, 'inline code', () => ({siblings, start: {child: index, value: 0}, end: {child: index + 1, value: 0}}))
        return
      case 'html': {
        for (const marker of findMarkers(slice.text)) {
          const lines = sourceOf(slice.sourceFile)!.lines
          const start = lines.point(slice.start + marker.start)
          const end = lines.point(slice.start + marker.end)
          // A file included twice brings its markers twice: one is enough.
          if (markers.some((each) => each.sourceFile === slice.sourceFile && each.position.start.offset === start.offset)) continue
          markers.push({sourceFile: slice.sourceFile, line: end.line + 1, only: marker.only, position: {start, end}, used: false})
        }
        scanHtml(slice.text, (from, to) => scan(slice.text.slice(from, to), slice.start + from, slice.sourceFile, 'HTML'))
        return
      }
      case 'code':
        scan(slice.text, slice.start, slice.sourceFile, 'code block')
        return
      case 'citation': {
        // The keys are names, not text; prefixes and suffixes (`[see XX, p. XX]`) print.
        let text = slice.text
        // Its children are not visited: this reads its prefixes and suffixes, and those of citations inside them.
        walk(node as Citation, 'citationItem', (item) => {
          const from = (item.keyPosition.start.offset ?? 0) - slice.start
          const to = (item.keyPosition.end.offset ?? 0) - slice.start
          if (from >= 0 && to <= text.length) text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to)
        })
        scan(text, slice.start, slice.sourceFile, 'citation')
        return
      }
      case 'image':
        // A figure's description is its caption, read there; an inline image's is its alt text.
        if (parent?.type !== 'figure') scan(slice.text.slice(0, altEnd(slice.text)), slice.start, slice.sourceFile, 'image description')
        return
      default:
    }
  }

  /** Spans wrapped whole in braces among the text nodes of one children list. */
  const findBracedSpans = (siblings: Node[]): void => {
    // Every brace of the source is in the value too: most lists have none and cost one search each.
    if (!siblings.some((node) => node.type === 'text' && /[{}]/.test((node as Text).value))) return
    type Brace = {child: number; offset: number; sliceIndex: number; open: boolean}
    const braces: Brace[] = []
    let sourceFile: string | undefined
    siblings.forEach((node, child) => {
      if (node.type !== 'text') return
      const slice = sliceOf(node)
      if (!slice) return
      sourceFile ??= slice.sourceFile
      if (slice.sourceFile !== sourceFile) return
      for (const match of slice.text.matchAll(/[{}]/g)) {
        const index = match.index ?? 0
        if (!isEscaped(slice.text, index)) braces.push({child, offset: slice.start + index, sliceIndex: index, open: match[0] === '{'})
      }
    })
    if (!sourceFile || braces.length < 2) return
    const source = sourceOf(sourceFile)!.text
    let depth = 0
    let opening: Brace | undefined
    for (const brace of braces) {
      if (brace.open) {
        if (depth++ === 0) opening = brace
        continue
      }
      if (depth === 0) continue
      if (--depth > 0 || !opening) continue
      const open = opening
      const content = source.slice(open.offset + 1, brace.offset)
      const before = source[open.offset - 1] ?? ''
      const after = source[brace.offset + 1] ?? ''
      if (wordCharacter.test(before) || before === '\\' || wordCharacter.test(after)) continue
      if (/^\s*[#.]/.test(content) || !twoLetters.test(content)) continue
      const openNode = siblings[open.child] as Text
      const closeNode = siblings[brace.child] as Text
      const openAt = valueIndex.of(openNode, openNode.value, sliceOf(openNode)!.text, open.sliceIndex, '{')
      const closeAt = valueIndex.of(closeNode, closeNode.value, sliceOf(closeNode)!.text, brace.sliceIndex, '}')
      candidates.push({
        kind: 'braces',
        text: source.slice(open.offset, brace.offset + 1),
        context: 'text',
        sourceFile,
        start: open.offset,
        end: brace.offset + 1,
        wrap:
          openAt === undefined || closeAt === undefined
            ? undefined
            : {siblings, start: {child: open.child, value: openAt}, end: {child: brace.child, value: closeAt + 1}}
      })
    }
  }

  visitList(tree.children, tree)
  for (const block of options.metadataBlocks ?? []) {
    const sourceFile = sourceFileOf(block) ?? entry
    const source = sourceOf(sourceFile)
    // The YAML text starts on the line after the opening `---`.
    const line = block.position?.start.line
    if (source && line !== undefined) scan(block.value, source.lines.lineStart(line + 1), sourceFile, 'front matter')
  }

  if (forPatterns.length > 0) {
    const run = runAuthorPatterns(patterns, forPatterns.map((each) => each.text))
    forPatterns.forEach((each, index) => each.found(run.matches[index]))
    for (const stopped of run.stopped) reportSlowPattern(file, patterns[stopped].written, options.patternPlaces?.[stopped])
  }

  const kept = keepDistinct(candidates)
  const placeholders: Placeholder[] = []
  const wraps = new Map<Node[], Wrap[]>()
  for (const candidate of kept) {
    const lines = sourceOf(candidate.sourceFile)!.lines
    const position = {start: lines.point(candidate.start), end: lines.point(candidate.end)}
    const marker = markers.find(
      (each) => each.sourceFile === candidate.sourceFile && each.line === position.start.line && (!each.only || each.only.includes(candidate.text))
    )
    if (marker) marker.used = true
    placeholders.push({kind: candidate.kind, text: candidate.text, context: candidate.context, sourceFile: candidate.sourceFile, position, pattern: candidate.pattern, silenced: Boolean(marker)})
    if (marker) continue
    report(file, undefined, messageFor(candidate), placeholderRule, 'warning', {place: position, sourceFile: candidate.sourceFile})
    for (const {wrap} of [candidate, ...(candidate.copies ?? [])]) {
      if (!wrap) continue
      wrap.start.point = position.start
      wrap.end.point = position.end
      const list = wraps.get(wrap.siblings) ?? []
      list.push(wrap)
      wraps.set(wrap.siblings, list)
    }
  }
  for (const marker of markers) {
    if (marker.used) continue
    report(file, undefined, `This <!-- ${markerName} --> marker silences nothing: line ${marker.line} has no placeholder${marker.only ? ` ${marker.only.join(', ')}` : ''}. Remove the marker.`, 'unused-placeholder-marker', 'info', {place: marker.position, sourceFile: marker.sourceFile})
  }
  for (const [siblings, list] of wraps) applyWraps(siblings, list)
  return placeholders
}

/** A pattern stopped at its time limit: a config error at the pattern, with how to write it so that it does not backtrack. */
function reportSlowPattern(file: VFile, written: string, place: {sourceFile: string; line: number; column: number} | undefined): void {
  report(
    file,
    undefined,
    `Placeholder pattern ${JSON.stringify(written)} was stopped after ${patternTimeLimitMs / 1000} s on the manuscript's text: it backtracks too much (a repeated group inside a repeated group, such as \`(a+)+\` or \`(\\w*\\s?)*\`, tries every way to split a long run of text). Rewrite it so that each character can be matched one way only (\`a+\` for \`(a+)+\`), or anchor it to a word (\`\\bDRAFT\\b\`); it finds nothing meanwhile.`,
    'config',
    'error',
    {sourceFile: place?.sourceFile ?? 'manuscript.yaml', place: place ? {line: place.line, column: place.column} : {line: 1, column: 1}}
  )
}

/** The transform as a unified plugin. */
export function remarkPlaceholders(options: PlaceholdersOptions) {
  return (tree: Root, file: VFile): void => {
    placeholdersTransform(tree, file, options)
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scanning helpers

/**
 * Drop findings inside a braced span (one finding per span) and any overlapping an earlier one; a finding at the
 * very same place (a file included twice) becomes a copy of the first.
 */
function keepDistinct(candidates: Candidate[]): Candidate[] {
  const inSpan = bracedSpanTest(candidates.filter((candidate) => candidate.kind === 'braces'))
  // Files in locale order, compared by their rank: not a localeCompare for every pair of findings.
  const files = [...new Set(candidates.map((candidate) => candidate.sourceFile))].sort((a, b) => a.localeCompare(b))
  const rank = new Map(files.map((sourceFile, index) => [sourceFile, index]))
  const sorted = candidates
    .filter((candidate) => !inSpan(candidate))
    .sort((a, b) => rank.get(a.sourceFile)! - rank.get(b.sourceFile)! || a.start - b.start || b.end - a.end)
  const kept: Candidate[] = []
  for (const candidate of sorted) {
    const last = kept[kept.length - 1]
    if (last && last.sourceFile === candidate.sourceFile && candidate.start < last.end) {
      if (candidate.start === last.start && candidate.end === last.end) (last.copies ??= []).push(candidate)
      continue
    }
    kept.push(candidate)
  }
  return kept
}

/**
 * Whether a word or pattern found starts inside a braced span (which is then the one finding there). Spans may nest
 * (a note inside braces): a start is inside one when, of the spans of its file starting at or before it, the one
 * reaching furthest ends after it. Sorted once, then a binary search per candidate.
 */
function bracedSpanTest(spans: Candidate[]): (candidate: Candidate) => boolean {
  const byFile = new Map<string, {starts: number[]; reach: number[]}>()
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    let file = byFile.get(span.sourceFile)
    if (!file) byFile.set(span.sourceFile, (file = {starts: [], reach: []}))
    file.reach.push(Math.max(span.end, file.reach[file.reach.length - 1] ?? 0))
    file.starts.push(span.start)
  }
  return (candidate) => {
    const file = candidate.kind === 'braces' ? undefined : byFile.get(candidate.sourceFile)
    if (!file) return false
    // The last span starting at or before the candidate.
    let low = 0
    let high = file.starts.length
    while (low < high) {
      const middle = (low + high) >>> 1
      if (file.starts[middle] <= candidate.start) low = middle + 1
      else high = middle
    }
    return low > 0 && file.reach[low - 1] > candidate.start
  }
}

/**
 * Where a match found at a given index of a node's source is in the node's value: the same occurrence of the same
 * text. Undefined when source and value hold different numbers of it (an escape or entity made one), so nothing is
 * wrapped at a guessed place. The occurrences of a text are listed once per node (not once per match), so a
 * paragraph holding thousands of placeholders is read in linear time.
 */
class ValueIndex {
  private readonly listed = new Map<Node, Map<string, {ordinalAt: Map<number, number>; inValue: number[]} | undefined>>()

  of(node: Node, value: string, source: string, sourceIndex: number, text: string): number | undefined {
    let texts = this.listed.get(node)
    if (!texts) this.listed.set(node, (texts = new Map()))
    if (!texts.has(text)) {
      const inSource = occurrences(source, text)
      const inValue = occurrences(value, text)
      texts.set(text, inSource.length === inValue.length ? {ordinalAt: new Map(inSource.map((at, ordinal) => [at, ordinal])), inValue} : undefined)
    }
    const listed = texts.get(text)
    const ordinal = listed?.ordinalAt.get(sourceIndex)
    return ordinal === undefined ? undefined : listed!.inValue[ordinal]
  }
}

/** Where `text` starts in `haystack`, each occurrence after the end of the one before. */
function occurrences(haystack: string, text: string): number[] {
  const found: number[] = []
  for (let at = haystack.indexOf(text); at !== -1; at = haystack.indexOf(text, at + text.length)) found.push(at)
  return found
}

function isEscaped(text: string, index: number): boolean {
  let backslashes = 0
  for (let at = index - 1; at >= 0 && text[at] === '\\'; at--) backslashes++
  return backslashes % 2 === 1
}

/** Offset of the `]` that closes an image's description (`![…]`), or the slice's length. */
function altEnd(text: string): number {
  let depth = 0
  for (let index = 2; index < text.length; index++) {
    const character = text[index]
    if (character === '\\') index++
    else if (character === '[') depth++
    else if (character === ']' && depth-- === 0) return index
  }
  return text.length
}

/** Calls `visit` with each part of raw HTML a reader may have written in: comments and the text between tags. */
function scanHtml(html: string, visit: (from: number, to: number) => void): void {
  let textStart = 0
  let index = 0
  while (index < html.length) {
    if (html.startsWith('<!--', index)) {
      if (index > textStart) visit(textStart, index)
      const close = html.indexOf('-->', index + 4)
      const end = close === -1 ? html.length : close + 3
      if (findMarkers(html.slice(index, end)).length === 0) visit(index + 4, close === -1 ? html.length : close)
      index = textStart = end
    } else if (html[index] === '<' && /[A-Za-z/!?]/.test(html[index + 1] ?? '')) {
      if (index > textStart) visit(textStart, index)
      const close = html.indexOf('>', index)
      index = textStart = close === -1 ? html.length : close + 1
    } else {
      index++
    }
  }
  if (index > textStart) visit(textStart, index)
}

/** A TODO with its note (`TODO: Make sure this matches the style guide`) when a colon follows it, else the word. */
function noteAfter(text: string, index: number): string {
  const line = text.slice(index).split(/\r?\n|\r/)[0]
  if (!/^[a-z]+\s*:/i.test(line)) return /^[a-z]+/i.exec(line)?.[0] ?? line
  const note = line.replace(/(?:`+|-->)\s*$/, '').trim()
  return note.length > 70 ? `${note.slice(0, 69)}…` : note
}

function sourceFileOf(node: Node): string | undefined {
  return (node.data as {sourceFile?: string} | undefined)?.sourceFile
}

function isBuildProblem(node: Node): boolean {
  const className = (node.data as {hProperties?: {className?: unknown}} | undefined)?.hProperties?.className
  return Array.isArray(className) && className.includes('build-problem')
}

const contextWords: Record<PlaceholderContext, string> = {
  text: '',
  'inline code': ' in inline code',
  HTML: ' in an HTML comment',
  'code block': ' in a code block',
  'front matter': ' in the front matter',
  citation: ' in a citation',
  'image description': ' in an image description'
}

const silenceHint = `(if it is meant, put <!-- ${markerName} --> on the line before)`

function messageFor(candidate: Candidate): string {
  const where = contextWords[candidate.context]
  const shown = quote(candidate.text)
  if (candidate.kind === 'braces') return `Note to self ${shown}: write what it stands for, or delete it ${silenceHint}.`
  if (candidate.kind === 'pattern') return `Placeholder ${shown}${where}, by your pattern ${candidate.pattern}: replace it with the final text ${silenceHint}.`
  if (candidate.note !== undefined) return `Unfinished ${quote(candidate.note)}${where}: do it and delete the note ${silenceHint}.`
  return `Placeholder ${shown}${where}: replace it with the final text ${silenceHint}.`
}

function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ')
  return `"${oneLine.length > 70 ? `${oneLine.slice(0, 69)}…` : oneLine}"`
}

// ---------------------------------------------------------------------------------------------------------------
// Highlighting

/** Wrap each range of `siblings` in a placeholder mark, splitting text nodes at the range's ends. */
function applyWraps(siblings: Node[], wraps: Wrap[]): void {
  const normalize = (cursor: Cursor): Cursor => {
    const node = siblings[cursor.child]
    return node?.type === 'text' && cursor.value > 0 && cursor.value >= (node as Text).value.length ? {child: cursor.child + 1, value: 0, point: cursor.point} : cursor
  }
  const before = (a: Cursor, b: Cursor) => a.child < b.child || (a.child === b.child && a.value < b.value)
  const ordered = wraps
    .map((wrap) => ({...wrap, start: normalize(wrap.start), end: normalize(wrap.end)}))
    .sort((a, b) => a.start.child - b.start.child || a.start.value - b.start.value)

  const piecesBetween = (from: Cursor, to: Cursor): Node[] => {
    const pieces: Node[] = []
    const last = to.value > 0 ? to.child : to.child - 1
    for (let child = from.child; child <= last; child++) {
      const node = siblings[child]
      if (node.type !== 'text') {
        pieces.push(node)
        continue
      }
      const text = node as Text
      const startValue = child === from.child ? from.value : 0
      const endValue = child === to.child ? to.value : text.value.length
      if (startValue === 0 && endValue === text.value.length) pieces.push(text)
      else if (endValue > startValue) {
        const start = startValue === 0 ? text.position?.start : from.point
        const end = endValue === text.value.length ? text.position?.end : to.point
        const piece: Text = {type: 'text', value: text.value.slice(startValue, endValue)}
        if (start && end) piece.position = {start: {...start}, end: {...end}}
        if (text.data) piece.data = {...text.data}
        pieces.push(piece)
      }
    }
    return pieces
  }

  const result: Node[] = []
  let cursor: Cursor = {child: 0, value: 0}
  for (const wrap of ordered) {
    if (before(wrap.start, cursor)) continue
    result.push(...piecesBetween(cursor, wrap.start))
    const sourceFile = siblings[wrap.start.child] && sourceFileOf(siblings[wrap.start.child])
    const mark: PlaceholderMark = {
      type: 'placeholder',
      children: piecesBetween(wrap.start, wrap.end) as PhrasingContent[],
      data: {hName: 'mark', hProperties: {className: ['placeholder'], title: 'Placeholder: replace it before submitting'}, ...(sourceFile ? {sourceFile} : {})},
      ...(wrap.start.point && wrap.end.point ? {position: {start: {...wrap.start.point}, end: {...wrap.end.point}}} : {})
    }
    result.push(mark)
    cursor = wrap.end
  }
  result.push(...piecesBetween(cursor, {child: siblings.length, value: 0}))
  siblings.splice(0, siblings.length, ...result)
}
