/**
 * A small on-disk cache for results derived from inputs (a parsed bibliography, formatted citations), kept in
 * the output folder's `.cache/` so a fresh process need not redo them. One slot per name: each slot holds the
 * hash of what it was made from and the result, so a changed input simply misses and overwrites it, and the
 * cache never grows. It is an optimisation only: any failure to read or write it is ignored.
 *
 * What it reads is verified: each entry is stored with an HMAC of its slot and content, keyed by the tool's build id
 * and a secret of the user's (made on first use, outside every project). An entry edited by hand, or shipped in a
 * cloned project's `build/.cache/`, does not verify, so it is ignored and made again: the cache can cost time, never
 * change what a build prints.
 */
import {createHash, createHmac, randomBytes} from 'node:crypto'
import {closeSync, constants, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {homedir} from 'node:os'
import path from 'node:path'
import {writeAtomically} from './write-atomically.ts'

/** Set by scripts/compile.mjs to a hash of the tool's code and locked dependencies. */
declare const __MANUSCRIPT_BUILD_ID__: string | undefined

/**
 * The tool's build id. Running from source (tests) there is none, and then nothing is cached on disk, since a
 * result made by one version of the code must never be served by another.
 */
export const toolBuildId: string | undefined = typeof __MANUSCRIPT_BUILD_ID__ === 'string' ? __MANUSCRIPT_BUILD_ID__ : undefined

export interface DerivedCacheOptions {
  /** The key of the entries' HMACs; default: the user's cache secret (see userCacheSecret). Without one the cache is off. */
  secret?: string
  /** Writes an entry (default: writeAtomically, after making the folder); ProjectFiles.writeOutput keeps it in the project. */
  write?: (file: string, content: string) => void
}

export class DerivedCache {
  private readonly folder: string | undefined
  private readonly key: string
  private readonly writeEntry: (file: string, content: string) => void

  /** `version` defaults to the tool's build id; without one (or without a secret) the cache is off. */
  constructor(folder: string | undefined, private readonly version: string | undefined = toolBuildId, options: DerivedCacheOptions = {}) {
    const secret = version === undefined || folder === undefined ? undefined : (options.secret ?? userCacheSecret())
    this.folder = secret === undefined ? undefined : folder
    this.key = `${version ?? ''}\u0000${secret ?? ''}`
    this.writeEntry =
      options.write ??
      ((file, content) => {
        mkdirSync(path.dirname(file), {recursive: true})
        writeAtomically(file, content)
      })
  }

  /** Whether entries are kept on disk at all (not when running from source, nor without a secret). */
  get enabled(): boolean {
    return this.folder !== undefined
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
      // The HMAC is checked on the bytes as stored; only a verified payload is decoded.
      const bytes = readWithoutFollowing(this.slotPath(slot))
      const newline = bytes.indexOf(0x0a)
      if (newline === -1) return undefined
      const payload = bytes.subarray(newline + 1)
      // An entry for another key (its input changed since) is of no use: it is neither verified nor decoded (a book's
      // hyphenation entry took 4-7 ms to). The payload starts as write() wrote it.
      const start = `${asciiJson({key}).slice(0, -1)},`
      if (payload.length < start.length || payload.toString('latin1', 0, start.length) !== start) return undefined
      if (bytes.toString('latin1', 0, newline) !== this.mac(slot, payload)) return undefined
      const stored = JSON.parse(payload.toString('utf8')) as {key: string; value: T}
      return stored.key === key ? stored.value : undefined
    } catch {
      return undefined
    }
  }

  write<T>(slot: string, key: string, value: T): void {
    if (!this.folder) return
    try {
      const payload = asciiJson({key, value})
      this.writeEntry(this.slotPath(slot), `${this.mac(slot, payload)}\n${payload}`)
    } catch {
      // A cache that cannot be written costs time, never correctness.
    }
  }

  private mac(slot: string, payload: string | Buffer): string {
    return createHmac('sha256', this.key).update(slot).update('\u0000').update(payload).digest('hex')
  }

  private slotPath(slot: string): string {
    return path.join(this.folder!, `${slot.replace(/[^\w.-]+/g, '_')}.json`)
  }
}

/** A cache entry's bytes; a symbolic link in its place is not followed (it could point out of the project). */
function readWithoutFollowing(file: string): Buffer {
  const descriptor = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
  try {
    return readFileSync(descriptor)
  } finally {
    closeSync(descriptor)
  }
}

/**
 * JSON with every character beyond ASCII escaped (`\u00e9`): the same value, but its text is one byte per character,
 * which V8 decodes and parses faster than text with a few dashes and accented letters in it. For the book's 3.4 MB of
 * cache: a build from the cache reads it in 10–15 ms less; a first build writes it in ~40 ms more (V8 scans the
 * two-byte JSON at ~12 ns a character; a loop of our own over its characters or code units was no faster). Builds from
 * the cache are the many.
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[^\0-\x7f]+/g, (run) => {
    let escaped = ''
    for (let index = 0; index < run.length; index++) escaped += `\\u${run.charCodeAt(index).toString(16).padStart(4, '0')}`
    return escaped
  })
}

let userSecret: {value?: string} | undefined

/**
 * The user's secret for cache HMACs: 32 random bytes in `$XDG_CACHE_HOME/manuscript-pipeline/cache-key` (else
 * `~/.cache/…`), readable by the user only, made on first use. A project cannot know it, so it cannot ship cache
 * entries that verify. Undefined (and the cache off) where it can be neither read nor made.
 */
export function userCacheSecret(): string | undefined {
  userSecret ??= {value: readOrMakeSecret()}
  return userSecret.value
}

function readOrMakeSecret(): string | undefined {
  const folder = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'manuscript-pipeline')
  const file = path.join(folder, 'cache-key')
  const read = () => {
    const text = readWithoutFollowing(file).toString('latin1').trim()
    return /^[0-9a-f]{64}$/.test(text) ? text : undefined
  }
  try {
    return read()
  } catch {
    // Not made yet: made below.
  }
  try {
    mkdirSync(folder, {recursive: true, mode: 0o700})
    const temporary = `${file}.${randomBytes(6).toString('hex')}.tmp`
    writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, {flag: 'wx', mode: 0o600})
    try {
      // The first process to link its key wins; the others read that one.
      linkSync(temporary, file)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    } finally {
      rmSync(temporary, {force: true})
    }
    return read()
  } catch {
    return undefined
  }
}
