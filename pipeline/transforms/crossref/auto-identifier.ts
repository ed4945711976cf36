/**
 * pandoc's automatic heading identifiers (extension `auto_identifiers`), which pandoc-crossref's
 * `autoSectionLabels` prefixes with `sec:`: `Chapter 3. Tables` → `chapter-3.-tables`.
 */

/** The identifier pandoc derives from a heading's plain text, before de-duplication. */
export function pandocIdentifier(text: string): string {
  const kept = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}_.\-\s]/gu, '')
    .trim()
    .replace(/\s+/g, '-')
  // Everything up to the first letter goes (`1. Intro` → `intro`).
  const fromLetter = kept.replace(/^[^\p{L}]+/u, '')
  return fromLetter || 'section'
}
