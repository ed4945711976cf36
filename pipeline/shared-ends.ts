/**
 * How much two versions of a text share at their start and at their end: what a save left as it was, around what it
 * changed. A watch session re-parses only the blocks between (syntax/reparse.ts) and sends the printing page only
 * the text between (render/pdf.ts).
 */

/** How many characters `a` and `b` share at their start, and then at their end (the two never overlap). */
export function sharedEnds(a: string, b: string): {start: number; end: number} {
  const shorter = Math.min(a.length, b.length)
  let start = 0
  while (start < shorter && a.charCodeAt(start) === b.charCodeAt(start)) start++
  let end = 0
  while (end < shorter - start && a.charCodeAt(a.length - 1 - end) === b.charCodeAt(b.length - 1 - end)) end++
  return {start, end}
}
