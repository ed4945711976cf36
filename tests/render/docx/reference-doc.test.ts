/**
 * `reference-doc: template.docx` takes the styles of a journal's template, as pandoc does: the template's styles.xml
 * is the document's, with the styles the template lacks added; a template that is missing or not a Word document is
 * an error at the key that names it, and nothing is written.
 */
import {existsSync, readFileSync, writeFileSync} from 'node:fs'
import path from 'node:path'
import {Document, Packer, Paragraph} from 'docx'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../../pipeline/build.ts'
import {projectFromFiles, removeProject} from '../../support/project.ts'
import {readDocx} from './docx-package.ts'

const manuscript = '# Method\n\nText.\n\n```\ncode\n```\n'
let template: Buffer
const projects: string[] = []

beforeAll(async () => {
  // A template whose headings are in a typeface of its own, and which has no "Source Code" style.
  const document = new Document({
    styles: {paragraphStyles: [{id: 'Heading1', name: 'heading 1', run: {font: 'Journal Grotesk', size: 30}}]},
    sections: [{children: [new Paragraph('template')]}]
  })
  template = Buffer.from(await Packer.toBuffer(document))
})

afterAll(() => projects.forEach(removeProject))

function project(files: Record<string, string>): string {
  const root = projectFromFiles(files, 'docx-reference-')
  projects.push(root)
  return root
}

const styleOf = (styles: string, id: string) => [...styles.matchAll(/<w:style [^>]*w:styleId="([^"]+)"[^>]*>([\s\S]*?)<\/w:style>/g)].filter((match) => match[1] === id).map((match) => match[2])

describe('reference-doc', () => {
  it('takes the template’s styles, named in manuscript.yaml, and adds the ones it lacks', async () => {
    const root = project({'manuscript.yaml': 'reference-doc: styles/journal.docx\n', 'manuscript/manuscript.md': manuscript, 'styles/README': 'Journal template.'})
    writeFileSync(path.join(root, 'styles/journal.docx'), template)
    const result = await build({root, to: ['docx']})
    expect(result.written).toBe(true)
    const {styles} = readDocx(readFileSync(path.join(root, 'build/manuscript.docx')))
    const heading = styleOf(styles, 'Heading1')
    expect(heading).toHaveLength(1)
    expect(heading[0]).toContain('Journal Grotesk')
    expect(styleOf(styles, 'SourceCode')[0]).toContain('Consolas')
    // The template is an input of the build.
    const manifest = JSON.parse(readFileSync(path.join(root, 'build/manifest.json'), 'utf8'))
    expect(manifest.inputs.map((input: {path: string}) => input.path)).toContain('styles/journal.docx')
  })

  it('is read from the front matter too, beside the file that names it', async () => {
    const root = project({'manuscript/manuscript.md': `---\nreference-doc: journal.docx\n---\n\n${manuscript}`})
    writeFileSync(path.join(root, 'manuscript/journal.docx'), template)
    await build({root, to: ['docx']})
    expect(styleOf(readDocx(readFileSync(path.join(root, 'build/manuscript.docx'))).styles, 'Heading1')[0]).toContain('Journal Grotesk')
  })

  it('uses the default styles without one', async () => {
    const root = project({'manuscript/manuscript.md': manuscript})
    await build({root, to: ['docx']})
    expect(styleOf(readDocx(readFileSync(path.join(root, 'build/manuscript.docx'))).styles, 'Heading1')[0]).toContain('Calibri')
  })

  it('reports a missing or broken template at its key, and writes nothing', async () => {
    const missing = project({'manuscript.yaml': 'paper: a4\nreference-doc: journal.docx\n', 'manuscript/manuscript.md': manuscript})
    const result = await build({root: missing, to: ['docx']})
    expect(result.written).toBe(false)
    const message = result.messages.find((each) => each.ruleId === 'reference-doc')!
    expect(message.reason).toMatch(/^Reference document "journal.docx" not found .* Fix the `reference-doc` path/)
    expect([message.file, message.line]).toEqual(['manuscript.yaml', 2])
    expect(existsSync(path.join(missing, 'build/manuscript.docx'))).toBe(false)

    const broken = project({'manuscript.yaml': 'reference-doc: journal.docx\n', 'journal.docx': 'not a zip', 'manuscript/manuscript.md': manuscript})
    const failed = await build({root: broken, to: ['docx']})
    expect(failed.messages.find((each) => each.ruleId === 'reference-doc')?.reason).toMatch(/^Cannot take styles from "journal.docx": it is not a Word document/)
  })
})
