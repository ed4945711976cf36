import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'

const folder = () => mkdtempSync(path.join(tmpdir(), 'derived-cache-'))

describe('derived cache', () => {
  it('returns a result only for the key it was made from, keeping one entry per slot', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, 'build-1')
    cache.write('citations', cache.hash('a'), {html: 'A'})
    expect(cache.read('citations', cache.hash('a'))).toEqual({html: 'A'})
    expect(cache.read('citations', cache.hash('b'))).toBeUndefined()
    cache.write('citations', cache.hash('b'), {html: 'B'})
    expect(cache.read('citations', cache.hash('a'))).toBeUndefined()
    expect(readdirSync(dir)).toEqual(['citations.json'])
  })

  it('never serves a result made by another build of the tool', () => {
    const dir = folder()
    const first = new DerivedCache(dir, 'build-1')
    first.write('mdast', first.hash('text'), {type: 'root'})
    const second = new DerivedCache(dir, 'build-2')
    expect(second.read('mdast', second.hash('text'))).toBeUndefined()
  })

  it('is off when the tool has no build id (running from source)', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, undefined)
    cache.write('x', cache.hash('a'), 1)
    expect(cache.read('x', cache.hash('a'))).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
  })
})
