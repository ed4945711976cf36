/**
 * Block content to Word paragraphs and tables: paragraphs, headings (Word's heading styles, with the section number
 * the HTML shows), block quotes, lists, code, line blocks, definition lists, display equations, figures and tables,
 * and the bibliography citeproc made for the HTML.
 */
import {AlignmentType, BorderStyle, Paragraph, PageBreak, TabStopType, TextRun, type FileChild, type ParagraphChild} from 'docx'
import type {Element, ElementContent} from 'hast'
import type {Blockquote, Code, Heading, List, Nodes, Paragraph as MdastParagraph, PhrasingContent, RootContent} from 'mdast'
import type {DefList, Div, Figure, HeadingData, LineBlock, MathData, RawBlock} from '../../syntax/types.ts'
import {isMathEnvironment, pageBreakCommands} from '../../transforms/raw-tex.ts'
import type {DocxContext} from './context.ts'
import {figure} from './figures.ts'
import {sequenceXml} from './fields.ts'
import {hastInlines, inlines, textRun} from './inlines.ts'
import {table} from './tables.ts'
import {floatMarkerClass} from '../../transforms/floats-at-end.ts'
import {rawXml, runXml} from './xml.ts'

export interface BlockFormat {
  /** Paragraph style id for paragraphs (`BlockText` in a quote, `FootnoteText` in a note). */
  style?: string
  inNote?: boolean
  /** The list item a paragraph is the first of: its numbering. */
  numbering?: {reference: string; level: number}
  /** Left indent of paragraphs inside a list item or a quote, in twips. */
  indent?: number
  /** Depth of list nesting (0 outside lists). */
  listDepth?: number
}

const headingStyles = ['Heading1', 'Heading2', 'Heading3', 'Heading4', 'Heading5', 'Heading6']

export function blocks(nodes: readonly RootContent[] | readonly Nodes[], context: DocxContext, format: BlockFormat = {}): Paragraph[] & FileChild[] {
  const result: FileChild[] = []
  let first = true
  for (const node of nodes as Nodes[]) {
    // Only the first paragraph of a list item carries the item's number.
    const own = first ? format : {...format, numbering: undefined}
    const made = block(node, context, own)
    if (made.length > 0) first = false
    result.push(...made)
  }
  return result as Paragraph[] & FileChild[]
}

function paragraphStyle(format: BlockFormat): string | undefined {
  return format.style ?? (format.inNote ? 'FootnoteText' : undefined)
}

function paragraphOptions(format: BlockFormat) {
  return {
    style: paragraphStyle(format),
    numbering: format.numbering,
    indent: format.numbering ? undefined : format.indent ? {left: format.indent} : undefined
  }
}

function block(node: Nodes, context: DocxContext, format: BlockFormat): FileChild[] {
  const data = (node as {data?: {hChildren?: ElementContent[]}}).data
  switch (node.type) {
    case 'paragraph':
      return paragraph(node, context, format)
    case 'heading':
      return [heading(node, context)]
    case 'blockquote':
      return blocks((node as Blockquote).children, context, {...format, style: format.inNote ? 'FootnoteText' : 'BlockText', indent: (format.indent ?? 0) + 567})
    case 'list':
      return list(node, context, format)
    case 'code':
      return [codeBlock(node, format)]
    case 'thematicBreak':
      return [new Paragraph({border: {bottom: {style: BorderStyle.SINGLE, size: 6, color: 'auto', space: 1}}})]
    case 'table':
      return [table(node, context), new Paragraph({style: 'TableSpacer'})]
    case 'figure':
      return figure(node as Figure, context, format)
    case 'math':
      return [equation(node.value, (node.data ?? {}) as MathData, context)]
    case 'div':
      if (data?.hChildren) return hastBlocks(data.hChildren, context, format)
      return divBlocks(node as Div, context, format)
    case 'defList':
      return definitionList(node as DefList, context, format)
    case 'lineBlock':
      return [lineBlock(node as LineBlock, context, format)]
    case 'rawBlock': {
      const raw = node as RawBlock
      if (raw.format !== 'tex' && raw.format !== 'latex') return []
      if (isMathEnvironment(raw)) return [equation(raw.value, {}, context)]
      if ((raw.commands ?? []).some((name) => pageBreakCommands.has(name))) return [new Paragraph({children: [new PageBreak()]})]
      return []
    }
    case 'html':
    case 'footnoteDefinition':
    case 'definition':
    case 'yaml':
      return []
    default:
      if (data?.hChildren) return hastBlocks(data.hChildren, context, format)
      if ('children' in node && Array.isArray(node.children)) return blocks(node.children as Nodes[], context, format)
      return []
  }
}

/** A paragraph; display math inside it (`$$…$$` among text) is an equation paragraph of its own, as Word shows it. */
function paragraph(node: MdastParagraph, context: DocxContext, format: BlockFormat): FileChild[] {
  const result: FileChild[] = []
  // "[Figure 1 about here]" (see transforms/floats-at-end.ts) is centred.
  const className = (node.data as {hProperties?: {className?: unknown}} | undefined)?.hProperties?.className
  const centred = Array.isArray(className) && className.includes(floatMarkerClass)
  let pending: PhrasingContent[] = []
  const flush = () => {
    if (pending.length === 0 || pending.every((child) => child.type === 'text' && child.value.trim() === '')) {
      pending = []
      return
    }
    result.push(new Paragraph({...paragraphOptions(result.length === 0 ? format : {...format, numbering: undefined}), ...(centred ? {alignment: AlignmentType.CENTER, indent: {firstLine: 0}} : {}), children: inlines(trimmed(pending), context)}))
    pending = []
  }
  for (const child of node.children) {
    if (child.type === 'inlineMath' && (child.data as MathData | undefined)?.display) {
      flush()
      result.push(equation(child.value, child.data as MathData, context))
    } else pending.push(child)
  }
  flush()
  return result
}

/** Text around display math loses the white space next to it. */
function trimmed(nodes: PhrasingContent[]): PhrasingContent[] {
  const copy = [...nodes]
  const first = copy[0]
  if (first?.type === 'text') copy[0] = {...first, value: first.value.replace(/^\s+/, '')}
  const last = copy[copy.length - 1]
  if (last?.type === 'text') copy[copy.length - 1] = {...last, value: last.value.replace(/\s+$/, '')}
  return copy
}

function heading(node: Heading, context: DocxContext): Paragraph {
  const data = (node.data ?? {}) as HeadingData
  const children: ParagraphChild[] = []
  const content = inlines(node.children, context)
  if (data.number && !data.unnumbered) {
    const number = runXml(data.number)
    children.push(rawXml(data.id ? context.bookmarks.around(data.id, number) : number), new TextRun({text: '\u2002'}), ...content)
  } else if (data.id) {
    const [start, end] = context.bookmarks.ends(data.id)
    children.push(...(start ? [rawXml(start), ...content, rawXml(end)] : content))
  } else children.push(...content)
  return new Paragraph({style: headingStyles[node.depth - 1], children})
}

function list(node: List, context: DocxContext, format: BlockFormat): FileChild[] {
  const reference = context.lists.add(node)
  const level = Math.min(format.listDepth ?? 0, 8)
  const result: FileChild[] = []
  for (const item of node.children) {
    const itemFormat: BlockFormat = {...format, numbering: {reference, level}, indent: 720 * (level + 1), listDepth: level + 1, style: format.style ?? (format.inNote ? 'FootnoteText' : node.spread ? undefined : 'Compact')}
    const children = [...item.children]
    if (typeof item.checked === 'boolean') {
      const box = item.checked ? '☒ ' : '☐ '
      const head = children[0]
      if (head?.type === 'paragraph') children[0] = {...head, children: [{type: 'text', value: box}, ...head.children]}
    }
    const made = blocks(children, context, itemFormat)
    if (made.length === 0) made.push(new Paragraph({...paragraphOptions(itemFormat)}))
    result.push(...made)
  }
  return result
}

function codeBlock(node: Code, format: BlockFormat): Paragraph {
  const lines = node.value.split('\n')
  return new Paragraph({
    style: 'SourceCode',
    indent: format.indent ? {left: format.indent} : undefined,
    children: lines.map((line, index) => new TextRun({text: line, break: index > 0 ? 1 : undefined}))
  })
}

function lineBlock(node: LineBlock, context: DocxContext, format: BlockFormat): Paragraph {
  const children: ParagraphChild[] = []
  node.children.forEach((line, index) => {
    if (index > 0) children.push(new TextRun({break: 1}))
    children.push(...inlines(line.children, context))
  })
  return new Paragraph({...paragraphOptions(format), children})
}

function definitionList(node: DefList, context: DocxContext, format: BlockFormat): FileChild[] {
  const result: FileChild[] = []
  for (const child of node.children) {
    if (child.type === 'defListTerm') result.push(new Paragraph({...paragraphOptions(format), keepNext: true, children: inlines(child.children, context, {bold: true})}))
    else result.push(...blocks(child.children, context, {...format, indent: (format.indent ?? 0) + 567}))
  }
  return result
}

/** A div's content; its label (`::: {#box}`) is a bookmark at its start. */
function divBlocks(node: Div, context: DocxContext, format: BlockFormat): FileChild[] {
  const made = blocks(node.children, context, format)
  if (!node.identifier) return made
  const [start, end] = context.bookmarks.ends(node.identifier)
  if (!start) return made
  return [new Paragraph({style: 'Compact', children: [rawXml(start + end)]}), ...made]
}

/**
 * A display equation: centred between tab stops, its number (a SEQ field, inside the bookmark of its label) at the
 * right margin, as Word's numbered equations are usually set.
 */
export function equation(tex: string, data: MathData, context: DocxContext): Paragraph {
  const omml = context.math.render(tex, true)
  const formula = omml ? rawXml(omml) : textRun(tex, {style: 'VerbatimChar'})
  if (!data.number) {
    return new Paragraph({style: 'DisplayEquation', children: [omml ? rawXml(`<m:oMathPara>${omml}</m:oMathPara>`) : formula]})
  }
  const number = sequenceXml('Equation', data.number)
  const label = data.id ? context.bookmarks.around(data.id, number) : number
  return new Paragraph({
    style: 'DisplayEquation',
    alignment: AlignmentType.LEFT,
    tabStops: [
      {type: TabStopType.CENTER, position: Math.round(context.textWidth / 2)},
      {type: TabStopType.RIGHT, position: context.textWidth}
    ],
    children: [new TextRun({text: '\t'}), formula, new TextRun({text: '\t('}), rawXml(label), new TextRun({text: ')'})]
  })
}

/** The bibliography (and any other block citeproc or a transform made as hast): one paragraph per entry. */
export function hastBlocks(nodes: readonly ElementContent[], context: DocxContext, format: BlockFormat): FileChild[] {
  const result: FileChild[] = []
  let loose: ElementContent[] = []
  const flush = () => {
    if (loose.some((node) => node.type === 'element' || (node.type === 'text' && node.value.trim() !== ''))) {
      result.push(new Paragraph({...paragraphOptions(format), children: hastInlines(loose, context)}))
    }
    loose = []
  }
  for (const node of nodes) {
    if (node.type === 'element' && isBlockElement(node)) {
      flush()
      result.push(...hastBlock(node, context, format))
    } else loose.push(node)
  }
  flush()
  return result
}

const blockTags = new Set(['div', 'p', 'section', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote'])

function isBlockElement(node: Element): boolean {
  return blockTags.has(node.tagName)
}

function classes(node: Element): string[] {
  const className = node.properties.className
  return Array.isArray(className) ? className.map(String) : []
}

function hastBlock(node: Element, context: DocxContext, format: BlockFormat): FileChild[] {
  const names = classes(node)
  if (names.includes('csl-entry')) {
    const id = typeof node.properties.id === 'string' ? node.properties.id : undefined
    const [start, end] = id ? context.bookmarks.ends(id) : ['', '']
    // A numbered style's entry: its number in the margin, then its text.
    const parts = node.children.filter((child) => child.type === 'element') as Element[]
    const left = parts.find((part) => classes(part).includes('csl-left-margin'))
    const right = parts.find((part) => classes(part).includes('csl-right-inline'))
    const children = left && right ? [...hastInlines(left.children, context), new TextRun({text: '\t'}), ...hastInlines(right.children, context)] : hastInlines(node.children.map(inlineOf), context)
    return [new Paragraph({style: 'Bibliography', children: start ? [rawXml(start), ...children, rawXml(end)] : children})]
  }
  if (/^h[1-6]$/.test(node.tagName)) return [new Paragraph({style: headingStyles[Number(node.tagName[1]) - 1], children: hastInlines(node.children, context)})]
  if (node.tagName === 'p') return [new Paragraph({...paragraphOptions(format), children: hastInlines(node.children, context)})]
  return hastBlocks(node.children, context, format)
}

/** Inside an entry, a nested div (`csl-block`) is run in with the rest. */
function inlineOf(node: ElementContent): ElementContent {
  return node.type === 'element' && node.tagName === 'div' ? {...node, tagName: 'span'} : node
}


