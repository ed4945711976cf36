/** Helpers for watch tests: a temporary copy of the sample project and a session that records what it reports. */
import {cpSync, mkdtempSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {PrintOutcome} from '../../pipeline/watch/pdf-printer.ts'
import {startWatch, type RebuildReport, type WatchOptions, type WatchSession} from '../../pipeline/watch/session.ts'
import {repoRoot} from '../support/project.ts'

/** A fresh copy of the repository's sample project (manuscript, tables, figures, data). */
export function copySample(prefix = 'watch-sample-'): string {
  const project = mkdtempSync(path.join(tmpdir(), prefix))
  for (const folder of ['manuscript', 'tables', 'figures', 'data']) cpSync(path.join(repoRoot, folder), path.join(project, folder), {recursive: true})
  return project
}

export interface RecordedSession {
  session: WatchSession
  rebuilds: RebuildReport[]
  prints: PrintOutcome[]
  problems: string[]
  /** Resolves with the first rebuild after `since` (an index into `rebuilds`) that matches. */
  rebuildAfter(since: number, matches?: (rebuild: RebuildReport) => boolean, timeoutMs?: number): Promise<RebuildReport>
  printAfter(since: number, timeoutMs?: number): Promise<PrintOutcome>
}

export async function recordSession(options: WatchOptions): Promise<RecordedSession> {
  const rebuilds: RebuildReport[] = []
  const prints: PrintOutcome[] = []
  const problems: string[] = []
  const session = await startWatch({
    ...options,
    onRebuild: (rebuild) => rebuilds.push(rebuild),
    onPrint: (outcome) => prints.push(outcome),
    onProblem: (message) => problems.push(message)
  })
  return {
    session,
    rebuilds,
    prints,
    problems,
    rebuildAfter: (since, matches = () => true, timeoutMs = 15_000) => waitFor(() => rebuilds.slice(since).find(matches), timeoutMs, `a rebuild (${rebuilds.length - since} so far)`),
    printAfter: (since, timeoutMs = 30_000) => waitFor(() => prints[since], timeoutMs, 'a PDF print')
  }
}

export async function waitFor<T>(find: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const found = find()
    if (found !== undefined && found !== false) return found
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds))
