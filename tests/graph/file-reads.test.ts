/**
 * What a watch session keeps of the files its last build read, and the hashes a build keeps for the next process: a
 * read (or hash) is used again only while the file's stat proves it unchanged, and never for a file that changed so
 * recently that a coarse file system could stamp a second write with the same times.
 */
import type {BigIntStats} from 'node:fs'
import {statSync, utimesSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {DependencyGraph} from '../../pipeline/graph/dependency-graph.ts'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {FileReads, KnownHashes, readKept} from '../../pipeline/graph/file-reads.ts'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {projectFromFiles, removeProject} from '../support/project.ts'

const projects: string[] = []
afterAll(() => projects.forEach(removeProject))

const second = 1_000_000_000n
/** A file's stat as the memo reads it, changed `changedSecondsAgo` before `now`. */
function stats(now: number, changedSecondsAgo: number, change: Partial<Record<'ino' | 'size' | 'mtimeNs' | 'ctimeNs', bigint>> = {}): BigIntStats {
  const changed = BigInt(now) * 1_000_000n - BigInt(changedSecondsAgo) * second
  return {dev: 1n, ino: 7n, size: 100n, mtimeNs: changed, ctimeNs: changed, isFile: () => true, ...change} as unknown as BigIntStats
}

describe('kept file reads', () => {
  const now = 1_800_000_000_000
  const bytes = Buffer.from('text')

  it('are used while the stat is the same, and not once any of inode, size or times differ', () => {
    const reads = new FileReads({now: () => now})
    const settled = stats(now, 60)
    reads.remember('/p/a.bib', settled, bytes, 'hash')
    expect(reads.recall('/p/a.bib', stats(now, 60))?.bytes).toBe(bytes)
    for (const change of [{ino: 8n}, {size: 101n}, {mtimeNs: settled.mtimeNs + 1n}, {ctimeNs: settled.ctimeNs + 1n}]) {
      expect(reads.recall('/p/a.bib', stats(now, 60, change))).toBeUndefined()
    }
    expect(reads.recall('/p/a.bib', undefined)).toBeUndefined()
  })

  it('are not kept for a file changed within the last two seconds, whose next write could keep the same times', () => {
    const reads = new FileReads({now: () => now})
    reads.remember('/p/a.bib', stats(now, 1), bytes, 'hash')
    expect(reads.recall('/p/a.bib', stats(now, 1))).toBeUndefined()
  })

  it('are let go when a build no longer reads the file, or writes it', () => {
    const reads = new FileReads({now: () => now})
    reads.remember('/p/a.bib', stats(now, 60), bytes, 'hash')
    reads.remember('/p/b.md', stats(now, 60), bytes, 'hash')
    reads.nextBuild()
    expect(reads.recall('/p/a.bib', stats(now, 60))).toBeDefined()
    reads.forget('/p/a.bib')
    expect(reads.recall('/p/a.bib', stats(now, 60))).toBeUndefined()
    reads.nextBuild()
    reads.nextBuild()
    expect(reads.size).toBe(0)
  })

  it('give a build the text of an unchanged file without reading it, and the new text of a changed one', async () => {
    const root = projectFromFiles({'refs.bib': '@book{one}\n'}, 'file-reads-')
    projects.push(root)
    // Every file counts as settled: what is tested here is that a changed stat is noticed.
    const reads = new FileReads({now: () => Date.now() + 60_000})
    const buildOnce = () => {
      const files = new ProjectFiles(root, new DependencyGraph())
      files.useKeptReads(reads)
      return {text: files.readText('refs.bib', '<build>'), bytes: files.readBytes('refs.bib', '<build>'), hash: files.graph.hashes.get('refs.bib')}
    }
    const first = buildOnce()
    const again = buildOnce()
    expect(again.bytes).toBe(first.bytes)
    expect(again.hash).toBe(first.hash)
    await new Promise((resolve) => setTimeout(resolve, 20))
    writeFileSync(path.join(root, 'refs.bib'), '@book{two}\n')
    const changed = buildOnce()
    expect(changed.text).toBe('@book{two}\n')
    expect(changed.hash).not.toBe(first.hash)
  })
})

describe('hashes kept between processes', () => {
  /** A fresh KnownHashes over the project's cache folder (what the next process makes), with its reads counted. */
  function nextProcess(root: string, now = Date.now() + 10_000) {
    const hashes = new KnownHashes(new DerivedCache(path.join(root, 'build/.cache'), 'build-1', {secret: 'secret'}), {now: () => now})
    const read: string[] = []
    const hash = (file: string) =>
      hashes.hash(file, (absolute) => {
        read.push(path.basename(absolute))
        return readKept(absolute, undefined)
      }).hash
    return {hashes, read, hash}
  }

  it("give a file's hash without reading it while its stat proves it unchanged, and read it again once edited", () => {
    const root = projectFromFiles({'fonts/a.woff2': 'aaaa', 'fonts/b.woff2': 'bbbb'}, 'known-hashes-')
    projects.push(root)
    const [a, b] = ['a', 'b'].map((name) => path.join(root, `fonts/${name}.woff2`))
    const first = nextProcess(root)
    const hashOfA = first.hash(a)
    first.hash(b)
    expect(first.read).toEqual(['a.woff2', 'b.woff2'])
    first.hashes.save()

    const second = nextProcess(root)
    expect(second.hash(a)).toBe(hashOfA)
    expect(second.read).toEqual([])
    second.hashes.save()

    // Same size, and its modification time set back: the change time still differs.
    const {mtime} = statSync(a)
    writeFileSync(a, 'zzzz')
    utimesSync(a, mtime, mtime)
    const third = nextProcess(root)
    expect(third.hash(a)).toBe(readKept(a, undefined).hash)
    expect(third.hash(a)).not.toBe(hashOfA)
    expect(third.read).toEqual(['a.woff2'])
  })

  it('are not kept for a file changed within the last two seconds, nor for one the last process did not hash', () => {
    const root = projectFromFiles({'fonts/a.woff2': 'aaaa', 'fonts/b.woff2': 'bbbb'}, 'known-hashes-')
    projects.push(root)
    const [a, b] = ['a', 'b'].map((name) => path.join(root, `fonts/${name}.woff2`))
    const first = nextProcess(root, Date.now())
    first.hash(a)
    first.hashes.save()
    const second = nextProcess(root)
    second.hash(a)
    second.hash(b)
    expect(second.read).toEqual(['a.woff2', 'b.woff2'])
    // A hash that had to be read comes with what was read, so the bytes need not be read again.
    expect(nextProcess(root, Date.now()).hashes.hash(b, (absolute) => readKept(absolute, undefined)).read?.bytes.toString()).toBe('bbbb')
  })
})
