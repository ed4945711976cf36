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

/** Hands out identifiers the way pandoc de-duplicates them: `section`, `section-1`, `section-2`. */
export class IdentifierRegistry {
  private readonly used = new Set<string>()

  reserve(identifier: string): void {
    this.used.add(identifier)
  }

  unique(base: string): string {
    let candidate = base
    for (let counter = 1; this.used.has(candidate); counter++) candidate = `${base}-${counter}`
    this.used.add(candidate)
    return candidate
  }
}
