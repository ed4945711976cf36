/**
 * mdast (after all transforms) to hast, through remark-rehype, with handlers for the node types
 * declared in pipeline/syntax/types.ts: numbered headings, figures and table floats, math with
 * equation numbers, inline notes. Nodes that carry `data.hName`/`hProperties`/`hChildren`
 * (citations and cross-references resolved by the transforms) go through mdast-util-to-hast's
 * default treatment of such data.
 */
import type {Element, ElementContent, Root as HastRoot, RootContent as HastRootContent} from 'hast'
import type {Code, FootnoteDefinition, Heading, Nodes, Paragraph, Root} from 'mdast'
import type {InlineMath, Math} from 'mdast-util-math'
import type {Handler, State} from 'mdast-util-to-hast'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import type {Attributes, Citation, CrossReference, Figure, HeadingData, InlineNote, MathData, Span, Subscript, Superscript} from '../syntax/types.ts'
import {createMathRenderer, type MathRenderer} from './math.ts'

/** Words the page shows around the author's text; change them for a manuscript not in English. */
export interface RenderLabels {
  figure: string
  table: string
  /** Between a caption's label (`Figure 1`) and its text. */
  captionSeparator: string
  abstract: string
  keywords: string
  /** Title of the endnotes section made from footnotes. */
  notes: string
}

export const defaultLabels: RenderLabels = {
  figure: 'Figure',
  table: 'Table',
  captionSeparator: ': ',
  abstract: 'Abstract',
  keywords: 'Keywords',
  notes: 'Notes'
}

export interface ToHastOptions {
  labels: RenderLabels
  /** Receives diagnostics (formulas KaTeX cannot typeset); none are reported without it. */
  file?: VFile
}

const own = Object.prototype.hasOwnProperty

/** Converts the manuscript body; the footnotes section is placed before the references. */
export function manuscriptToHast(tree: Root, options: ToHastOptions): HastRoot {
  const math = createMathRenderer(options.file)
  let inlineNoteCount = 0

  const figure: Handler = (state, node: Figure) => {
    const content = state.all(node)
    const caption = captionContent(state, node, options.labels)
    const figcaption: Element | undefined =
      caption.length > 0 ? {type: 'element', tagName: 'figcaption', properties: {}, children: caption} : undefined
    const parts: ElementContent[] =
      node.kind === 'table'
        ? [...(figcaption ? [figcaption] : []), ...content]
        : [...content, ...(figcaption ? [figcaption] : [])]
    const result: Element = {
      type: 'element',
      tagName: 'figure',
      properties: {id: node.identifier, className: [node.kind === 'table' ? 'table' : 'figure']},
      children: state.wrap(parts, true)
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }

  const heading: Handler = (state, node: Heading) => {
    const data = (node.data ?? {}) as HeadingData
    const children = state.all(node)
    if (data.number && !data.unnumbered) {
      children.unshift(
        {type: 'element', tagName: 'span', properties: {className: ['section-number']}, children: [{type: 'text', value: data.number}]},
        {type: 'text', value: ' '}
      )
    }
    const classes = [...(data.classes ?? []), ...(data.unnumbered ? ['unnumbered'] : [])]
    const result: Element = {
      type: 'element',
      tagName: `h${node.depth}`,
      properties: {id: data.id, className: classes.length > 0 ? classes : undefined},
      children
    }
    state.patch(node, result)
    return state.applyData(node, result)
  }

  // mdast-util-math's own `data.hName` (a `<code>`) is not applied: the formula is typeset instead.
  const inlineMath: Handler = (state, node: InlineMath) => {
    const data = (node.data ?? {}) as MathData
    return equation(state, math, node, node.value, data.display === true, data)
  }

  const mathBlock: Handler = (state, node: Math) => {
    const data = (node.data ?? {}) as MathData
    const result: Element = {
      type: 'element',
      tagName: 'div',
      properties: {className: ['math-block']},
      children: [equation(state, math, node, node.value, true, data)]
    }
    state.patch(node, result)
    return result
  }

  // `^[text]` becomes an ordinary footnote call, numbered in order with the `[^label]` ones.
  const inlineNote: Handler = (state, node: InlineNote) => {
    inlineNoteCount += 1
    const identifier = `inline-note-${inlineNoteCount}`
    const paragraph: Paragraph = {type: 'paragraph', children: node.children, position: node.position}
    const definition: FootnoteDefinition = {
      type: 'footnoteDefinition',
      identifier,
      label: identifier,
      children: [paragraph],
      position: node.position
    }
    state.footnoteById.set(identifier.toUpperCase(), definition)
    return state.one({type: 'footnoteReference', identifier, label: identifier, position: node.position}, undefined)
  }

  // An attribute block no transform attached to anything is text the author wrote (as in pandoc).
  const attributes: Handler = (state, node: Attributes) => {
    const result: ElementContent = {type: 'text', value: `{${node.value}}`}
    state.patch(node, result)
    return result
  }

  const superscript: Handler = (state, node: Superscript) => element(state, node, 'sup', {})
  const subscript: Handler = (state, node: Subscript) => element(state, node, 'sub', {})
  // pandoc writes a span's keys as `data-` attributes (HTML5), except the ones HTML knows.
  const span: Handler = (state, node: Span) => element(state, node, 'span', {id: node.identifier, className: node.classes.length > 0 ? node.classes : undefined, ...dataAttributes(node.attributes)})

  // As pandoc writes code blocks (without highlighting): identifier, classes and keys on the `<pre>`.
  const code: Handler = (state, node: Code) => {
    const data = (node.data ?? {}) as {id?: string; classes?: string[]; attributes?: Record<string, string>}
    const inner: Element = {type: 'element', tagName: 'code', properties: {}, children: [{type: 'text', value: node.value}]}
    const properties = {id: data.id, className: data.classes && data.classes.length > 0 ? data.classes : undefined, ...dataAttributes(data.attributes ?? {})}
    const result: Element = {type: 'element', tagName: 'pre', properties, children: [inner]}
    state.patch(node, result)
    return result
  }

  const unknownHandler: Handler = (state, node: Nodes) => {
    const data = (node.data ?? {}) as Record<string, unknown>
    const resolved = own.call(data, 'hName') || own.call(data, 'hProperties') || own.call(data, 'hChildren')
    if (!resolved && (node.type === 'citation' || node.type === 'crossReference')) return unresolvedCitation(state, node)
    return defaultUnknown(state, node)
  }

  const processor = unified().use(remarkRehype, {
    allowDangerousHtml: true,
    footnoteLabel: options.labels.notes,
    footnoteLabelTagName: 'h1',
    footnoteLabelProperties: {className: ['footnotes-title', 'unnumbered']},
    // '↑' is in the bundled typefaces; the default '↩' would fall back to whatever font the system has.
    footnoteBackContent: '↑',
    handlers: {figure, heading, inlineMath, math: mathBlock, inlineNote, attributes, superscript, subscript, span, code},
    unknownHandler
  })
  const hast = processor.runSync(tree, options.file)
  placeFootnotesBeforeReferences(hast)
  return hast
}

function element(state: State, node: Nodes, tagName: string, properties: Element['properties']): Element {
  const result: Element = {type: 'element', tagName, properties, children: state.all(node)}
  state.patch(node, result)
  return state.applyData(node, result)
}

/** Attributes HTML knows keep their names; others become `data-` attributes, as pandoc writes them. */
export function dataAttributes(attributes: Record<string, string>): Record<string, string> {
  const known = /^(data-.*|aria-.*|title|lang|dir|style|width|height|role|hidden|tabindex|translate)$/
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [known.test(key) ? key : `data-${key}`, value]))
}

/** The crossref transform may already have put `Figure 1:` in front of the caption, as a `caption-label`. */
function hasCaptionLabel(node: Figure): boolean {
  const hProperties = node.caption[0]?.data?.hProperties as {className?: unknown} | undefined
  const className = hProperties?.className
  return Array.isArray(className) && className.includes('caption-label')
}

function captionContent(state: State, node: Figure, labels: RenderLabels): ElementContent[] {
  const text = node.caption.length > 0 ? state.all({type: 'paragraph', children: node.caption}) : []
  if (!node.number || hasCaptionLabel(node)) return text
  const labelWord = node.kind === 'table' ? labels.table : labels.figure
  const label: Element = {
    type: 'element',
    tagName: 'span',
    properties: {className: ['caption-label']},
    children: [{type: 'text', value: `${labelWord} ${node.number}`}]
  }
  if (text.length === 0) return [label]
  return [label, {type: 'text', value: labels.captionSeparator}, ...text]
}

function equation(state: State, math: MathRenderer, node: Nodes, tex: string, display: boolean, data: MathData): ElementContent {
  const formula = math.render(tex, display, node)
  if (!data.number && !data.id) return formula
  const children: ElementContent[] = [formula]
  if (data.number) {
    children.push({
      type: 'element',
      tagName: 'span',
      properties: {className: ['equation-number']},
      children: [{type: 'text', value: `(${data.number})`}]
    })
  }
  const result: Element = {
    type: 'element',
    tagName: 'span',
    properties: {id: data.id, className: [display ? 'equation' : 'equation-inline']},
    children
  }
  state.patch(node, result)
  return result
}

/** A citation no transform resolved: shown as written, so that nothing silently disappears. */
function unresolvedCitation(state: State, node: Citation | CrossReference): Element {
  const items =
    node.type === 'citation'
      ? node.items.map((item) => ({prefix: item.prefix, key: item.key, suppress: item.mode === 'suppress-author', suffix: item.suffix}))
      : node.items.map((item) => ({prefix: item.prefix, key: item.label, suppress: item.suppressPrefix, suffix: item.suffix}))
  const parts = items.map((item) => {
    const key = `${item.prefix ? `${item.prefix} ` : ''}${item.suppress ? '-' : ''}@${item.key}`
    if (!item.suffix) return key
    if (!node.bracketed) return `${key} [${item.suffix}]`
    // A suffix starting with punctuation (`, p. 3`) follows the key directly; a word gets a space.
    return /^[,;:.]/.test(item.suffix) ? `${key}${item.suffix}` : `${key} ${item.suffix}`
  })
  const written = node.bracketed ? `[${parts.join('; ')}]` : parts.join('; ')
  const result: Element = {
    type: 'element',
    tagName: 'span',
    properties: {
      className: [node.type === 'citation' ? 'citation' : 'cross-reference', 'unresolved'],
      dataCites: items.map((item) => item.key).join(' ')
    },
    children: [{type: 'text', value: written}]
  }
  state.patch(node, result)
  return result
}

/** mdast-util-to-hast's behaviour for unknown nodes (its default handler is not exported). */
function defaultUnknown(state: State, node: Nodes): ElementContent {
  const data = (node.data ?? {}) as Record<string, unknown>
  const result: ElementContent =
    'value' in node && typeof node.value === 'string' && !(own.call(data, 'hProperties') || own.call(data, 'hChildren'))
      ? {type: 'text', value: node.value}
      : {type: 'element', tagName: 'div', properties: {}, children: state.all(node)}
  state.patch(node, result)
  return state.applyData(node, result)
}

function hasClass(node: HastRootContent | ElementContent, name: string): boolean {
  if (node.type !== 'element') return false
  const className = node.properties.className
  return Array.isArray(className) && className.includes(name)
}

function containsReferences(node: HastRootContent | ElementContent): boolean {
  if (node.type !== 'element') return false
  if (hasClass(node, 'references') || node.properties.id === 'refs') return true
  return node.children.some(containsReferences)
}

const headingTag = /^h[1-6]$/

/**
 * remark-rehype appends the footnotes section at the very end; the PDF shows notes as endnotes,
 * which belong before the reference list (and before the heading that introduces it).
 */
export function placeFootnotesBeforeReferences(root: HastRoot): void {
  const footnotesIndex = root.children.findIndex(
    (child) => child.type === 'element' && child.tagName === 'section' && hasClass(child, 'footnotes')
  )
  if (footnotesIndex < 0) return
  const referencesIndex = root.children.findIndex(containsReferences)
  if (referencesIndex < 0 || referencesIndex > footnotesIndex) return
  const [footnotes] = root.children.splice(footnotesIndex, 1)
  let insertAt = referencesIndex
  let previous = insertAt - 1
  while (previous >= 0 && isWhitespace(root.children[previous])) previous -= 1
  const before = root.children[previous]
  if (previous >= 0 && before.type === 'element' && headingTag.test(before.tagName)) insertAt = previous
  root.children.splice(insertAt, 0, footnotes, {type: 'text', value: '\n'})
}

function isWhitespace(node: HastRootContent | undefined): boolean {
  return node !== undefined && node.type === 'text' && node.value.trim() === ''
}
