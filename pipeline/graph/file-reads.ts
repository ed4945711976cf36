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
import type {DerivedCache} from './derived-cache.ts'
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
    const signature = settledSignature(stats, this.now() - this.settleMs)
    if (signature === undefined) return read
    const entry: Entry = {...read, signature}
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

/** The file's signature when its times are older than `settledBefore` (ms since the epoch); else undefined. */
function settledSignature(stats: BigIntStats | undefined, settledBefore: number): string | undefined {
  if (!stats || !stats.isFile()) return undefined
  const changed = Number((stats.mtimeNs > stats.ctimeNs ? stats.mtimeNs : stats.ctimeNs) / 1_000_000n)
  return changed < settledBefore ? signatureOf(stats) : undefined
}

/**
 * The hashes of files a build reads outside its inputs (the tool's fonts and styles, and their copies beside the
 * HTML), kept between processes in the derived cache: a build compares each asset with its copy by hash, and
 * reading and hashing some 60 fonts twice cost a small build a tenth of its time. A hash is taken from there under
 * FileReads' proof (same device, inode, size and times, settled when hashed), so a copy edited or replaced since
 * is read again.
 */
export class KnownHashes {
  private readonly known: Record<string, [signature: string, hash: string]>
  private readonly seen: Record<string, [signature: string, hash: string]> = {}
  private readonly settleMs: number
  private readonly now: () => number

  constructor(
    private readonly cache: DerivedCache,
    options: FileReadsOptions = {}
  ) {
    this.settleMs = options.settleMs ?? 2000
    this.now = options.now ?? Date.now
    this.known = cache.read<Record<string, [string, string]>>(knownHashesSlot, '') ?? {}
  }

  /**
   * The file's hash: the one kept when its stat proves it unchanged, else the one `read` gives (and then kept), with
   * that read, so that a caller needing the bytes too does not read the file again.
   */
  hash(absolute: string, read: (absolute: string) => KeptRead): {hash: string; read?: KeptRead} {
    // Taken before the read, as FileReads does.
    const signature = settledSignature(statForRead(absolute), this.now() - this.settleMs)
    const kept = this.seen[absolute] ?? this.known[absolute]
    if (signature !== undefined && kept?.[0] === signature) {
      this.seen[absolute] = kept
      return {hash: kept[1]}
    }
    const made = read(absolute)
    if (signature !== undefined) this.seen[absolute] = [signature, made.hash]
    return {hash: made.hash, read: made}
  }

  /** Keeps the hashes this build used (only those: a file no build reads any more is let go), if they changed. */
  save(): void {
    if (JSON.stringify(this.seen) !== JSON.stringify(this.known)) this.cache.write(knownHashesSlot, '', this.seen)
  }
}

const knownHashesSlot = 'file-hashes'

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
