/**
 * ParsePool: a long text is parsed in a worker thread into the same tree as on the main thread, and an aborted parse
 * ends at once (its worker is terminated), long before the parse would have; the pool goes on parsing afterwards.
 */
import {performance} from 'node:perf_hooks'
import {afterAll, describe, expect, it} from 'vitest'
import {ParsePool} from '../../pipeline/syntax/parse-pool.ts'
import {parseText} from '../../pipeline/syntax/parse.ts'
import {longMarkdown} from '../support/long-manuscript.ts'

// A lower threshold than the default (1.2 million characters), so the texts stay small enough to compare quickly.
const pool = new ParsePool({mainThreadChars: 100_000})
afterAll(() => pool.close())

describe('ParsePool', () => {
  it('parses a long text in a worker into the tree the main thread makes, and a short one on the main thread', async () => {
    const long = longMarkdown(pool.mainThreadChars + 20_000)
    expect(pool.parsesHere(long.length)).toBe(false)
    expect(await pool.parse(long, 'manuscript/long.md')).toEqual(parseText(long, 'manuscript/long.md'))
    const short = longMarkdown(2000)
    expect(pool.parsesHere(short.length)).toBe(true)
    expect(await pool.parse(short, 'manuscript/short.md')).toEqual(parseText(short, 'manuscript/short.md'))
  })

  it('stops a parse at once when its signal aborts, with the signal’s reason, and parses again afterwards', async () => {
    const text = longMarkdown(600_000)
    // How long this parse takes here, in a warm worker: the aborted one must end long before.
    const started = performance.now()
    await pool.parse(text, 'manuscript/a.md')
    const whole = performance.now() - started

    const controller = new AbortController()
    const stoppedAt = performance.now()
    const parsing = pool.parse(text, 'manuscript/a.md', controller.signal)
    setTimeout(() => controller.abort(new Error('stopped by the test')), 20)
    await expect(parsing).rejects.toThrow('stopped by the test')
    expect(performance.now() - stoppedAt).toBeLessThan(whole / 2)

    const short = longMarkdown(pool.mainThreadChars + 1000)
    expect(await pool.parse(short, 'manuscript/b.md')).toEqual(parseText(short, 'manuscript/b.md'))
  })

  it('rejects at once a parse whose signal has already aborted, and one asked of a closed pool', async () => {
    const text = longMarkdown(pool.mainThreadChars + 1000)
    await expect(pool.parse(text, 'a.md', AbortSignal.abort(new Error('already stopped')))).rejects.toThrow('already stopped')
    const closed = new ParsePool({mainThreadChars: pool.mainThreadChars})
    await closed.close()
    await expect(closed.parse(text, 'a.md')).rejects.toThrow('closed')
  })
})
