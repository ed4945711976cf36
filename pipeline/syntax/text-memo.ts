/**
 * Results of a pure function of a string, kept in this process from one build to the next: in watch mode a rebuild
 * then computes only for the text that changed (a paragraph's quotes, its word count). Two generations bound the
 * memory: when the current one is full it becomes the previous one, and a text found there moves back, so what
 * every build asks for stays while what no build asks for any more is dropped.
 */
export class TextMemo<Result> {
  private current = new Map<string, Result>()
  private previous = new Map<string, Result>()

  /** `compute` may instead be given to each `get` (a memo kept by a session for a function its owner holds). */
  constructor(
    private readonly compute?: (text: string) => Result,
    private readonly generationSize = 50_000
  ) {}

  get(text: string, compute = this.compute): Result {
    const known = this.current.get(text)
    if (known !== undefined || this.current.has(text)) return known as Result
    const kept = this.previous.has(text)
    const result = kept ? (this.previous.get(text) as Result) : compute!(text)
    if (this.current.size >= this.generationSize) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(text, result)
    return result
  }

  /** The result kept for `text`, if any, without computing it (nor moving it to the current generation). */
  peek(text: string): Result | undefined {
    return this.current.get(text) ?? this.previous.get(text)
  }

  /** Keeps a result computed elsewhere (read from the disk cache, say). */
  set(text: string, result: Result): void {
    if (this.current.size >= this.generationSize) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(text, result)
  }
}
