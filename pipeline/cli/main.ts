/**
 * The `manuscript` command line. Each command lives in commands/ and parses its own options.
 * Exit codes: 0 done (warnings allowed), 1 errors in the manuscript, 2 usage or environment problem; a command
 * stopped by Ctrl-C, SIGTERM or SIGHUP ends the process itself, with 128 + the signal's number (see stop.ts).
 */
import {Reporter} from '../diagnostics/reporter.ts'
import type {Command} from './command.ts'
import {buildCommand} from './commands/build.ts'
import {checkCommand} from './commands/check.ts'
import {countCommand} from './commands/count.ts'
import {tablesCommand} from './commands/tables.ts'
import {watchCommand} from './commands/watch.ts'
import {EnvironmentError, UsageError} from './errors.ts'
import {StopOnSignals} from './stop.ts'

const commands: Record<string, Command> = {
  build: buildCommand,
  check: checkCommand,
  count: countCommand,
  tables: tablesCommand,
  watch: watchCommand
}

function help(): string {
  const names = Object.entries(commands)
  return `Usage: manuscript <command> [options]

Commands:
${names.map(([name, command]) => `  ${name.padEnd(8)}  ${command.summary}`).join('\n')}

Options:
${names.map(([name, command]) => `  ${name}:\n${command.usage}`).join('\n')}
  --debug           Show internal stack traces
  -h, --help        Show this help

Exit codes: 0 done (warnings allowed), 1 errors in the manuscript, 2 usage or environment problem,
130 stopped by Ctrl-C (143 by SIGTERM, 129 by SIGHUP; watch exits 0).
Colour is off when NO_COLOR is set or output is not a terminal.`
}

export async function main(argv: string[]): Promise<number> {
  const reporter = new Reporter()
  const debug = argv.includes('--debug')
  const args = argv.filter((arg) => arg !== '--debug')
  const [name, ...rest] = args
  if (!name || name === '--help' || name === '-h' || rest.includes('--help') || rest.includes('-h')) {
    reporter.line(help())
    return name ? 0 : 2
  }
  const command = commands[name]
  const stop = new StopOnSignals(reporter, command?.stop)
  try {
    if (!command) throw new UsageError(`Unknown command ${JSON.stringify(name)}. Run \`manuscript --help\` for the commands.`)
    const code = await command.run(rest, reporter, stop.signal)
    if (stop.signal.aborted) stop.exit()
    return code
  } catch (error) {
    // Stopped: whatever the command threw on its way out (an aborted parse, a closed browser) is not a problem.
    if (stop.signal.aborted) stop.exit()
    if (error instanceof UsageError || error instanceof EnvironmentError) {
      reporter.fail(error.message)
      return 2
    }
    if ((error as {code?: string}).code?.startsWith('ERR_PARSE_ARGS')) {
      reporter.fail(`${(error as Error).message}. Run \`manuscript --help\`.`)
      return 2
    }
    reporter.fail(`Internal error: ${(error as Error).message ?? String(error)}. This is a bug in the pipeline, not in your manuscript; run again with --debug and report the output.`)
    if (debug) reporter.line((error as Error).stack ?? '')
    return 2
  } finally {
    stop.dispose()
  }
}
