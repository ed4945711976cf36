/**
 * chokidar over the folders that hold the build's inputs (see inputs.ts), one level deep. Every event is passed on
 * with its project-relative path; whether it is a change is decided later, against the latest build. When the set
 * of folders changes, a new chokidar watcher is made ready before the old one is closed, so no save falls between.
 *
 * chokidar drops a `change` of a file that comes within 50 ms of the last one it reported for that file (and an
 * fs event within 5 ms of the last): a second quick save would be lost, and the preview would show the first. So
 * each event is followed, once that window has passed with no other event for the path, by a `change` of our own
 * for it; the session compares contents, so this costs a rebuild only when the file did change again.
 */
import path from 'node:path'
import {watch, type FSWatcher} from 'chokidar'
import type {ChangeKind, FileEvent} from './inputs.ts'

export interface InputWatcherOptions {
  root: string
  onEvent(event: FileEvent): void
  onError?(error: Error): void
}

const kinds = new Set<string>(['add', 'change', 'unlink', 'addDir', 'unlinkDir'])
/** Longer than chokidar's 50 ms window for repeated `change` events of one file. */
const recheckAfterMs = 60

export class InputWatcher {
  private current: FSWatcher | undefined
  private folders: string[] = []
  private closed = false
  private readonly rechecks = new Map<string, NodeJS.Timeout>()

  constructor(private readonly options: InputWatcherOptions) {}

  /** Watch exactly these folders (absolute). Resolves once they are watched; true if the set changed. */
  async watchFolders(folders: string[]): Promise<boolean> {
    const wanted = [...new Set(folders)].sort()
    if (this.closed || (wanted.length === this.folders.length && wanted.every((folder, index) => folder === this.folders[index]))) return false
    if (wanted.length === 0) {
      // chokidar never gets ready with nothing to watch.
      await this.current?.close()
      this.current = undefined
      this.folders = []
      return true
    }
    const next = watch(wanted, {
      ignoreInitial: true,
      depth: 0,
      // An editor's save by rename (write a temporary file, rename it over the original) is one `change`.
      atomic: true,
      ignorePermissionErrors: true,
      persistent: true
    })
    next.on('all', (kind, file) => {
      if (kinds.has(kind)) this.passOn({kind: kind as ChangeKind, path: this.relative(file)})
    })
    next.on('error', (error) => this.options.onError?.(error as Error))
    await new Promise<void>((resolve) => next.once('ready', () => resolve()))
    const previous = this.current
    this.current = next
    this.folders = wanted
    await previous?.close()
    if (this.closed) await next.close()
    return true
  }

  async close(): Promise<void> {
    this.closed = true
    for (const timer of this.rechecks.values()) clearTimeout(timer)
    this.rechecks.clear()
    await this.current?.close()
    this.current = undefined
  }

  private passOn(event: FileEvent): void {
    this.options.onEvent(event)
    clearTimeout(this.rechecks.get(event.path))
    const recheck = setTimeout(() => {
      this.rechecks.delete(event.path)
      if (!this.closed) this.options.onEvent({kind: 'change', path: event.path})
    }, recheckAfterMs)
    this.rechecks.set(event.path, recheck)
  }

  private relative(file: string): string {
    return path.relative(this.options.root, file).split(path.sep).join('/')
  }
}
