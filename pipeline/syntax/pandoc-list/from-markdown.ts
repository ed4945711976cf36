/**
 * mdast-util-from-markdown handlers for pandoc's lists: an ordered list's first marker gives its `start` and its
 * numbering (`data.numberStyle`, `data.numberDelimiter`), an example item its label (`data.exampleLabel`), all read
 * from the `listItemValue` token (./syntax.ts). Two tree transforms then make lists as pandoc reads them:
 *
 * - an HTML comment right under an item's last line, followed directly by the next item (`<!--` … `- two` … `-->`,
 *   a commented-out item), is part of that item's paragraph, as in pandoc, where a comment does not end a
 *   paragraph; the list goes on after it;
 * - a list is loose (its items' paragraphs are `<p>`) when pandoc makes it so, not by CommonMark's rule: pandoc
 *   reads a paragraph followed by a blank line (or by a fenced code block) as a paragraph, any other as plain text,
 *   and then makes a list whose only such paragraph ends its last item tight, and every other list with one loose.
 *   So a blank line after a sublist (`- a` / `  - b` / blank / `- c`) leaves `a` tight, as pandoc does.
 */
import type {Html, List, ListItem, Nodes, Paragraph, Parent, Root, RootContent} from 'mdast'
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'

export function pandocListFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {listItemValue: enterListItemValue},
    transforms: [keepCommentedOutItems, pandocTightness]
  }
}

function enterListItemValue(this: CompileContext, token: Token): undefined {
  const marker = token._listMarker
  const item = this.stack[this.stack.length - 1] as unknown as ListItem
  if (marker?.exampleLabel !== undefined && item.type === 'listItem') (item.data ??= {}).exampleLabel = marker.exampleLabel
  if (!this.data.expectingFirstListItemValue) return
  const list = this.stack[this.stack.length - 2] as unknown as List
  list.start = marker ? marker.number : Number.parseInt(this.sliceSerialize(token), 10)
  if (marker) list.data = {...list.data, numberStyle: marker.style, numberDelimiter: marker.delimiter}
  this.data.expectingFirstListItemValue = undefined
}

/** Every parent in the tree, children before their parents' later siblings (a loop over a stack: any depth is safe). */
function* parents(tree: Root): Generator<Parent> {
  const pending: Parent[] = [tree]
  while (pending.length > 0) {
    const parent = pending.pop()!
    yield parent
    for (const child of parent.children as Nodes[]) if ('children' in child) pending.push(child as Parent)
  }
}

function keepCommentedOutItems(tree: Root): undefined {
  for (const parent of parents(tree)) {
    const children = parent.children as RootContent[]
    if (!children.some((child) => child.type === 'html')) continue
    // One pass building the new children (splicing in place would shift the rest once per comment).
    const kept: RootContent[] = []
    for (let index = 0; index < children.length; index++) {
      const list = kept.at(-1)
      const comment = children[index]
      const next = children[index + 1]
      if (list?.type === 'list' && comment.type === 'html' && next?.type === 'list' && continuesItem(list, comment) && sameKind(list, next) && directlyAfter(comment, next)) {
        const paragraph = list.children[list.children.length - 1].children.at(-1) as Paragraph
        paragraph.children.push({type: 'text', value: '\n'}, {type: 'html', value: comment.value, position: comment.position, data: comment.data})
        if (paragraph.position && comment.position) paragraph.position = {start: paragraph.position.start, end: comment.position.end}
        list.children.push(...next.children)
        if (list.position && next.position) list.position = {start: list.position.start, end: next.position.end}
        index++
        continue
      }
      kept.push(comment)
    }
    parent.children = kept as never
  }
}

/** `comment` is an HTML comment on the line right after the last line of the list's last item, a paragraph. */
function continuesItem(list: List, comment: Html): boolean {
  const last = list.children.at(-1)?.children.at(-1)
  return last?.type === 'paragraph' && comment.value.startsWith('<!--') && directlyAfter(last, comment)
}

function directlyAfter(before: Nodes, after: Nodes): boolean {
  return before.position !== undefined && after.position !== undefined && after.position.start.line === before.position.end.line + 1
}

function sameKind(list: List, next: List): boolean {
  if (Boolean(list.ordered) !== Boolean(next.ordered)) return false
  if (!list.ordered) return true
  return list.data?.numberStyle === next.data?.numberStyle && list.data?.numberDelimiter === next.data?.numberDelimiter
}

function pandocTightness(tree: Root): undefined {
  for (const parent of parents(tree)) {
    if (parent.type !== 'list') continue
    const list = parent as List
    const loose = list.children.some((item, itemIndex) => item.children.some((child, childIndex) => {
      const lastOfList = itemIndex === list.children.length - 1 && childIndex === item.children.length - 1
      return !lastOfList && child.type === 'paragraph' && endsWithBlankLine(child, item.children[childIndex + 1] ?? list.children[itemIndex + 1])
    }))
    list.spread = loose
    for (const item of list.children) item.spread = loose
  }
}

/** What pandoc reads as a paragraph, not plain text: a blank line after it, or a fenced code block right under it. */
function endsWithBlankLine(paragraph: Nodes, next: Nodes | undefined): boolean {
  if (!paragraph.position || !next?.position) return false
  const gap = next.position.start.line - paragraph.position.end.line
  return gap > 1 || (gap === 1 && next.type === 'code')
}
