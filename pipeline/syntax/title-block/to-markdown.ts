/**
 * mdast-util-to-markdown handler: a `titleBlock` written back as its `%` lines (a title's further lines and
 * authors after the first on indented continuation lines), so trees round-trip.
 */
import type {Options as ToMarkdownExtension} from 'mdast-util-to-markdown'
import type {TitleBlock} from '../types.ts'

export function titleBlockToMarkdown(): ToMarkdownExtension {
  return {handlers: {titleBlock: handleTitleBlock} as never}
}

function handleTitleBlock(node: TitleBlock): string {
  const values = (field: 'title' | 'author' | 'date') => node.children.filter((child) => child.field === field).map((child) => child.value)
  const [title = ''] = values('title')
  const authors = values('author')
  const [date] = values('date')
  const lines = [`% ${title.split('\n').join('\n  ')}`.trimEnd()]
  if (authors.length > 0 || date !== undefined) lines.push(`% ${authors.join('\n  ')}`.trimEnd())
  if (date !== undefined) lines.push(`% ${date}`)
  return lines.join('\n')
}
