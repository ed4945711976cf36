/**
 * Hyphenation of the page to print: which text counts as running text, what the soft hyphens look like, and that a
 * rebuild (remembered results, or the derived cache in a fresh process) gives the same page as a first build.
 */
import {mkdtempSync, readdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fromHtml} from 'hast-util-from-html'
import {describe, expect, it} from 'vitest'
import {DerivedCache} from '../../pipeline/graph/derived-cache.ts'
import {ProjectSession} from '../../pipeline/graph/project-session.ts'
import {hyphenateRunningText, printPageHtml, runningTextNodes} from '../../pipeline/render/hyphenate.ts'
import {removeProject} from '../support/project.ts'

const shy = '\u00AD'

const page = () =>
  fromHtml(
    `<body><header class="title-block"><h1 class="title">Organisations everywhere</h1><p class="author">Practitioners</p>` +
      `<div class="abstract"><p>Abstract about organisations</p></div></header>` +
      `<main><h2>Understanding organisations</h2><p>Governmental organisations <a href="#x">internationally</a> ` +
      `<code>unhyphenated</code> <span class="katex">mathematical</span> deliver.</p>` +
      `<table><tr><td>Organisations</td></tr></table><ol><li>Practitioners observe</li></ol>` +
      `<div class="csl-entry">Transnational advocacy</div><figure><figcaption>Organisations by region</figcaption></figure>` +
      `<div>Outside any paragraph: organisations</div></main></body>`
  )

describe('running text of the printed page', () => {
  it('is paragraphs, list items, captions, references and the abstract; not headings, links, code, math, cells or the title', () => {
    const texts = runningTextNodes(page()).map((node) => node.value)
    expect(texts).toEqual(['Abstract about organisations', 'Governmental organisations ', ' deliver.', 'Practitioners observe', 'Transnational advocacy', 'Organisations by region'])
  })

  it('gets soft hyphens at TeX’s break points, at least two letters in and three from the end', async () => {
    const tree = page()
    const nodes = runningTextNodes(tree)
    expect(await hyphenateRunningText(tree, 'en')).toBe(true)
    const texts = nodes.map((node) => node.value)
    expect(texts).toContain(`Gov${shy}ern${shy}men${shy}tal or${shy}gan${shy}i${shy}sa${shy}tions `)
    for (const text of texts) for (const word of text.split(/\s+/)) if (word.includes(shy)) expect(word).toMatch(/^[^\u00AD]{2,}\u00AD.*[^\u00AD]{3,}$/u)
    // Nothing outside the running text changes.
    const html = await printPageHtml(tree, 'en')
    expect(html).toContain('<h2>Understanding organisations</h2>')
    expect(html).toContain('<a href="#x">internationally</a>')
    expect(html).toContain('<td>Organisations</td>')
  })

  it('leaves a page in a language without bundled patterns as it is', async () => {
    const tree = page()
    expect(await hyphenateRunningText(tree, 'tlh')).toBe(false)
    expect(JSON.stringify(tree)).not.toContain(shy)
  })

  it('gives the same page from remembered results and from the derived cache as from scratch', async () => {
    const fresh = await printPageHtml(page(), 'en')
    const session = new ProjectSession({keepsBuilds: true})
    expect(await printPageHtml(page(), 'en', undefined, session)).toBe(fresh)
    expect(session.hyphenated.results.size).toBeGreaterThan(0)
    expect(await printPageHtml(page(), 'en', undefined, session)).toBe(fresh)
    const folder = mkdtempSync(path.join(tmpdir(), 'hyphenation-cache-'))
    try {
      const cache = new DerivedCache(folder, 'test-version')
      expect(await printPageHtml(page(), 'en', cache)).toBe(fresh)
      // A second process: the cache holds the result.
      expect(await printPageHtml(page(), 'en', new DerivedCache(folder, 'test-version'))).toBe(fresh)
      // A language change is a different result, not a cached one.
      expect(await printPageHtml(page(), 'de', new DerivedCache(folder, 'test-version'))).not.toBe(fresh)
    } finally {
      removeProject(folder)
    }
  })

  it('gives from the derived cache the page it gave, soft hyphens the author wrote included', async () => {
    const authored = () => fromHtml(`<main><p>Counter${shy}revolutionary organisations</p><p>Re${shy}${shy}organisations internationally</p><p>x</p></main>`)
    const fresh = await printPageHtml(authored(), 'en')
    // A word the author hyphenated is left as written; the others get theirs.
    expect(fresh).toContain(`Counter${shy}revolutionary or${shy}gan${shy}i${shy}sa${shy}tions`)
    expect(fresh).toContain(`Re${shy}${shy}organisations in${shy}ter${shy}na${shy}tion${shy}ally`)
    const folder = mkdtempSync(path.join(tmpdir(), 'hyphenation-cache-'))
    try {
      expect(await printPageHtml(authored(), 'en', new DerivedCache(folder, 'test-version'))).toBe(fresh)
      expect(readdirSync(folder).filter((name) => name.startsWith('hyphenation'))).toHaveLength(1)
      expect(await printPageHtml(authored(), 'en', new DerivedCache(folder, 'test-version'))).toBe(fresh)
    } finally {
      removeProject(folder)
    }
  })
})
