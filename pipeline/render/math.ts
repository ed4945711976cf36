/**
 * TeX math to HTML at build time with KaTeX, so the page needs no script to show it.
 * One `MathRenderer` per document: `\newcommand`/`\gdef` in one formula stay defined for the formulas after it,
 * as they do in a LaTeX document.
 *
 * Typesetting is slow, so a formula's HTML is kept, by display mode and TeX, in the project's session (the next build
 * in watch mode) and in the derived cache (a fresh process), as long as no formula of the document has defined a
 * macro: from then on a formula's HTML may depend on the formulas before it, and each is typeset.
 */
import type {ElementContent} from 'hast'
import type Katex from 'katex'
import type {Raw} from 'mdast-util-to-hast'
import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {requireLibrary} from '../script-module.ts'
import {StoredTextMemo, TextMemo} from '../syntax/text-memo.ts'

// KaTeX loads on the first formula: documents without math never pay for it.
let katex: typeof Katex | undefined

export interface MathRenderer {
  /** The formula as hast: KaTeX's markup in a `raw` node (serialised as is), or a visible error span. */
  render(tex: string, display: boolean, node: Node): ElementContent
  /** Keeps the document's typeset formulas in the derived cache, when any was typeset anew. */
  save(): void
  /** Whether each formula so far was typeset from its own TeX alone: no formula has defined a macro yet. */
  pure(): boolean
  /** A formula typeset earlier is in the document again (its HTML taken from a kept block): kept with the others. */
  reused(tex: string, display: boolean): void
  /** Whether the document holds KaTeX's markup (a formula typeset, not one shown as an error): its page needs KaTeX's CSS and fonts. */
  typesetAny(): boolean
}

export interface MathRendererOptions {
  /** Keeps typeset formulas for the next build of the project (watch mode). */
  session?: ProjectSession
  /** Keeps typeset formulas between processes. */
  cache?: DerivedCache
}

export function createMathRenderer(file: VFile | undefined, options: MathRendererOptions = {}): MathRenderer {
  const macros: Record<string, string> = {}
  const kept = new StoredTextMemo(options.session?.typesetFormulas ?? new TextMemo<string>(), options.cache, 'katex')
  let definedMacros = false
  let typesetAny = false
  return {
    render(tex, display, node) {
      const key = `${display ? 'display' : 'inline'}\u0000${tex}`
      const reusable = !definedMacros
      const found = reusable ? kept.find(key) : undefined
      if (found !== undefined) {
        typesetAny = true
        const markup: Raw = {type: 'raw', value: found}
        return markup
      }
      try {
        katex ??= requireLibrary<typeof Katex>('katex')
        const typeset = katexSource(tex)
        let html = katex.renderToString(typeset, {
          displayMode: display,
          output: 'htmlAndMathml',
          throwOnError: true,
          // KaTeX would otherwise print its strict-mode warnings to the console.
          strict: 'ignore',
          globalGroup: true,
          macros,
          trust: false
        })
        // The formula's TeX annotation (what a reader copies) is what the author wrote, not its KaTeX form.
        if (typeset !== tex) html = html.replace(/(<annotation encoding="application\/x-tex">)[^<]*(<\/annotation>)/, (_, open: string, close: string) => open + escapeHtml(tex) + close)
        // `for…in` stops at the first key: whether the formula defined a macro, without listing them.
        for (const _defined in macros) definedMacros = true
        if (reusable && !definedMacros) kept.keep(key, html)
        typesetAny = true
        const markup: Raw = {type: 'raw', value: html}
        return markup
      } catch (error) {
        const reason = error instanceof Error ? error.message.replace(/^KaTeX parse error: /, '') : String(error)
        if (file) {
          report(
            file,
            node,
            `Cannot typeset the formula \`${abbreviate(tex)}\`: ${reason}. Fix the TeX (KaTeX supports most of LaTeX math: https://katex.org/docs/supported).`,
            'math-syntax',
            'warning'
          )
        }
        return {
          type: 'element',
          tagName: display ? 'span' : 'code',
          properties: {className: ['math-error', display ? 'math-display' : 'math-inline'], title: reason},
          children: [{type: 'text', value: tex}]
        }
      }
    },
    save() {
      kept.save()
    },
    pure: () => !definedMacros,
    reused(tex, display) {
      kept.find(`${display ? 'display' : 'inline'}\u0000${tex}`)
      typesetAny = true
    },
    typesetAny: () => typesetAny
  }
}

/**
 * `eqnarray` and `eqnarray*`, which pandoc passes on as display math and KaTeX does not know, as the three-column
 * display-style array they are (`r & c & l`); an `eqnarray`'s line numbers are not shown.
 */
const eqnarray = /^\s*\\begin\{eqnarray(\*?)\}([^]*)\\end\{eqnarray\1\}\s*$/

function katexSource(tex: string): string {
  const match = eqnarray.exec(tex)
  if (!match) return tex
  return `\\begin{darray}{rcl}${match[2]}\\end{darray}`
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

function abbreviate(tex: string): string {
  const oneLine = tex.replace(/\s+/g, ' ').trim()
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine
}
