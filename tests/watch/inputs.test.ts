/** What a session watches, from a build's dependency graph, and which file events count as changes. */
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {DependencyGraph} from '../../pipeline/graph/dependency-graph.ts'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {foldersToWatch, isRealChange, isTemporaryName, watchInputsOf, type WatchInputs} from '../../pipeline/watch/inputs.ts'
import {removeProject} from '../support/project.ts'

let root: string
let inputs: WatchInputs

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'watch-inputs-'))
  mkdirSync(path.join(root, 'manuscript/sections'), {recursive: true})
  mkdirSync(path.join(root, 'tables'))
  writeFileSync(path.join(root, 'manuscript/manuscript.md'), '# Title\n')
  writeFileSync(path.join(root, 'tables/a.ts'), 'export default 1\n')
  // Record reads the way a build does.
  const files = new ProjectFiles(root, new DependencyGraph())
  files.readText('manuscript/manuscript.md', '<build>')
  files.isFile('manuscript/sections/missing.md', 'manuscript/manuscript.md')
  files.isFile('appendix/later/extra.md', 'manuscript/manuscript.md')
  files.listFolder('tables', '.ts', '<tables>')
  files.isFile('manuscript.yaml', '<config>')
  inputs = watchInputsOf(files.graph)
})

afterAll(() => removeProject(root))

describe('watch inputs', () => {
  it('are the files read (with their hashes), the paths looked for and the folders listed', () => {
    expect([...inputs.files.keys()]).toEqual(['manuscript/manuscript.md'])
    expect(inputs.files.get('manuscript/manuscript.md')).toBe(createHash('sha256').update('# Title\n').digest('hex'))
    expect([...inputs.missing].sort()).toEqual(['appendix/later/extra.md', 'manuscript.yaml', 'manuscript/sections/missing.md'])
    expect([...inputs.folders]).toEqual(['tables'])
  })

  it('are watched through their folders, or the nearest existing ancestor of a folder not made yet', () => {
    expect(foldersToWatch(root, inputs)).toEqual([root, path.join(root, 'manuscript'), path.join(root, 'manuscript/sections'), path.join(root, 'tables')].sort())
  })

  it('count an event only when it makes the project differ from what the build read', () => {
    const change = (kind: 'add' | 'change' | 'unlink' | 'addDir' | 'unlinkDir', file: string) => isRealChange(root, inputs, {kind, path: file})
    // Same bytes (a save without changes, or the build's own write): no change.
    expect(change('change', 'manuscript/manuscript.md')).toBe(false)
    writeFileSync(path.join(root, 'manuscript/manuscript.md'), '# Title, edited\n')
    expect(change('change', 'manuscript/manuscript.md')).toBe(true)
    // A missing path counts once it exists.
    expect(change('add', 'manuscript/sections/missing.md')).toBe(false)
    writeFileSync(path.join(root, 'manuscript/sections/missing.md'), 'here\n')
    expect(change('add', 'manuscript/sections/missing.md')).toBe(true)
    // A file in a listed folder changes the listing; an editor's temporary file does not.
    expect(change('add', 'tables/b.ts')).toBe(true)
    expect(change('add', 'tables/.b.ts.1a2b.tmp')).toBe(false)
    expect(change('change', 'tables/b.ts')).toBe(false)
    // A folder made on the way to a missing path; an unrelated one.
    expect(change('addDir', 'appendix')).toBe(true)
    expect(change('addDir', 'figures')).toBe(false)
    expect(change('add', 'notes.txt')).toBe(false)
  })

  it('know editors’ temporary names', () => {
    for (const name of ['.data.md.swp', 'data.md~', '4913', 'x.tmp', '#data.md#']) expect(isTemporaryName(name), name).toBe(true)
    for (const name of ['data.md', 'tools.ts', 'v2.csv']) expect(isTemporaryName(name), name).toBe(false)
  })
})
