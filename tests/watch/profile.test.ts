/**
 * `manuscript watch --profile submission`: the session keeps the profile's outputs up to date and previews them,
 * as `build --profile submission` writes them; the default outputs are left alone.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {removeProject} from '../support/project.ts'
import {copySample, recordSession, type RecordedSession} from './support.ts'

let project: string
let watch: RecordedSession
const file = (name: string) => path.join(project, name)

beforeAll(async () => {
  project = copySample('watch-profile-')
  watch = await recordSession({root: project, port: 0, formats: ['html'], profile: 'submission'})
}, 120_000)

afterAll(async () => {
  await watch?.session.close()
  removeProject(project)
})

describe('a watch session with a profile', () => {
  it('writes and previews the profile’s page, figures and tables after the references, and follows edits', async () => {
    expect(watch.rebuilds[0].outputs).toEqual(['build/manuscript-submission.html'])
    expect(existsSync(file('build/manuscript.html'))).toBe(false)
    const served = await (await fetch(watch.session.url)).text()
    expect(served).toMatch(/\[Figure 1 about here\]/)
    expect(served).toMatch(/\[Table 1 about here\]/)

    const since = watch.rebuilds.length
    const entry = file('manuscript/manuscript.md')
    writeFileSync(entry, `${readFileSync(entry, 'utf8')}\nA sentence added while watching.\n`)
    const rebuild = await watch.rebuildAfter(since)
    expect(rebuild.outputs).toEqual(['build/manuscript-submission.html'])
    expect(readFileSync(file('build/manuscript-submission.html'), 'utf8')).toContain('A sentence added while watching.')
    expect(await (await fetch(watch.session.url)).text()).toContain('A sentence added while watching.')
  })
})
