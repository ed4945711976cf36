/**
 * mdast-util-from-markdown handlers: a `definitionDescription` token becomes a `defListDescription` node (`spread`
 * when loose), with the position of its tokens. A tree transform then gathers each term (the one-line paragraph
 * before a definition) and its definitions into a `defList` of `defListTerm` and `defListDescription` nodes,
 * consecutive terms with their definitions into one list, as pandoc does.
 */
import type {Nodes, Paragraph, Parent, Root} from 'mdast'
import type {CompileContext, Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Token} from 'micromark-util-types'
import type {DefList, DefListDescription, DefListTerm} from '../types.ts'

export function definitionListFromMarkdown(): FromMarkdownExtension {
  return {
    enter: {definitionDescription: enterDescription},
    exit: {definitionDescription: exitDescription},
    transforms: [gatherDefinitionLists]
  }
}

function enterDescription(this: CompileContext, token: Token): undefined {
  const node: DefListDescription = {type: 'defListDescription', spread: false, children: []}
  this.enter(node as never, token)
}

function exitDescription(this: CompileContext, token: Token): undefined {
  const node = this.stack[this.stack.length - 1] as unknown as DefListDescription
  node.spread = token._spread === true
  this.exit(token)
}

/** One pass over the tree (a loop over a stack of parents, any depth is safe). */
function gatherDefinitionLists(tree: Root): void {
  const pending: Parent[] = [tree]
  while (pending.length > 0) {
    const parent = pending.pop()!
    const children = parent.children as Nodes[]
    if (parent.type !== 'defList' && children.some((child) => child.type === 'defListDescription')) parent.children = gather(children) as never
    for (const child of parent.children as Nodes[]) {
      if ('children' in child && child.type !== 'paragraph' && child.type !== 'heading') pending.push(child as Parent)
    }
  }
}

function gather(children: Nodes[]): Nodes[] {
  const result: Nodes[] = []
  let list: DefList | undefined
  for (let index = 0; index < children.length; index++) {
    const child = children[index]
    const next = children[index + 1]
    if (child.type === 'paragraph' && next?.type === 'defListDescription') {
      list = list ?? openList(result, child)
      list.children.push(term(child))
      continue
    }
    if (child.type === 'defListDescription') {
      // A definition with nothing before it that pandoc would read as its term (it opened after a container ended).
      list = list ?? openList(result, child)
      list.children.push(child)
      if (list.position && child.position) list.position.end = child.position.end
      continue
    }
    list = undefined
    result.push(child)
  }
  return result
}

function openList(result: Nodes[], first: Nodes): DefList {
  const list: DefList = {type: 'defList', children: [], position: first.position && {start: first.position.start, end: first.position.end}}
  result.push(list as never)
  return list
}

function term(paragraph: Paragraph): DefListTerm {
  return {type: 'defListTerm', children: paragraph.children, position: paragraph.position, data: paragraph.data}
}
