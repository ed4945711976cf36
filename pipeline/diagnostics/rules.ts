/**
 * Every rule id a diagnostic may carry, with its usual severity and what it is about: the one registry that
 * `report` takes its `ruleId` from (tests/diagnostics/rules.test.ts checks that each id is used and none else).
 * A stage may report a rule at another severity where the case calls for it (a front-matter problem that stops the
 * build is an error, one that only drops a value a warning).
 */
import type {Severity} from './report.ts'

export interface Rule {
  severity: Severity
  description: string
}

export const rules = {
  // Project files and configuration
  'outside-project': {severity: 'error', description: 'A path points outside the project (or through a symbolic link out of it).'},
  'file-too-large': {severity: 'error', description: 'A file is larger than the pipeline reads.'},
  'not-text': {severity: 'error', description: 'A file that should be text holds binary data.'},
  'text-encoding': {severity: 'error', description: 'A text file is not valid UTF-8.'},
  config: {severity: 'error', description: 'The configuration file manuscript.yaml cannot be read or holds a value that cannot be used.'},
  'empty-manuscript': {severity: 'error', description: 'The entry file holds nothing to build.'},
  'no-body-text': {severity: 'warning', description: 'The entry file has front matter but no text.'},
  'front-matter': {severity: 'error', description: 'A YAML metadata block cannot be read, or a value in it has the wrong form.'},
  'repeated-metadata-key': {severity: 'info', description: 'A metadata key set again in a later YAML block (or included file): the later value is used, as in pandoc.'},
  'unknown-front-matter-key': {severity: 'warning', description: 'A metadata key the pipeline does not use (a misspelt one, most likely).'},
  // Includes and notes
  'include-syntax': {severity: 'error', description: 'An `!INCLUDE` line is not in the form that is read.'},
  'missing-include': {severity: 'error', description: 'An included file does not exist.'},
  'include-cycle': {severity: 'error', description: 'Files include each other in a circle.'},
  'include-not-text': {severity: 'error', description: 'An included file is not text.'},
  'empty-inline-note': {severity: 'warning', description: 'An inline note `^[]` holds nothing.'},
  // Bibliography and citations
  'missing-bibliography': {severity: 'error', description: 'The bibliography file named in the metadata does not exist.'},
  'bibliography-parse': {severity: 'error', description: 'The bibliography file cannot be parsed.'},
  'unreadable-bibliography-entry': {severity: 'warning', description: 'A bibliography entry nothing cites cannot be parsed and is left out.'},
  'cited-bibliography-conflict': {severity: 'warning', description: 'The cited-only bibliography (`build/<name>.bib`, `.json`) would replace a file a person wrote there.'},
  'duplicate-bibliography-key': {severity: 'warning', description: 'Two bibliography entries share a key.'},
  'bibliography-crossref': {severity: 'error', description: 'A bibliography entry refers to an entry that is not there.'},
  'missing-csl': {severity: 'error', description: 'The CSL style named in the metadata does not exist.'},
  'reference-doc': {severity: 'error', description: 'The Word template named by `reference-doc` does not exist or is not a Word document.'},
  'citation-style': {severity: 'error', description: 'The CSL style cannot be used to format citations.'},
  'citation-locale': {severity: 'warning', description: 'The citation locale asked for is not shipped: as in pandoc, another region of its language is used, else English (en-US).'},
  'unknown-citation-key': {severity: 'warning', description: 'A citation names a key the bibliography does not hold.'},
  'unused-bibliography-entry': {severity: 'info', description: 'A bibliography entry is never cited.'},
  // Cross-references
  'duplicate-example-label': {severity: 'warning', description: 'Two example list items `(@label)` share a label.'},
  'duplicate-label': {severity: 'error', description: 'Two figures, tables, equations or sections share a label.'},
  'label-not-figure': {severity: 'warning', description: 'An image has a figure label but is not a figure.'},
  'mixed-citation': {severity: 'info', description: 'A citation mixes cross-references and bibliography keys.'},
  'unresolved-reference': {severity: 'warning', description: 'A cross-reference names a label that is not defined.'},
  'crossref-option': {severity: 'warning', description: 'A pandoc-crossref option in the metadata has a value that cannot be used.'},
  'table-caption-without-table': {severity: 'warning', description: 'A table caption (`Table: …`) with no table beside it.'},
  // Figures, math, HTML and PDF
  'remote-image': {severity: 'error', description: 'An image is given by a URL; builds make no network requests.'},
  'missing-figure': {severity: 'error', description: 'An image file does not exist.'},
  'unsupported-figure': {severity: 'error', description: 'A figure file is in a format the pipeline cannot show.'},
  'figure-conversion': {severity: 'error', description: 'A figure file could not be converted for the outputs.'},
  'corrupt-image': {severity: 'error', description: 'A figure file is damaged.'},
  'image-too-large': {severity: 'error', description: 'A figure has more pixels than the pipeline reads.'},
  'math-syntax': {severity: 'warning', description: 'TeX math that KaTeX cannot typeset.'},
  'meta-refresh': {severity: 'warning', description: 'Raw HTML that would load or redirect a page (`<meta http-equiv="refresh">`).'},
  'remote-resource': {severity: 'error', description: 'Raw HTML or CSS that would load something from the network.'},
  'refused-load': {severity: 'warning', description: 'Raw HTML that would load a file the build does not allow.'},
  // Tables from data
  'table-definition-error': {severity: 'error', description: 'A table definition failed or could not be bundled.'},
  'table-data-error': {severity: 'error', description: 'Data read by a table definition is missing or malformed.'},
  'table-timeout': {severity: 'error', description: 'A table definition ran too long and was stopped.'},
  'table-runtime-error': {severity: 'error', description: 'The sandbox that runs table definitions did not start.'},
  'table-output': {severity: 'info', description: 'A table definition printed something.'},
  'table-conflict': {severity: 'error', description: 'A generated table would replace a file a person wrote.'},
  'stale-table': {severity: 'warning', description: 'A generated table is older than its definition or data.'},
  // Parsing limits
  'raw-latex': {severity: 'info', description: 'Raw LaTeX that HTML and PDF leave out.'},
  'latex-macro': {severity: 'warning', description: 'LaTeX macros (\\newcommand) whose expansion in a formula does not end.'},
  'nesting-too-deep': {severity: 'error', description: 'Containers or formatting nested deeper than the parser follows.'},
  'table-too-large': {severity: 'error', description: 'A table with far more cells than text (a runaway table).'},
  // Profiles (--profile submission) and anonymous versions
  'self-citation': {severity: 'warning', description: 'An anonymous version cites a work of one of its authors (masked as "Author").'},
  'author-named': {severity: 'warning', description: 'An anonymous version names one of its authors in its text or a link.'},
  // check
  'word-limit': {severity: 'warning', description: 'The body has more words than the config\'s `word-limit`.'},
  placeholder: {severity: 'warning', description: 'Unfinished text (TODO, XX, [citation needed], your own patterns) that `check` finds.'},
  'unused-placeholder-marker': {severity: 'info', description: 'A placeholder marker comment marks nothing.'}
} as const satisfies Record<string, Rule>

export type RuleId = keyof typeof rules

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(rules, id)
}
