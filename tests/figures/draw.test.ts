/**
 * Drawing a figure's specification with Vega in a process of its own: a spec that makes Vega loop is stopped at the
 * time limit, one that makes it build enormous data is stopped when it runs out of memory, and the next figure is
 * drawn all the same (by a new process). The pipeline's own process is never at risk.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import {FigureDrawer} from '../../pipeline/figures/draw.ts'
import type {FigureModel} from '../../pipeline/tables/model.ts'

const points = {mark: 'point', encoding: {x: {field: 's', type: 'quantitative'}}}

function figure(spec: Record<string, unknown>): FigureModel {
  return {label: 'fig:test', caption: 'A test figure', spec}
}

/** A regular expression that backtracks some 2^40 times on one value: Vega never finishes the calculation. */
const endless = figure({data: {values: [{a: 1}]}, transform: [{calculate: "test(regexp('^(a+)+$'), 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!') ? 1 : 0", as: 's'}], ...points})
/** A hundred million numbers in one row, then a row for each: more memory than a figure may use. */
const enormous = figure({data: {values: [{a: 1}]}, transform: [{calculate: 'sequence(0, 1e8)', as: 's'}, {flatten: ['s']}], ...points})
const fine = figure({data: {values: [{s: 1}, {s: 2}]}, ...points})

let drawer: FigureDrawer | undefined

/**
 * This process's figure processes still running (Linux: read from /proc), other than those running before the
 * test started (other test files may share this process).
 */
function figureProcesses(): number[] {
  return runningFigureProcesses().filter((pid) => !before.has(pid))
}

let before = new Set<number>()
beforeEach(() => {
  before = new Set(runningFigureProcesses())
})

function runningFigureProcesses(): number[] {
  const children: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      // The parent's pid is the fourth field, after the command name in parentheses.
      const parent = Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1])
      if (parent === process.pid && readFileSync(`/proc/${name}/cmdline`, 'utf8').includes('figure-worker')) children.push(Number(name))
    } catch {
      // The process ended while being read.
    }
  }
  return children
}

afterEach(() => drawer?.close())

describe('drawing a figure', () => {
  it('stops a specification that makes Vega loop at the time limit, then draws the next figure', async () => {
    drawer = new FigureDrawer({timeLimitMs: 1500, memoryLimitMb: 512})
    const [stopped, next] = await Promise.all([drawer.draw(endless), drawer.draw(fine)])
    expect(stopped).toEqual({kind: 'timeout'})
    expect(next.kind).toBe('drawn')
    // The process stopped at the time limit is gone, and closing the drawer ends the other.
    await drawer.close()
    if (process.platform === 'linux') await expect.poll(figureProcesses, {timeout: 5000}).toEqual([])
  }, 60_000)

  it('leaves no process behind when closed before its process started', async () => {
    drawer = new FigureDrawer({timeLimitMs: 1500, memoryLimitMb: 512})
    await drawer.close()
    // The early start's process would appear once the worker script is ready: give it time to.
    await new Promise((resolve) => setTimeout(resolve, 2000))
    if (process.platform === 'linux') expect(figureProcesses()).toEqual([])
  }, 60_000)

  it('stops a specification that makes Vega build enormous data when it runs out of memory, then draws the next figure', async () => {
    drawer = new FigureDrawer({timeLimitMs: 120_000, memoryLimitMb: 256})
    const [stopped, next] = await Promise.all([drawer.draw(enormous), drawer.draw(fine)])
    expect(stopped).toEqual({kind: 'memory'})
    expect(next.kind).toBe('drawn')
  }, 180_000)

  it("passes on what the specification may not hold, and Vega's own errors, keeping its process", async () => {
    drawer = new FigureDrawer({timeLimitMs: 10_000, memoryLimitMb: 512})
    expect(await drawer.draw(figure({data: {url: 'data/a.csv'}, ...points}))).toEqual({kind: 'refused', message: expect.stringMatching(/^The specification has `data\.url`/)})
    expect(await drawer.draw(figure({data: {values: [{s: 1}]}, transform: [{calculate: 'nosuchfunction(1)', as: 't'}], ...points}))).toEqual({kind: 'refused', message: expect.stringMatching(/nosuchfunction/)})
    expect((await drawer.draw(fine)).kind).toBe('drawn')
  }, 60_000)
})
