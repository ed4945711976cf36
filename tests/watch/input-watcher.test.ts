/** The file watcher: events from the watched folders, including the saves chokidar itself would drop. */
import {mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {FileEvent} from '../../pipeline/watch/inputs.ts'
import {InputWatcher} from '../../pipeline/watch/input-watcher.ts'
import {removeProject} from '../support/project.ts'
import {sleep, waitFor} from './support.ts'

let root: string
let watcher: InputWatcher
const events: Array<FileEvent & {at: number}> = []

beforeAll(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'watch-watcher-'))
  mkdirSync(path.join(root, 'sections'))
  writeFileSync(path.join(root, 'sections/a.md'), 'one\n')
  watcher = new InputWatcher({root, onEvent: (event) => events.push({...event, at: performance.now()})})
  expect(await watcher.watchFolders([path.join(root, 'sections')])).toBe(true)
})

afterAll(async () => {
  await watcher?.close()
  removeProject(root)
})

const eventsFor = (file: string, since: number) => events.filter((event) => event.path === file && event.at >= since)

describe('InputWatcher', () => {
  it('reports a file changed, deleted, created again and replaced by rename, by project-relative path', async () => {
    const file = path.join(root, 'sections/a.md')
    let since = performance.now()
    writeFileSync(file, 'two\n')
    await waitFor(() => eventsFor('sections/a.md', since).find((event) => event.kind === 'change'), 5000, 'a change')
    since = performance.now()
    rmSync(file)
    await waitFor(() => eventsFor('sections/a.md', since).find((event) => event.kind === 'unlink'), 5000, 'an unlink')
    since = performance.now()
    writeFileSync(file, 'three\n')
    await waitFor(() => eventsFor('sections/a.md', since).find((event) => event.kind === 'add'), 5000, 'an add')
    since = performance.now()
    writeFileSync(`${file}.tmp`, 'four\n')
    renameSync(`${file}.tmp`, file)
    await waitFor(() => eventsFor('sections/a.md', since)[0], 5000, 'an event for the rename-save')
  })

  it('reports a second save that comes within chokidar’s 50 ms window, after it', async () => {
    const file = path.join(root, 'sections/a.md')
    await sleep(200)
    const first = performance.now()
    writeFileSync(file, 'five\n')
    await sleep(20)
    const second = performance.now()
    writeFileSync(file, 'six\n')
    await sleep(300)
    expect(eventsFor('sections/a.md', first).length).toBeGreaterThan(0)
    expect(eventsFor('sections/a.md', second).length).toBeGreaterThan(0)
  })

  it('does nothing when asked to watch the same folders again, and follows a new set', async () => {
    expect(await watcher.watchFolders([path.join(root, 'sections')])).toBe(false)
    mkdirSync(path.join(root, 'notes'))
    expect(await watcher.watchFolders([path.join(root, 'sections'), path.join(root, 'notes')])).toBe(true)
    const since = performance.now()
    writeFileSync(path.join(root, 'notes/b.md'), 'new\n')
    await waitFor(() => eventsFor('notes/b.md', since).find((event) => event.kind === 'add'), 5000, 'an add in the new folder')
  })
})
