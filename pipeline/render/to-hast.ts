/**
 * mdast (after all transforms) to hast, through remark-rehype, with handlers for the node types
 * declared in pipeline/syntax/types.ts: numbered headings, figures and table floats, math with
 * equation numbers, inline notes. Nodes that carry `data.hName`/`hProperties`/`hChildren`
 * (citations and cross-references resolved by the transforms) go through mdast-util-to-hast's
 * default treatment of such data.
 */
import type {Element, ElementContent, Root as HastRoot, RootContent as HastRootContent, Text as HastText} from 'hast'
import type {Code, FootnoteDefinition, FootnoteReference, Heading, List, Nodes, Paragraph, PhrasingContent, Root, Text} from 'mdast'
import type {InlineMath, Math} from 'mdast-util-math'
import {defaultHandlers, type Handler, type State} from 'mdast-util-to-hast'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import type {VFile} from 'vfile'
import type {DerivedCache} from '../graph/derived-cache.ts'
import type {ProjectSession} from '../graph/project-session.ts'
import {table} from './table.ts'
import type {Attributes, Citation, CrossReference, DefList, DefListDescription, DefListTerm, Figure, HeadingData, InlineNote, LineBlock, MathData, RawBlock, RawInline, Span, Subscript, Superscript} from '../syntax/types.ts'
import {captionOf} from '../syntax/figure.ts'
import {createMathRenderer, type MathRenderer} from './math.ts'
import {isMathEnvironment, pageBreakCommands} from '../transforms/raw-tex.ts'
import type {ListNumberStyle} from '../syntax/pandoc-list/markers.ts'
import type {BlockRole, Formula, NoteCall, RenderedBlocks} from './rendered-blocks.ts'

/** Words the page shows around the author's text; change them for a manuscript not in English. */
export interface RenderLabels {
  figure: string
  table: string
  listing: string
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
  listing: 'Listing',
  captionSeparator: ': ',
  abstract: 'Abstract',
  keywords: 'Keywords',
  notes: 'Notes'
}

export interface ToHastOptions {
  labels: RenderLabels
  /** Receives diagnostics (formulas KaTeX cannot typeset); none are reported without it. */
  file?: VFile
  /** Keeps typeset formulas for the project's next build (watch mode). */
  session?: ProjectSession
  /** Keeps typeset formulas between processes. */
  cache?: DerivedCache
  /** The blocks the last conversion made (a watch session's): the blocks that did not change are not converted again. */
  blocks?: RenderedBlocks
}

declare module 'hast' {
  interface RootData {
    /** The body holds KaTeX's markup: its page needs KaTeX's CSS and fonts (a page without formulas carries neither). */
    typesetMath?: boolean
  }
}

const own = Object.prototype.hasOwnProperty

/** Converts the manuscript body; the footnotes section is placed before the references. */
export function manuscriptToHast(tree: Root, options: ToHastOptions): HastRoot {
  const typesetting = createMathRenderer(options.file, {session: options.session, cache: options.cache})
  let inlineNoteCount = 0
  // What the passes after the conversion have to do: most manuscripts have no Plain block and no table of contents.
  let plainCount = 0
  let tocCount = 0
  const {blocks} = options
  // The top-level block being converted, when blocks are kept: its note calls, and whether it can be kept (see
  // rendered-blocks.ts for what a kept block must not depend on).
  let converting: {calls: NoteCall[]; keep: boolean; formulas: Formula[]} | undefined
  const notKept = () => {
    if (converting) converting.keep = false
  }
  // A formula's HTML is its TeX's until a formula defines a macro; a block with formulas is kept only up to then.
  const math: MathRenderer = {
    ...typesetting,
    render(tex, display, node) {
      const formula = typesetting.render(tex, display, node)
      if (!typesetting.pure()) notKept()
      else converting?.formulas.push([tex, display])
      return formula
    }
  }

  const figure: Handler = (state, node: Figure) => {
    const content: ElementContent[] = []
    for (const child of node.children) {
      if (child.type === 'figureCaption') continue
      const converted = state.one(child, node)
      if (Array.isArray(converted)) content.push(...converted)
      else if (converted) content.push(converted as ElementContent)
    }
    const caption = captionContent(state, node, options.labels)
    const figcaption: Element | undefined =
      caption.length > 0 ? {type: 'element', tagName: 'figcaption', properties: {}, children: caption} : undefined
    const captionNode = captionOf(node)
    if (figcaption && captionNode) state.patch(captionNode, figcaption)
    // A table's and a listing's caption go above it (as pandoc and pandoc-crossref place them), a figure's below.
    const parts: ElementContent[] =
      node.kind === 'figure'
        ? [...content, ...(figcaption ? [figcaption] : [])]
        : [...(figcaption ? [figcaption] : []), ...content]
    const subfigures = node.children.some((child) => child.type === 'figure')
    const result: Element = {
      type: 'element',
      tagName: 'figure',
      properties: {id: node.identifier, className: [node.kind, ...(subfigures ? ['subfigures'] : [])]},
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
    notKept()
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

  const defList: Handler = (state, node: DefList) => element(state, node, 'dl', state.wrap(state.all(node), true))
  const defListTerm: Handler = (state, node: DefListTerm) => element(state, node, 'dt', state.all(node))
  // A tight definition shows its paragraphs' text without `<p>`, as pandoc's Plain blocks.
  const defListDescription: Handler = (state, node: DefListDescription) => {
    const blocks = state.all(node)
    if (node.spread) return element(state, node, 'dd', state.wrap(blocks, true))
    const children: ElementContent[] = []
    for (const block of blocks) {
      if (children.length > 0) children.push({type: 'text', value: '\n'})
      if (block.type === 'element' && block.tagName === 'p') children.push(...block.children)
      else children.push(block)
    }
    return element(state, node, 'dd', children)
  }

  // As pandoc writes lists: an ordered list's numbering is its `type` (`1`, `a`, `A`, `i`, `I`); a list of tasks is a `task-list` (on
  // `<ul>` only), its items without a class of their own.
  const list: Handler = (state, node: List) => {
    const result = defaultHandlers.list(state, node)
    if (node.ordered) {
      const style = node.data?.numberStyle ?? 'decimal'
      // pandoc writes no type for `#.` lists, and marks example lists with a class.
      if (style !== 'default') result.properties.type = listTypes[style]
      if (style === 'example') result.properties.className = ['example']
    }
    const className = result.properties.className
    if (Array.isArray(className) && className.includes('contains-task-list')) {
      result.properties.className = node.ordered ? undefined : ['task-list']
      for (const item of result.children) if (item.type === 'element') item.properties.className = undefined
    }
    return result
  }

  // Pandoc's `<div class="line-block">`, its lines separated by `<br />`.
  const lineBlock: Handler = (state, node: LineBlock) => {
    const children: ElementContent[] = []
    for (const line of node.children) {
      if (children.length > 0) children.push({type: 'element', tagName: 'br', properties: {}, children: []}, {type: 'text', value: '\n'})
      children.push(...state.all(line))
    }
    const result = element(state, node, 'div', children)
    result.properties.className = ['line-block']
    return result
  }
  // Raw content for another format (LaTeX, OpenXML) is left out, as pandoc leaves it out of HTML; of raw LaTeX only
  // page breaks and `\tableofcontents` have an effect here (`{=html}` content is already an `html` node).
  const rawBlock: Handler = (state, node: RawBlock) => {
    if (node.format !== 'tex' && node.format !== 'latex') return undefined
    const commands = node.commands ?? []
    let result: Element | undefined
    if (isMathEnvironment(node)) {
      // A paragraph holding display math, as pandoc writes it (and as `$$…$$` alone in a paragraph is).
      result = {type: 'element', tagName: 'p', properties: {}, children: [equation(state, math, node, node.value, true, {})]}
    } else if (commands.includes('tableofcontents')) {
      result = {type: 'element', tagName: 'nav', properties: {id: 'TOC', className: ['toc'], role: 'doc-toc'}, children: []}
      tocCount++
      notKept()
    } else if (commands.some((name) => pageBreakCommands.has(name))) result = {type: 'element', tagName: 'div', properties: {className: ['page-break']}, children: []}
    if (!result) return undefined
    state.patch(node, result)
    return result
  }
  const rawInline: Handler = (state, node: RawInline) => {
    if ((node.format !== 'tex' && node.format !== 'latex') || !isMathEnvironment(node)) return undefined
    return equation(state, math, node, node.value, true, {})
  }
  const superscript: Handler = (state, node: Superscript) => element(state, node, 'sup', state.all(node))
  const subscript: Handler = (state, node: Subscript) => element(state, node, 'sub', state.all(node))
  // pandoc writes a span's keys as `data-` attributes (HTML5), except the ones HTML knows.
  const span: Handler = (state, node: Span) => element(state, node, 'span', state.all(node), {id: node.identifier, className: node.classes.length > 0 ? node.classes : undefined, ...dataAttributes(node.attributes)})

  // As pandoc writes code blocks (without highlighting): identifier, classes and keys on the `<pre>`.
  // pandoc's Plain (text between block-level HTML tags): a `<p>` marked here, replaced by its content once the tree
  // is made (content returned as a list here would get line breaks between its inline parts).
  const paragraph: Handler = (state, node: Paragraph) => {
    const result = defaultHandlers.paragraph(state, node)
    if (node.data?.plain) {
      plainParagraphs.add(result)
      plainCount++
      notKept()
    }
    return result
  }

  const code: Handler = (state, node: Code) => {
    const data = (node.data ?? {}) as {id?: string; classes?: string[]; attributes?: Record<string, string>}
    const inner: Element = {type: 'element', tagName: 'code', properties: {}, children: [{type: 'text', value: node.value}]}
    const properties = {id: data.id, className: data.classes && data.classes.length > 0 ? data.classes : undefined, ...dataAttributes(data.attributes ?? {})}
    const result: Element = {type: 'element', tagName: 'pre', properties, children: [inner]}
    state.patch(node, result)
    return result
  }

  // As mdast-util-to-hast's, which trims spaces and tabs around each line ending: a text on one line (most) is kept as it is.
  const text: Handler = (state, node: Text) => {
    const value = String(node.value)
    if (value.includes('\n') || value.includes('\r')) return defaultHandlers.text(state, node)
    const result: HastText = {type: 'text', value}
    state.patch(node, result)
    return state.applyData(node, result)
  }

  // A call's number depends on the notes before it: a kept block's calls are checked when it is reused.
  const footnoteReference: Handler = (state, node: FootnoteReference) => {
    const result = defaultHandlers.footnoteReference(state, node)
    if (converting) {
      const id = String(node.identifier).toUpperCase()
      converting.calls.push({id, number: state.footnoteOrder.indexOf(id) + 1, call: state.footnoteCounts.get(id) ?? 0})
    }
    return result
  }
  // What these give depends on a definition elsewhere in the document.
  const linkReference: Handler = (state, node) => {
    notKept()
    return defaultHandlers.linkReference(state, node)
  }
  const imageReference: Handler = (state, node) => {
    notKept()
    return defaultHandlers.imageReference(state, node)
  }

  // The document's blocks, each one converted again only when it is not the same as in the last conversion; so are
  // the notes' contents, which mdast-util-to-hast's notes section converts (with state.all) after the body.
  // (A handler's type is for element content; the root's gives a root, as mdast-util-to-hast's own does.)
  const root: Handler = (state, node: Root) => {
    const all = state.all
    state.all = (parent) => (parent.type === 'footnoteDefinition' ? noteContent(block(state, parent, 'note', () => all(parent)) as ElementContent[]) : all(parent))
    const values: ElementContent[] = []
    for (const child of node.children) {
      // Definitions are converted where they are used (mdast-util-to-hast ignores them here).
      if (child.type === 'definition' || child.type === 'footnoteDefinition') continue
      const result = block(state, child, 'body', () => state.one(child, node))
      if (Array.isArray(result)) values.push(...result)
      else if (result) values.push(result)
    }
    const result: HastRoot = {type: 'root', children: state.wrap(values)}
    state.patch(node, result)
    return state.applyData(node, result) as unknown as ElementContent
  }
  const block = (state: State, child: Root['children'][number], role: BlockRole, convert: () => ReturnType<State['one']>): ElementContent | ElementContent[] | undefined => {
    const kept = blocks!.reuse(child, role, state, typesetting.pure())
    if (kept) {
      for (const [tex, display] of kept.formulas) typesetting.reused(tex, display)
      return kept.hast
    }
    const reported = options.file?.messages.length ?? 0
    converting = {calls: [], keep: true, formulas: []}
    const result = convert() as ElementContent | ElementContent[] | undefined
    const made = converting
    converting = undefined
    blocks!.converted(child, role, made.keep && result && (options.file?.messages.length ?? 0) === reported ? result : undefined, made.calls, made.formulas)
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
    handlers: {text, figure, heading, inlineMath, math: mathBlock, inlineNote, attributes, table, defList, defListTerm, defListDescription, lineBlock, list, paragraph, rawBlock, rawInline, superscript, subscript, span, code, ...(blocks ? {root, footnoteReference, linkReference, imageReference} : {})},
    unknownHandler
  })
  // Kept blocks are for conversions with the same labels, reporting (or not) as this one does.
  blocks?.start(JSON.stringify([options.labels, options.file !== undefined]))
  const hast = processor.runSync(tree, options.file)
  blocks?.finish()
  typesetting.save()
  if (typesetting.typesetAny()) hast.data = {...hast.data, typesetMath: true}
  placeFootnotesBeforeReferences(hast, blocks)
  if (plainCount > 0) unwrapPlainParagraphs(hast)
  // A table of contents is only ever made by `\tableofcontents` (rawBlock above).
  if (tocCount > 0) fillTablesOfContents(hast)
  return hast
}

function element(state: State, node: Nodes, tagName: string, children: ElementContent[], properties: Element['properties'] = {}): Element {
  const result: Element = {type: 'element', tagName, properties, children}
  state.patch(node, result)
  return state.applyData(node, result)
}

/**
 * A note's content for mdast-util-to-hast's notes section, which adds the links back to the calls to the content's
 * last paragraph (or after it): a copy of the list, of that paragraph and of its last text, so that a kept content
 * stays as it was converted.
 */
function noteContent(content: ElementContent[]): ElementContent[] {
  const tail = content[content.length - 1]
  if (tail?.type !== 'element' || tail.tagName !== 'p') return [...content]
  const children = [...tail.children]
  const last = children[children.length - 1]
  if (last?.type === 'text') children[children.length - 1] = {...last}
  return [...content.slice(0, -1), {...tail, children}]
}

/** `<p>` elements made for pandoc's Plain blocks. */
const plainParagraphs = new WeakSet<Element>()

/** Paragraphs made for Plain blocks give way to their content. */
function unwrapPlainParagraphs(node: HastRoot | Element): void {
  if (!node.children.some((child) => child.type === 'element')) return
  const children: Array<HastRootContent | ElementContent> = []
  for (const child of node.children) {
    if (child.type !== 'element') {
      children.push(child)
      continue
    }
    unwrapPlainParagraphs(child)
    if (plainParagraphs.has(child)) children.push(...child.children)
    else children.push(child)
  }
  node.children = children as typeof node.children
}

/** Each `\tableofcontents` lists the headings of levels 1–3 that have an id, nested by level, as links. */
function fillTablesOfContents(root: HastRoot): void {
  const tables: Element[] = []
  const headings: Array<{level: number; id: string; children: ElementContent[]}> = []
  const visit = (node: HastRootContent | ElementContent): void => {
    if (node.type !== 'element') return
    if (node.tagName === 'nav' && hasClass(node, 'toc')) {
      tables.push(node)
      return
    }
    const level = /^h([1-3])$/.exec(node.tagName)?.[1]
    if (level && typeof node.properties.id === 'string' && !hasClass(node, 'footnotes-title')) {
      headings.push({level: Number(level), id: node.properties.id, children: structuredClone(node.children)})
    }
    for (const child of node.children) visit(child)
  }
  for (const child of root.children) visit(child)
  if (tables.length === 0 || headings.length === 0) return
  for (const table of tables) table.children = [tocList(headings, 0, headings.length)]
}

/** The headings from `start` to `end` as a list: each item holds the deeper headings that follow it. */
function tocList(headings: Array<{level: number; id: string; children: ElementContent[]}>, start: number, end: number): Element {
  const items: Element[] = []
  let index = start
  while (index < end) {
    const heading = headings[index]
    let next = index + 1
    while (next < end && headings[next].level > heading.level) next++
    const link: Element = {type: 'element', tagName: 'a', properties: {href: `#${heading.id}`}, children: heading.children}
    items.push({type: 'element', tagName: 'li', properties: {}, children: next > index + 1 ? [link, tocList(headings, index + 1, next)] : [link]})
    index = next
  }
  return {type: 'element', tagName: 'ul', properties: {}, children: items}
}

/** Attributes HTML knows keep their names; others become `data-` attributes, as pandoc writes them. */
export function dataAttributes(attributes: Record<string, string>): Record<string, string> {
  const known = /^(data-.*|aria-.*|title|lang|dir|style|width|height|role|hidden|tabindex|translate)$/
  return Object.fromEntries(Object.entries(attributes).map(([key, value]) => [known.test(key) ? key : `data-${key}`, value]))
}

/** The crossref transform may already have put `Figure 1:` in front of the caption, as a `caption-label`. */
function hasCaptionLabel(node: Figure): boolean {
  const hProperties = captionOf(node)?.children[0]?.data?.hProperties as {className?: unknown} | undefined
  const className = hProperties?.className
  return Array.isArray(className) && className.includes('caption-label')
}

function captionContent(state: State, node: Figure, labels: RenderLabels): ElementContent[] {
  const caption = captionOf(node)
  const text = caption && caption.children.length > 0 ? state.all(caption) : []
  if (!node.number || hasCaptionLabel(node)) return text
  const labelWord = node.kind === 'table' ? labels.table : node.kind === 'listing' ? labels.listing : labels.figure
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

/** A citation no transform resolved: shown as written (its affixes rendered), so that nothing silently disappears. */
function unresolvedCitation(state: State, node: Citation | CrossReference): Element {
  const items =
    node.type === 'citation'
      ? node.children.map((item) => ({prefix: item.children[0].children, key: item.key, suppress: item.mode === 'suppress-author', suffix: item.children[1].children}))
      : node.items.map((item) => ({prefix: item.prefix, key: item.label, suppress: item.suppressPrefix, suffix: item.suffix}))
  const children: ElementContent[] = []
  const textOf = (value: string): void => {
    const last = children[children.length - 1]
    if (last?.type === 'text') last.value += value
    else children.push({type: 'text', value})
  }
  const phrasing = (nodes: PhrasingContent[]): void => {
    for (const child of nodes) {
      const result = state.one(child, undefined)
      for (const each of Array.isArray(result) ? result : result ? [result] : []) {
        if (each.type === 'text') textOf(each.value)
        else if (each.type === 'element' || each.type === 'raw' || each.type === 'comment') children.push(each as ElementContent)
      }
    }
  }
  if (node.bracketed) textOf('[')
  items.forEach((item, index) => {
    if (index > 0) textOf('; ')
    if (item.prefix.length > 0) {
      phrasing(item.prefix)
      textOf(' ')
    }
    textOf(`${item.suppress ? '-' : ''}@${item.key}`)
    if (item.suffix.length === 0) return
    const first = item.suffix[0]
    // A suffix starting with punctuation (`, p. 3`) follows the key directly; a word gets a space.
    if (!node.bracketed) textOf(' [')
    else if (!(first.type === 'text' && /^[,;:.]/.test(first.value))) textOf(' ')
    phrasing(item.suffix)
    if (!node.bracketed) textOf(']')
  })
  if (node.bracketed) textOf(']')
  const result: Element = {
    type: 'element',
    tagName: 'span',
    properties: {
      className: [node.type === 'citation' ? 'citation' : 'cross-reference', 'unresolved'],
      dataCites: items.map((item) => item.key).join(' ')
    },
    children
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
      : {type: 'element', tagName: 'div', properties: {}, children: own.call(data, 'hChildren') ? [] : state.all(node)}
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
export function placeFootnotesBeforeReferences(root: HastRoot, blocks?: RenderedBlocks): void {
  const footnotesIndex = root.children.findIndex(
    (child) => child.type === 'element' && child.tagName === 'section' && hasClass(child, 'footnotes')
  )
  if (footnotesIndex < 0) return
  // Searched through the whole body before the references: a kept block's answer is kept with it.
  const referencesIndex = root.children.findIndex((child) => (blocks ? blocks.holdsReferences(child, containsReferences) : containsReferences(child)))
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

/** HTML's `<ol type>` for each of pandoc's numbering styles. */
const listTypes: Record<ListNumberStyle, string> = {default: '1', decimal: '1', example: '1', lowerAlpha: 'a', upperAlpha: 'A', lowerRoman: 'i', upperRoman: 'I'}
