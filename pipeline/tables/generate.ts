/**
 * Generating tables: bundle each definition, run it in the sandbox of a worker with its data, render the model to Markdown with
 * its provenance comment, and write `tables/<name>.md` atomically. Any failure is reported (naming the
 * definition, and the data file, row and column where there is one) and leaves the last good table as it was.
 */
import {availableParallelism} from 'node:os'
import {performance} from 'node:perf_hooks'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import type {ProjectFiles} from '../graph/project-files.ts'
import {bundleDefinitions, type BundleResult} from './bundle.ts'
import {cellPlace, CsvProblem, parseCsv, type CsvFile} from './csv.ts'
import {tableMarkdown} from './markdown.ts'
import {FigureDrawer} from '../figures/draw.ts'
import type {CsvSource, DataPlace, DefinitionFailure, ParsedData, SourcePlace} from './model.ts'
import {figureGeneratorVersion, withProvenance} from './provenance.ts'
import {encodeAhead, memoryLimitMb, runDefinitionBundle, startTableWorker, type TableWorker} from './run.ts'
import {sandboxFiles} from './sandbox-files.ts'
import {isFigureDefinition, tableFileOf} from './staleness.ts'

export interface GenerateOptions {
  timeLimitMs: number
  /** By definition, the inputs the staleness check read for it (TableState.inputsRead): its data is parsed ahead. */
  inputsRead?: ReadonlyMap<string, readonly string[]>
}

export interface GenerateOutcome {
  definition: string
  table: string
  ok: boolean
  /** True when the file's bytes changed. */
  written: boolean
  milliseconds: number
}

/** A data file problem found while loading data for the worker. */
class DataLoadProblem extends Error {
  constructor(
    message: string,
    readonly place: SourcePlace
  ) {
    super(message)
  }
}

/**
 * Generates the given definitions' tables, several at a time. The figure process and the workers start (and prepare
 * their sandbox) while esbuild bundles the definitions.
 */
export async function generateTables(files: ProjectFiles, definitions: string[], file: VFile, options: GenerateOptions): Promise<GenerateOutcome[]> {
  const start = performance.now()
  // Vega loads (in the drawer's process) only when there is a figure to draw; the slowest to start, it starts first.
  const drawer = definitions.some(isFigureDefinition) ? new FigureDrawer({timeLimitMs: options.timeLimitMs, memoryLimitMb}) : undefined
  const workers: TableWorker[] = []
  try {
    const sandbox = await sandboxFiles()
    // One lane per core: starting a worker (Node's worker bootstrap, QuickJS, the runtime module) costs a core some
    // 100 ms, more than a trenches definition takes to run; twice as many lanes as cores made its 13 definitions 0.15 s slower.
    // Figures count as one: they are drawn one at a time, each slower than its definition runs, so a second lane for
    // them only starts another worker (the trenches' five figures took 0.1 CPU-s more, and were no sooner drawn).
    const runs = definitions.filter((definition) => !isFigureDefinition(definition)).length + (drawer ? 1 : 0)
    const lanes = Math.max(1, Math.min(runs, 8, availableParallelism()))
    for (let lane = 0; lane < lanes; lane++) workers.push(startTableWorker(sandbox))
    const bundles = await bundleDefinitions(files, definitions)
    const bundleMilliseconds = (performance.now() - start) / definitions.length
    const csvCache = new Map<string, CsvFile | CsvProblem>()
    const outcomes: GenerateOutcome[] = new Array(definitions.length)
    let next = 0
    // Each lane runs its definitions one after another in its worker (a fresh runtime for each), and starts a new
    // worker only when a definition ended it. A lane goes on to its next definition as soon as the sandbox has
    // answered: a figure is drawn (in the drawer's own process, one at a time) while the definitions after it run.
    const finishing: Promise<void>[] = []
    const lanesDone = Promise.all(
      workers.map(async (_, lane) => {
        while (next < definitions.length) {
          const index = next++
          const definition = definitions[index]
          const bundled = bundles.get(definition)!
          if (bundled.bundle && !workers[lane].usable()) workers[lane] = startTableWorker(sandbox)
          let ran!: () => void
          const running = new Promise<void>((resolve) => (ran = resolve))
          const finished = generateTable(files, definition, bundled, bundled.bundle ? workers[lane] : undefined, file, options, csvCache, drawer, ran).then((outcome) => {
            outcome.milliseconds += bundleMilliseconds
            outcomes[index] = outcome
          })
          // Awaited below; handled here too, so that one failing while a lane fails is not an unhandled rejection.
          finished.catch(() => undefined)
          finishing.push(finished)
          await Promise.race([running, finished])
        }
        // Nothing left for this lane: its worker, already making a runtime for a next definition, would only take a
        // core from the figures still being drawn.
        await workers[lane].retire()
      })
    )
    // The first definitions are on their way to the workers (still starting, or evaluating them): meanwhile, their data.
    parseAhead(files, options.inputsRead, csvCache)
    await lanesDone
    await Promise.all(finishing)
    return outcomes
  } finally {
    await Promise.all([...workers.map((worker) => worker.retire()), drawer?.close()])
  }
}

/**
 * Parses the data files the definitions read the last time (the staleness check read them, as their tables' and
 * figures' provenance names them) and encodes them for the sandbox, so the first definition does not wait while its
 * data is parsed (the trenches' survey file takes 100-170 ms). Only what a definition would ask for by the file's path
 * alone (`{x: 'data/x.csv'}`) is prepared; a definition that reads a file otherwise, or reads other files, has them
 * parsed when it asks, as before. No file is read that the staleness check did not read, so nothing new enters the graph.
 */
function parseAhead(files: ProjectFiles, inputsRead: GenerateOptions['inputsRead'], csvCache: Map<string, CsvFile | CsvProblem>): void {
  for (const [definition, inputs] of inputsRead ?? []) {
    for (const input of inputs) {
      if (!/\.(csv|tsv)$/i.test(input)) continue
      try {
        encodeAhead(loadCsv(files, definition, {path: input}, csvCache).data)
      } catch {
        // Reported when the definition asks for the file, if it still does.
      }
    }
  }
}

/** `ran` is called once the sandbox has answered (the worker is free for the next definition); a figure is drawn after. */
async function generateTable(files: ProjectFiles, definition: string, bundled: BundleResult, tableWorker: TableWorker | undefined, file: VFile, options: GenerateOptions, csvCache: Map<string, CsvFile | CsvProblem>, drawer: FigureDrawer | undefined, ran: () => void): Promise<GenerateOutcome> {
  const start = performance.now()
  const table = tableFileOf(definition)
  const outcome = (ok: boolean, written = false): GenerateOutcome => ({definition, table, ok, written, milliseconds: performance.now() - start})
  const kept = `${table} was left as it was`

  if (!bundled.bundle || !tableWorker) {
    for (const problem of bundled.problems ?? []) {
      report(file, undefined, `${definition} could not be bundled: ${problem.message.replace(/\.$/, '')}. Fix the definition; ${kept}.`, 'table-definition-error', 'error', placeOptions(problem.place ?? {file: definition, line: 1, column: 1}))
    }
    return outcome(false)
  }

  const dataFiles: string[] = []
  const csvFiles = new Map<string, CsvFile>()
  const loadData = (sources: Record<string, CsvSource>): Record<string, ParsedData> => {
    const data: Record<string, ParsedData> = {}
    for (const [name, source] of Object.entries(sources)) {
      const csv = loadCsv(files, definition, source, csvCache)
      if (!dataFiles.includes(csv.data.file)) dataFiles.push(csv.data.file)
      csvFiles.set(csv.data.file, csv)
      data[name] = csv.data
    }
    return data
  }
  const result = await runDefinitionBundle({tableWorker, bundle: bundled.bundle, timeLimitMs: options.timeLimitMs, loadData})
  ran()
  if (result.output.trim()) {
    report(file, undefined, `${definition} printed: ${result.output.trim()}`, 'table-output', 'info', placeOptions({file: definition, line: 1, column: 1}))
  }
  const describeData = (place: DataPlace | undefined) => (place ? dataPlaceText(place, csvFiles.get(place.file)) : undefined)

  const hash = (input: string) => ({path: input, hash: (files.graph.hashes.get(input) ?? '').slice(0, 16)})
  const write = (text: string): GenerateOutcome => {
    let previous: string | undefined
    try {
      previous = files.isFile(table, definition) ? files.readText(table, definition) : undefined
    } catch {
      previous = undefined
    }
    if (previous === text) return outcome(true)
    files.writeText(table, text)
    return outcome(true, true)
  }

  switch (result.kind) {
    case 'figure': {
      const drawing = await drawer!.draw(result.figure)
      const at = placeOptions({file: definition, line: 1, column: 1})
      const seconds = options.timeLimitMs / 1000
      switch (drawing.kind) {
        case 'drawn':
          return write(withProvenance({definition, code: bundled.bundle.inputs.map(hash), data: dataFiles.map(hash)}, drawing.svg, figureGeneratorVersion))
        case 'refused':
          report(file, undefined, `${definition} returned a specification that cannot be drawn: ${drawing.message.replace(/\.$/, '')}. Fix the definition; ${kept}.`, 'table-definition-error', 'error', at)
          break
        case 'timeout':
          report(file, undefined, `${definition} returned a specification that Vega did not finish drawing within ${seconds} s, and the drawing was stopped (does a transform make an enormous number of rows: a \`sequence\`, \`flatten\`, \`impute\` or \`density\`?). Fix the definition; ${kept}.`, 'table-timeout', 'error', at)
          break
        case 'memory':
          report(file, undefined, `${definition} returned a specification that Vega could not draw in ${memoryLimitMb} MB of memory, the most a figure may use, and the drawing was stopped (aggregate the data in \`build\`, or make fewer rows in the spec's transforms). Fix the definition; ${kept}.`, 'table-definition-error', 'error', at)
          break
        case 'crashed':
          report(file, undefined, `${definition}'s figure could not be drawn: ${drawing.message}. Fix the definition; ${kept}.`, 'table-definition-error', 'error', at)
          break
      }
      return outcome(false)
    }
    case 'table': {
      const body = tableMarkdown(result.table)
      const text = withProvenance({definition, code: bundled.bundle.inputs.map(hash), data: dataFiles.map(hash)}, body)
      return write(text)
    }
    case 'data-problem': {
      const problem = result.problem
      if (problem instanceof DataLoadProblem) {
        report(file, undefined, `${problem.message.replace(/\.$/, '')} (read by ${definition}); ${kept}.`, 'table-data-error', 'error', placeOptions(problem.place))
        return outcome(false)
      }
      throw problem
    }
    case 'failed': {
      reportFailure(file, definition, kept, result.failure, describeData, csvFiles)
      return outcome(false)
    }
    case 'timeout': {
      const last = describeData(result.lastRead)
      const seconds = options.timeLimitMs / 1000
      report(file, undefined, `${definition} did not finish within ${seconds} s and was stopped (an endless loop?)${last ? `; the last data it read was ${last}` : ''}. Fix the definition; ${kept}.`, 'table-timeout', 'error', placeOptions({file: definition, line: 1, column: 1}))
      return outcome(false)
    }
    case 'no-runtime': {
      report(file, undefined, `${definition} could not run: the table runtime did not start (${result.message}). This is a problem with the pipeline's installation, not with the definition: run \`npm run compile\` (npm ci does it); ${kept}.`, 'table-runtime-error', 'error', placeOptions({file: definition, line: 1, column: 1}))
      return outcome(false)
    }
    case 'crashed': {
      report(file, undefined, `${definition} failed: ${result.message}. Fix the definition; ${kept}.`, 'table-definition-error', 'error', placeOptions({file: definition, line: 1, column: 1}))
      return outcome(false)
    }
  }
}

function reportFailure(file: VFile, definition: string, kept: string, failure: DefinitionFailure, describeData: (place: DataPlace | undefined) => string | undefined, csvFiles: Map<string, CsvFile>): void {
  const at = failure.at ? `${failure.at.file}:${failure.at.line}:${failure.at.column}` : undefined
  const data = describeData(failure.data)
  const message = failure.message.replace(/\.$/, '')
  if (failure.kind === 'data') {
    // A value problem is best fixed at the cell; a missing column, in the definition.
    const csv = failure.data ? csvFiles.get(failure.data.file) : undefined
    const cell = failure.dataProblem === 'value' && failure.data && csv ? {file: failure.data.file, ...cellPlace(csv, failure.data.row, failure.data.column)} : undefined
    const place = cell ?? failure.at ?? {file: definition, line: 1, column: 1}
    const fix = failure.dataProblem === 'missing-column' ? 'Fix the column name in the definition' : 'Fix the value in the data, or leave the row out in the definition'
    report(file, undefined, `${definition} failed${at ? ` at ${at}` : ''}: ${message}${data ? ` (${data})` : ''}. ${fix}; ${kept}.`, 'table-data-error', 'error', placeOptions(place))
    return
  }
  const context = [at ? `at ${at}` : undefined, data ? `${failure.lastRead ? 'the last data it read was ' : ''}${data}` : undefined].filter(Boolean).join('; ')
  const what = failure.kind === 'memory' ? `it used more than ${memoryLimitMb} MB of memory, the most a table definition may use` : message
  report(file, undefined, `${definition} failed: ${what}${context ? ` (${context})` : ''}. Fix the definition; ${kept}.`, 'table-definition-error', 'error', placeOptions(failure.at ?? {file: definition, line: 1, column: 1}))
}

/** `data/x.csv row 12 (line 13), column "Q2.1"`; the header when there is no row. */
function dataPlaceText(place: DataPlace, csv: CsvFile | undefined): string {
  const column = place.column === undefined ? '' : `, column "${place.column}"`
  if (place.row === undefined) return `${place.file}, header (line ${csv?.header.line ?? 1})${column}`
  const line = csv?.rows[place.row]?.line
  return `${place.file} row ${place.row + 1}${line === undefined ? '' : ` (line ${line})`}${column}`
}

function loadCsv(files: ProjectFiles, definition: string, source: CsvSource, cache: Map<string, CsvFile | CsvProblem>): CsvFile {
  const relative = files.relative(source.path)
  const location = files.locate([relative], definition)
  if (location.refused) throw new DataLoadProblem(`Cannot read data file ${source.path}: ${location.refused.message}`, declaredAt(files, definition, source.path))
  if (!location.found) {
    const what = files.isFolder(relative) ? 'is a folder, not a file' : 'does not exist'
    throw new DataLoadProblem(`Data file ${relative} ${what}; fix the path in \`data\` or add the file`, declaredAt(files, definition, source.path))
  }
  const text = files.readText(relative, definition)
  const textProblem = files.textProblem(relative)
  if (textProblem) throw new DataLoadProblem(textProblem.message, {file: relative, line: textProblem.line, column: textProblem.column})
  const key = JSON.stringify([relative, source.missing, source.types, source.delimiter])
  let parsed = cache.get(key)
  if (!parsed) {
    try {
      parsed = parseCsv(text, relative, source)
    } catch (error) {
      if (!(error instanceof CsvProblem)) throw error
      parsed = error
    }
    cache.set(key, parsed)
  }
  if (parsed instanceof CsvProblem) throw new DataLoadProblem(`${relative} is not valid CSV: ${parsed.message}`, {file: relative, ...parsed.place})
  return parsed
}

/** Where the definition names a data path (for a message about that path), else its first line. */
function declaredAt(files: ProjectFiles, definition: string, target: string): SourcePlace {
  const source = files.readText(definition, '<tables>')
  for (const quote of ["'", '"', '`']) {
    const offset = source.indexOf(`${quote}${target}${quote}`)
    if (offset < 0) continue
    const before = source.slice(0, offset + 1)
    const line = before.split('\n').length
    return {file: definition, line, column: offset + 1 - before.lastIndexOf('\n')}
  }
  return {file: definition, line: 1, column: 1}
}

function placeOptions(place: SourcePlace): {place: {line: number; column: number}; sourceFile: string} {
  return {place: {line: place.line, column: place.column}, sourceFile: place.file}
}

