/**
 * A small on-disk cache for results derived from inputs (a parsed bibliography, formatted citations), kept in
 * the output folder's `.cache/` so a fresh process need not redo them. One slot per name: each slot holds the
 * hash of what it was made from and the result, so a changed input simply misses and overwrites it, and the
 * cache never grows. It is an optimisation only: any failure to read or write it is ignored.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {writeAtomically} from './write-atomically.ts'

/** Set by scripts/compile.mjs to a hash of the tool's code and locked dependencies. */
declare const __MANUSCRIPT_BUILD_ID__: string | undefined

/**
 * The tool's build id. Running from source (tests) there is none, and then nothing is cached on disk, since a
 * result made by one version of the code must never be served by another.
 */
export const toolBuildId: string | undefined = typeof __MANUSCRIPT_BUILD_ID__ === 'string' ? __MANUSCRIPT_BUILD_ID__ : undefined

export class DerivedCache {
  private readonly folder: string | undefined

  /** `version` defaults to the tool's build id; without one the cache is off. */
  constructor(folder: string | undefined, private readonly version: string | undefined = toolBuildId) {
    this.folder = version === undefined ? undefined : folder
  }

  hash(...parts: string[]): string {
    const hash = createHash('sha256').update(this.version ?? '')
    for (const part of parts) hash.update('\u0000').update(part)
    return hash.digest('hex')
  }

  /** A slot name for one of many things of a kind (`bibtex` of each bibliography path). */
  static slot(kind: string, name: string): string {
    return `${kind}-${createHash('sha256').update(name).digest('hex').slice(0, 16)}`
  }

  read<T>(slot: string, key: string): T | undefined {
    if (!this.folder) return undefined
    try {
      const stored = JSON.parse(readFileSync(this.slotPath(slot), 'utf8')) as {key: string; value: T}
      return stored.key === key ? stored.value : undefined
    } catch {
      return undefined
    }
  }

  write(slot: string, key: string, value: unknown): void {
    if (!this.folder) return
    try {
      mkdirSync(this.folder, {recursive: true})
      writeAtomically(this.slotPath(slot), JSON.stringify({key, value}))
    } catch {
      // A cache that cannot be written costs time, never correctness.
    }
  }

  private slotPath(slot: string): string {
    return path.join(this.folder!, `${slot.replace(/[^\w.-]+/g, '_')}.json`)
  }
}
