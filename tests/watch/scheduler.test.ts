/** When rebuilds run: a burst of changes gives one run; changes during a run give exactly one more. */
import {describe, expect, it} from 'vitest'
import {RebuildScheduler} from '../../pipeline/watch/scheduler.ts'

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds))

function recorder(runMs: number) {
  const runs: string[][] = []
  const scheduler = new RebuildScheduler<string>({
    debounceMs: 50,
    run: async (changes) => {
      runs.push(changes)
      await sleep(runMs)
    }
  })
  return {runs, scheduler}
}

describe('RebuildScheduler', () => {
  it('coalesces a burst of changes into one run, after the changes stop', async () => {
    const {runs, scheduler} = recorder(10)
    for (const change of ['a', 'b', 'a', 'c']) {
      scheduler.notify(change)
      await sleep(5)
    }
    expect(runs).toEqual([])
    await sleep(100)
    await scheduler.idle()
    expect(runs).toEqual([['a', 'b', 'a', 'c']])
  })

  it('runs exactly once more for any number of changes made during a run', async () => {
    const {runs, scheduler} = recorder(200)
    scheduler.notify('first')
    await sleep(80)
    expect(runs).toHaveLength(1)
    for (const change of ['x', 'y', 'z']) {
      scheduler.notify(change)
      await sleep(20)
    }
    expect(runs).toHaveLength(1)
    await scheduler.idle()
    expect(runs).toEqual([['first'], ['x', 'y', 'z']])
  })

  it('keeps going after a run that throws, and stops scheduling once closed', async () => {
    const errors: unknown[] = []
    let calls = 0
    const scheduler = new RebuildScheduler<string>({
      debounceMs: 5,
      run: async () => {
        calls++
        if (calls === 1) throw new Error('boom')
      },
      onError: (error) => errors.push(error)
    })
    scheduler.notify('a')
    await sleep(20)
    await scheduler.idle()
    scheduler.notify('b')
    await sleep(20)
    await scheduler.idle()
    expect(calls).toBe(2)
    expect(errors).toHaveLength(1)
    scheduler.close()
    scheduler.notify('c')
    await sleep(20)
    expect(calls).toBe(2)
    expect(scheduler.busy).toBe(false)
  })
})
