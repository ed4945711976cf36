/**
 * Raw LaTeX blocks are left out of the HTML and the PDF (both are made from HTML, not by LaTeX), as pandoc leaves
 * them out of HTML. Each block that would have printed something is reported as info (rule `raw-latex`), so the
 * author knows what the outputs lack; blocks of commands whose effect is kept (page breaks, a table of contents) or
 * that only set up LaTeX's layout (`\noindent`, `\vspace`, `\thispagestyle`, macro definitions) are not, nor math
 * environments, which are typeset like `$$…$$`.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {RawBlock, RawInline} from '../syntax/types.ts'
import {walk} from '../syntax/walk.ts'

export const rawLatexRule = 'raw-latex'

/** `\newpage`, `\clearpage`, `\pagebreak`, `\cleardoublepage`: a page break in the printed page. */
export const pageBreakCommands = new Set(['newpage', 'clearpage', 'pagebreak', 'cleardoublepage'])

/** LaTeX's display math environments, which pandoc's HTML shows as math (MathJax, for us KaTeX, typesets them). */
const mathEnvironments = new Set(['equation', 'align', 'gather', 'multline', 'flalign', 'alignat', 'eqnarray', 'split', 'aligned', 'gathered', 'math', 'displaymath'].flatMap((name) => [name, `${name}*`]))

/** Raw LaTeX that is exactly one math environment. */
export function isMathEnvironment(node: RawBlock | RawInline): boolean {
  return node.commands?.length === 1 && node.environments?.length === 1 && mathEnvironments.has(node.environments[0])
}

/** Commands that have an effect in the outputs, or only affect LaTeX's own page layout: nothing is missing without them. */
const quietCommands = new Set([
  'newpage', 'clearpage', 'pagebreak', 'cleardoublepage', 'tableofcontents', 'noindent', 'vspace', 'hspace',
  'medskip', 'smallskip', 'bigskip', 'vfill', 'hfill', 'centering', 'raggedright', 'markright', 'markboth',
  'thispagestyle', 'pagestyle', 'pagenumbering', 'setcounter', 'addtocounter', 'setlength', 'addtolength',
  'newcommand', 'renewcommand', 'providecommand', 'DeclareMathOperator', 'def', 'let', 'usepackage', 'linespread',
  'singlespacing', 'doublespacing', 'onehalfspacing', 'normalsize', 'small', 'footnotesize', 'large', 'Large',
  'label', 'FloatBarrier', 'frontmatter', 'mainmatter', 'backmatter', 'appendix', 'listoffigures', 'listoftables', 'listoflistings'
])

export function rawTexTransform(tree: Root, file: VFile): void {
  walk(tree, 'rawBlock', (node: RawBlock) => {
    if (node.format !== 'tex' && node.format !== 'latex') return
    // `\begin{equation}…\end{equation}` is typeset as display math.
    if (isMathEnvironment(node)) return
    const commands = node.commands ?? []
    const environments = node.environments ?? []
    if (node.format === 'tex' && environments.length === 0 && commands.every((name) => quietCommands.has(name))) return
    const first = environments.length > 0 ? `\\begin{${environments[0]}}` : commands.length > 0 ? `\\${commands[0]}` : '```{=latex}'
    report(file, node, `Raw LaTeX (${first}…) is left out of the HTML and the PDF, which are not made by LaTeX. If it matters, write it in Markdown (a table, a figure, $$…$$ math) or give the HTML in a \`\`\`{=html} block beside it.`, rawLatexRule, 'info')
  })
}
