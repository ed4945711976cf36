/**
 * The files a session's last build read, kept for the next build (watch mode): a rebuild after the author saves one
 * chapter need not read, hash and decode a 3 MB shared `.bib` again. A kept read is used only while the file
 * provably has not changed since: its device, inode, size, modification and change times (nanoseconds) are the
 * same as when it was read, and those times were already older than `settleMs` when it was read. The second rule is
 * git's answer to "racy" files: a file system stamps times at a coarse tick, so a file written again within the tick
 * of the read keeps its times; a file that changed recently is therefore always read again. Writing a file always
 * changes its change time (which no program can set back), so an edit is never missed.
 *
 * Owned by the project's session (project-session.ts); a build's ProjectFiles consults it through `useKeptReads`.
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync, type BigIntStats} from 'node:fs'
import type {TextProblem} from './project-files.ts'

export interface KeptRead {
  bytes: Buffer
  /** SHA-256 (hex) of the bytes. */
  hash: string
  /** The bytes decoded, once a build read them as text. */
  text?: {value: string; problem: TextProblem | undefined}
}

interface Entry extends KeptRead {
  signature: string
}

export interface FileReadsOptions {
  /** How old a file's times must be when it is read for the read to be kept (default 2 s: coarse file systems). */
  settleMs?: number
  /** The wall clock, in milliseconds (tests move it). */
  now?: () => number
}

export class FileReads {
  /** Reads of the build going on, and of the one before it: a file no build reads any more is let go. */
  private current = new Map<string, Entry>()
  private previous = new Map<string, Entry>()
  private readonly settleMs: number
  private readonly now: () => number

  constructor(options: FileReadsOptions = {}) {
    this.settleMs = options.settleMs ?? 2000
    this.now = options.now ?? Date.now
  }

  /** A new build starts: reads the last build did not make again are forgotten after it. */
  nextBuild(): void {
    this.previous = this.current
    this.current = new Map()
  }

  /**
   * The file's last read when the file is as it was then; `undefined` when it must be read (and then `remember`
   * told). `stats` is taken before the read, so a write during the read makes the next stat differ.
   */
  recall(absolute: string, stats: BigIntStats | undefined): KeptRead | undefined {
    const entry = this.current.get(absolute) ?? this.previous.get(absolute)
    if (!entry || !stats || entry.signature !== signatureOf(stats)) return undefined
    this.current.set(absolute, entry)
    return entry
  }

  /** Keeps a read (when the file's times had settled at `stats`), and returns what the build then holds of it. */
  remember(absolute: string, stats: BigIntStats | undefined, bytes: Buffer, hash: string): KeptRead {
    const read: KeptRead = {bytes, hash}
    this.previous.delete(absolute)
    this.current.delete(absolute)
    if (!stats || !stats.isFile()) return read
    const changed = Number((stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs) / 1_000_000n)
    if (changed >= this.now() - this.settleMs) return read
    const entry: Entry = {...read, signature: signatureOf(stats)}
    this.current.set(absolute, entry)
    return entry
  }

  /** The build wrote this file: what was kept of it is stale. */
  forget(absolute: string): void {
    this.current.delete(absolute)
    this.previous.delete(absolute)
  }

  /** How many reads are kept (tests). */
  get size(): number {
    return new Set([...this.current.keys(), ...this.previous.keys()]).size
  }
}

/** The stat of a file as the read memo compares it (undefined when it cannot be had: the read will say why). */
export function statForRead(absolute: string): BigIntStats | undefined {
  try {
    return statSync(absolute, {bigint: true, throwIfNoEntry: false})
  } catch {
    return undefined
  }
}

function signatureOf(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeNs}:${stats.ctimeNs}`
}

/**
 * A file's bytes and hash, kept in `reads` while its stat proves it unchanged; without `reads`, simply read. Used
 * for a build's inputs (ProjectFiles.readBytes) and for the files it reads outside them: the assets copied beside
 * the HTML, and the copies already there.
 */
export function readKept(absolute: string, reads: FileReads | undefined): KeptRead {
  // Taken before the read: a write during the read makes the next build's stat differ.
  const stats = reads ? statForRead(absolute) : undefined
  const kept = reads?.recall(absolute, stats)
  if (kept) return kept
  const bytes = readFileSync(absolute)
  const hash = createHash('sha256').update(bytes).digest('hex')
  return reads ? reads.remember(absolute, stats, bytes, hash) : {bytes, hash}
}
