/** Figures as the browser needs them: PDF figures through a sibling or a vector conversion, missing ones reported. */
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {hasTool, repoRoot, runCli} from '../support/project.ts'

function projectWithFigure(withPng: boolean): string {
  const root = mkdtempSync(path.join(tmpdir(), 'assets-'))
  mkdirSync(path.join(root, 'manuscript'), {recursive: true})
  mkdirSync(path.join(root, 'figures'), {recursive: true})
  copyFileSync(path.join(repoRoot, 'figures/fig_hours.pdf'), path.join(root, 'figures/plot.pdf'))
  if (withPng) copyFileSync(path.join(repoRoot, 'figures/fig_hours.png'), path.join(root, 'figures/plot.png'))
  writeFileSync(path.join(root, 'manuscript/manuscript.md'), 'See @fig:plot.\n\n![A plot](figures/plot.pdf){#fig:plot}\n')
  return root
}

describe('PDF figures', () => {
  it('fall back to their PNG sibling when pdftocairo is not installed', () => {
    const root = projectWithFigure(true)
    expect(runCli(['build', '--root', root, '--to', 'html'], {env: {PATH: path.join(root, 'no-tools')}}).status).toBe(0)
    expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toContain('src="manuscript_files/images/figures/plot.png"')
    expect(existsSync(path.join(root, 'build/manuscript_files/images/figures/plot.png'))).toBe(true)
  })

  it.runIf(hasTool('pdftocairo'))('are converted to vector SVG with pdftocairo, even when a PNG sibling exists', () => {
    const root = projectWithFigure(true)
    const run = runCli(['build', '--root', root, '--to', 'html'])
    expect(run.status).toBe(0)
    expect(readFileSync(path.join(root, 'build/manuscript.html'), 'utf8')).toContain('src="manuscript_files/images/figures/plot.svg"')
    const svg = readFileSync(path.join(root, 'build/manuscript_files/images/figures/plot.svg'), 'utf8')
    expect(svg).toContain('<svg')
    // Vector, not a bitmap wrapped in SVG: the plot's circles and axis text become paths.
    expect(svg).toMatch(/<path/)
  })

  it('without a sibling or pdftocairo, are an error that says what to install', () => {
    const root = projectWithFigure(false)
    // A PATH without poppler: the machine of an author who has not installed it.
    const run = runCli(['build', '--root', root, '--to', 'html'], {env: {PATH: path.join(root, 'no-tools')}})
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(/manuscript\/manuscript\.md:3:1\s+error\s+Cannot show PDF figure "figures\/plot\.pdf".*poppler-utils/)
  })
})
