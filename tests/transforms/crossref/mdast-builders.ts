/**
 * Small builders for hand-made mdast trees in transform tests. Every node gets a position on one line: `at(line,
 * column, length)`; builders take the position of the text they stand for, so diagnostics can be checked.
 */
import type {Heading, Image, InlineCode, Paragraph, PhrasingContent, Root, RootContent, Table, Text} from 'mdast'
import type {Position} from 'unist'
import type {Attributes, Citation, CitationItem, CitationMode, Figure, MathData} from '../../../pipeline/syntax/types.ts'

export function at(line: number, column: number, length = 1): Position {
  return {start: {line, column}, end: {line, column: column + length}}
}

/** A position with offsets, for a line that starts at `lineOffset` in the file. */
export function atOffset(line: number, column: number, length: number, lineOffset: number): Position {
  return {
    start: {line, column, offset: lineOffset + column - 1},
    end: {line, column: column + length, offset: lineOffset + column - 1 + length}
  }
}

export function root(...children: RootContent[]): Root {
  return {type: 'root', children, position: at(1, 1)}
}

export function paragraph(line: number, ...children: PhrasingContent[]): Paragraph {
  return {type: 'paragraph', children, position: at(line, 1, 10)}
}

export function text(value: string, position = at(1, 1, value.length)): Text {
  return {type: 'text', value, position}
}

export function heading(depth: 1 | 2 | 3 | 4 | 5 | 6, line: number, ...children: PhrasingContent[]): Heading {
  return {type: 'heading', depth, children, position: at(line, 1, 20)}
}

export function image(alt: string, url: string, position = at(1, 1, alt.length + url.length + 5)): Image {
  return {type: 'image', alt, url, position}
}

export function inlineCode(value: string, position = at(1, 1, value.length + 2)): InlineCode {
  return {type: 'inlineCode', value, position}
}

export function displayMath(value: string, position = at(1, 1, value.length + 4)): PhrasingContent {
  const data: MathData = {display: true}
  return {type: 'inlineMath', value, data, position}
}

export function inlineMath(value: string, position = at(1, 1, value.length + 2)): PhrasingContent {
  return {type: 'inlineMath', value, position}
}

/** `{#id .class key=value}` as the attributes parser makes it. */
export function attributes(source: string, position = at(1, 1, source.length + 2)): Attributes {
  const node: Attributes = {type: 'attributes', value: source, classes: [], attributes: {}, position}
  for (const part of source.trim().split(/\s+/).filter(Boolean)) {
    if (part === '-') node.classes.push('unnumbered')
    else if (part.startsWith('#')) node.id = part.slice(1)
    else if (part.startsWith('.')) node.classes.push(part.slice(1))
    else if (part.includes('=')) {
      const [key, value] = part.split('=')
      node.attributes[key] = value.replace(/^"|"$/g, '')
    }
  }
  return node
}

export interface ItemSpec {
  key: string
  mode?: CitationMode
  prefix?: string
  suffix?: string
  position?: Position
}

/** A citation of the given keys; each key string may carry `-` (suppress), and items are placed one after another. */
export function citation(bracketed: boolean, specs: Array<string | ItemSpec>, line = 1, column = 1): Citation {
  let cursor = column + (bracketed ? 1 : 0)
  const items: CitationItem[] = specs.map((spec) => {
    const given: ItemSpec = typeof spec === 'string' ? {key: spec.replace(/^-?@/, ''), mode: spec.startsWith('-') ? 'suppress-author' : undefined} : spec
    const length = given.key.length + 1 + (given.mode === 'suppress-author' ? 1 : 0)
    const keyPosition = given.position ?? at(line, cursor, length)
    const affix = (value: string | undefined): PhrasingContent[] => (value ? [{type: 'text', value}] : [])
    const item: CitationItem = {
      type: 'citationItem',
      key: given.key,
      mode: given.mode ?? (bracketed ? 'normal' : 'author-in-text'),
      keyPosition,
      children: [
        {type: 'citationPrefix', children: affix(given.prefix)},
        {type: 'citationSuffix', children: affix(given.suffix)}
      ],
      position: keyPosition
    }
    cursor += length + 2
    return item
  })
  // The last item is followed by no `; `, but by `]` when bracketed.
  const end = cursor - 2 + (bracketed ? 1 : 0)
  return {type: 'citation', bracketed, children: items, position: at(line, column, end - column)}
}

export function figure(kind: 'figure' | 'table', identifier: string | undefined, caption: string, line: number): Figure {
  const position = at(line, 1, caption.length + 10)
  const content: Image | Table =
    kind === 'figure'
      ? {type: 'image', url: 'x.png', alt: caption, position}
      : {type: 'table', children: [{type: 'tableRow', children: [{type: 'tableCell', children: [text('a', position)], position}], position}], position}
  const node: Figure = {type: 'figure', kind, children: [content, {type: 'figureCaption', children: [text(caption, position)], position}], position}
  if (identifier) node.identifier = identifier
  return node
}
