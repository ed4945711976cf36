/**
 * Lists of figures, tables and listings, as pandoc-crossref makes them: where `\listoffigures`, `\listoftables` or
 * `\listoflistings` is written (raw TeX, see ../raw-tex.ts), and at the start of the document when the front matter
 * says `lof: true`, `lot: true` or `lol: true`. Each list is a heading (`lofTitle` …) and one entry per numbered
 * float, in document order: its number, linked to it, and its caption's text. A list with no entries is left out.
 */
import type {Heading, List, ListItem, PhrasingContent, Root, RootContent} from 'mdast'
import {captionOf} from '../../syntax/figure.ts'
import type {Div, Figure, RawBlock} from '../../syntax/types.ts'
import {walk} from '../../syntax/walk.ts'
import type {CrossrefOptions} from './options.ts'

type ListKind = 'figure' | 'table' | 'listing'

const commands: Record<string, ListKind> = {listoffigures: 'figure', listoftables: 'table', listoflistings: 'listing'}

/** Replace each `\listof…` block by its list and add the lists the front matter asks for. `floats`: the numbered floats in order. */
export function listsOfFloatsTransform(tree: Root, floats: Figure[], options: CrossrefOptions): void {
  walk(tree, 'rawBlock', (node: RawBlock, index, parent) => {
    if (!parent || index === undefined || (node.format !== 'tex' && node.format !== 'latex')) return undefined
    const kinds = (node.commands ?? []).map((name) => commands[name]).filter((kind): kind is ListKind => kind !== undefined)
    if (kinds.length === 0 || kinds.length !== node.commands?.length) return undefined
    const lists = kinds.flatMap((kind) => listOf(kind, floats, options, node) ?? [])
    // A document with nothing to list keeps the command, which the page leaves out (as pandoc without pandoc-crossref does).
    if (lists.length === 0) return undefined
    ;(parent.children as RootContent[]).splice(index, 1, ...lists)
    return index + lists.length
  })
  const asked = (['figure', 'table', 'listing'] as const).filter((kind) => (kind === 'figure' ? options.lof : kind === 'table' ? options.lot : options.lol))
  if (asked.length === 0) return
  let at = 0
  while (at < tree.children.length && tree.children[at].type === 'yaml') at++
  tree.children.splice(at, 0, ...asked.flatMap((kind) => listOf(kind, floats, options) ?? []))
}

/** The list of the floats of one kind; undefined when there are none. */
function listOf(kind: ListKind, floats: Figure[], options: CrossrefOptions, written?: RawBlock): Div | undefined {
  const listed = floats.filter((figure) => figure.kind === kind)
  if (listed.length === 0) return undefined
  const title = kind === 'figure' ? options.lofTitle : kind === 'table' ? options.lotTitle : options.lolTitle
  const sourceFile = written?.data?.sourceFile
  const place = {...(written?.position ? {position: written.position} : {}), ...(sourceFile ? {data: {sourceFile}} : {})}
  const heading: Heading = {
    type: 'heading',
    depth: 1,
    children: [{type: 'text', value: title, ...place}],
    ...place,
    data: {unnumbered: true, ...(sourceFile ? {sourceFile} : {})} as Heading['data']
  }
  const items: ListItem[] = listed.map((figure) => ({type: 'listItem', spread: false, children: [{type: 'paragraph', children: entryOf(figure)}]}))
  const list: List = {type: 'list', ordered: false, spread: false, children: items, data: {hProperties: {className: ['list-of-entries']}}}
  const className = `list-of-${kind === 'figure' ? 'figures' : kind === 'table' ? 'tables' : 'listings'}`
  return {
    type: 'div',
    classes: ['list-of', className],
    attributes: {},
    children: [heading, list],
    ...place,
    data: {hName: 'div', hProperties: {className: ['list-of', className]}, ...(sourceFile ? {sourceFile} : {})}
  }
}

/** `1` linked to the float, then its caption without its label; notes and citations stay where they were written. */
function entryOf(figure: Figure): PhrasingContent[] {
  const number: PhrasingContent = {type: 'link', url: `#${figure.identifier ?? ''}`, children: [{type: 'text', value: figure.number ?? ''}]}
  const caption = captionOf(figure)?.children ?? []
  const text = structuredClone(caption.filter((node, index) => !isLabel(node) && !(index === 1 && isLabel(caption[0]) && node.type === 'text' && node.value === ' ')))
  const shown = text.flatMap(withoutNotes)
  // An unlabelled subfigure has no target of its own: its number is plain text.
  return [figure.identifier ? number : {type: 'text', value: figure.number ?? ''}, {type: 'text', value: ' '}, ...shown]
}

function isLabel(node: PhrasingContent | undefined): boolean {
  const className = node?.data?.hProperties?.className
  return Array.isArray(className) && className.includes('caption-label')
}

/** A copy of a caption's note or citation would be a second note or citation: left out of the list. */
function withoutNotes(node: PhrasingContent): PhrasingContent[] {
  if (node.type === 'footnoteReference' || node.type === 'inlineNote' || node.type === 'citation') return []
  if ('children' in node && Array.isArray(node.children)) {
    return [{...node, children: (node.children as PhrasingContent[]).flatMap(withoutNotes)} as PhrasingContent]
  }
  return [node]
}
