/** Small queries over a parsed HTML page, for the render tests. */
import type {Element, Nodes, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'

export function parsePage(html: string): Root {
  return fromHtml(html)
}

export function classesOf(element: Element): string[] {
  const className = element.properties.className
  return Array.isArray(className) ? className.map(String) : []
}

export function hasClass(element: Element, name: string): boolean {
  return classesOf(element).includes(name)
}

/** All elements in document order that satisfy `test`. */
export function findAll(tree: Nodes, test: (element: Element) => boolean): Element[] {
  const found: Element[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'element' && test(node)) found.push(node)
    if ('children' in node) for (const child of node.children) walk(child)
  }
  walk(tree)
  return found
}

export function findOne(tree: Nodes, test: (element: Element) => boolean): Element {
  const [first] = findAll(tree, test)
  if (!first) throw new Error('no element matches')
  return first
}

export function byId(tree: Nodes, id: string): Element {
  return findOne(tree, (element) => element.properties.id === id)
}

/** Text content with runs of whitespace collapsed. */
export function textOf(node: Nodes): string {
  const parts: string[] = []
  const walk = (current: Nodes) => {
    if (current.type === 'text') parts.push(current.value)
    if ('children' in current) for (const child of current.children) walk(child)
  }
  walk(node)
  return parts.join('').replace(/\s+/g, ' ').trim()
}

/** Element children only (no whitespace text). */
export function elementChildren(element: Element): Element[] {
  return element.children.filter((child): child is Element => child.type === 'element')
}
