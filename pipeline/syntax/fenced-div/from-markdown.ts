/**
 * mdast-util-from-markdown handlers turning `fencedDiv` and `nativeDiv` tokens into `div` nodes (see `Div` in
 * ../types.ts). The node's `data` makes mdast-util-to-hast render `<div id=… class=…>` and lets the citations
 * transform find `::: {#refs}`. Positions come from the tokens: a div starts at its opening fence or tag and ends
 * at its closing one; an unclosed fenced div ends with its last child (or its opening fence, when empty).
 */
import type {Html, Nodes, Parent} from 'mdast'
import type {CompileContext, Extension, Token} from 'mdast-util-from-markdown'
import {decodeString} from 'micromark-util-decode-string'
import type {Point} from 'unist'
import {attributesFromMarkdown} from '../attributes/from-markdown.ts'
import type {Attributes, Div} from '../types.ts'
import {indentedClosingTags} from './syntax.ts'

/** Parsing state of one open div node. */
interface DivProgress {
  /** The opening fence or tag has been read. */
  opened: boolean
  /** End of the opening fence or tag. */
  openingEnd?: Point
  /** End of the closing fence or tag, when there was one. */
  closingEnd?: Point
  /** The `<div …>` source, to give an unclosed native div back as raw HTML. */
  openingTag?: {value: string; token: Token}
}

/**
 * Attributes that pandoc's HTML writer keeps as they are on a div; any other key becomes `data-key`, as pandoc
 * does for keys that are not HTML attributes.
 */
const htmlAttributes = new Set([
  'accesskey', 'autocapitalize', 'autofocus', 'contenteditable', 'dir', 'draggable', 'enterkeyhint', 'height',
  'hidden', 'inert', 'inputmode', 'is', 'itemid', 'itemprop', 'itemref', 'itemscope', 'itemtype', 'lang', 'nonce',
  'popover', 'role', 'slot', 'spellcheck', 'style', 'tabindex', 'title', 'translate', 'width'
])

/**
 * The from-markdown extension: register with
 * `fromMarkdown(doc, {extensions: [fencedDiv()], mdastExtensions: [fencedDivFromMarkdown()]})`.
 * It includes the attribute-block handlers, which turn the `{…}` of an opening fence into a temporary `attributes`
 * child that the fence handler then folds into the div.
 */
export function fencedDivFromMarkdown(): Extension[] {
  const progress = new WeakMap<Div, DivProgress>()
  let pendingName = ''
  let pendingValue = ''

  function currentDiv(context: CompileContext): Div {
    const node = context.stack[context.stack.length - 1]
    if (!node || node.type !== 'div') {
      throw new Error('Expected a `div` node on the stack (the fenced-div syntax extension is missing)')
    }
    return node
  }

  function enterDiv(this: CompileContext, token: Token): undefined {
    const node: Div = {type: 'div', classes: [], attributes: {}, children: []}
    progress.set(node, {opened: false})
    this.enter(node, token)
  }

  /** The opening fence or tag is read first; a second one is the closing line. */
  function exitFenceOrTag(this: CompileContext, token: Token): undefined {
    const node = currentDiv(this)
    const state = progress.get(node)
    if (!state) return
    if (state.opened) {
      state.closingEnd = pointOf(token.end)
      const last = node.children[node.children.length - 1]
      if (indentedClosingTags.has(token) && last?.type === 'paragraph' && last.position?.end.line === token.start.line - 1) last.data = {...last.data, plain: true}
      return
    }
    state.opened = true
    state.openingEnd = pointOf(token.end)
    if (token.type === 'nativeDivTag') state.openingTag = {value: this.sliceSerialize(token), token}
    const last = node.children[node.children.length - 1] as Nodes | undefined
    if (last?.type === 'attributes') {
      node.children.pop()
      applyAttributes(node, last)
    }
  }

  function exitClass(this: CompileContext, token: Token): undefined {
    currentDiv(this).classes.push(this.sliceSerialize(token))
  }

  function enterNativeAttribute(): undefined {
    pendingName = ''
    pendingValue = ''
  }

  function exitNativeAttributeName(this: CompileContext, token: Token): undefined {
    pendingName = this.sliceSerialize(token).toLowerCase()
  }

  function exitNativeAttributeValue(this: CompileContext, token: Token): undefined {
    // HTML has character references but no backslash escapes: keep backslashes from being read as escapes.
    pendingValue = decodeString(this.sliceSerialize(token).replaceAll('\\', '&#92;'))
  }

  function exitNativeAttribute(this: CompileContext): undefined {
    const node = currentDiv(this)
    if (pendingName === 'id') node.identifier = pendingValue
    else if (pendingName === 'class') node.classes.push(...pendingValue.split(/\s+/).filter(Boolean))
    else node.attributes[pendingName] = pendingValue
  }

  function exitDiv(this: CompileContext, token: Token): undefined {
    const node = currentDiv(this)
    const state = progress.get(node)
    this.exit(token)
    if (!node.position || !state) return
    const lastChild = node.children[node.children.length - 1]
    const end = state.closingEnd ?? lastChild?.position?.end ?? state.openingEnd
    if (end) node.position.end = {...end}
    node.data = {...node.data, ...divData(node)}
    // pandoc: a `<div>` without `</div>` is raw HTML followed by its content, not a div.
    if (token.type === 'nativeDiv' && !state.closingEnd && state.openingTag) {
      const parent = this.stack[this.stack.length - 1] as Parent
      const {value, token: tagToken} = state.openingTag
      const html: Html = {type: 'html', value, position: {start: pointOf(tagToken.start), end: pointOf(tagToken.end)}}
      parent.children.splice(parent.children.length - 1, 1, html, ...node.children)
    }
  }

  return [
    attributesFromMarkdown(),
    {
      enter: {fencedDiv: enterDiv, nativeDiv: enterDiv, nativeDivAttribute: enterNativeAttribute},
      exit: {
        fencedDiv: exitDiv,
        nativeDiv: exitDiv,
        fencedDivFence: exitFenceOrTag,
        nativeDivTag: exitFenceOrTag,
        fencedDivClass: exitClass,
        nativeDivAttributeName: exitNativeAttributeName,
        nativeDivAttributeValue: exitNativeAttributeValue,
        nativeDivAttribute: exitNativeAttribute
      }
    }
  ]
}

function applyAttributes(node: Div, attributes: Attributes): void {
  if (attributes.id !== undefined) node.identifier = attributes.id
  node.classes.push(...attributes.classes)
  Object.assign(node.attributes, attributes.attributes)
}

/** `data` for mdast-util-to-hast and for transforms that look for an element id (`#refs`). */
function divData(node: Div): NonNullable<Div['data']> {
  const properties: Record<string, string | string[]> = {}
  if (node.identifier !== undefined) properties.id = node.identifier
  if (node.classes.length > 0) properties.className = [...node.classes]
  for (const [key, value] of Object.entries(node.attributes)) {
    const name = key.toLowerCase()
    properties[htmlAttributes.has(name) || name.startsWith('data-') || name.startsWith('aria-') ? key : `data-${key}`] = value
  }
  return {...(node.identifier === undefined ? {} : {id: node.identifier}), hName: 'div', hProperties: properties}
}

function pointOf(point: {line: number; column: number; offset: number}): Point {
  return {line: point.line, column: point.column, offset: point.offset}
}
