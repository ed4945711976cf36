/**
 * Footnotes at the foot of their page in the PDF: a layout pass of our own, run in the printing page after it has
 * loaded (the soft hyphens are pruned when it has measured, see hyphenate.ts). The page stays as it is loaded, with
 * its script execution off (browser.ts): this pass is the only code that runs there, sent by the printer through the
 * DevTools protocol, so nothing the manuscript contains can run.
 *
 * How: the page is laid out once as printed (print media, as wide as the text block). The flow (title block and
 * body) is cut into units: blocks that must not break (figures, tables, headings, code, equations) and blocks of
 * running text, which break between lines (at least two lines on either side). Pages are filled greedily: a unit
 * goes on the page while it and the notes of the calls in it fit in the text height; a heading stays with what
 * follows it. A note that does not fit below its call's line goes, with the line, to the next page, unless it would
 * not fit there either or the page would be left less than half full: then as many of its lines as fit stay and the
 * rest continues at the top of the next page's notes. Then the DOM is cut at the chosen places (Range.extractContents
 * splits paragraphs and lists, the continuation keeps no id, no indent, and an ordered list its numbering) and each
 * page becomes a box as tall as the text block, its text above and its notes below a short rule
 * (styles/footnotes.css). Each note keeps the id its call links to and the call's number.
 *
 * Measuring once and cutting afterwards is exact because a cut does not move a line: the boxes are as wide as the
 * text the lines were measured in, only margins at a cut change (truncated at a page top, as Chromium does), and a
 * paragraph that starts a page keeps the indent it had.
 * Calls are numbered in text order, so the numbers on a page are in order; the tests check every note is on the page
 * of its first call, numbered as the call.
 */

export interface FootnoteLayout {
  /** Pages made. */
  pages: number
  /** Notes placed at the foot of a page. */
  notes: number
  /** Notes continued onto the next page. */
  continued: number
  /** Time the pass took in the page. */
  milliseconds: number
}

/**
 * Moves the endnotes of the loaded page to the foot of the pages of their calls (see the module comment), for pages
 * whose text block is `textHeight` (textHeightPx) tall. `beforeCut` is called once everything is measured, before the
 * DOM is cut (after the cut the page would be laid out again for any read): it may change the text without moving a
 * line (the soft-hyphen pass), and returns where an offset in a text node is after its change, for the cut. Runs in
 * the page (see pdf.ts, which sends it with the other passes): everything it uses is defined inside it; `beforeCut`
 * is not called when there are no notes to move.
 */
export function footnotePass(textHeight: number, beforeCut?: () => (node: Node, offset: number) => number): FootnoteLayout {
  const started = performance.now()
  const section = document.querySelector('section.footnotes')
  const calls = Array.from(document.querySelectorAll('a[data-footnote-ref]'))
  if (!section || calls.length === 0) return {pages: 0, notes: 0, continued: 0, milliseconds: performance.now() - started}
  // A little under the text height: positions are fractional, and a box a hair too tall would spill onto a page of its own.
  const limit = textHeight - 2
  const body = document.body
  const range = document.createRange()

  // ---------------------------------------------------------------- the notes, measured out of the flow
  const measuring = document.createElement('aside')
  measuring.className = 'page-footnotes page-footnotes-measuring'
  // As wide as the text (an absolute box would otherwise take the window's width).
  measuring.style.width = `${body.getBoundingClientRect().width}px`
  document.documentElement.appendChild(measuring)
  interface Note {
    id: string
    element: HTMLElement
    height: number
  }
  const notes = new Map<string, Note>()
  const noteOf = (call: Element): string => decodeURIComponent((call.getAttribute('href') ?? '').replace(/^#/, ''))
  for (const call of calls) {
    const id = noteOf(call)
    if (notes.has(id)) continue
    const item = document.getElementById(id)
    if (!item || !section.contains(item)) continue
    const note = document.createElement('div')
    note.className = 'page-footnote'
    item.removeAttribute('id')
    note.id = id
    // The way back to the call: the call is on the same page.
    for (const back of Array.from(item.querySelectorAll('a[data-footnote-backref]'))) {
      const before = back.previousSibling
      if (before && before.nodeType === Node.TEXT_NODE) before.textContent = (before.textContent ?? '').replace(/\s+$/, '')
      back.remove()
    }
    while (item.firstChild) note.appendChild(item.firstChild)
    const number = document.createElement('span')
    number.className = 'page-footnote-number'
    number.textContent = (call.textContent ?? '').trim()
    const first = note.firstElementChild
    const holder = first && first.tagName === 'P' ? first : note
    holder.insertBefore(number, holder.firstChild)
    measuring.appendChild(note)
    notes.set(id, {id, element: note, height: 0})
  }
  section.remove()
  let noteSum = 0
  for (const note of notes.values()) {
    note.height = note.element.getBoundingClientRect().height
    noteSum += note.height
  }
  // The rule and the space above it: what the area adds to its notes.
  const overhead = measuring.getBoundingClientRect().height - noteSum

  // ---------------------------------------------------------------- lines of a block of running text
  interface Line {
    /** Where the line starts (undefined for the first line). */
    node?: Node
    offset?: number
    before?: Element
    top: number
    bottom: number
  }
  const charBox = (node: Text, offset: number): DOMRect | undefined => {
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    const boxes = range.getClientRects()
    return boxes.length > 0 ? boxes[boxes.length - 1] : undefined
  }
  /** The first offset from `from` whose character is on a line below `bottom` (a binary search), or -1. */
  const firstBelow = (node: Text, from: number, bottom: number): number => {
    const below = (offset: number) => {
      for (let at = offset; at < node.data.length; at++) {
        const box = charBox(node, at)
        if (box && box.width > 0) return box.top > bottom - 1
      }
      return true
    }
    if (!below(node.data.length - 1)) return -1
    let low = from
    let high = node.data.length - 1
    while (low < high) {
      const middle = (low + high) >> 1
      if (below(middle)) high = middle
      else low = middle + 1
    }
    return low
  }
  /** The lines of `element` (its text, in document order) with the y of the boundaries between them. */
  const linesOf = (element: Element, top: number, bottom: number): Line[] => {
    const starts: {node: Text; offset: number; box: DOMRect}[] = []
    let lineBottom = -Infinity
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT)
    while (walker.nextNode()) {
      const node = walker.currentNode as Text
      if (!node.data.trim()) continue
      range.selectNodeContents(node)
      const boxes = range.getClientRects()
      if (boxes.length === 0) continue
      let from = 0
      while (from < node.data.length && boxes[boxes.length - 1].bottom > lineBottom + 1) {
        const offset = firstBelow(node, from, lineBottom)
        if (offset < 0) break
        const box = charBox(node, offset)
        if (!box) break
        starts.push({node, offset, box})
        lineBottom = box.bottom
        from = offset + 1
      }
    }
    const lines: Line[] = []
    starts.forEach((start, index) => {
      const lineTop = index === 0 ? top : (starts[index - 1].box.bottom + start.box.top) / 2
      if (index > 0) lines[index - 1].bottom = lineTop
      // A line starting inside a formula or a note call breaks before it.
      const atomic = start.node.parentElement?.closest('.katex, sup, a[data-footnote-ref]')
      const line: Line = {top: lineTop, bottom}
      if (index > 0) {
        if (atomic && element.contains(atomic)) line.before = atomic
        else {
          line.node = start.node
          line.offset = start.offset
        }
      }
      lines.push(line)
    })
    return lines
  }

  // ---------------------------------------------------------------- the flow, cut into units
  interface Unit {
    element: Element
    kind: 'block' | 'text' | 'line'
    top: number
    bottom: number
    /** Notes called in the unit, in order. */
    calls: {id: string; top: number}[]
    /** Whether the page may end before this unit. */
    breakable: boolean
    /** A `\newpage`: the page ends after it. */
    pageBreakAfter: boolean
    line?: Line
    heading: boolean
  }
  const atomicTags = new Set(['FIGURE', 'TABLE', 'PRE', 'HR', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'IMG', 'SVG', 'HEADER', 'NAV', 'DT'])
  const atomicClasses = ['equation', 'katex-display', 'page-break', 'subfigures']
  const isBlock = (element: Element) => {
    const style = getComputedStyle(element)
    return style.display !== 'none' && !style.display.startsWith('inline') && style.position !== 'absolute' && style.position !== 'fixed'
  }
  const units: Unit[] = []
  const callsIn = (element: Element) =>
    Array.from(element.querySelectorAll('a[data-footnote-ref]'), (call) => ({id: noteOf(call), top: call.getBoundingClientRect().top})).filter((call) => notes.has(call.id))
  const collect = (container: Element) => {
    for (const child of Array.from(container.children)) {
      if (!isBlock(child)) continue
      const box = child.getBoundingClientRect()
      const pageBreak = child.classList.contains('page-break')
      if (box.height === 0 && !pageBreak) continue
      const atomic = atomicTags.has(child.tagName.toUpperCase()) || atomicClasses.some((name) => child.classList.contains(name))
      if (!atomic && Array.from(child.children).some(isBlock)) {
        collect(child)
        continue
      }
      const previous = units[units.length - 1]
      units.push({
        element: child,
        kind: atomic ? 'block' : 'text',
        top: box.top,
        bottom: box.bottom,
        calls: callsIn(child),
        breakable: previous !== undefined && !previous.heading,
        pageBreakAfter: pageBreak,
        heading: /^H[1-6]$|^DT$/.test(child.tagName.toUpperCase())
      })
    }
  }
  collect(body)
  /** Replaces the text unit at `index` by its lines (orphans and widows: two lines on either side of a break). */
  const expand = (index: number) => {
    const unit = units[index]
    const lines = linesOf(unit.element, unit.top, unit.bottom)
    if (lines.length < 2) {
      unit.kind = 'block'
      return
    }
    const lineUnits: Unit[] = lines.map((line, number) => ({
      element: unit.element,
      kind: 'line',
      top: line.top,
      bottom: line.bottom,
      calls: unit.calls.filter((call) => call.top >= line.top - 1 && (number === lines.length - 1 || call.top < line.bottom - 1)),
      breakable: number === 0 ? unit.breakable : number >= 2 && lines.length - number >= 2,
      pageBreakAfter: false,
      line,
      heading: false
    }))
    // A call above the first line's top (a raised superscript) belongs to the first line.
    for (const call of unit.calls) if (!lineUnits.some((line) => line.calls.includes(call))) lineUnits[0].calls.push(call)
    units.splice(index, 1, ...lineUnits)
  }

  // ---------------------------------------------------------------- filling pages
  interface Continuation {
    id: string
    /** Where the rest of the note starts. */
    line: Line
    height: number
  }
  interface PageFill {
    start: number
    notes: string[]
    /** The rest of a note begun on the page before, shown first. */
    carried?: Continuation
    /** The note (the last of `notes`) that continues on the next page. */
    split?: Continuation
    oversize: boolean
  }
  const placed = new Set<string>()
  const notesHeight = (ids: string[], carried?: Continuation, partial?: number) => {
    if (ids.length === 0 && !carried) return 0
    return overhead + (carried?.height ?? 0) + ids.reduce((sum, id) => sum + notes.get(id)!.height, 0) + (partial ?? 0)
  }
  /** Splits note `id` so that its first part is at most `space` tall, with two lines or more on either side. */
  const splitNote = (id: string, space: number): {first: number; rest: Continuation} | undefined => {
    const note = notes.get(id)!
    const box = note.element.getBoundingClientRect()
    const lines = linesOf(note.element, box.top, box.bottom)
    for (let index = lines.length - 2; index >= 2; index--) {
      const first = lines[index].top - box.top
      if (first <= space) return {first, rest: {id, line: lines[index], height: box.bottom - lines[index].top}}
    }
    return undefined
  }
  const pages: PageFill[] = []
  let carried: Continuation | undefined
  for (let index = 0; index < units.length; ) {
    const pageTop = pages.length === 0 ? Math.min(0, units[0].top) : units[index].top
    const fill: PageFill = {start: index, notes: [], carried, oversize: false}
    let candidate: {index: number; notes: number} | undefined
    let next = index
    for (; next < units.length; next++) {
      const unit = units[next]
      if (next > index && unit.breakable) candidate = {index: next, notes: fill.notes.length}
      const called = [...new Set(unit.calls.map((call) => call.id))].filter((id) => !placed.has(id) && !fill.notes.includes(id))
      const used = unit.bottom - pageTop
      if (used + notesHeight([...fill.notes, ...called], carried) <= limit) {
        fill.notes.push(...called)
        if (unit.pageBreakAfter) {
          next += 1
          break
        }
        continue
      }
      if (unit.kind === 'text') {
        expand(next)
        next -= 1
        if (candidate?.index === next + 1) candidate = undefined
        continue
      }
      // The unit fits but not its last note: the line and the note move to the next page, or the note is split.
      const others = [...fill.notes, ...called.slice(0, -1)]
      if (called.length > 0 && used + notesHeight(others, carried) + overhead <= limit) {
        const last = called[called.length - 1]
        const fitsAlone = unit.bottom - unit.top + notesHeight([last]) <= limit * 0.9
        const halfFull = candidate !== undefined && units[candidate.index].top - pageTop >= limit / 2
        if (!(fitsAlone && halfFull && candidate)) {
          // The page must be able to end after the call's line: with the lines that may not be left alone after it
          // (a paragraph's last two), when they call no note; on a page with nowhere else to end, regardless.
          let end = next
          while (end + 1 < units.length && !units[end + 1].breakable && !units[end].pageBreakAfter && units[end + 1].kind === 'line' && units[end + 1].calls.length === 0) end += 1
          if (end + 1 >= units.length || units[end + 1].breakable || units[end].pageBreakAfter || !candidate) {
            const space = limit - (units[end].bottom - pageTop) - notesHeight(others, carried) - (others.length === 0 && !carried ? overhead : 0)
            const split = splitNote(last, space)
            if (split) {
              fill.notes.push(...called)
              fill.split = split.rest
              next = end + 1
              break
            }
          }
        }
      }
      if (candidate) {
        next = candidate.index
        fill.notes.length = candidate.notes
        break
      }
      // Not even this unit fits on an empty page: it gets a page of its own, as tall as it is.
      fill.notes.push(...called)
      fill.oversize = true
      next += 1
      break
    }
    for (const id of fill.notes) placed.add(id)
    pages.push(fill)
    carried = fill.split
    index = next
  }

  // ---------------------------------------------------------------- cutting the DOM into pages
  // A paragraph that starts a page keeps the indent it was measured with: after the cut it is the first in its
  // block, where `p + p` no longer indents it, and its lines would move.
  const indents = pages.slice(1).flatMap((fill) => {
    const unit = units[fill.start]
    if (unit.line?.node || unit.line?.before) return []
    const indent = getComputedStyle(unit.element).textIndent
    return indent === '0px' ? [] : [{element: unit.element as HTMLElement, indent}]
  })
  // The places of the cuts in text, as they are after `beforeCut` changed the text.
  const moved = beforeCut?.()
  if (moved) {
    const cutLines = new Set<Line>()
    for (const fill of pages) {
      const line = units[fill.start].line
      if (line) cutLines.add(line)
      if (fill.carried) cutLines.add(fill.carried.line)
    }
    for (const line of cutLines) if (line.node) line.offset = moved(line.node, line.offset!)
  }
  /** Where a page starting with `unit` begins: before the outermost element it is the first content of. */
  const firstContent = (element: Element) => {
    for (let sibling = element.previousSibling; sibling; sibling = sibling.previousSibling) {
      if (sibling.nodeType === Node.ELEMENT_NODE || (sibling.textContent ?? '').trim() !== '') return false
    }
    return true
  }
  const hoist = (element: Element) => {
    let outer = element
    while (outer.parentElement && outer.parentElement !== body && firstContent(outer)) outer = outer.parentElement
    return outer
  }
  /** Puts the range's start where `line` starts (before `element` when the line is a block's first). */
  const startAt = (line: Line | undefined, element: Element) => {
    if (line?.node) {
      const text = line.node as Text
      // A word hyphenated at the cut: a soft hyphen does not show at the end of a block.
      if (text.data[line.offset! - 1] === '\u00AD') text.replaceData(line.offset! - 1, 1, '-')
      range.setStart(line.node, line.offset!)
    } else range.setStartBefore(line?.before ?? element)
  }
  for (const {element, indent} of indents) element.style.textIndent = indent
  let mark = 0
  const pieces: DocumentFragment[] = []
  for (let number = pages.length - 1; number >= 1; number--) {
    const unit = units[pages[number].start]
    startAt(unit.line, hoist(unit.line?.before ?? unit.element))
    range.setEnd(body, body.childNodes.length)
    // The elements the cut goes through: the part before keeps them, the part after gets copies.
    const cut = `${++mark}`
    for (let ancestor = range.startContainer.nodeType === Node.TEXT_NODE ? range.startContainer.parentElement : (range.startContainer as Element); ancestor && ancestor !== body; ancestor = ancestor.parentElement) {
      ancestor.setAttribute('data-cut', cut)
    }
    const piece = range.extractContents()
    for (const original of Array.from(body.querySelectorAll(`[data-cut="${cut}"]`))) {
      const copy = piece.querySelector(`[data-cut="${cut}"]`)
      if (original.tagName === 'OL' && copy) {
        const items = Array.from(original.children).filter((child) => child.tagName === 'LI')
        const continues = items[items.length - 1]?.hasAttribute('data-cut')
        const start = Number(original.getAttribute('start') ?? '1') + items.length - (continues ? 1 : 0)
        copy.setAttribute('start', String(start))
      }
      original.classList.add('page-continues')
      original.removeAttribute('data-cut')
    }
    for (const copy of Array.from(piece.querySelectorAll(`[data-cut="${cut}"]`))) {
      copy.classList.remove('page-continues')
      copy.classList.add('page-continued')
      copy.removeAttribute('id')
      copy.removeAttribute('data-cut')
    }
    pieces[number] = piece
  }
  const first = document.createDocumentFragment()
  while (body.firstChild) first.appendChild(body.firstChild)
  pieces[0] = first

  let continued = 0
  pages.forEach((fill, number) => {
    const box = document.createElement('div')
    box.className = 'footnote-page'
    if (!fill.oversize) box.style.height = `${textHeight}px`
    const text = document.createElement('div')
    text.className = 'footnote-page-text'
    text.appendChild(pieces[number])
    // A page's first block starts at the top (Chromium truncates such margins at a page break too).
    if (number > 0) for (let element = text.firstElementChild; element; element = element.firstElementChild) (element as HTMLElement).style.marginTop = '0'
    box.appendChild(text)
    if (fill.carried || fill.notes.length > 0) {
      const area = document.createElement('aside')
      area.className = 'page-footnotes'
      if (fill.carried) {
        startAt(fill.carried.line, notes.get(fill.carried.id)!.element)
        const note = notes.get(fill.carried.id)!.element
        range.setEnd(note, note.childNodes.length)
        const rest = document.createElement('div')
        rest.className = 'page-footnote page-footnote-continued'
        rest.appendChild(range.extractContents())
        for (const element of Array.from(rest.querySelectorAll('[id]'))) element.removeAttribute('id')
        area.appendChild(rest)
      }
      // In the order of their numbers: a table's caption comes before its cells in the page but is numbered after them.
      const numbered = (id: string) => Number(notes.get(id)!.element.querySelector('.page-footnote-number')?.textContent)
      const ordered = fill.notes.every((id) => Number.isFinite(numbered(id))) ? [...fill.notes].sort((left, right) => numbered(left) - numbered(right)) : fill.notes
      for (const id of ordered) area.appendChild(notes.get(id)!.element)
      if (fill.split) continued += 1
      box.appendChild(area)
    }
    body.appendChild(box)
  })
  // A continued note's first part is laid out in its page's area by now; the rest was taken out above in page order.
  measuring.remove()
  return {pages: pages.length, notes: placed.size, continued, milliseconds: performance.now() - started}
}
