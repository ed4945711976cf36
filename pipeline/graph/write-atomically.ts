/**
 * Every file the pipeline writes (outputs, generated tables, cache entries) goes to a temporary file in the same
 * folder and is renamed into place: a reader (a PDF viewer, the browser, another build) never sees half a file,
 * and a failed write leaves the previous file as it was. The rename replaces a symbolic link at the target's name
 * without following it, and the temporary file is created only if nothing is at its name (not even a link).
 *
 * A write the machine refuses (a full disk, a read-only file system, no permission) is the environment's problem,
 * not the manuscript's: a WriteFailedError (exit 2) names the file and what to do.
 */
import {randomBytes} from 'node:crypto'
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {EnvironmentError} from '../cli/errors.ts'

/** Writes the bytes of a file that must not exist yet. Tests pass one that fails as a full disk does. */
export type NewFileWriter = (file: string, content: string | Uint8Array) => void

/** O_CREAT | O_EXCL: never writes through a link or into a file that is already there. */
export const writeNewFile: NewFileWriter = (file, content) => writeFileSync(file, content, {flag: 'wx'})

/** Why the machine refuses writes, by error code, and what the author can do about it. */
const refusals: Record<string, {why: string; fix: string}> = {
  ENOSPC: {why: 'the disk is full', fix: 'Free some space on it'},
  EDQUOT: {why: 'your disk quota is used up', fix: 'Free some space in your quota'},
  EFBIG: {why: 'the file is larger than the file system or a limit allows', fix: 'Build on another disk, or raise the limit (`ulimit -f`)'},
  EROFS: {why: 'the file system is read-only', fix: 'Build the project on a writable disk (copy it there)'},
  EACCES: {why: 'permission denied', fix: 'Make the folder writable for you'},
  EPERM: {why: 'the operation is not permitted', fix: 'Make the folder and its files writable for you'},
  EIO: {why: 'the disk reported an input/output error', fix: 'Check the disk'},
  EMFILE: {why: 'too many files are open', fix: 'Close other programs'},
  ENFILE: {why: 'too many files are open on this machine', fix: 'Close other programs'}
}

/** A write the file system refused; the previous file at that name is as it was. */
export class WriteFailedError extends EnvironmentError {
  override name = 'WriteFailedError'
  constructor(
    readonly file: string,
    readonly code: string
  ) {
    const {why, fix} = refusals[code]
    super(`Cannot write ${file}: ${why} (${code}). ${fix}, then build again; the previous outputs are kept as they were.`)
  }
}

export interface WriteOptions {
  /** How the new bytes are written (default: writeNewFile). */
  writeNew?: NewFileWriter
  /** The file's name in a message (a project-relative path); default: the target as given. */
  shownAs?: string
}

export function writeAtomically(target: string, content: string | Uint8Array, options: WriteOptions = {}): void {
  // Hidden, and unique per call, so two builds of one project never share a temporary file.
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    ;(options.writeNew ?? writeNewFile)(temporary, content)
    renameSync(temporary, target)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    // EEXIST: something else is at the temporary name, not ours to remove.
    if (code !== 'EEXIST') rmSync(temporary, {force: true})
    if (code && code in refusals) throw new WriteFailedError(options.shownAs ?? target, code)
    throw error
  }
}
