/**
 * mdast-util-to-markdown handler for items of pandoc's ordered lists: an item is written with its list's marker
 * style and delimiter (`c)`, `(iv)`, `#.`, `(@good)`), numbered from the list's start, so a tree read from pandoc's
 * Markdown is written back as it was read. Items of bullet lists and of plain `1.` lists are mdast's.
 */
import type {ListItem, Parents} from 'mdast'
import {defaultHandlers, type Info, type Options as ToMarkdownExtension, type State} from 'mdast-util-to-markdown'
import {markerValue} from './markers.ts'

export function pandocListToMarkdown(): ToMarkdownExtension {
  return {handlers: {listItem}}
}

function listItem(node: ListItem, parent: Parents | undefined, state: State, info: Info): string {
  const style = parent?.type === 'list' && parent.ordered ? parent.data?.numberStyle : undefined
  if (parent?.type !== 'list' || style === undefined || (style === 'decimal' && parent.data?.numberDelimiter === 'period')) return defaultHandlers.listItem(node, parent, state, info)
  const number = (parent.start ?? 1) + parent.children.indexOf(node)
  const value = style === 'example' ? `@${node.data?.exampleLabel ?? ''}` : markerValue(style, number)
  const delimiter = parent.data?.numberDelimiter
  const bullet = delimiter === 'twoParens' ? `(${value})` : `${value}${delimiter === 'oneParen' ? ')' : '.'}`
  // Two spaces after a capital and a period, which pandoc would otherwise read as a name (`B. Russell`).
  const size = bullet.length + (/^[A-Z]+\.$/.test(bullet) ? 2 : 1)
  const tracker = state.createTracker(info)
  tracker.move(bullet + ' '.repeat(size - bullet.length))
  tracker.shift(size)
  const exit = state.enter('listItem')
  const text = state.indentLines(state.containerFlow(node, tracker.current()), (line, index, blank) => {
    if (index) return (blank ? '' : ' '.repeat(size)) + line
    return (blank ? bullet : bullet + ' '.repeat(size - bullet.length)) + line
  })
  exit()
  return text
}
