/**
 * The entry file deleted and created again (an editor that saves by deleting first, a `git checkout`, an undo): the
 * session reports that there is no manuscript, then rebuilds as soon as the file is back, with the same text or
 * another.
 */
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {removeProject} from '../support/project.ts'
import {copySample, recordSession, type RecordedSession} from './support.ts'

let project: string
let watch: RecordedSession
const entry = () => path.join(project, 'manuscript/manuscript.md')
const html = () => readFileSync(path.join(project, 'build/manuscript.html'), 'utf8')

beforeAll(async () => {
  project = copySample('watch-entry-')
  watch = await recordSession({root: project, port: 0, formats: ['html']})
}, 120_000)

afterAll(async () => {
  await watch?.session.close()
  removeProject(project)
})

async function deleteEntry(): Promise<void> {
  const since = watch.rebuilds.length
  rmSync(entry())
  const failed = await watch.rebuildAfter(since, (rebuild) => rebuild.failure !== undefined)
  expect(failed.failure).toMatch(/No manuscript found/)
  expect(failed.changes).toEqual([{path: 'manuscript/manuscript.md', kind: 'deleted'}])
  expect(failed.written).toBe(false)
}

describe('a watch session whose entry is deleted', () => {
  it('rebuilds when the entry comes back with the same text', async () => {
    const text = readFileSync(entry(), 'utf8')
    await deleteEntry()
    const since = watch.rebuilds.length
    writeFileSync(entry(), text)
    const rebuilt = await watch.rebuildAfter(since)
    expect(rebuilt.changes).toEqual([{path: 'manuscript/manuscript.md', kind: 'added'}])
    expect(rebuilt.failure).toBeUndefined()
    expect(rebuilt.written).toBe(true)
    expect(html()).toContain('Shared Soil')
  })

  it('rebuilds when the entry comes back with other text', async () => {
    const text = readFileSync(entry(), 'utf8')
    await deleteEntry()
    const since = watch.rebuilds.length
    writeFileSync(entry(), text.replace('Shared Soil', 'Common Ground'))
    const rebuilt = await watch.rebuildAfter(since)
    expect(rebuilt.failure).toBeUndefined()
    expect(rebuilt.written).toBe(true)
    expect(html()).toContain('Common Ground')
  })

  it('reports the deletion once, not again when nothing else changes', async () => {
    await deleteEntry()
    const since = watch.rebuilds.length
    await watch.session.idle()
    // The watcher's own re-check of the deleted path comes 60 ms later; it finds nothing new.
    await new Promise((resolve) => setTimeout(resolve, 500))
    await watch.session.idle()
    expect(watch.rebuilds.slice(since)).toEqual([])
  })
})
