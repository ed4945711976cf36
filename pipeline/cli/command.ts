/** What every CLI command provides: its help line and a run function returning the exit code. */
import type {Reporter} from '../diagnostics/reporter.ts'
import type {StopOptions} from './stop.ts'

export interface Command {
  /** One line for `manuscript --help`. */
  summary: string
  /** Option lines for `manuscript <command> --help`. */
  usage: string
  /**
   * Runs the command. `signal` aborts on Ctrl-C or SIGTERM: the command then ends what it started and settles
   * promptly (see stop.ts); its result or error no longer matters.
   */
  run(argv: string[], reporter: Reporter, signal: AbortSignal): Promise<number>
  /** How a stop by a signal is reported and which code it exits with, when not as for a command that did not finish. */
  stop?: Pick<StopOptions, 'line' | 'exitCode'>
}
