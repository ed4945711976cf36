/**
 * How long Ctrl-C waits: a signal handler runs only when the main thread returns to the event loop, so the longest
 * stretch it does not (measured by a preload, bench/event-loop-block.mjs) bounds the wait. First builds (`--to html`,
 * no derived cache) of the trenches draft and of a 20× concatenation of its body in one 1 MB file, cold processes,
 * medians; then the time from SIGINT to exit while that file is parsed (on the main thread), and while a 36×
 * concatenation (1.9 million characters, near the 2 MB limit) is parsed (in a worker).
 */
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, rmSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {performance} from 'node:perf_hooks'
import {copyProject, removeProject, repoRoot, trenches} from '../tests/support/project.ts'
import {addTrenchesTables} from '../tests/support/trenches-tables.ts'
import {median} from './process-timing.ts'

const cli = path.join(repoRoot, 'bin/manuscript.mjs')
const preload = path.join(repoRoot, 'bench/event-loop-block.mjs')

function longestBlock(project: string): number {
  rmSync(path.join(project, 'build'), {recursive: true, force: true})
  const result = spawnSync(process.execPath, ['--import', preload, cli, 'build', '--root', project, '--to', 'html'], {encoding: 'utf8'})
  // The concatenation repeats labels (errors): the build still goes through every stage but writing.
  if (result.status !== 0 && result.status !== 1) throw new Error(`build exited ${result.status}: ${result.stderr}`)
  return JSON.parse(result.stderr.trim().split('\n').at(-1)!).longestBlockMs
}

/** Milliseconds from SIGINT, sent once the `config` stage is printed (the parse begins), to the process's exit. */
async function stopDuringParse(project: string): Promise<number> {
  rmSync(path.join(project, 'build'), {recursive: true, force: true})
  const child = spawn(process.execPath, [cli, 'build', '--root', project, '--to', 'html'])
  let output = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk))
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve))
  while (!/^config\s/m.test(output)) await new Promise((resolve) => setTimeout(resolve, 2))
  const sent = performance.now()
  child.kill('SIGINT')
  const code = await exited
  if (code !== 130) throw new Error(`build stopped by SIGINT exited ${code}`)
  return performance.now() - sent
}

export async function benchStop(runs = Number(process.env.BENCH_RUNS ?? 7)): Promise<void> {
  const draft = copyProject(trenches, 'bench-stop-')
  const long = copyProject(trenches, 'bench-stop-20x-')
  const longest = copyProject(trenches, 'bench-stop-36x-')
  try {
    for (const [project, times] of [[draft, 1], [long, 20], [longest, 36]] as const) {
      addTrenchesTables(project)
      const entry = path.join(project, 'manuscript/manuscript.md')
      const source = readFileSync(entry, 'utf8')
      const end = source.indexOf('\n...\n') + '\n...\n'.length
      writeFileSync(entry, source.slice(0, end) + `\n${source.slice(end)}`.repeat(times))
    }
    console.log(`\nCtrl-C, ${runs} cold processes each: the longest stretch a signal waits for in a first build (--to html, no derived cache)`)
    for (const [label, project] of [['trenches draft', draft], ['trenches draft ×20, one file', long]] as const) {
      console.log(`${`longest wait, ${label}`.padEnd(44)} median ${median(Array.from({length: runs}, () => longestBlock(project))).toFixed(0)} ms`)
    }
    for (const [label, project] of [['×20 (main thread)', long], ['×36 (a worker)', longest]] as const) {
      const stops: number[] = []
      for (let run = 0; run < runs; run++) stops.push(await stopDuringParse(project))
      console.log(`${`SIGINT during the parse, ${label}`.padEnd(44)} median ${median(stops).toFixed(0)} ms`)
    }
  } finally {
    for (const project of [draft, long, longest]) removeProject(project)
  }
}
