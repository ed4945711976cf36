/**
 * The title block of the first page, from the document's metadata: status line, title,
 * authors (name on one line; affiliation and e-mail on the next), date, abstract and keywords.
 */
import type {Element, ElementContent} from 'hast'
import type {DocumentMeta} from './document.ts'
import type {RenderLabels} from './to-hast.ts'

function element(tagName: string, className: string | undefined, children: ElementContent[], properties: Element['properties'] = {}): Element {
  return {
    type: 'element',
    tagName,
    properties: className ? {...properties, className: [className]} : properties,
    children
  }
}

function text(value: string): ElementContent {
  return {type: 'text', value}
}

/** Splits plain text into paragraphs at blank lines, joining the lines of each. */
export function plainParagraphs(value: string): string[] {
  return value
    .split(/\r?\n[ \t]*\r?\n/)
    .map((paragraph) => paragraph.replace(/\s+/g, ' ').trim())
    .filter((paragraph) => paragraph !== '')
}

export function titleBlock(meta: DocumentMeta, labels: RenderLabels): Element | undefined {
  const children: ElementContent[] = []
  if (meta.published?.trim()) children.push(element('p', 'published', [text(meta.published.trim())]))
  if (meta.title?.trim()) children.push(element('h1', 'title', [text(meta.title.trim())]))

  const authors = meta.authors.filter((author) => author.name.trim() !== '')
  if (authors.length > 0) {
    children.push(
      element(
        'div',
        'authors',
        authors.map((author) => {
          const details: ElementContent[] = []
          if (author.affiliation?.trim()) details.push(element('span', 'author-affiliation', [text(author.affiliation.trim())]))
          if (author.email?.trim()) {
            const email = author.email.trim()
            details.push(element('a', 'author-email', [text(email)], {href: `mailto:${email}`}))
          }
          const lines: ElementContent[] = [element('span', 'author-name', [text(author.name.trim())])]
          if (details.length > 0) lines.push(element('span', 'author-details', details))
          return element('div', 'author', lines)
        })
      )
    )
  }

  if (meta.date?.trim()) children.push(element('p', 'date', [text(meta.date.trim())]))

  const abstract = meta.abstract ? plainParagraphs(meta.abstract) : []
  if (abstract.length > 0) {
    children.push(
      element('section', 'abstract', [
        element('h2', 'abstract-title', [text(labels.abstract)]),
        ...abstract.map((paragraph) => element('p', undefined, [text(paragraph)]))
      ])
    )
  }

  const keywords = meta.keywords.map((keyword) => keyword.trim()).filter((keyword) => keyword !== '')
  if (keywords.length > 0) {
    children.push(
      element('p', 'keywords', [element('span', 'keywords-label', [text(`${labels.keywords}:`)]), text(` ${keywords.join(' · ')}`)])
    )
  }

  if (children.length === 0) return undefined
  return element('header', 'title-block', children)
}
