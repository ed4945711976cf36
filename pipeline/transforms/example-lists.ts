/**
 * Example lists as pandoc numbers them (`example_lists`): every `(@)` or `(@label)` item is numbered in one sequence
 * through the whole manuscript (included files too), whichever list it is in, so a list of examples after some text
 * goes on where the last one stopped (`<ol class="example" start="3">`). A reference `@label` (or `(@label)`, whose
 * parentheses are text) to a labelled example becomes its number: the parser read it as a narrative citation, and
 * here, where every label is known, it is replaced by the number, as pandoc does. `@label` naming no example stays
 * a citation (checked against the bibliography like any other), as in pandoc. Runs after includes are resolved.
 */
import type {List, ListItem, Parents, Root, Text} from 'mdast'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {Citation} from '../syntax/types.ts'
import {walk} from '../syntax/walk.ts'

export function exampleListsTransform(tree: Root, file: VFile): void {
  const numbers = numberExamples(tree, file)
  if (numbers.size === 0) return
  walk(tree, 'citation', (citation: Citation, index, parent) => {
    const number = exampleReference(citation, numbers)
    if (number === undefined || index === undefined || !parent) return
    const item = citation.children[0]
    const text: Text = {type: 'text', value: `${item.mode === 'suppress-author' ? '-' : ''}${number}`, position: citation.position, data: citation.data}
    ;(parent as Parents).children.splice(index, 1, text as never)
  })
}

/** Numbers the example items in document order; returns each label's number (the last item with a label wins, as in pandoc). */
function numberExamples(tree: Root, file: VFile): Map<string, number> {
  const numbers = new Map<string, number>()
  const labelled = new Map<string, ListItem>()
  let next = 1
  walk(tree, 'list', (list: List) => {
    if (list.data?.numberStyle !== 'example') return
    list.start = next
    for (const item of list.children) {
      const number = next++
      const data = (item.data ??= {})
      data.exampleNumber = number
      const label = data.exampleLabel
      if (!label) continue
      const earlier = labelled.get(label)
      if (earlier) {
        const otherFile = earlier.data?.sourceFile !== item.data?.sourceFile ? `${earlier.data?.sourceFile}, ` : ''
        const line = earlier.position ? ` (${otherFile}line ${earlier.position.start.line})` : ''
        report(file, item, `The example label \`@${label}\` is already used by example ${numbers.get(label)}${line}; references to it now mean this example, ${number}, as in pandoc. Give each example its own label.`, 'duplicate-example-label')
      }
      numbers.set(label, number)
      labelled.set(label, item)
    }
  })
  return numbers
}

/** The number a citation stands for when it is a reference to an example: a lone narrative `@label`, nothing after it. */
function exampleReference(citation: Citation, numbers: Map<string, number>): number | undefined {
  if (citation.bracketed || citation.children.length !== 1) return undefined
  const [item] = citation.children
  if (item.children[0].children.length > 0 || item.children[1].children.length > 0) return undefined
  return numbers.get(item.key)
}
