/**
 * Results of a pure function of a string, kept in this process from one build to the next: in watch mode a rebuild
 * then computes only for the text that changed (a paragraph's quotes, its word count). Two generations bound the
 * memory: when the current one is full it becomes the previous one, and a text found there moves back, so what
 * every build asks for stays while what no build asks for any more is dropped.
 */
import type {DerivedCache} from '../graph/derived-cache.ts'

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
    if (!this.current.has(text) && this.current.size >= this.generationSize) {
      this.previous = this.current
      this.current = new Map()
    }
    this.current.set(text, result)
  }
}

/**
 * One build's view of a session's TextMemo, backed by a slot of the derived cache: a fresh process finds what the
 * last build computed there. The slot keeps what this build used (so it never grows past one build's texts), and is
 * written only when something was computed anew.
 */
export class StoredTextMemo<Result> {
  private stored: Record<string, Result> | undefined
  private readonly used = new Map<string, Result>()
  private computedAny = false

  constructor(
    private readonly memo: TextMemo<Result>,
    private readonly cache: DerivedCache | undefined,
    private readonly slot: string
  ) {}

  /** The result kept for `text` (by the session, or on disk), if any. */
  find(text: string): Result | undefined {
    let found = this.used.get(text) ?? this.memo.peek(text)
    if (found === undefined) {
      this.stored ??= (this.cache?.enabled ? this.cache.read<Record<string, Result>>(this.slot, this.cache.hash(this.slot)) : undefined) ?? {}
      if (Object.hasOwn(this.stored, text)) found = this.stored[text]
    }
    if (found !== undefined) this.remember(text, found)
    return found
  }

  /** Keeps a result computed in this build. */
  keep(text: string, result: Result): void {
    this.computedAny = true
    this.remember(text, result)
  }

  /** The kept result for `text`, else `compute`'s, kept. */
  get(text: string, compute: (text: string) => Result): Result {
    const found = this.find(text)
    if (found !== undefined) return found
    const result = compute(text)
    this.keep(text, result)
    return result
  }

  /** Writes what this build used to the derived cache, when anything was computed anew. */
  save(): void {
    if (this.cache?.enabled && this.computedAny) this.cache.write(this.slot, this.cache.hash(this.slot), Object.fromEntries(this.used))
  }

  private remember(text: string, result: Result): void {
    this.used.set(text, result)
    this.memo.set(text, result)
  }
}
