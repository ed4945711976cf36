import {existsSync} from 'node:fs'
import type {Root} from 'mdast'
import {toHtml} from 'hast-util-to-html'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {mathFromMarkdown} from 'mdast-util-math'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {math} from 'micromark-extension-math'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {listRenderAssets, renderHtmlDocument, type DocumentMeta} from '../../pipeline/render/document.ts'
import {countWordsOfPage} from '../../pipeline/render/word-count.ts'
import {byId, classesOf, elementChildren, findAll, findOne, hasClass, parsePage, textOf} from './hast-query.ts'
import {sampleMeta, sampleTree} from './sample-manuscript.ts'
import {captionOf} from '../../pipeline/syntax/figure.ts'

const assetBase = 'sample_files'

function renderSample(meta: DocumentMeta = sampleMeta) {
  return renderHtmlDocument(sampleTree(), meta, {assetBase})
}

function markdownTree(markdown: string): Root {
  return fromMarkdown(markdown, {
    extensions: [gfmFootnote(), math()],
    mdastExtensions: [gfmFootnoteFromMarkdown(), mathFromMarkdown()]
  })
}

const minimalMeta: DocumentMeta = {authors: [], keywords: [], paperSize: 'letter'}

describe('renderHtmlDocument: body', () => {
  const page = parsePage(renderSample().html)

  it('numbers headings and gives them their ids', () => {
    const introduction = byId(page, 'sec:introduction')
    expect(introduction.tagName).toBe('h1')
    expect(textOf(introduction)).toBe('1 Introduction')
    expect(textOf(findOne(introduction, (element) => hasClass(element, 'section-number')))).toBe('1')
    expect(textOf(byId(page, 'sec:data-and-methods'))).toBe('1.1 Data and methods')
    expect(byId(page, 'sec:data-and-methods').tagName).toBe('h2')
  })

  it('leaves unnumbered headings without a number', () => {
    const references = byId(page, 'references')
    expect(textOf(references)).toBe('References')
    expect(findAll(references, (element) => hasClass(element, 'section-number'))).toHaveLength(0)
    expect(classesOf(references)).toContain('unnumbered')
  })

  it('renders a figure with its image and numbered caption', () => {
    const figure = byId(page, 'fig:regions')
    expect(figure.tagName).toBe('figure')
    const [image, caption] = elementChildren(figure)
    expect(image.tagName).toBe('img')
    expect(image.properties.src).toBe('figure.svg')
    expect(caption.tagName).toBe('figcaption')
    expect(textOf(caption)).toBe('Figure 1: Share of organisations by region of their headquarters')
    expect(textOf(findOne(caption, (element) => hasClass(element, 'caption-label')))).toBe('Figure 1')
  })

  it('renders a table float with its caption above the table', () => {
    const figure = byId(page, 'tbl:regions')
    expect(classesOf(figure)).toContain('table')
    const [caption, table] = elementChildren(figure)
    expect(caption.tagName).toBe('figcaption')
    expect(textOf(caption)).toBe('Table 1: Where organisations are based and where they work; see Figure 1')
    expect(findAll(caption, (element) => element.tagName === 'em')).toHaveLength(1)
    expect(table.tagName).toBe('table')
    const headerCells = findAll(table, (element) => element.tagName === 'th')
    expect(headerCells.map(textOf)).toEqual(['Region', 'Headquarters', 'Work'])
    expect(headerCells.map((cell) => cell.properties.align)).toEqual(['left', 'right', 'right'])
    expect(findAll(table, (element) => element.tagName === 'tr')).toHaveLength(5)
  })

  it('typesets display math with its equation number and id', () => {
    const equation = byId(page, 'eq:pythagoras')
    expect(classesOf(equation)).toContain('equation')
    expect(findAll(equation, (element) => hasClass(element, 'katex-display'))).toHaveLength(1)
    expect(textOf(findOne(equation, (element) => hasClass(element, 'equation-number')))).toBe('(1)')
    // The TeX source is kept for screen readers in KaTeX's MathML annotation.
    const annotation = findOne(equation, (element) => element.tagName === 'annotation')
    expect(textOf(annotation)).toBe('a^2 + b^2 = c^2')
  })

  it('typesets inline math inline, without a number', () => {
    const inline = findAll(page, (element) => hasClass(element, 'katex') && !findAll(page, (display) => hasClass(display, 'katex-display')).some((display) => display.children.includes(element)))
    const annotations = inline.map((element) => textOf(findOne(element, (child) => child.tagName === 'annotation')))
    expect(annotations).toContain('E = mc^2')
    const energy = inline[annotations.indexOf('E = mc^2')]
    expect(findAll(page, (element) => hasClass(element, 'equation') && element.children.includes(energy))).toHaveLength(0)
  })

  it('numbers footnotes and inline notes in order and puts the notes before the references', () => {
    const calls = findAll(page, (element) => element.properties.dataFootnoteRef !== undefined)
    expect(calls.map(textOf)).toEqual(['1', '2', '3'])
    const notes = findOne(page, (element) => element.tagName === 'section' && hasClass(element, 'footnotes'))
    const items = findAll(notes, (element) => element.tagName === 'li')
    expect(items.map((item) => textOf(item).replace(/\s*↑.*$/, ''))).toEqual([
      'A footnote with a link in it.',
      'A second footnote that is rather longer, so that the notes section has some substance to it and wraps onto a second line.',
      'An inline note, numbered with the others.'
    ])
    expect(textOf(findOne(notes, (element) => element.tagName === 'h1'))).toBe('Notes')

    const main = findOne(page, (element) => element.tagName === 'main')
    const blocks = elementChildren(main)
    const notesIndex = blocks.indexOf(notes)
    const referencesHeading = blocks.indexOf(byId(page, 'references'))
    const referenceList = blocks.indexOf(byId(page, 'refs'))
    expect(notesIndex).toBeGreaterThan(0)
    expect(notesIndex).toBeLessThan(referencesHeading)
    expect(referencesHeading).toBeLessThan(referenceList)
    expect(referenceList).toBe(blocks.length - 1)
  })

  it('passes raw HTML through untouched', () => {
    const marker = findOne(page, (element) => hasClass(element, 'raw-marker'))
    expect(textOf(marker)).toBe('raw inline HTML')
    expect(findAll(marker, (element) => element.tagName === 'em')).toHaveLength(1)
    // The script stays in the HTML (it is the author's); the PDF page runs none.
    expect(findAll(page, (element) => element.tagName === 'script')).toHaveLength(1)
  })

  it('renders nodes that transforms gave hName/hProperties/hChildren through the defaults', () => {
    const citation = findOne(page, (element) => hasClass(element, 'citation') && !hasClass(element, 'unresolved'))
    expect(citation.tagName).toBe('span')
    expect(textOf(citation)).toBe('(Haddad 2011)')
    expect(findOne(citation, (element) => element.tagName === 'a').properties.href).toBe('#ref-Haddad:2011')
    const references = byId(page, 'refs')
    expect(classesOf(references)).toContain('references')
    expect(findAll(references, (element) => hasClass(element, 'csl-entry'))).toHaveLength(2)
  })

  it('shows a citation no transform resolved as written instead of dropping it', () => {
    const unresolved = findOne(page, (element) => hasClass(element, 'unresolved'))
    expect(textOf(unresolved)).toBe('[see @Missing:2020, p. 3]')
  })
})

describe('renderHtmlDocument: title block and page', () => {
  const page = parsePage(renderSample().html)

  it('shows the title, status line, date, abstract and keywords', () => {
    const header = findOne(page, (element) => hasClass(element, 'title-block'))
    expect(textOf(findOne(header, (element) => hasClass(element, 'title')))).toBe(sampleMeta.title)
    expect(textOf(findOne(header, (element) => hasClass(element, 'published')))).toBe(sampleMeta.published)
    expect(textOf(findOne(header, (element) => hasClass(element, 'date')))).toBe('June 2, 2021')
    const abstract = findOne(header, (element) => hasClass(element, 'abstract'))
    expect(findAll(abstract, (element) => element.tagName === 'p').map(textOf)).toEqual([
      'We surveyed community organisations in 94 countries.',
      'Most of them value the advice of their donors, including those that receive little money from them.'
    ])
    expect(textOf(findOne(header, (element) => hasClass(element, 'keywords')))).toBe(
      'Keywords: community organisations · NGOs · foreign aid'
    )
  })

  it('shows each author with affiliation and a mailto link', () => {
    const authors = findAll(page, (element) => hasClass(element, 'author'))
    expect(authors).toHaveLength(2)
    const [first, second] = authors
    expect(textOf(findOne(first, (element) => hasClass(element, 'author-name')))).toBe('Ana Lopez')
    expect(textOf(findOne(first, (element) => hasClass(element, 'author-affiliation')))).toBe('Example University')
    expect(findOne(first, (element) => element.tagName === 'a').properties.href).toBe('mailto:ana.lopez@example.edu')
    expect(textOf(findOne(second, (element) => hasClass(element, 'author-affiliation')))).toBe(
      'School of Public Affairs, Example University'
    )
  })

  it('fills the head: language, title, author and keywords', () => {
    const html = findOne(page, (element) => element.tagName === 'html')
    expect(html.properties.lang).toBe('en')
    expect(textOf(findOne(page, (element) => element.tagName === 'title'))).toBe(sampleMeta.title)
    const metaContent = (name: string) => findOne(page, (element) => element.tagName === 'meta' && element.properties.name === name).properties.content
    expect(metaContent('author')).toBe('Ana Lopez, Ben Okoro')
    expect(metaContent('keywords')).toBe('community organisations, NGOs, foreign aid')
  })

  it('loads nothing but the assets it lists, all under the assets folder', () => {
    const {html} = renderSample()
    expect(findAll(page, (element) => element.tagName === 'script' || element.tagName === 'link')).toHaveLength(1) // the author's script only
    const urls = [...html.matchAll(/url\(\s*['"]?([^'")]+)['"]?\s*\)/g)].map((match) => match[1])
    expect(urls.length).toBeGreaterThan(20)
    const listed = new Set(listRenderAssets({math: true}).map((asset) => `${assetBase}/${asset.to}`))
    for (const url of urls) expect(listed).toContain(decodeURIComponent(url))
    expect(urls).toContain(`${assetBase}/fonts/source-serif-4-latin-400-normal.woff2`)
    expect(urls).toContain(`${assetBase}/fonts/source-sans-3-latin-600-normal.woff2`)
    expect(urls).toContain(`${assetBase}/katex/fonts/KaTeX_Main-Regular.woff2`)
    expect(urls.some((url) => /^[a-z]+:/i.test(url))).toBe(false)
  })

  it('carries KaTeX\'s CSS and fonts only when a formula is typeset', () => {
    const without = renderHtmlDocument(markdownTree('Text with no formula, and `$x$` in code.'), minimalMeta, {assetBase})
    const broken = renderHtmlDocument(markdownTree('Broken $\\frac{1}{$ formula.'), minimalMeta, {assetBase, file: new VFile({path: 'manuscript.md'})})
    const typeset = renderHtmlDocument(markdownTree('Inline $x^2$.'), minimalMeta, {assetBase})
    for (const page of [without, broken]) {
      expect(page.math).toBe(false)
      expect(page.html).not.toContain('katex/fonts/')
      // KaTeX's own rules and faces (paper.css styles the formulas' boxes whatever the page holds).
      expect(page.html).not.toContain('KaTeX_')
      expect(page.html).not.toContain('.katex-html')
      expect(page.html).toContain(`${assetBase}/fonts/source-serif-4-latin-400-normal.woff2`)
    }
    expect(broken.html).toContain('math-error')
    expect(typeset.math).toBe(true)
    expect(typeset.html).toContain(`${assetBase}/katex/fonts/KaTeX_Main-Regular.woff2`)
    expect(typeset.html).toContain('.katex-html')
    const katexFonts = (math: boolean) => listRenderAssets({math}).filter((asset) => asset.to.startsWith('katex/'))
    expect(katexFonts(false)).toEqual([])
    expect(katexFonts(true).map((asset) => asset.to)).toContain('katex/fonts/KaTeX_Main-Regular.woff2')
  })

  it('lists assets that exist, each once', () => {
    const assets = listRenderAssets({math: true})
    expect(assets.every((asset) => existsSync(asset.from))).toBe(true)
    expect(new Set(assets.map((asset) => asset.to)).size).toBe(assets.length)
    expect(assets.every((asset) => asset.to.endsWith('.woff2') && !asset.to.startsWith('/'))).toBe(true)
  })

  it('sets the page size, running head and page numbers for print', () => {
    const letter = renderSample().html
    expect(letter).toMatch(/@page\s*{\s*size: letter;/)
    expect(letter).toContain('@top-center { content: "Small Grants, Long Shadows"')
    expect(letter).toContain('@bottom-center { content: counter(page)')
    const a4 = renderSample({...sampleMeta, paperSize: 'a4'}).html
    expect(a4).toMatch(/@page\s*{\s*size: A4;/)
  })

  it('uses the title as running head when there is no short title, escaped for CSS', () => {
    const {html} = renderHtmlDocument(markdownTree('Text.'), {...minimalMeta, title: 'A "quoted" title </style> here'}, {assetBase})
    expect(html).toContain('@top-center { content: "A \\"quoted\\" title \\3C /style> here"')
    expect(html.match(/<\/style>/g)).toHaveLength(1)
  })

  it('is deterministic', () => {
    expect(renderSample().html).toBe(renderSample().html)
  })

  it('is the HTML of its page tree written whole, also where the title holds what the body is put in place of', () => {
    for (const title of ['Small Grants, Long Shadows', 'A title with \u0000manuscript-main\u0000 in it']) {
      const {html, page} = renderSample({...sampleMeta, title})
      expect(html).toBe(`${toHtml(page, {allowDangerousHtml: true})}\n`)
    }
  })

  it('does not change the tree it renders', () => {
    const tree = sampleTree()
    const before = JSON.stringify(tree)
    renderHtmlDocument(tree, sampleMeta, {assetBase})
    expect(JSON.stringify(tree)).toBe(before)
  })
})

describe('renderHtmlDocument: words and diagnostics', () => {
  it('counts words as Word does: the body with its notes, the abstract apart, the title not at all', () => {
    const tree = markdownTree('# Results here\n\nOne two three $x + y$ four.[^a]\n\n[^a]: Five six seven eight nine.\n')
    const wordCount = countWordsOfPage(renderHtmlDocument(tree, {...minimalMeta, title: 'Many words in this title', abstract: 'And in the abstract too.'}, {assetBase}).page)
    // "Results here" + "One two three <equation> four." + the note's five words.
    expect(wordCount.words).toMatchObject({body: 12, notes: 5, abstract: 5, captions: 0, tables: 0, references: 0})
    expect(wordCount.total).toBe(17)
  })

  it('reports a formula KaTeX cannot typeset, at its position, and shows its source', () => {
    const file = new VFile({path: 'paper.md'})
    const {html} = renderHtmlDocument(markdownTree('Broken $\\frac{1}{$ formula.'), minimalMeta, {assetBase, file})
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect(message.ruleId).toBe('math-syntax')
    expect(message.line).toBe(1)
    expect(message.column).toBe(8)
    expect(message.reason).toMatch(/Cannot typeset the formula `\\frac\{1\}\{`/)
    const error = findOne(parsePage(html), (element) => hasClass(element, 'math-error'))
    expect(textOf(error)).toBe('\\frac{1}{')
  })

  it('keeps macros defined in one formula for the formulas after it', () => {
    const file = new VFile({path: 'paper.md'})
    const {html} = renderHtmlDocument(markdownTree('Define $\\newcommand{\\Rset}{\\mathbb{R}}$ and use $x \\in \\Rset$.'), minimalMeta, {assetBase, file})
    expect(file.messages).toHaveLength(0)
    expect(findAll(parsePage(html), (element) => hasClass(element, 'math-error'))).toHaveLength(0)
    expect(html).toContain('mathbb')
  })

  it('shows an attribute block no transform attached as the text the author wrote', () => {
    const tree: Root = {
      type: 'root',
      children: [
        {
          type: 'paragraph',
          children: [
            {type: 'text', value: 'Word '},
            {type: 'attributes', value: '.highlight', classes: ['highlight'], attributes: {}}
          ]
        }
      ]
    }
    const main = findOne(parsePage(renderHtmlDocument(tree, minimalMeta, {assetBase}).html), (element) => element.tagName === 'main')
    expect(textOf(main)).toBe('Word {.highlight}')
  })

  it('puts the notes at the end when there is no reference list', () => {
    const {html} = renderHtmlDocument(markdownTree('Text.[^a]\n\n# Later\n\nMore.\n\n[^a]: Note.\n'), minimalMeta, {assetBase})
    const main = findOne(parsePage(html), (element) => element.tagName === 'main')
    const blocks = elementChildren(main)
    expect(hasClass(blocks[blocks.length - 1], 'footnotes')).toBe(true)
  })

  it('keeps the caption label the crossref transform wrote instead of adding a second one', () => {
    const tree = sampleTree()
    const figure = tree.children.find((node) => node.type === 'figure' && node.kind === 'figure')
    if (figure?.type !== 'figure') throw new Error('sample has no figure')
    captionOf(figure)!.children.unshift(
      {type: 'text', value: 'Fig.\u00A01.', data: {hName: 'span', hProperties: {className: ['caption-label']}}},
      {type: 'text', value: ' '}
    )
    const page = parsePage(renderHtmlDocument(tree, sampleMeta, {assetBase}).html)
    const caption = findOne(byId(page, 'fig:regions'), (element) => element.tagName === 'figcaption')
    expect(textOf(caption)).toBe('Fig. 1. Share of organisations by region of their headquarters')
    expect(findAll(caption, (element) => hasClass(element, 'caption-label'))).toHaveLength(1)
  })

  it('uses the labels it is given', () => {
    const {html} = renderHtmlDocument(sampleTree(), sampleMeta, {assetBase, labels: {figure: 'Abbildung', notes: 'Anmerkungen'}})
    const page = parsePage(html)
    expect(textOf(findOne(byId(page, 'fig:regions'), (element) => hasClass(element, 'caption-label')))).toBe('Abbildung 1')
    expect(textOf(findOne(page, (element) => hasClass(element, 'footnotes-title')))).toBe('Anmerkungen')
  })
})
