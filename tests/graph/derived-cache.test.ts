import {cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {hasTool, projectFromFiles, removeProject, repoRoot, runCli} from '../support/project.ts'

const folders: string[] = []
afterAll(() => {
  for (const folder of folders) rmSync(folder, {recursive: true, force: true})
})
const folder = () => {
  const made = mkdtempSync(path.join(tmpdir(), 'derived-cache-'))
  folders.push(made)
  return made
}
const secret = 'a'.repeat(64)

describe('derived cache', () => {
  it('returns a result only for the key it was made from, keeping one entry per slot', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, 'build-1', {secret})
    cache.write('citations', cache.hash('a'), {html: 'A'})
    expect(cache.read('citations', cache.hash('a'))).toEqual({html: 'A'})
    expect(cache.read('citations', cache.hash('b'))).toBeUndefined()
    cache.write('citations', cache.hash('b'), {html: 'B'})
    expect(cache.read('citations', cache.hash('a'))).toBeUndefined()
    expect(readdirSync(dir)).toEqual(['citations.json'])
  })

  it('gives back every character as it was written: accents, other scripts, emoji, a lone surrogate', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, 'build-1', {secret})
    const value = {title: 'Müller’s “Über” — 東京, Ελλάδα 🎓 \u{1F600}', broken: 'a\ud800b', control: 'tab\tline\nend\u007f'}
    cache.write('citations', cache.hash('a'), value)
    expect(cache.read('citations', cache.hash('a'))).toEqual(value)
    // Stored as ASCII text (each other character escaped), which is quicker to read back.
    expect([...readFileSync(path.join(dir, 'citations.json'))].every((byte) => byte < 0x80)).toBe(true)
  })

  it('never serves a result made by another build of the tool', () => {
    const dir = folder()
    const first = new DerivedCache(dir, 'build-1', {secret})
    first.write('mdast', first.hash('text'), {type: 'root'})
    const second = new DerivedCache(dir, 'build-2', {secret})
    expect(second.read('mdast', second.hash('text'))).toBeUndefined()
  })

  it('is off when the tool has no build id (running from source)', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, undefined, {secret})
    cache.write('x', cache.hash('a'), 1)
    expect(cache.read('x', cache.hash('a'))).toBeUndefined()
    expect(readdirSync(dir)).toEqual([])
  })

  it('ignores an entry edited by hand, one moved to another slot, and one made with another secret, and makes it again', () => {
    const dir = folder()
    const cache = new DerivedCache(dir, 'build-1', {secret})
    const key = cache.hash('source')
    cache.write('citations', key, {html: 'Smith (2001)'})
    const file = path.join(dir, 'citations.json')
    const written = readFileSync(file, 'utf8')
    writeFileSync(file, written.replace('Smith (2001)', 'Forged (1999)'))
    expect(cache.read('citations', key)).toBeUndefined()
    writeFileSync(path.join(dir, 'other.json'), written)
    expect(cache.read('other', key)).toBeUndefined()
    writeFileSync(file, written)
    expect(new DerivedCache(dir, 'build-1', {secret: 'b'.repeat(64)}).read('citations', key)).toBeUndefined()
    expect(cache.read('citations', key)).toEqual({html: 'Smith (2001)'})
    for (const broken of ['', 'not json', `${written.split('\n')[0]}\n{"key":`]) {
      writeFileSync(file, broken)
      expect(cache.read('citations', key)).toBeUndefined()
    }
    cache.write('citations', key, {html: 'Smith (2001)'})
    expect(cache.read('citations', key)).toEqual({html: 'Smith (2001)'})
  })

  it('does not follow a symbolic link in an entry’s place, and a failed write costs nothing but time', () => {
    const dir = folder()
    const elsewhere = folder()
    const cache = new DerivedCache(dir, 'build-1', {secret})
    cache.write('mdast', cache.hash('x'), {type: 'root'})
    const entry = path.join(dir, 'mdast.json')
    writeFileSync(path.join(elsewhere, 'entry.json'), readFileSync(entry))
    rmSync(entry)
    symlinkSync(path.join(elsewhere, 'entry.json'), entry)
    expect(cache.read('mdast', cache.hash('x'))).toBeUndefined()
    const refusing = new DerivedCache(dir, 'build-1', {secret, write: () => {
      throw Object.assign(new Error('ENOSPC'), {code: 'ENOSPC'})
    }})
    expect(() => refusing.write('other', refusing.hash('y'), 1)).not.toThrow()
  })

  it('through the CLI: an entry edited in build/.cache never reaches the output; it is made again', () => {
    const root = projectFromFiles({'manuscript/manuscript.md': '# Paper\n\nThe original words of the paper.\n'}, 'derived-cache-cli-')
    const home = folder()
    try {
      const env = {XDG_CACHE_HOME: home}
      expect(runCli(['build', '--root', root, '--to', 'html'], {env}).status).toBe(0)
      const html = readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')
      const cacheFolder = path.join(root, 'build/.cache')
      const entries = readdirSync(cacheFolder).filter((name) => readFileSync(path.join(cacheFolder, name), 'utf8').includes('The original words'))
      expect(entries.length).toBeGreaterThan(0)
      for (const name of entries) {
        const file = path.join(cacheFolder, name)
        writeFileSync(file, readFileSync(file, 'utf8').replaceAll('The original words', 'Forged words here'))
      }
      expect(runCli(['build', '--root', root, '--to', 'html'], {env}).status).toBe(0)
      expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toBe(html)
      // The entries were made again, and serve the next build.
      for (const name of entries) expect(readFileSync(path.join(cacheFolder, name), 'utf8')).toContain('The original words')
      expect(readdirSync(path.join(home, 'manuscript-pipeline'))).toEqual(['cache-key'])
    } finally {
      removeProject(root)
    }
  })

  it.skipIf(!hasTool('pdftocairo'))('through the CLI: a converted PDF figure edited in build/.cache is converted again, not printed', () => {
    const root = projectFromFiles({'manuscript/manuscript.md': '# Paper\n\n![Hours](figures/hours.pdf)\n'}, 'derived-cache-figure-')
    cpSync(path.join(repoRoot, 'figures/fig_hours.pdf'), path.join(root, 'figures/hours.pdf'))
    const home = folder()
    try {
      const env = {XDG_CACHE_HOME: home}
      expect(runCli(['build', '--root', root, '--to', 'html'], {env}).status).toBe(0)
      const asset = path.join(root, 'build/manuscript_files/images/figures/hours.svg')
      const made = readFileSync(asset, 'utf8')
      const cacheFolder = path.join(root, 'build/.cache')
      const [converted] = readdirSync(cacheFolder).filter((name) => name.endsWith('.svg'))
      writeFileSync(path.join(cacheFolder, converted), '<svg xmlns="http://www.w3.org/2000/svg"><text>Forged</text></svg>')
      expect(runCli(['build', '--root', root, '--to', 'html'], {env}).status).toBe(0)
      expect(readFileSync(asset, 'utf8')).toBe(made)
      expect(readFileSync(path.join(cacheFolder, converted), 'utf8')).toBe(made)
    } finally {
      removeProject(root)
    }
  })
})
