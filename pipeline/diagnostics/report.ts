/**
 * The one way a stage reports a problem: a vfile message with a kebab-case rule id, placed at the node's
 * position in the file its text really lives in (an included file keeps its own path).
 * Only the reporter (pipeline/diagnostics/reporter.ts) prints messages.
 */
import type {Node} from 'unist'
import type {Position, Point} from 'unist'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {rules, type RuleId} from './rules.ts'

export type Severity = 'error' | 'warning' | 'info'

export interface Located {
  position?: Position
  data?: {sourceFile?: string}
}

export interface ReportOptions {
  /** Where the problem is; defaults to the node's own position. */
  place?: Position | Point
  /** The file the place is in; defaults to the node's `data.sourceFile`, then the vfile's path. */
  sourceFile?: string
  /** A short hint appended to the message as "… (did you mean x?)" is better written into the reason itself; this goes to `note`. */
  note?: string
}

/**
 * Report `reason` at `node` under rule `ruleId` (one of pipeline/diagnostics/rules.ts), at the rule's severity unless
 * `severity` says otherwise. The message says what is wrong and what to do.
 */
export function report(
  file: VFile,
  node: Located | Node | undefined,
  reason: string,
  ruleId: RuleId,
  severity: Severity = rules[ruleId].severity,
  options: ReportOptions = {}
): VFileMessage {
  const located = node as Located | undefined
  const message = file.message(reason, {
    place: options.place ?? located?.position,
    ruleId,
    source: 'manuscript'
  })
  message.file = options.sourceFile ?? located?.data?.sourceFile ?? file.path
  message.fatal = severity === 'error' ? true : severity === 'warning' ? false : undefined
  if (options.note) message.note = options.note
  return message
}

export function severityOf(message: VFileMessage): Severity {
  return message.fatal === true ? 'error' : message.fatal === false ? 'warning' : 'info'
}

export function hasErrors(file: VFile): boolean {
  return file.messages.some((message) => message.fatal === true)
}
