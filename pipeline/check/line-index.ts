/** Offsets in a file's text to unist points (1-based line and column, as micromark counts them). */
import type {Point} from 'unist'

export class LineIndex {
  /** Offset at which each line starts. */
  private readonly starts: number[] = [0]

  constructor(readonly text: string) {
    for (let index = 0; index < text.length; index++) {
      const code = text.charCodeAt(index)
      if (code === 13 /* \r */ && text.charCodeAt(index + 1) === 10) index++
      if (code === 10 || code === 13) this.starts.push(index + 1)
    }
  }

  point(offset: number): Point {
    let low = 0
    let high = this.starts.length - 1
    while (low < high) {
      const middle = (low + high + 1) >> 1
      if (this.starts[middle] <= offset) low = middle
      else high = middle - 1
    }
    return {line: low + 1, column: offset - this.starts[low] + 1, offset}
  }

  /** Offset of the start of a 1-based line (the text's length past the last line). */
  lineStart(line: number): number {
    return this.starts[line - 1] ?? this.text.length
  }
}
