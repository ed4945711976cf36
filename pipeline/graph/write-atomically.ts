/**
 * Every file the pipeline writes (outputs, generated tables, cache entries) goes to a temporary file in the same
 * folder and is renamed into place: a reader (a PDF viewer, the browser, another build) never sees half a file,
 * and a failed write leaves the previous file as it was.
 */
import {randomBytes} from 'node:crypto'
import {renameSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'

export function writeAtomically(target: string, content: string | Uint8Array): void {
  // Hidden, and unique per call, so two builds of one project never share a temporary file.
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${randomBytes(6).toString('hex')}.tmp`)
  try {
    writeFileSync(temporary, content)
    renameSync(temporary, target)
  } catch (error) {
    rmSync(temporary, {force: true})
    throw error
  }
}
