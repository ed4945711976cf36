/** What every CLI command provides: its help line and a run function returning the exit code. */
import type {Reporter} from '../diagnostics/reporter.ts'

export interface Command {
  /** One line for `manuscript --help`. */
  summary: string
  /** Option lines for `manuscript <command> --help`. */
  usage: string
  run(argv: string[], reporter: Reporter): Promise<number>
}
