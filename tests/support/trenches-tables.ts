/**
 * Until the tables issue regenerates them from data, a trenches build needs the eight tables its draft includes.
 * Two are the published tables (read from ../shared at test time, never copied into the project); the other six
 * are small stand-ins with the published captions and labels. Images the published tables reference
 * (figures/summary_table/*.pdf) are made as placeholder PDFs with small SVG siblings, as an author's R script
 * would have produced them.
 */
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {trenches} from './project.ts'

const standIns: Record<string, [caption: string, label: string]> = {
  'summary_how_work_others.md': ['Summary of survey responses related to how anti-TIP NGOs work with other actors', 'tbl:work-others'],
  'summary_tip_report.md': ["Summary of survey responses related to how anti-TIP NGOs use the State Department's annual TIP report", 'tbl:tip-report'],
  'summary_importance_stats_country.md': ['Associations between country-level factors and opinions of US importance', 'tbl:importance-stats-country'],
  'summary_importance_stats_org.md': ['Associations between organization-level factors and opinions of US importance', 'tbl:importance-stats-org'],
  'summary_positivity_stats_country.md': ['Associations between country-level factors and opinions of US positivity', 'tbl:positivity-stats-country'],
  'summary_positivity_stats_org.md': ['Associations between organization-level factors and opinions of US positivity', 'tbl:positivity-stats-org']
}

export const publishedTables = ['summary_what_do.md', 'summary_us_opinions.md']

export function addTrenchesTables(project: string): void {
  const tables = path.join(project, 'tables')
  mkdirSync(tables, {recursive: true})
  for (const name of publishedTables) {
    const text = readFileSync(path.join(trenches, 'expected/tables', name), 'utf8')
    writeFileSync(path.join(tables, name), text)
    for (const [, image] of text.matchAll(/!\[\]\(([^)]+)\.pdf\)/g)) {
      const stem = path.join(project, image)
      mkdirSync(path.dirname(stem), {recursive: true})
      writeFileSync(`${stem}.pdf`, '%PDF-1.4\n%%EOF\n')
      writeFileSync(`${stem}.svg`, '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="12"><rect width="40" height="12" fill="#777"/></svg>\n')
    }
  }
  for (const [name, [caption, label]] of Object.entries(standIns)) {
    writeFileSync(path.join(tables, name), `| Question | Summary |\n|:--|:--|\n| ${name} | stand-in |\n\nTable: ${caption} {#${label}}\n`)
  }
}
