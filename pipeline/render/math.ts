/**
 * TeX math to HTML at build time with KaTeX, so the page needs no script to show it.
 * One `MathRenderer` per document: `\newcommand`/`\gdef` in one formula stay defined for the formulas after it,
 * as they do in a LaTeX document.
 */
import {createRequire} from 'node:module'
import type {ElementContent} from 'hast'
import type Katex from 'katex'
import type {Raw} from 'mdast-util-to-hast'
import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'

// KaTeX loads on the first formula: documents without math never pay for it.
const require = createRequire(import.meta.url)
let katex: typeof Katex | undefined

export interface MathRenderer {
  /** The formula as hast: KaTeX's markup in a `raw` node (serialised as is), or a visible error span. */
  render(tex: string, display: boolean, node: Node): ElementContent
}

export function createMathRenderer(file: VFile | undefined): MathRenderer {
  const macros: Record<string, string> = {}
  return {
    render(tex, display, node) {
      try {
        katex ??= require('katex') as typeof Katex
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
    }
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
