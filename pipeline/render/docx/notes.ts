/**
 * Real Word footnotes: each note call (`[^id]` or `^[text]`) becomes one `w:footnote`, numbered by Word in the order
 * of the calls; a note's content (citations included) is written like the body's.
 */
import {FootnoteReferenceRun, Paragraph, type ParagraphChild} from 'docx'

export class Notes {
  readonly footnotes: Record<string, {children: Paragraph[]}> = {}
  private count = 0

  /** A call to a note whose paragraphs are made now (they may call notes' own content, which is written first). */
  call(content: () => Paragraph[]): ParagraphChild {
    const id = ++this.count
    this.footnotes[String(id)] = {children: []}
    this.footnotes[String(id)].children = content()
    return new FootnoteReferenceRun(id)
  }

  get size(): number {
    return this.count
  }
}
