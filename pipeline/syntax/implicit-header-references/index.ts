/**
 * pandoc's `implicit_header_references`: `[My heading]`, `[text][My heading]` and `[My heading][]` link to the heading
 * of that text. Which headings exist is known only once every included file is parsed, so the parser reads every link
 * label as a reference (a `linkReference` node, see ../linear/label-end.ts) and the heading identifiers transform
 * (pipeline/transforms/heading-identifiers.ts) links it to its heading or turns it back into the text it was.
 */
import type {Processor} from 'unified'
import {implicitHeaderReferencesExtension} from '../linear/label-end.ts'

export function remarkImplicitHeaderReferences(this: Processor): void {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(implicitHeaderReferencesExtension)
}
