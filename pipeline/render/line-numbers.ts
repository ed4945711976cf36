/**
 * Line numbers in the margin of the printed page (the `submission` profile), which Chromium does not have. Run in
 * the page once it is laid out as printed (print media, the text block's width, soft hyphens settled): each line of
 * text is found from the rectangles of its text (Range.getClientRects: a text node gives one per line it is on), and
 * an empty `<span class="line-number" data-line="12">` goes into the text after the line's first word. The span is
 * a float of no width (see submission.css), so it takes no room in the line (the lines break where they did) and sits
 * at the top of its line wherever the line lands when the page is cut into pages: the numbers follow the text through
 * page breaks, a paragraph split over two pages, a heading moved to the next page. (An absolutely positioned mark,
 * tried first, stayed at the foot of the page before when its line began a page.) Each is then moved sideways into
 * the margin column.
 * Counting is continuous over the whole document; figures, tables, formulas and notes are not numbered.
 */

/** What is not numbered: floats and tables, typeset math, the notes, our own marks. */
export const unnumbered = 'figure, table, .katex, svg, .line-number, .sr-only, section.footnotes, [data-footnotes], .footnotes, .page-break, style, script'

/**
 * Numbers the lines of the page's body, except in what `skip` (a selector: `unnumbered`) matches; returns how many
 * lines were numbered. Runs in the page (see pdf.ts): everything it uses is defined inside it.
 */
export function lineNumberPass(skip: string): number {
  const lineStarts: {node: Text; offset: number; middle: number}[] = []
  const range = document.createRange()
  const topOf = (node: Text, offset: number): number | undefined => {
    range.setStart(node, offset)
    range.setEnd(node, offset + 1)
    const rects = range.getClientRects()
    return rects.length > 0 ? rects[0].top : undefined
  }
  // Where the text of the line being read is. A text rectangle whose top is below most of it begins a new line:
  // one on the same line starts higher (a superscript well above, a subscript a little below its top), one on the
  // next line lower, even where the lines are set so close that their rectangles overlap (a title).
  let line = {top: -Infinity, bottom: -Infinity}
  const below = (top: number) => line.top === -Infinity || top >= line.top + 0.7 * (line.bottom - line.top)
  // (No filter callback: the page runs with JavaScript off, and a walker cannot call back into it.)
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT)
  for (let node = walker.nextNode() as Text | null; node; node = walker.nextNode() as Text | null) {
    if (!node.nodeValue?.trim() || node.parentElement?.closest(skip)) continue
    range.selectNodeContents(node)
    const rects = Array.from(range.getClientRects()).filter((rect) => rect.height > 0)
    let from = 0
    for (const rect of rects) {
      if (!below(rect.top)) continue
      // The first character of the new line: the text's characters run down the lines in order.
      let low = from
      let high = node.length - 1
      while (low < high) {
        const middle = (low + high) >> 1
        const top = topOf(node, middle)
        if (top !== undefined && below(top)) high = middle
        else low = middle + 1
      }
      lineStarts.push({node, offset: low, middle: (rect.top + rect.bottom) / 2})
      from = low
      line = {top: rect.top, bottom: rect.bottom}
    }
  }
  // A mark goes after the line's first word: one right at the line's start, after the space the line broke at,
  // would sit at the end of the line before. Marks go in from the end of each text node, so the offsets stay right.
  for (let index = lineStarts.length - 1; index >= 0; index--) {
    const {node, offset: start} = lineStarts[index]
    // (The line's text may begin with the space it broke at: the word is the first run of non-spaces.) A word that
    // runs on into the next line (an address broken anywhere) gets the mark after its first character.
    const word = /\S+/.exec(node.data.slice(start))
    const next = lineStarts[index + 1]?.node === node ? lineStarts[index + 1].offset : node.length
    let offset = word ? start + word.index + word[0].length : node.length
    if (word && offset > next) offset = start + word.index + (/[\uD800-\uDBFF]/.test(node.data[start + word.index]) ? 2 : 1)
    const mark = document.createElement('span')
    mark.className = 'line-number'
    mark.setAttribute('data-line', String(index + 1))
    mark.setAttribute('aria-hidden', 'true')
    node.parentNode!.insertBefore(mark, offset < node.length ? node.splitText(offset) : node.nextSibling)
  }
  // Each number's right edge a little left of the text, its middle at the middle of its line's text (a title's line
  // is taller than the others): measured once all are in, then moved, which moves nothing else.
  const marks = Array.from(document.querySelectorAll<HTMLElement>('.line-number'))
  const column = document.body.getBoundingClientRect().left - 0.18 * 96
  const boxes = marks.map((mark) => mark.getBoundingClientRect())
  const round = (value: number) => `${Math.round(value * 100) / 100}px`
  marks.forEach((mark, index) => {
    mark.style.left = round(column - boxes[index].left)
    mark.style.top = round(lineStarts[index].middle - (boxes[index].top + boxes[index].bottom) / 2)
  })
  return lineStarts.length
}
