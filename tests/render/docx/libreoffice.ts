/**
 * LibreOffice, a real office suite, opening a .docx and converting it to PDF: what a co-author's word processor
 * makes of the file. CI installs it (.ci/run); on a machine without `soffice` the tests that need it are skipped.
 */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

export const hasSoffice = spawnSync('soffice', ['--version'], {encoding: 'utf8'}).error === undefined

export interface Converted {
  /** What `soffice --convert-to pdf` printed (it names no error when the file opens). */
  output: string
  /** The PDF's text, page by page order, laid out (pdftotext -layout). */
  text: string
  pages: number
  /** The PDF, for looking at pages (pdftoppm). */
  pdf: string
}

/** Converts the bytes of a .docx to PDF in a folder of its own, with a LibreOffice profile of its own (runs may overlap). */
export function convertWithLibreOffice(docx: Buffer, name: string): Converted {
  const folder = mkdtempSync(path.join(tmpdir(), 'soffice-'))
  const input = path.join(folder, `${name}.docx`)
  writeFileSync(input, docx)
  const profile = pathToFileURL(path.join(folder, 'profile')).href
  const run = spawnSync('soffice', [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--convert-to', 'pdf', '--outdir', folder, input], {encoding: 'utf8', timeout: 180_000})
  const pdf = path.join(folder, `${name}.pdf`)
  const text = spawnSync('pdftotext', ['-layout', pdf, '-'], {encoding: 'utf8'}).stdout ?? ''
  const info = spawnSync('pdfinfo', [pdf], {encoding: 'utf8'}).stdout ?? ''
  return {output: `${run.stdout}${run.stderr}`, text, pages: Number(/Pages:\s+(\d+)/.exec(info)?.[1] ?? 0), pdf}
}

/** Lines of soffice's output that report a problem (its note that Java is missing is about macros, not the file). */
export function complaints(converted: Converted): string[] {
  return converted.output.split('\n').filter((line) => /error|fail|warn/i.test(line) && !/javaldx/.test(line))
}

export function removeConversion(converted: Converted | undefined): void {
  if (converted) rmSync(path.dirname(converted.pdf), {recursive: true, force: true})
}

/** Text with line breaks, hyphenation at line ends and runs of spaces made single spaces, for searching. */
export function flatText(text: string): string {
  return text.replace(/-\n\s*/g, '-').replace(/\s+/g, ' ')
}

