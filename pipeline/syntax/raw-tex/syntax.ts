/**
 * Micromark extension for pandoc's `raw_tex`: LaTeX commands and environments written in Markdown, kept as raw TeX.
 *
 * - Inline (text construct at `\` followed by a letter): a control word `\name` (letters), an optional `*`, the
 *   spaces after it, then its arguments: any run of `[optional]` and `{braced}` arguments written directly one after
 *   the other (`\foo[a]{b}{c}`; for commands pandoc knows to take a fixed number of braced arguments, such as
 *   `\textbf`, only that many). Braces balance (`\{` does not count) and may span lines. A `{` that never closes
 *   makes the whole command text (`\a{`), an `[` that never closes ends the command before it (`\foo[a`).
 *   `\begin{name}` … `\end{name}` is one raw inline, nested environments of the same name counted.
 * - Block (flow construct at the start of a line, not indented, not interrupting a paragraph): a line of such
 *   commands and environments and nothing else (`\newpage`, `\vspace{1em}`, `\begin{tabular}…\end{tabular}` over
 *   any number of lines, blank ones included), and the lines directly after it that are the same, as one block.
 *   A line starting with a command pandoc reads as inline (`\noindent`, `\label{x}`, `\emph{x}`) is a paragraph.
 *
 * Parsing stays linear: a `{` or `\begin{name}` that is looked for an end and not found is noted (with every `{` or
 * same-name `\begin` still open when the text ran out), and a later command starting at a noted place fails at once.
 * An optional argument is at most `optionalArgumentLimit` characters long.
 */
import {asciiAlpha, markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, ParseContext, State, TokenizeContext} from 'micromark-util-types'
import {lineOfContainer} from '../shared/line-of-container.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** A raw LaTeX command or environment inside a paragraph. */
    rawTexInline: 'rawTexInline'
    /** Lines of raw LaTeX standing as a block. */
    rawTexBlock: 'rawTexBlock'
    /** The LaTeX on one line of a block (line endings are separate `lineEnding` tokens). */
    rawTexData: 'rawTexData'
    /** The name of a command written at the top level (`newpage` of `\newpage`), inside the data. */
    rawTexCommandName: 'rawTexCommandName'
    /** The name of a top-level environment (`tabular` of `\begin{tabular}`). */
    rawTexEnvironmentName: 'rawTexEnvironmentName'
    /** An `[optional]` argument (inside the command's own token). */
    rawTexOptional: 'rawTexOptional'
  }
}

/** Longest `[optional]` argument read: far longer than any written. */
export const optionalArgumentLimit = 1000

/**
 * Commands pandoc reads with a fixed number of braced arguments (the rest is text: `\textbf{a}{b}` leaves `{b}`).
 * Others take every braced argument that follows.
 */
const braceArguments: Record<string, number> = {
  emph: 1, textbf: 1, textit: 1, texttt: 1, textsc: 1, textrm: 1, textsf: 1, textup: 1, textmd: 1, textsl: 1,
  underline: 1, uline: 1, textsuperscript: 1, textsubscript: 1, mbox: 1, hbox: 1, text: 1,
  cite: 1, citep: 1, citet: 1, autocite: 1, parencite: 1, textcite: 1, nocite: 1,
  label: 1, ref: 1, eqref: 1, pageref: 1, autoref: 1, cref: 1, Cref: 1, url: 1, footnote: 1, href: 2,
  hspace: 1, vspace: 1, markright: 1, markboth: 2, thispagestyle: 1, pagestyle: 1, includegraphics: 1, caption: 1,
  section: 1, subsection: 1, subsubsection: 1, chapter: 1, paragraph: 1, part: 1, title: 1, author: 1, date: 1,
  input: 1, include: 1
}

/** Commands pandoc reads as inline even alone on a line: such a line is a paragraph, not a raw block. */
const inlineOnlyCommands = new Set([
  'noindent', 'label', 'ref', 'eqref', 'pageref', 'autoref', 'cref', 'Cref', 'cite', 'citep', 'citet', 'autocite',
  'parencite', 'textcite', 'nocite', 'emph', 'textbf', 'textit', 'texttt', 'textsc', 'textrm', 'textsf', 'textup',
  'textmd', 'textsl', 'underline', 'uline', 'textsuperscript', 'textsubscript', 'mbox', 'hbox', 'url', 'href',
  'footnote', 'LaTeX', 'TeX', 'ldots', 'dots', 'today', 'includegraphics', 'newline', 'linebreak', 'textbackslash'
])

const unicodeLetter = /^\p{L}$/u

function isLetter(code: Code): boolean {
  if (code === null || code < 0) return false
  return asciiAlpha(code) || (code > 127 && unicodeLetter.test(String.fromCodePoint(code)))
}

/** Offsets of `{` and `\begin` that are known not to close: per paragraph (inline) or per document (blocks). */
const textFailures = new WeakMap<TokenizeContext, Set<number>>()
const flowFailures = new WeakMap<ParseContext, Set<number>>()

export const rawTexInlineConstruct: Construct = {name: 'rawTexInline', tokenize: tokenizeRawTexInline}
export const rawTexBlockConstruct: Construct = {name: 'rawTexBlock', tokenize: tokenizeRawTexBlock}
/** One more line of a block: a line ending, then a line of LaTeX only. */
const blockLineConstruct: Construct = {tokenize: tokenizeBlockNextLine, partial: true}
/** `[…]` after a command, which may be missing or unclosed without the command failing. */
const optionalArgumentConstruct: Construct = {tokenize: tokenizeOptionalArgument, partial: true}

/** The micromark syntax extension: register with `micromark({extensions: [rawTex()]})`. */
export function rawTex(): Extension {
  return {
    text: {[codes.backslash]: rawTexInlineConstruct},
    flow: {[codes.backslash]: rawTexBlockConstruct}
  }
}

/** How the LaTeX scanner writes what it reads: inline as part of one token, in a block as data tokens per line. */
interface Sink {
  /** Consume a code that is not a line ending (into a data token, opened if needed). */
  consume(code: Code): void
  /** End the data token, before a token of its own (a name, an optional argument) starts. */
  close(): void
  /** At a line ending inside LaTeX: consume it and go on to `next` at the next line (or fail). */
  lineEnding(code: Code, next: State): State | undefined
  failures: Set<number>
}

/**
 * The scanner for one command or environment, at `\`. Calls `ok` after it, `nok` when it is not raw LaTeX.
 * `first` receives the command's name, to refuse a block that starts with an inline-only command.
 */
function scanItem(self: TokenizeContext, effects: Effects, sink: Sink, ok: State, nok: State, first?: (name: string) => boolean): State {
  let name = ''
  let argumentsLeft = Number.POSITIVE_INFINITY
  /** Offsets of the `{` (or same-name `\begin`) still open in the current argument or environment. */
  let open: number[] = []
  /** Environment: its name, and what has been read of a `\begin{…}` or `\end{…}` inside it. */
  let environment = ''
  let word = ''
  let wordName = ''
  let startOffset = 0

  return start

  function start(code: Code): State | undefined {
    startOffset = self.now().offset
    sink.consume(code)
    return nameStart
  }

  function nameStart(code: Code): State | undefined {
    if (!isLetter(code)) return nok(code)
    name += String.fromCodePoint(code as number)
    sink.close()
    effects.enter('rawTexCommandName')
    effects.consume(code)
    return nameRest
  }

  function nameRest(code: Code): State | undefined {
    if (isLetter(code)) {
      if (name.length < 64) name += String.fromCodePoint(code as number)
      effects.consume(code)
      return nameRest
    }
    effects.exit('rawTexCommandName')
    if (first && !first(name)) return nok(code)
    if (name === 'begin' && code === codes.leftCurlyBrace) {
      open = [startOffset]
      if (sink.failures.has(open[0])) return nok(code)
      sink.consume(code)
      sink.close()
      effects.enter('rawTexEnvironmentName')
      return environmentName
    }
    if (name === 'end') return nok(code)
    argumentsLeft = braceArguments[name] ?? Number.POSITIVE_INFINITY
    if (code === codes.asterisk) {
      sink.consume(code)
      return afterName
    }
    return afterName(code)
  }

  /** The spaces after a control word belong to it (as in TeX). */
  function afterName(code: Code): State | undefined {
    if (markdownSpace(code)) {
      sink.consume(code)
      return afterName
    }
    return beforeArgument(code)
  }

  function beforeArgument(code: Code): State | undefined {
    if (code === codes.leftSquareBracket) {
      sink.close()
      return effects.attempt(optionalArgumentConstruct, beforeArgument, ok)(code)
    }
    if (code === codes.leftCurlyBrace && argumentsLeft > 0) {
      argumentsLeft--
      open = [self.now().offset]
      if (sink.failures.has(open[0])) return nok(code)
      sink.consume(code)
      return braced
    }
    return ok(code)
  }

  function braced(code: Code): State | undefined {
    if (code === codes.eof) return unclosed(code)
    if (markdownLineEnding(code)) return sink.lineEnding(code, braced)
    if (code === codes.leftCurlyBrace) {
      const offset = self.now().offset
      if (sink.failures.has(offset)) return unclosed(code)
      open.push(offset)
    } else if (code === codes.rightCurlyBrace) {
      open.pop()
      sink.consume(code)
      return open.length === 0 ? beforeArgument : braced
    }
    sink.consume(code)
    return code === codes.backslash ? bracedEscape : braced
  }

  /** After `\` in an argument: `\{` and `\}` do not count. */
  function bracedEscape(code: Code): State | undefined {
    if (code === codes.leftCurlyBrace || code === codes.rightCurlyBrace || code === codes.backslash) {
      sink.consume(code)
      return braced
    }
    return braced(code)
  }

  function unclosed(code: Code): State | undefined {
    for (const offset of open) sink.failures.add(offset)
    return nok(code)
  }

  function environmentName(code: Code): State | undefined {
    if (code === codes.rightCurlyBrace && environment !== '') {
      effects.exit('rawTexEnvironmentName')
      sink.consume(code)
      return inEnvironment
    }
    if (code === codes.eof || markdownLineEnding(code) || code === codes.leftCurlyBrace || code === codes.rightCurlyBrace || code === codes.backslash || environment.length >= 64) return nok(code)
    environment += String.fromCodePoint(code as number)
    effects.consume(code)
    return environmentName
  }

  /** Inside an environment: everything is raw until its `\end{name}`. */
  function inEnvironment(code: Code): State | undefined {
    if (code === codes.eof) return unclosed(code)
    if (markdownLineEnding(code)) return sink.lineEnding(code, inEnvironment)
    if (code === codes.backslash) {
      word = ''
      const offset = self.now().offset
      sink.consume(code)
      return (next: Code) => controlWord(next, offset)
    }
    sink.consume(code)
    return inEnvironment
  }

  /** After `\` inside an environment: is this `\begin{name}` or `\end{name}` of the same name? */
  function controlWord(code: Code, offset: number): State | undefined {
    if (isLetter(code) && word.length < 5) {
      word += String.fromCodePoint(code as number)
      sink.consume(code)
      return (next: Code) => controlWord(next, offset)
    }
    if ((word === 'begin' || word === 'end') && code === codes.leftCurlyBrace) {
      wordName = ''
      sink.consume(code)
      return (next: Code) => innerName(next, offset)
    }
    // `\\`, `\{`: the escaped character is not the start of anything.
    if (word === '' && code !== codes.eof && !markdownLineEnding(code)) {
      sink.consume(code)
      return inEnvironment
    }
    return inEnvironment(code)
  }

  function innerName(code: Code, offset: number): State | undefined {
    if (code === codes.rightCurlyBrace) {
      sink.consume(code)
      if (wordName !== environment) return inEnvironment
      if (word === 'begin') {
        if (sink.failures.has(offset)) return unclosed(code)
        open.push(offset)
        return inEnvironment
      }
      open.pop()
      return open.length === 0 ? ok : inEnvironment
    }
    if (code === codes.eof || markdownLineEnding(code) || wordName.length > environment.length) return inEnvironment(code)
    wordName += String.fromCodePoint(code as number)
    sink.consume(code)
    return (next: Code) => innerName(next, offset)
  }
}

/** `[…]`, with balanced braces inside, on at most `optionalArgumentLimit` characters. */
function tokenizeOptionalArgument(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let depth = 0
  let length = 0
  effects.enter('rawTexOptional')
  return start

  function start(code: Code): State | undefined {
    effects.consume(code)
    return inside
  }

  function inside(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code) || ++length > optionalArgumentLimit) return nok(code)
    effects.consume(code)
    if (code === codes.leftCurlyBrace) depth++
    else if (code === codes.rightCurlyBrace) depth = Math.max(0, depth - 1)
    else if (code === codes.rightSquareBracket && depth === 0) {
      effects.exit('rawTexOptional')
      return ok
    } else if (code === codes.backslash) return escape
    return inside
  }

  function escape(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return inside(code)
    effects.consume(code)
    return inside
  }
}

function tokenizeRawTexInline(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let failures = textFailures.get(self)
  if (!failures) textFailures.set(self, (failures = new Set()))
  let dataOpen = false
  // Each line's text is a data token of its own: micromark splits a paragraph's events at line starts and needs a
  // token to start on each line.
  const sink: Sink = {
    consume(code) {
      if (!dataOpen) {
        effects.enter('rawTexData')
        dataOpen = true
      }
      effects.consume(code)
    },
    close() {
      if (dataOpen) effects.exit('rawTexData')
      dataOpen = false
    },
    lineEnding(code, next) {
      sink.close()
      effects.enter('lineEnding')
      effects.consume(code)
      effects.exit('lineEnding')
      return next
    },
    failures
  }
  return start

  function start(code: Code): State | undefined {
    effects.enter('rawTexInline')
    return scanItem(self, effects, sink, end, nok)(code)
  }

  function end(code: Code): State | undefined {
    sink.close()
    effects.exit('rawTexInline')
    return ok(code)
  }
}

/** A block line: commands and environments separated by spaces, up to the end of the line. */
function tokenizeBlockLine(self: TokenizeContext, effects: Effects, ok: State, nok: State, lineStart: boolean): State {
  let failures = flowFailures.get(self.parser)
  if (!failures) flowFailures.set(self.parser, (failures = new Set()))
  let dataOpen = false
  const sink: Sink = {
    consume(code) {
      if (!dataOpen) {
        effects.enter('rawTexData')
        dataOpen = true
      }
      effects.consume(code)
    },
    close: closeData,
    // A line the container around the block does not continue (a lazy line) ends the block there, open
    // environment or not: failing after it would leave the document's container events behind.
    lineEnding(code, next) {
      closeData()
      return effects.check(lineOfContainer, lineEnding, (at: Code) => ok(at))(code)

      function lineEnding(at: Code): State | undefined {
        effects.enter('lineEnding')
        effects.consume(at)
        effects.exit('lineEnding')
        return next
      }
    },
    failures
  }
  let firstItem = lineStart
  return item

  function closeData(): void {
    if (dataOpen) effects.exit('rawTexData')
    dataOpen = false
  }

  function item(code: Code): State | undefined {
    if (code !== codes.backslash) return nok(code)
    const first = firstItem ? (name: string) => !inlineOnlyCommands.has(name) : undefined
    firstItem = false
    return scanItem(self, effects, sink, afterItem, nok, first)(code)
  }

  function afterItem(code: Code): State | undefined {
    if (markdownSpace(code)) {
      sink.consume(code)
      return afterItem
    }
    if (code === codes.eof || markdownLineEnding(code)) {
      closeData()
      return ok(code)
    }
    return item(code)
  }
}

function tokenizeRawTexBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start

  function start(code: Code): State | undefined {
    // pandoc reads raw LaTeX as a block only where a block starts, and only unindented.
    if (self.interrupt || code !== codes.backslash) return nok(code)
    const tail = self.events[self.events.length - 1]
    if (tail && tail[1].type === 'linePrefix') return nok(code)
    effects.enter('rawTexBlock')
    return tokenizeBlockLine(self, effects, afterLine, nok, true)(code)
  }

  function afterLine(code: Code): State | undefined {
    if (code === codes.eof) return end(code)
    return effects.attempt(blockLineConstruct, afterLine, end)(code)
  }

  function end(code: Code): State | undefined {
    effects.exit('rawTexBlock')
    return ok(code)
  }
}

/** At a line ending after a block line: the next line continues the block if it is LaTeX only, not lazy. */
function tokenizeBlockNextLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start

  function start(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return lineStart
  }

  function lineStart(code: Code): State | undefined {
    if (self.parser.lazy[self.now().line] || code !== codes.backslash) return nok(code)
    return tokenizeBlockLine(self, effects, ok, nok, false)(code)
  }
}

