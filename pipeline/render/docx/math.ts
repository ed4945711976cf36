/**
 * Equations as native Word math (OMML), which Word edits as equations: the TeX is typeset to MathML by KaTeX (as for
 * the HTML), and the MathML is turned into OMML here, element by element. A formula KaTeX cannot read is shown as its
 * TeX (the HTML build has already reported it).
 */
import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type Katex from 'katex'
import {requireLibrary} from '../../script-module.ts'
import {escapeXml} from './xml.ts'

let katex: typeof Katex | undefined

export interface OmmlRenderer {
  /** `<m:oMath>…</m:oMath>` for the formula, or undefined when KaTeX cannot read it. */
  render(tex: string, display: boolean): string | undefined
}

/** One renderer per document: macros defined in one formula stay defined for the ones after it. */
export function createOmmlRenderer(): OmmlRenderer {
  const macros: Record<string, string> = {}
  return {
    render(tex, display) {
      let mathml: string
      try {
        katex ??= requireLibrary<typeof Katex>('katex')
        mathml = katex.renderToString(eqnarrayAsArray(tex), {displayMode: display, output: 'mathml', throwOnError: true, strict: 'ignore', globalGroup: true, macros, trust: false})
      } catch {
        return undefined
      }
      const math = findElement(fromHtml(mathml, {fragment: true}).children as ElementContent[], 'math')
      if (!math) return undefined
      return `<m:oMath>${sequence(math.children)}</m:oMath>`
    }
  }
}

function eqnarrayAsArray(tex: string): string {
  const match = /^\s*\\begin\{eqnarray(\*?)\}([^]*)\\end\{eqnarray\1\}\s*$/.exec(tex)
  return match ? `\\begin{darray}{rcl}${match[2]}\\end{darray}` : tex
}

function findElement(nodes: ElementContent[], tagName: string): Element | undefined {
  for (const node of nodes) {
    if (node.type !== 'element') continue
    if (node.tagName === tagName) return node
    const found = findElement(node.children, tagName)
    if (found) return found
  }
  return undefined
}

const elementsOf = (nodes: ElementContent[]): Element[] => nodes.filter((node): node is Element => node.type === 'element')

function textOf(node: ElementContent): string {
  if (node.type === 'text') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}

/** KaTeX writes accents as spacing characters (`ˉ` for `\\bar`); Word draws the combining ones over the base. */
const combiningAccents: Record<string, string> = {
  'ˉ': '\u0305',
  '¯': '\u0305',
  '^': '\u0302',
  'ˆ': '\u0302',
  '~': '\u0303',
  '˜': '\u0303',
  '˙': '\u0307',
  '¨': '\u0308',
  '→': '\u20D7',
  '⃗': '\u20D7',
  'ˊ': '\u0301',
  '´': '\u0301',
  'ˋ': '\u0300',
  '`': '\u0300',
  'ˇ': '\u030C',
  '˘': '\u0306'
}

/** Big operators that take limits: written as an n-ary (`m:nary`) over what follows them. */
const naryOperators = new Set(['∑', '∏', '∐', '∫', '∬', '∭', '∮', '⋃', '⋂', '⋁', '⋀', '⨁', '⨂', '⨀'])

function sequence(nodes: ElementContent[]): string {
  const children = elementsOf(nodes)
  let xml = ''
  for (let index = 0; index < children.length; index++) {
    const node = children[index]
    const operator = naryOf(node)
    if (operator) {
      // The operand is the element after the operator (`\sum_i x_i`): Word draws the operator around it.
      const operand = children[index + 1]
      if (operand) index++
      xml += naryXml(operator, operand ? convert(operand) : '')
      continue
    }
    xml += convert(node)
  }
  return xml
}

interface Nary {
  character: string
  lower?: Element
  upper?: Element
  under: boolean
}

function naryOf(node: Element): Nary | undefined {
  const [base, first, second] = elementsOf(node.children)
  const isOperator = (element: Element | undefined) => element?.tagName === 'mo' && naryOperators.has(textOf(element).trim())
  if (node.tagName === 'mo' && naryOperators.has(textOf(node).trim())) return {character: textOf(node).trim(), under: false}
  if (!isOperator(base)) return undefined
  const character = textOf(base).trim()
  switch (node.tagName) {
    case 'msub':
      return {character, lower: first, under: false}
    case 'msup':
      return {character, upper: first, under: false}
    case 'msubsup':
      return {character, lower: first, upper: second, under: false}
    case 'munder':
      return {character, lower: first, under: true}
    case 'mover':
      return {character, upper: first, under: true}
    case 'munderover':
      return {character, lower: first, upper: second, under: true}
    default:
      return undefined
  }
}

function naryXml(nary: Nary, operand: string): string {
  const properties =
    `<m:naryPr><m:chr m:val="${escapeXml(nary.character)}"/><m:limLoc m:val="${nary.under ? 'undOvr' : 'subSup'}"/>` +
    (nary.lower ? '' : '<m:subHide m:val="1"/>') +
    (nary.upper ? '' : '<m:supHide m:val="1"/>') +
    '</m:naryPr>'
  return `<m:nary>${properties}<m:sub>${nary.lower ? convert(nary.lower) : ''}</m:sub><m:sup>${nary.upper ? convert(nary.upper) : ''}</m:sup><m:e>${operand}</m:e></m:nary>`
}

function argument(node: Element | undefined): string {
  return node ? convert(node) : ''
}

function convert(node: Element): string {
  const children = elementsOf(node.children)
  const [first, second, third] = children
  switch (node.tagName) {
    case 'mi':
    case 'mn':
    case 'mo':
    case 'mtext':
    case 'ms':
      return tokenXml(node)
    case 'mspace':
      return run(' ', '')
    case 'msup':
      return `<m:sSup><m:e>${argument(first)}</m:e><m:sup>${argument(second)}</m:sup></m:sSup>`
    case 'msub':
      return `<m:sSub><m:e>${argument(first)}</m:e><m:sub>${argument(second)}</m:sub></m:sSub>`
    case 'msubsup':
      return `<m:sSubSup><m:e>${argument(first)}</m:e><m:sub>${argument(second)}</m:sub><m:sup>${argument(third)}</m:sup></m:sSubSup>`
    case 'mfrac': {
      const noBar = /^0(\.0*)?[a-z]*$/.test(String(node.properties.linethickness ?? ''))
      return `<m:f>${noBar ? '<m:fPr><m:type m:val="noBar"/></m:fPr>' : ''}<m:num>${argument(first)}</m:num><m:den>${argument(second)}</m:den></m:f>`
    }
    case 'msqrt':
      return `<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/><m:e>${sequence(node.children)}</m:e></m:rad>`
    case 'mroot':
      return `<m:rad><m:deg>${argument(second)}</m:deg><m:e>${argument(first)}</m:e></m:rad>`
    case 'mover':
      if (String(node.properties.accent) === 'true' && second?.tagName === 'mo') {
        const accent = textOf(second).trim()
        return `<m:acc><m:accPr><m:chr m:val="${escapeXml(combiningAccents[accent] ?? accent)}"/></m:accPr><m:e>${argument(first)}</m:e></m:acc>`
      }
      return `<m:limUpp><m:e>${argument(first)}</m:e><m:lim>${argument(second)}</m:lim></m:limUpp>`
    case 'munder':
      return `<m:limLow><m:e>${argument(first)}</m:e><m:lim>${argument(second)}</m:lim></m:limLow>`
    case 'munderover':
      return `<m:limUpp><m:e><m:limLow><m:e>${argument(first)}</m:e><m:lim>${argument(second)}</m:lim></m:limLow></m:e><m:lim>${argument(third)}</m:lim></m:limUpp>`
    case 'mtable': {
      const rows = children.filter((row) => row.tagName === 'mtr' || row.tagName === 'mlabeledtr')
      const columns = Math.max(1, ...rows.map((row) => elementsOf(row.children).length))
      const properties = `<m:mPr><m:mcs><m:mc><m:mcPr><m:count m:val="${columns}"/><m:mcJc m:val="center"/></m:mcPr></m:mc></m:mcs></m:mPr>`
      const body = rows
        .map((row) => {
          const cells = elementsOf(row.children)
          const padded = [...cells.map((cell) => `<m:e>${sequence(cell.children)}</m:e>`), ...Array.from({length: columns - cells.length}, () => '<m:e/>')]
          return `<m:mr>${padded.join('')}</m:mr>`
        })
        .join('')
      return `<m:m>${properties}${body}</m:m>`
    }
    case 'annotation':
    case 'annotation-xml':
    case 'mphantom':
      return ''
    case 'semantics':
      return first ? convert(first) : ''
    default:
      // mrow, mstyle, mpadded, menclose, math: their children in order.
      return sequence(node.children)
  }
}

function tokenXml(node: Element): string {
  const text = textOf(node)
  if (text === '') return ''
  const variant = String(node.properties.mathVariant ?? node.properties.mathvariant ?? '')
  let properties = ''
  if (node.tagName === 'mtext') properties = '<m:nor/>'
  else if (variant === 'normal' || (node.tagName === 'mi' && [...text].length > 1 && !variant)) properties = '<m:sty m:val="p"/>'
  else if (variant === 'bold') properties = '<m:sty m:val="b"/>'
  else if (variant === 'bold-italic') properties = '<m:sty m:val="bi"/>'
  else if (variant === 'double-struck') properties = '<m:scr m:val="double-struck"/><m:sty m:val="p"/>'
  else if (variant === 'script') properties = '<m:scr m:val="script"/>'
  else if (variant === 'fraktur') properties = '<m:scr m:val="fraktur"/>'
  else if (variant === 'monospace') properties = '<m:scr m:val="monospace"/><m:sty m:val="p"/>'
  else if (variant === 'sans-serif') properties = '<m:scr m:val="sans-serif"/><m:sty m:val="p"/>'
  return run(text, properties)
}

function run(text: string, properties: string): string {
  return `<m:r>${properties ? `<m:rPr>${properties}</m:rPr>` : ''}<m:t xml:space="preserve">${escapeXml(text)}</m:t></m:r>`
}
