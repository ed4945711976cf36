/**
 * When a watch session collects its garbage: once it has been idle for a moment, never while a print or a rebuild is
 * going on (the collection would throw away the code the next rebuild runs), and not again until the heap has grown.
 */
import {getHeapStatistics} from 'node:v8'
import {afterEach, beforeEach, describe, expect, it, vi} from 'vitest'
import {IdleCollection} from '../../pipeline/watch/idle-collection.ts'

describe('the idle collection of a watch session', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('collects once the session has been idle for the given time, and each activity starts the wait again', () => {
    let collections = 0
    const collection = new IdleCollection({idleMs: 1000, collect: () => collections++})
    collection.activity()
    vi.advanceTimersByTime(900)
    collection.activity()
    vi.advanceTimersByTime(900)
    expect(collections).toBe(0)
    vi.advanceTimersByTime(100)
    // Two rounds make one collection.
    expect(collections).toBe(2)
    collection.stop()
  })

  it('does not collect while a print is going on; the print’s end starts the wait again', () => {
    let collections = 0
    let printing = true
    const collection = new IdleCollection({idleMs: 1000, busy: () => printing, collect: () => collections++})
    // The rebuild ended and the print began; the print takes longer than the idle time.
    collection.activity()
    vi.advanceTimersByTime(1500)
    expect(collections).toBe(0)
    printing = false
    collection.activity()
    vi.advanceTimersByTime(999)
    expect(collections).toBe(0)
    vi.advanceTimersByTime(1)
    expect(collections).toBe(2)
    collection.stop()
  })

  it('waits again when the session is busy as the wait runs out, and collects once it is not, without new activity', () => {
    let collections = 0
    let busy = true
    const collection = new IdleCollection({idleMs: 1000, busy: () => busy, growth: -1, collect: () => collections++})
    collection.activity()
    vi.advanceTimersByTime(1000)
    expect(collections).toBe(0)
    // A rebuild that found nothing to do ends without reporting activity.
    busy = false
    vi.advanceTimersByTime(999)
    expect(collections).toBe(0)
    vi.advanceTimersByTime(1)
    expect(collections).toBe(2)
    collection.stop()
  })

  it('does not collect again before the heap has grown by a tenth, nor after stop()', () => {
    let collections = 0
    const collection = new IdleCollection({idleMs: 10, collect: () => collections++})
    collection.activity()
    vi.advanceTimersByTime(10)
    expect(collections).toBe(2)
    // Nothing was allocated since: the heap holds what it held after the collection.
    collection.activity()
    vi.advanceTimersByTime(10)
    expect(collections).toBe(2)
    // Grown by more than a tenth (held here, so no collection of V8's own can take it back).
    const before = getHeapStatistics().used_heap_size
    const held: number[][] = []
    while (getHeapStatistics().used_heap_size < before * 1.2) held.push(new Array(100_000).fill(held.length))
    collection.activity()
    collection.stop()
    vi.advanceTimersByTime(10)
    expect(collections).toBe(2)
    collection.activity()
    vi.advanceTimersByTime(10)
    expect(collections).toBe(4)
    expect(held.length).toBeGreaterThan(0)
    collection.stop()
  })
})
