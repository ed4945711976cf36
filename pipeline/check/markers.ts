/**
 * The silencing marker: an HTML comment `<!-- placeholder-ok -->` says that the placeholders on the next line are
 * meant (a text about "TODO lists", a quoted "XXX"). `<!-- placeholder-ok: XX TBD -->` silences only those words
 * there. An HTML comment is invisible in the HTML and PDF, so the marker costs the reader nothing.
 */

export interface MarkerMatch {
  /** Offsets of `<!--` and just after `-->` in the scanned text. */
  start: number
  end: number
  /** The words it is limited to; undefined for all placeholders on the line. */
  only?: string[]
}

export const markerName = 'placeholder-ok'
const markerExpression = /<!--[ \t]*placeholder-ok[ \t]*(?::([^]*?))?[ \t]*-->/g

export function findMarkers(text: string): MarkerMatch[] {
  const found: MarkerMatch[] = []
  markerExpression.lastIndex = 0
  for (const match of text.matchAll(markerExpression)) {
    const start = match.index ?? 0
    const words = match[1]
      ?.split(/[\s,]+/)
      .map((word) => word.replace(/^["'`]|["'`]$/g, ''))
      .filter(Boolean)
    found.push({start, end: start + match[0].length, only: words && words.length > 0 ? words : undefined})
  }
  return found
}
