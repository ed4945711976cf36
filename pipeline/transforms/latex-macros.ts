/**
 * pandoc's `latex_macros`: a raw LaTeX block of `\newcommand` (or `\renewcommand`, `\providecommand`) definitions
 * defines macros that are expanded in the math after it, in document order, as pandoc expands them: `$\tuple{x,y}$`
 * after `\newcommand{\tuple}[1]{\langle #1 \rangle}` is the formula `\langle x,y \rangle` (so the HTML's TeX, and
 * what KaTeX typesets, is what pandoc gives). The definitions themselves are left out of the outputs, as before.
 *
 * Expansion is bounded: a formula whose expansion grows past `expansionLimit` (a macro that calls itself) is left as
 * written and reported (`latex-macro`), where pandoc stops with an error.
 */
import type {InlineMath, Math} from 'mdast-util-math'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {RawBlock} from '../syntax/types.ts'
import {walk} from '../syntax/walk.ts'
import {isMathEnvironment} from './raw-tex.ts'

export interface LatexMacro {
  /** Number of arguments, 0 to 9. */
  arity: number
  /** `\newcommand{\a}[2][x]{…}`: the first argument is optional, with this default. */
  optionalDefault?: string
  body: string
}

const definingCommands = new Set(['newcommand', 'renewcommand', 'providecommand'])

/** Characters a formula's expansion may grow to, beyond the formula's own length. */
const expansionLimit = 100_000

export function latexMacrosTransform(tree: Root, file: VFile): void {
  const macros = new Map<string, LatexMacro>()
  walk(tree, (node) => {
    if (node.type === 'rawBlock') {
      const raw = node as RawBlock
      if (raw.format !== 'tex' && raw.format !== 'latex') return
      if (isMathEnvironment(raw)) {
        expandIn(raw)
        return
      }
      if (raw.format === 'tex' && definingCommands.has(raw.commands?.[0] ?? '')) {
        for (const [name, macro] of readDefinitions(raw.value)) if (!(raw.value.includes('\\providecommand') && macros.has(name))) macros.set(name, macro)
      }
      return
    }
    if (node.type === 'inlineMath' || node.type === 'math') expandIn(node as InlineMath | Math)
  })

  function expandIn(node: InlineMath | Math | RawBlock): void {
    if (macros.size === 0) return
    const expanded = expandMacros(node.value, macros, node.value.length + expansionLimit)
    if (expanded === undefined) {
      report(file, node, 'The LaTeX macros in this formula expand without end (a macro that uses itself?), so they are left unexpanded in it. Define the macro without using itself.', 'latex-macro', 'warning')
      return
    }
    node.value = expanded
  }
}

/**
 * The definitions in a block of `\newcommand` lines: `\newcommand{\name}[n][default]{body}` or `\newcommand\name{…}`.
 * A definition that does not read as one (braces never closed) is skipped, with the ones after it.
 */
export function readDefinitions(tex: string): Array<[string, LatexMacro]> {
  const found: Array<[string, LatexMacro]> = []
  const reader = new TexReader(tex)
  for (;;) {
    reader.skipSpace()
    if (reader.atEnd()) return found
    const command = reader.controlSequence()
    if (command === undefined || !definingCommands.has(command)) return found
    if (reader.peek() === '*') reader.position++
    reader.skipSpace()
    const name = reader.peek() === '{' ? stripBraces(reader.group()) : reader.controlSequenceText()
    const macroName = name?.trim().startsWith('\\') ? name.trim().slice(1) : undefined
    if (!macroName) return found
    reader.skipSpace()
    let arity = 0
    let optionalDefault: string | undefined
    const count = reader.bracketed()
    if (count !== undefined) {
      arity = Number.parseInt(count, 10)
      if (!(arity >= 0 && arity <= 9)) return found
      reader.skipSpace()
      optionalDefault = reader.bracketed()
      reader.skipSpace()
    }
    const body = reader.group()
    if (body === undefined) return found
    found.push([macroName, {arity, optionalDefault, body: stripBraces(body)!}])
  }
}

/**
 * `tex` with the macros expanded, each expansion read again for the macros in it (its arguments are read inside
 * it); undefined when the text read grows past `limit` characters (a macro that uses itself), so the work is bounded.
 */
export function expandMacros(tex: string, macros: ReadonlyMap<string, LatexMacro>, limit: number): string | undefined {
  const budget = {left: limit}
  const readers = [new TexReader(tex, budget)]
  let output = ''
  while (readers.length > 0) {
    const reader = readers[readers.length - 1]
    if (budget.left < 0) return undefined
    if (reader.atEnd()) {
      readers.pop()
      continue
    }
    const start = reader.position
    if (reader.peek() !== '\\') {
      output += reader.take()
      continue
    }
    const name = reader.controlSequence()
    const macro = name === undefined ? undefined : macros.get(name)
    if (!macro) {
      output += reader.slice(start)
      continue
    }
    const args: string[] = []
    let next = 1
    if (macro.optionalDefault !== undefined && macro.arity > 0) {
      const afterName = reader.position
      reader.skipSpace()
      const optional = reader.bracketed()
      if (optional === undefined) reader.position = afterName
      args.push(optional ?? macro.optionalDefault)
      next = 2
    }
    for (; next <= macro.arity; next++) {
      reader.skipSpace()
      const argument = reader.argument()
      if (argument === undefined) break
      args.push(argument)
    }
    const replaced = macro.body.replace(/#([1-9])/g, (whole, digit: string) => args[Number(digit) - 1] ?? whole)
    budget.left -= replaced.length
    readers.push(new TexReader(replaced, budget))
  }
  return budget.left < 0 ? undefined : output
}

function stripBraces(group: string | undefined): string | undefined {
  return group === undefined ? undefined : group.slice(1, -1)
}

/** Reads TeX source from `position`: control sequences, brace groups, `[…]`. */
class TexReader {
  position = 0
  /** Characters that may still be scanned, shared by the readers of one expansion. */
  constructor(private readonly text: string, private readonly budget: {left: number} = {left: Number.POSITIVE_INFINITY}) {}

  take(): string {
    return this.text[this.position++]
  }

  slice(start: number): string {
    return this.text.slice(start, this.position)
  }

  atEnd(): boolean {
    return this.position >= this.text.length
  }

  peek(): string {
    return this.text[this.position] ?? ''
  }

  skipSpace(): void {
    while (/\s/.test(this.peek())) this.position++
  }

  /** `\name` (letters) or `\x` (one other character), its name without `\`. */
  controlSequence(): string | undefined {
    if (this.peek() !== '\\') return undefined
    const start = ++this.position
    while (/[A-Za-z@]/.test(this.peek())) this.position++
    if (this.position === start && !this.atEnd()) this.position++
    return this.text.slice(start, this.position)
  }

  controlSequenceText(): string | undefined {
    const start = this.position
    return this.controlSequence() === undefined ? undefined : this.text.slice(start, this.position)
  }

  /** A brace group with its braces; undefined (position unchanged) when none starts here or it never closes. */
  group(): string | undefined {
    if (this.peek() !== '{') return undefined
    const start = this.position
    let depth = 0
    for (let index = start; index < this.text.length; index++) {
      this.budget.left--
      const character = this.text[index]
      if (character === '\\') index++
      else if (character === '{') depth++
      else if (character === '}' && --depth === 0) {
        this.position = index + 1
        return this.text.slice(start, index + 1)
      }
    }
    return undefined
  }

  /** `[…]` at the same brace depth, its content; undefined (position unchanged) when there is none. */
  bracketed(): string | undefined {
    if (this.peek() !== '[') return undefined
    let depth = 0
    for (let index = this.position + 1; index < this.text.length; index++) {
      this.budget.left--
      const character = this.text[index]
      if (character === '\\') index++
      else if (character === '{') depth++
      else if (character === '}') depth--
      else if (character === ']' && depth === 0) {
        const content = this.text.slice(this.position + 1, index)
        this.position = index + 1
        return content
      }
    }
    return undefined
  }

  /** A macro argument: a brace group's content, a control sequence, or one character. */
  argument(): string | undefined {
    if (this.atEnd()) return undefined
    if (this.peek() === '{') return stripBraces(this.group())
    if (this.peek() === '\\') return this.controlSequenceText()
    return this.text[this.position++]
  }
}
