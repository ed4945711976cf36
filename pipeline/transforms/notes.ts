/**
 * Notes transform: pandoc inline notes `^[…]` become ordinary mdast footnotes, so that one renderer (remark-rehype's
 * footnote handling) numbers inline notes and author-written `[^id]` notes together, in order of first appearance.
 *
 * Each `inlineNote` is replaced by a `footnoteReference`, and a `footnoteDefinition` holding one paragraph with the
 * note's content is appended to the root. Both keep the inline note's position and source file, so diagnostics on
 * the note still point at `^[…]` in the file it was written in. Author-written references and definitions are left
 * as they are; generated identifiers skip every identifier the author used.
 */
import type {FootnoteDefinition, FootnoteReference, Nodes, Paragraph, Parent, Root} from 'mdast'
import type {Node, Position} from 'unist'
import type {VFile} from 'vfile'
import {normalizeIdentifier} from 'micromark-util-normalize-identifier'
import {walk} from '../syntax/walk.ts'
import {report} from '../diagnostics/report.ts'
import type {InlineNote} from '../syntax/types.ts'

export interface NotesOptions {
  /** Start of generated footnote identifiers, followed by a counter (default `inline-note-`). */
  identifierPrefix?: string
}

export function notesTransform(tree: Root, file: VFile, options: NotesOptions = {}): void {
  const identifierPrefix = options.identifierPrefix ?? 'inline-note-'
  const authorIdentifiers = new Set<string>()
  walk(tree, (node) => {
    if (node.type === 'footnoteReference' || node.type === 'footnoteDefinition') {
      authorIdentifiers.add(comparable(node.identifier))
    }
  })

  let counter = 0
  const definitions: FootnoteDefinition[] = []

  replaceNotesIn(tree)
  tree.children.push(...definitions)

  function nextIdentifier(): string {
    let identifier: string
    do {
      counter++
      identifier = identifierPrefix + counter
    } while (authorIdentifiers.has(comparable(identifier)))
    return identifier
  }

  // Depth-first in document order, so generated identifiers follow reading order and a note inside a note gets a
  // definition of its own.
  function replaceNotesIn(parent: Parent): void {
    for (let index = 0; index < parent.children.length; index++) {
      const child = parent.children[index] as Nodes
      if (child.type === 'inlineNote') {
        parent.children[index] = footnoteFor(child)
      } else if (isParent(child)) {
        replaceNotesIn(child)
      }
    }
  }

  function footnoteFor(note: InlineNote): FootnoteReference {
    if (note.children.length === 0) {
      report(
        file,
        note,
        'Empty inline note `^[]` renders as an empty footnote: write the note text between the brackets, or delete it.',
        'empty-inline-note',
        'warning'
      )
    }
    const identifier = nextIdentifier()
    const sourceFile = note.data?.sourceFile
    const data = () => (sourceFile === undefined ? {} : {data: {sourceFile}})
    const paragraph: Paragraph = {
      type: 'paragraph',
      children: note.children,
      position: copyPosition(note.position),
      ...data()
    }
    definitions.push({
      type: 'footnoteDefinition',
      identifier,
      label: identifier,
      children: [paragraph],
      position: copyPosition(note.position),
      ...data()
    })
    replaceNotesIn(paragraph)
    return {
      type: 'footnoteReference',
      identifier,
      label: identifier,
      position: copyPosition(note.position),
      ...data()
    }
  }
}

/** Replace inline notes with footnotes (see `notesTransform`). */
export function remarkNotes(options?: NotesOptions) {
  return (tree: Root, file: VFile): void => notesTransform(tree, file, options)
}

function isParent(node: Node): node is Parent {
  return Array.isArray((node as Partial<Parent>).children)
}

/** Identifiers compare as remark-rehype compares them: normalized, case-insensitively. */
function comparable(identifier: string): string {
  return normalizeIdentifier(identifier).toLowerCase()
}

function copyPosition(position: Position | undefined): Position | undefined {
  return position && {start: {...position.start}, end: {...position.end}}
}
