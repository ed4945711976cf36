/** `manuscript build`: the manuscript into build/<name>.html and build/<name>.pdf (and build/<name>.docx). */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {build} from '../../build.ts'
import type {Command} from '../command.ts'
import {browserUsage, parseBrowser, parseFormats, parseProfile, profileUsage} from '../options.ts'

export const buildCommand: Command = {
  summary: 'Build the manuscript into build/<name>.html and build/<name>.pdf',
  usage: `  --root DIR        The manuscript project folder (default: the current folder)
  --to FORMATS      Comma-separated output formats: html, pdf, docx (default: html,pdf, or the config's \`to\`)
  --profile NAME    ${profileUsage}
${browserUsage}`,
  async run(argv, reporter, signal) {
    const {values} = parseArgs({args: argv, options: {root: {type: 'string'}, to: {type: 'string'}, browser: {type: 'string'}, profile: {type: 'string'}}})
    const result = await build({
      root: path.resolve(values.root ?? '.'),
      to: parseFormats(values.to),
      browserExecutable: parseBrowser(values.browser),
      profile: parseProfile(values.profile),
      onStage: (stage) => reporter.stage(stage.name, stage.milliseconds, stage.detail),
      signal
    })
    const counts = reporter.messages(result.messages)
    if (result.written) reporter.summary(result.summary, result.outputs)
    else reporter.line('Nothing written: fix the errors above; the previous outputs are left as they were.')
    reporter.counts(counts)
    return counts.error > 0 ? 1 : 0
  }
}
