import {mkdtempSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {loadConfig} from '../../pipeline/config/config.ts'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'

function withConfig(text: string | undefined) {
  const root = mkdtempSync(path.join(tmpdir(), 'config-'))
  if (text !== undefined) writeFileSync(path.join(root, 'manuscript.yaml'), text)
  const files = new ProjectFiles(root)
  const file = new VFile({path: 'manuscript.yaml'})
  return {...loadConfig(files, file), file, files}
}

describe('project config', () => {
  it('has defaults when there is no config file, and records that it looked for one', () => {
    const {config, path: configPath, files} = withConfig(undefined)
    expect(configPath).toBeUndefined()
    expect(config).toMatchObject({paper: 'letter', to: ['html', 'pdf'], outputDir: 'build'})
    expect(files.graph.missing.has('manuscript.yaml')).toBe(true)
  })

  it('reads known keys', () => {
    const {config, file} = withConfig('paper: A4\nto: html\nentry: manuscript/paper.md\nbibliography: [a.bib, b.bib]\nnumber-sections: true\n')
    expect(file.messages).toEqual([])
    expect(config).toMatchObject({paper: 'a4', to: ['html'], entry: 'manuscript/paper.md', bibliography: ['a.bib', 'b.bib'], numberSections: true})
  })

  it('names an unknown key and its line, with a suggestion', () => {
    const {file} = withConfig('paper: a4\n\npapr: letter\n')
    expect(file.messages).toHaveLength(1)
    expect(file.messages[0]).toMatchObject({file: 'manuscript.yaml', line: 3, ruleId: 'config', fatal: true})
    expect(file.messages[0].reason).toContain('`papr`')
    expect(file.messages[0].reason).toContain('did you mean `paper`')
  })

  it('names a key with a wrong value', () => {
    const {file, config} = withConfig('to: html\npaper: legal\n')
    expect(file.messages.map((m) => [m.line, m.reason])).toEqual([[2, 'Config key `paper` must be one of letter, a4; found "legal".']])
    expect(config.paper).toBe('letter')
  })

  it('reads where the PDF prints notes, and names a bad value at its line', () => {
    expect(withConfig('').config.notes).toBe('footnotes')
    expect(withConfig('notes: Endnotes\n').config.notes).toBe('endnotes')
    const {file, config} = withConfig('paper: a4\nnotes: sidenotes\n')
    expect(file.messages.map((m) => [m.line, m.column, m.reason])).toEqual([[2, 1, 'Config key `notes` must be one of footnotes, endnotes; found "sidenotes".']])
    expect(config.notes).toBe('footnotes')
  })

  it('reports YAML syntax errors at their line', () => {
    const {file} = withConfig('paper: a4\nto: [html\n')
    expect(file.messages[0]).toMatchObject({file: 'manuscript.yaml', ruleId: 'config', fatal: true})
    expect(file.messages[0].line).toBeGreaterThanOrEqual(2)
  })
})
