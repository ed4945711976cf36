/**
 * Phrasing content to Word runs: text with emphasis, strong, code, links, super- and subscripts, small caps; note
 * calls; citations as citeproc formatted them for the HTML (the hast in `data.hChildren`); cross-references as REF
 * fields; inline math as OMML.
 */
import {ExternalHyperlink, ImageRun, InternalHyperlink, TextRun, type ParagraphChild} from 'docx'
import type {Element, ElementContent} from 'hast'
import type {Link, Paragraph as MdastParagraph, PhrasingContent} from 'mdast'
import type {InlineMath} from 'mdast-util-math'
import type {CrossReference, MathData, RawInline, Span} from '../../syntax/types.ts'
import {isMathEnvironment} from '../../transforms/raw-tex.ts'
import {blocks} from './blocks.ts'
import {runPropertiesXml, type DocxContext, type RunFormat} from './context.ts'
import {referenceXml} from './fields.ts'
import {rawXml} from './xml.ts'

type Node = PhrasingContent | {type: string; [key: string]: unknown}

export function inlines(nodes: readonly PhrasingContent[], context: DocxContext, format: RunFormat = {}): ParagraphChild[] {
  return nodes.flatMap((node) => inline(node, context, format))
}

export function textRun(text: string, format: RunFormat): TextRun {
  // Line endings inside text (soft breaks) are spaces in Word, as in HTML.
  return new TextRun({text: text.replace(/\r?\n/g, ' '), ...runOptions(format)})
}

function runOptions(format: RunFormat): Omit<RunFormat, 'underline'> & {underline?: {type: 'single'}} {
  const {underline, ...rest} = format
  return underline ? {...rest, underline: {type: 'single'}} : rest
}

function inline(node: Node, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const data = (node as {data?: {hChildren?: ElementContent[]; hProperties?: {className?: unknown}}}).data
  switch (node.type) {
    case 'text':
      return [textRun((node as {value: string}).value, format)]
    case 'emphasis':
      return children(node, context, {...format, italics: !format.italics})
    case 'strong':
      return children(node, context, {...format, bold: true})
    case 'delete':
      return children(node, context, {...format, strike: true})
    case 'superscript':
      return children(node, context, {...format, superScript: true})
    case 'subscript':
      return children(node, context, {...format, subScript: true})
    case 'inlineCode':
      return [new TextRun({text: (node as {value: string}).value, ...runOptions(format), style: 'VerbatimChar'})]
    case 'break':
      return [new TextRun({break: 1})]
    case 'link':
      return link(node as Link, context, format)
    case 'span':
      return span(node as Span, context, format)
    case 'footnoteReference': {
      const definition = context.footnoteDefinitions.get((node as {identifier: string}).identifier.toUpperCase())
      if (!definition) return []
      return [context.notes.call(() => blocks(definition.children, context, {inNote: true}))]
    }
    case 'inlineNote':
      return [context.notes.call(() => blocks([{type: 'paragraph', children: (node as {children: PhrasingContent[]}).children} as MdastParagraph], context, {inNote: true}))]
    case 'citation':
      if (data?.hChildren) return hastInlines(data.hChildren, context, format)
      return [textRun(citationSource(node), format)]
    case 'crossReference':
      return crossReference(node as CrossReference, context, format)
    case 'inlineMath': {
      const math = node as InlineMath
      return inlineMath(math.value, (math.data as MathData | undefined)?.display === true, context, format)
    }
    case 'rawInline': {
      const raw = node as RawInline
      if ((raw.format === 'tex' || raw.format === 'latex') && isMathEnvironment(raw)) return inlineMath(raw.value, true, context, format)
      return []
    }
    case 'attributes':
      return [textRun(`{${(node as {value: string}).value}}`, format)]
    case 'image': {
      const image = node as {url: string; alt?: string}
      const run = imageRun(image.url, image.alt ?? '', context)
      return run ? [run] : [textRun(image.alt ?? '', format)]
    }
    case 'html':
    case 'footnoteDefinition':
      return []
    default:
      if (data?.hChildren) return hastInlines(data.hChildren, context, format)
      if ('children' in node && Array.isArray(node.children)) return children(node, context, format)
      if ('value' in node && typeof node.value === 'string') return [textRun(node.value, format)]
      return []
  }
}

function children(node: Node, context: DocxContext, format: RunFormat): ParagraphChild[] {
  return inlines((node as {children: PhrasingContent[]}).children, context, format)
}

function inlineMath(tex: string, display: boolean, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const omml = context.math.render(tex, display)
  return omml ? [rawXml(omml)] : [textRun(tex, {...format, style: 'VerbatimChar'})]
}

function link(node: Link, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const runs = inlines(node.children, context, {...format, style: 'Hyperlink'})
  if (node.url.startsWith('#')) {
    const target = context.bookmarks.targets.get(decodeURIComponent(node.url.slice(1)))
    return target ? [new InternalHyperlink({anchor: target.bookmark, children: runs})] : inlines(node.children, context, format)
  }
  return [new ExternalHyperlink({link: node.url, children: runs})]
}

function span(node: Span, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const spanFormat = {...format}
  if (node.classes.includes('smallcaps') || /font-variant:\s*small-caps/.test(node.attributes.style ?? '')) spanFormat.smallCaps = true
  if (node.classes.includes('underline') || node.classes.includes('ul')) spanFormat.underline = true
  const runs = inlines(node.children, context, spanFormat)
  if (!node.identifier) return runs
  const [start, end] = context.bookmarks.ends(node.identifier)
  return start ? [rawXml(start), ...runs, rawXml(end)] : runs
}

/**
 * A cross-reference shows what the HTML shows (`Figure 1`, `Figures 1–3`); each number in it that links to a label
 * is a REF field to the bookmark around that label's number, the words around it plain text.
 */
function crossReference(node: CrossReference, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const result: ParagraphChild[] = []
  for (const child of node.children ?? []) {
    if (child.type !== 'link' || !child.url.startsWith('#')) {
      result.push(...inline(child, context, format))
      continue
    }
    const target = context.bookmarks.targets.get(decodeURIComponent(child.url.slice(1)))
    const text = plainText(child.children)
    if (!target) {
      result.push(...inlines(child.children, context, format))
      continue
    }
    // The bookmark holds the number (or, for an unnumbered section, its title): the words before it stay text.
    const shown = target.number ?? text
    const at = text.lastIndexOf(shown)
    if (at < 0) {
      result.push(new InternalHyperlink({anchor: target.bookmark, children: inlines(child.children, context, format)}))
      continue
    }
    if (at > 0) result.push(textRun(text.slice(0, at), format))
    result.push(rawXml(referenceXml(target, shown, runPropertiesXml(format))))
    if (at + shown.length < text.length) result.push(textRun(text.slice(at + shown.length), format))
  }
  return result
}

export function plainText(nodes: readonly Node[]): string {
  return nodes
    .map((node) => ('value' in node && typeof node.value === 'string' ? node.value : 'children' in node && Array.isArray(node.children) ? plainText(node.children as Node[]) : ''))
    .join('')
}

function citationSource(node: Node): string {
  const items = (node as {children?: Array<{key: string}>}).children ?? []
  return `[${items.map((item) => `@${item.key}`).join('; ')}]`
}

/** citeproc's formatted output, as hast: italics, bold, small caps, super/subscript, links. */
export function hastInlines(nodes: readonly ElementContent[], context: DocxContext, format: RunFormat = {}): ParagraphChild[] {
  const result: ParagraphChild[] = []
  for (const node of nodes) {
    if (node.type === 'text') result.push(textRun(node.value, format))
    else if (node.type === 'element') result.push(...hastElement(node, context, format))
  }
  return result
}

function hastElement(node: Element, context: DocxContext, format: RunFormat): ParagraphChild[] {
  const style = String(node.properties.style ?? '')
  const next: RunFormat = {...format}
  switch (node.tagName) {
    case 'i':
    case 'em':
      next.italics = !format.italics
      break
    case 'b':
    case 'strong':
      next.bold = true
      break
    case 'sup':
      next.superScript = true
      break
    case 'sub':
      next.subScript = true
      break
    case 'code':
      next.style = 'VerbatimChar'
      break
    case 'br':
      return [new TextRun({break: 1})]
    case 'a': {
      const href = String(node.properties.href ?? '')
      const runs = hastInlines(node.children, context, {...format, style: 'Hyperlink'})
      if (href.startsWith('#')) {
        const target = context.bookmarks.targets.get(decodeURIComponent(href.slice(1)))
        return target ? [new InternalHyperlink({anchor: target.bookmark, children: runs})] : hastInlines(node.children, context, format)
      }
      return href ? [new ExternalHyperlink({link: href, children: runs})] : hastInlines(node.children, context, format)
    }
  }
  if (/font-variant:\s*small-caps/.test(style)) next.smallCaps = true
  if (/font-style:\s*italic/.test(style)) next.italics = true
  if (/font-style:\s*normal/.test(style)) next.italics = false
  if (/font-weight:\s*bold/.test(style)) next.bold = true
  if (/text-decoration:\s*underline/.test(style)) next.underline = true
  return hastInlines(node.children, context, next)
}

/** An image as Word embeds it, at the size it is shown; undefined when the file cannot be shown. */
export function imageRun(url: string, alt: string, context: DocxContext): ParagraphChild | undefined {
  const image = context.image(url)
  if (!image) return undefined
  return new ImageRun({type: image.type, data: image.data, transformation: {width: image.width, height: image.height}, altText: {name: alt, description: alt, title: alt}})
}
