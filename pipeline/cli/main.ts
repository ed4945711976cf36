/**
 * The `manuscript` command line: build (and, as they land, check, tables, watch).
 * Exit codes: 0 done (warnings allowed), 1 errors in the manuscript, 2 usage or environment problem.
 */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {Reporter} from '../diagnostics/reporter.ts'
import {build} from '../build.ts'
import type {OutputFormat} from '../config/config.ts'
import {EnvironmentError, UsageError} from './errors.ts'

const help = `Usage: manuscript <command> [options]

Commands:
  build     Build the manuscript into build/<name>.html and build/<name>.pdf

Options:
  --root DIR        The manuscript project folder (default: the current folder)
  --to FORMATS      Comma-separated output formats: html, pdf (default: both, or the config's \`to\`)
  --debug           Show internal stack traces
  -h, --help        Show this help

Exit codes: 0 built (warnings allowed), 1 errors in the manuscript, 2 usage or environment problem.
Colour is off when NO_COLOR is set or output is not a terminal.`

export async function main(argv: string[]): Promise<number> {
  const reporter = new Reporter()
  let debug = argv.includes('--debug')
  try {
    const {values, positionals} = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        root: {type: 'string'},
        to: {type: 'string'},
        debug: {type: 'boolean'},
        help: {type: 'boolean', short: 'h'}
      }
    })
    debug = Boolean(values.debug)
    const [command, ...rest] = positionals
    if (values.help || !command) {
      reporter.line(help)
      return values.help ? 0 : 2
    }
    if (rest.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(rest[0])}. Run \`manuscript --help\`.`)
    const root = path.resolve(values.root ?? '.')
    switch (command) {
      case 'build':
        return await runBuild(root, parseFormats(values.to), reporter)
      default:
        throw new UsageError(`Unknown command ${JSON.stringify(command)}. Run \`manuscript --help\` for the commands.`)
    }
  } catch (error) {
    if (error instanceof UsageError || error instanceof EnvironmentError) {
      reporter.fail(error.message)
      return 2
    }
    if (error instanceof TypeError && (error as {code?: string}).code?.startsWith('ERR_PARSE_ARGS')) {
      reporter.fail(`${error.message}. Run \`manuscript --help\`.`)
      return 2
    }
    reporter.fail(`Internal error: ${(error as Error).message ?? String(error)}. This is a bug in the pipeline, not in your manuscript; run again with --debug and report the output.`)
    if (debug) reporter.line((error as Error).stack ?? '')
    return 2
  }
}

function parseFormats(value: string | undefined): OutputFormat[] | undefined {
  if (value === undefined) return undefined
  const formats = value.split(',').map((format) => format.trim().toLowerCase()).filter(Boolean)
  const unknown = formats.find((format) => format !== 'html' && format !== 'pdf')
  if (unknown || formats.length === 0) throw new UsageError(`--to takes html, pdf or html,pdf; got ${JSON.stringify(value)}.`)
  return formats as OutputFormat[]
}

async function runBuild(root: string, to: OutputFormat[] | undefined, reporter: Reporter): Promise<number> {
  const result = await build({root, to, onStage: (stage) => reporter.stage(stage.name, stage.milliseconds, stage.detail)})
  const counts = reporter.messages(result.messages)
  if (result.written) reporter.summary(result.summary, result.outputs)
  else reporter.line('Nothing written: fix the errors above; the previous outputs are left as they were.')
  reporter.counts(counts)
  return counts.error > 0 ? 1 : 0
}
