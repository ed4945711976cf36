/**
 * Results of a pure function of a string, kept in this process from one build to the next: in watch mode a rebuild
 * then computes only for the text that changed (a paragraph's quotes, its word count). Two generations bound the
 * memory: when the current one is full it becomes the previous one, and a text found there moves back, so what
 * every build asks for stays while what no build asks for any more is dropped.
 */
export class TextMemo<Result> {
  private current = new Map<string, Result>()
  private previous = new Map<string, Result>()

  constructor(
    private readonly compute: (text: string) => Result,
    private readonly generationSize = 50_000
  ) {}

  get(text: string): Result {
    const known = this.current.get(text)
    if (known !== undefined || this.current.has(text)) return known as Result
    const kept = this.previous.has(text)
    const result = kept ? (this.previous.get(text) as Result) : this.compute(text)
    if (this.current.size >= this.generationSize) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(text, result)
    return result
  }
}
