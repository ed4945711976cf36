/**
 * micromark applies batched edits to a list of events with `EditMap.consume`, which copies the whole list even when
 * every edit is near its end. micromark edits the document's events that way each time a block quote or list ends
 * at a blank or lazy line (`> a` then a blank line, a nested list closing), and the flow's events at each setext
 * heading: a file of many short block quotes or setext headings took time quadratic in its length (8,000
 * `> a` quotes did not finish in 500 s). This `consume` gives the same result but copies only the events from the
 * first edit on, which are the last few. Installed once, when the syntax is loaded (see index.ts).
 */
import {EditMap} from 'micromark-util-edit-map'
import type {Event} from 'micromark-util-types'

const consumeAll = EditMap.prototype.consume

EditMap.prototype.consume = function consumeFromFirstEdit(this: EditMap, events: Event[]): undefined {
  if (this.map.length === 0) return
  let first = Number.POSITIVE_INFINITY
  for (const [at] of this.map) first = Math.min(first, at)
  if (first === 0 || first > events.length) return consumeAll.call(this, events)
  // The edits' indices are into `events`: shift them to the tail they now apply to.
  for (const change of this.map) change[0] -= first
  this.index.clear()
  const tail = events.splice(first)
  consumeAll.call(this, tail)
  for (const event of tail) events.push(event)
}
