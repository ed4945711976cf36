import type {Heading, Link, Paragraph, PhrasingContent, Root, RootContent} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {toHtml} from 'hast-util-to-html'
import {toString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import type {Citation, CrossReference, Figure, HeadingData, MathData} from '../../../pipeline/syntax/types.ts'
import {frontMatterTransform} from '../../../pipeline/transforms/front-matter.ts'
import {headingIdentifiersTransform} from '../../../pipeline/transforms/heading-identifiers.ts'
import {closestLabel, crossrefTransform, parseCrossrefKey, pandocCrossrefDefaults} from '../../../pipeline/transforms/crossref.ts'
import {at, attributes, citation, displayMath, figure, heading, paragraph, root, text} from './mdast-builders.ts'
import {captionOf} from '../../../pipeline/syntax/figure.ts'

/** Text as a reader sees it; no-break spaces read as spaces. */
function shown(node: PhrasingContent | RootContent): string {
  return toString(node).replace(/\u00A0/g, ' ')
}

function references(tree: Root): CrossReference[] {
  const found: CrossReference[] = []
  visit(tree, 'crossReference', (node) => {
    found.push(node)
  })
  return found
}

function linksOf(node: CrossReference): Array<[string, string]> {
  const found: Array<[string, string]> = []
  visit(node, 'link', (link: Link) => {
    found.push([shown(link), link.url])
  })
  return found
}

/** Five figures and two tables, then a paragraph of the given citations. */
function document(...citations: Citation[]): Root {
  return root(
    figure('figure', 'fig:a', 'First', 1),
    figure('figure', 'fig:b', 'Second', 2),
    figure('figure', 'fig:c', 'Third', 3),
    figure('figure', 'fig:d', 'Fourth', 4),
    figure('figure', 'fig:e', 'Fifth', 5),
    figure('table', 'tbl:x', 'A table', 6),
    figure('table', 'tbl:y', 'Another', 7),
    paragraph(10, ...citations.flatMap((node) => [node, text(' ; ')]))
  )
}

function render(...citations: Citation[]): {texts: string[]; references: CrossReference[]; file: VFile} {
  const tree = document(...citations)
  const file = new VFile({path: 'manuscript/manuscript.md'})
  crossrefTransform(tree, file)
  const found = references(tree)
  return {texts: found.map((node) => shown(node as never)), references: found, file}
}

describe('numbering', () => {
  it('numbers labelled figures and tables separately, in document order, and labels their captions', () => {
    const tree = root(
      figure('figure', 'fig:locations', 'NGO headquarters', 1),
      figure('table', 'tbl:us-opinions', 'Summary of responses', 2),
      figure('figure', 'fig:activities', 'Activities', 3)
    )
    crossrefTransform(tree, new VFile())
    const [first, table, second] = tree.children as Figure[]
    expect([first.number, table.number, second.number]).toEqual(['1', '1', '2'])
    expect(shown(paragraph(1, ...captionOf(second)!.children))).toBe('Figure 2: Activities')
    expect(shown(paragraph(1, ...captionOf(table)!.children))).toBe('Table 1: Summary of responses')
    expect(captionOf(second)!.children[0]).toMatchObject({type: 'text', data: {hName: 'span', hProperties: {className: ['caption-label']}}})
    expect(captionOf(second)!.children[0].position).toBeDefined()
  })

  it('leaves figures without a fig: label unnumbered, as pandoc-crossref does', () => {
    const tree = root(figure('figure', undefined, 'Unlabelled', 1), figure('figure', 'map', 'Other id', 2), figure('figure', 'fig:a', 'Labelled', 3))
    crossrefTransform(tree, new VFile())
    const [unlabelled, other, labelled] = tree.children as Figure[]
    expect(unlabelled.number).toBeUndefined()
    expect(shown(paragraph(1, ...captionOf(unlabelled)!.children))).toBe('Unlabelled')
    expect(other.number).toBeUndefined()
    expect(labelled.number).toBe('1')
  })

  it('does not label a caption twice when run again', () => {
    const tree = root(figure('figure', 'fig:a', 'Once', 1))
    crossrefTransform(tree, new VFile())
    crossrefTransform(tree, new VFile())
    expect(shown(paragraph(1, ...captionOf((tree.children[0] as Figure))!.children))).toBe('Figure 1: Once')
  })

  it('numbers labelled display equations only; autoEqnLabels numbers all of them', () => {
    const build = () => {
      const unlabelled = displayMath('x')
      const labelled = displayMath('y')
      labelled.data = {...labelled.data, id: 'eq:y'} as MathData
      return {tree: root(paragraph(1, unlabelled, text(' and '), labelled)), unlabelled, labelled}
    }
    const plain = build()
    crossrefTransform(plain.tree, new VFile())
    expect((plain.unlabelled.data as MathData).number).toBeUndefined()
    expect((plain.labelled.data as MathData).number).toBe('1')
    const auto = build()
    crossrefTransform(auto.tree, new VFile(), {autoEqnLabels: true})
    expect([(auto.unlabelled.data as MathData).number, (auto.labelled.data as MathData).number]).toEqual(['1', '2'])
  })

  it('numbers sections hierarchically when numberSections is set, skipping unnumbered headings', () => {
    const headings: Heading[] = [
      heading(1, 1, text('Intro')),
      heading(2, 2, text('Background')),
      heading(2, 3, text('Aims')),
      heading(1, 4, text('Notes')),
      heading(1, 5, text('Methods')),
      heading(3, 6, text('Deep'))
    ]
    headings[3].data = {unnumbered: true} as HeadingData
    crossrefTransform(root(...headings), new VFile(), {numberSections: true})
    // A skipped level counts as 1 (pandoc-crossref): `#` then `###` is 2.1.1.
    expect(headings.map((node) => (node.data as HeadingData).number)).toEqual(['1', '1.1', '1.2', undefined, '2', '2.1.1'])
  })

  it('shows no section numbers without numberSections, yet resolves sec: references to numbers', () => {
    const target = heading(2, 2, text('Aims'))
    target.data = {id: 'sec:aims'} as HeadingData
    const tree = root(heading(1, 1, text('Intro')), target, paragraph(3, citation(true, ['@sec:aims'], 3, 1)))
    crossrefTransform(tree, new VFile())
    expect((target.data as HeadingData).number).toBeUndefined()
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Section 1.1'])
  })

  it('shows a reference to an unnumbered section as its title, linked, without a word', () => {
    const appendix = heading(1, 2, text('Survey questions'))
    appendix.data = {id: 'sec:questions', unnumbered: true} as HeadingData
    const tree = root(heading(1, 1, text('Intro')), appendix, paragraph(3, citation(true, ['@sec:questions'], 3)))
    crossrefTransform(tree, new VFile(), {numberSections: true})
    const [reference] = references(tree)
    expect(shown(reference as never)).toBe('Survey questions')
    expect(linksOf(reference)).toEqual([['Survey questions', '#sec:questions']])
  })

  it('honours sectionsDepth', () => {
    const headings = [heading(1, 1, text('A')), heading(2, 2, text('B')), heading(3, 3, text('C'))]
    crossrefTransform(root(...headings), new VFile(), {numberSections: true, sectionsDepth: 2})
    expect(headings.map((node) => (node.data as HeadingData).number)).toEqual(['1', '1.1', undefined])
  })

  it('gives headings sec: labels with pandoc identifiers under autoSectionLabels', () => {
    const headings = [heading(1, 1, text('Chapter 3. Tables')), heading(1, 2, text('Section')), heading(1, 3, text('Section'))]
    const tree = root(...headings, paragraph(4, citation(true, ['@sec:section-1'], 4)))
    headingIdentifiersTransform(tree)
    crossrefTransform(tree, new VFile(), {autoSectionLabels: true})
    expect(headings.map((node) => (node.data as HeadingData).id)).toEqual(['sec:chapter-3.-tables', 'sec:section', 'sec:section-1'])
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Section 3'])
  })
})

describe('references', () => {
  it('renders [@fig:a] as "Figure 1" linked to #fig:a, and keeps the citation shape', () => {
    const {references: [reference], texts} = render(citation(true, ['@fig:a'], 10, 5))
    expect(texts).toEqual(['Figure 1'])
    expect(linksOf(reference)).toEqual([['Figure 1', '#fig:a']])
    expect(reference).toMatchObject({type: 'crossReference', bracketed: true, items: [{label: 'fig:a', capitalize: false, suppressPrefix: false}]})
    expect(reference.position).toEqual(at(10, 5, 8))
    expect(reference.data).toMatchObject({hName: 'span', hProperties: {className: ['crossref']}})
  })

  it('renders a narrative @fig:b like the bracketed form', () => {
    const {texts, references: [reference]} = render(citation(false, ['@fig:b']))
    expect(texts).toEqual(['Figure 2'])
    expect(reference.bracketed).toBe(false)
  })

  it('renders [-@fig:c] as the bare number, still linked', () => {
    const {texts, references: [reference]} = render(citation(true, ['-@fig:c']))
    expect(texts).toEqual(['3'])
    expect(linksOf(reference)).toEqual([['3', '#fig:c']])
  })

  it('compacts three consecutive numbers into an en-dash range, each end linked', () => {
    const {texts, references: [reference]} = render(citation(true, ['@fig:a', '@fig:b', '@fig:c']))
    expect(texts).toEqual(['Figures 1–3'])
    expect(linksOf(reference)).toEqual([
      ['1', '#fig:a'],
      ['3', '#fig:c']
    ])
  })

  it('lists numbers that are not consecutive, and two consecutive ones, with commas; sorted; duplicates once', () => {
    const {texts} = render(
      citation(true, ['@fig:a', '@fig:c']),
      citation(true, ['@fig:b', '@fig:a']),
      citation(true, ['@fig:e', '@fig:a', '@fig:c', '@fig:b', '@fig:a'])
    )
    expect(texts).toEqual(['Figures 1, 3', 'Figures 1, 2', 'Figures 1–3, 5'])
  })

  it('capitalises the word for @Fig:a and keeps our capital word otherwise', () => {
    const tree = document(citation(true, ['@Fig:a']), citation(true, ['@fig:a', '@Fig:b']))
    crossrefTransform(tree, new VFile(), pandocCrossrefDefaults)
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Fig. 1', 'figs. 1, 2'])
  })

  it('lets a written prefix replace the word, and prints a suffix after its number', () => {
    const {texts} = render(
      citation(true, [{key: 'fig:a', prefix: 'Panel'}, {key: 'fig:c'}, {key: 'fig:b'}]),
      citation(true, [{key: 'fig:a'}, {key: 'fig:b', suffix: 'left'}, {key: 'fig:c'}]),
      citation(true, [{key: 'fig:d', suffix: ', top'}])
    )
    expect(texts).toEqual(['Panel 1, Figures 2, 3', 'Figures 1, 2 left, 3', 'Figure 4, top'])
  })

  it('groups mixed kinds in the order written', () => {
    const {texts} = render(citation(true, ['@fig:a', '@tbl:x', '@tbl:y', '@fig:b', '@fig:c']))
    expect(texts).toEqual(['Figure 1, Tables 1, 2, Figures 2, 3'])
  })

  it('splits a citation mixing labels and bibliography keys, leaving the keys to the citations stage', () => {
    const tree = document(citation(true, ['@fig:a', '@tbl:x', '@Osei:2018', '@Lindqvist:2003'], 10, 1))
    const file = new VFile({path: 'manuscript/manuscript.md'})
    crossrefTransform(tree, file)
    const paragraphNode = tree.children[tree.children.length - 1] as Paragraph
    expect(paragraphNode.children.slice(0, 3).map((node) => node.type)).toEqual(['crossReference', 'text', 'citation'])
    expect(shown(paragraphNode.children[0])).toBe('Figure 1, Table 1')
    expect((paragraphNode.children[1] as {value: string}).value).toBe(', ')
    const rest = paragraphNode.children[2] as Citation
    expect(rest.children.map((item) => item.key)).toEqual(['Osei:2018', 'Lindqvist:2003'])
    expect(rest.bracketed).toBe(true)
    expect(file.messages.map((message) => message.ruleId)).toEqual(['mixed-citation'])
  })

  it('leaves citations without labels alone', () => {
    const tree = document(citation(true, ['@Chuang:2014']), citation(false, ['@thm:code']))
    crossrefTransform(tree, new VFile())
    expect(references(tree)).toHaveLength(0)
  })

  it('resolves references written inside captions', () => {
    const captioned = figure('figure', 'fig:b', 'Compare ', 2)
    captionOf(captioned)!.children.push(citation(false, ['@fig:a'], 2, 10))
    const tree = root(figure('figure', 'fig:a', 'First', 1), captioned)
    crossrefTransform(tree, new VFile())
    expect(shown(paragraph(1, ...captionOf(captioned)!.children))).toBe('Figure 2: Compare Figure 1')
  })
})

describe('problems', () => {
  it('shows an unknown label visibly and warns at the item, suggesting the nearest label of that kind', () => {
    const tree = document(citation(true, [{key: 'tbl:y_z', position: at(12, 7, 8)}]))
    ;(tree.children[6] as Figure).identifier = 'tbl:y-z'
    const file = new VFile({path: 'manuscript/manuscript.md'})
    crossrefTransform(tree, file)
    const [reference] = references(tree)
    expect(shown(reference as never)).toBe('Table ¿tbl:y_z?')
    let unknown: PhrasingContent | undefined
    visit(reference, 'strong', (node) => {
      unknown = node
    })
    expect(unknown?.data?.hProperties).toEqual({className: ['crossref-unknown']})
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect(message.reason).toBe('Unresolved reference @tbl:y_z: no tbl label by that name (did you mean tbl:y-z?)')
    expect([message.ruleId, message.fatal, message.line, message.column]).toEqual(['unresolved-reference', false, 12, 7])
  })

  it('sorts unknown labels first, like pandoc-crossref, and suggests a label of another kind when none is close', () => {
    const tree = document(citation(true, ['@fig:a', '@fig:x', '@fig:c']), citation(true, ['@fig:y']))
    const file = new VFile()
    crossrefTransform(tree, file)
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Figures ¿fig:x?, 1, 3', 'Figure ¿fig:y?'])
    expect(file.messages.map((message) => message.reason)).toEqual([
      'Unresolved reference @fig:x: no fig label by that name (did you mean tbl:x?)',
      'Unresolved reference @fig:y: no fig label by that name (did you mean tbl:y?)'
    ])
  })

  it('says what to do when no label is near', () => {
    const file = new VFile()
    crossrefTransform(root(paragraph(1, citation(true, ['@eq:energy']))), file)
    expect(file.messages[0].reason).toBe('Unresolved reference @eq:energy: no eq label by that name. Label an equation with {#eq:energy}, or correct the reference.')
  })

  it('reports a duplicate label at its second definition, naming the first, and keeps references on the first', () => {
    const tree = root(figure('figure', 'fig:a', 'First', 3), figure('figure', 'fig:a', 'Again', 9), paragraph(12, citation(true, ['@fig:a'])))
    const file = new VFile({path: 'manuscript/manuscript.md'})
    crossrefTransform(tree, file)
    expect(file.messages).toHaveLength(1)
    const [message] = file.messages
    expect([message.ruleId, message.fatal, message.line]).toEqual(['duplicate-label', true, 9])
    expect(message.reason).toContain('line 3')
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Figure 1'])
  })

  it('warns about a fig: label on an image that is not a figure', () => {
    const picture: PhrasingContent = {type: 'image', url: 'x.png', alt: '', position: at(5, 1, 20), data: {id: 'fig:x'} as never}
    const file = new VFile()
    crossrefTransform(root(paragraph(5, picture)), file)
    expect(file.messages.map((message) => [message.ruleId, message.line])).toEqual([['label-not-figure', 5]])
  })

  it('does not warn about the labelled image inside a figure', () => {
    const target = figure('figure', 'fig:x', 'Caption', 5)
    target.children[0].data = {id: 'fig:x'} as never
    const file = new VFile()
    crossrefTransform(root(target), file)
    expect(file.messages).toEqual([])
  })

  it('turns attribute blocks that no stage attached into text', () => {
    const tree = root(paragraph(1, text('odd '), attributes('.x', at(1, 5, 4))))
    crossrefTransform(tree, new VFile())
    expect((tree.children[0] as Paragraph).children[1]).toEqual({type: 'text', value: '{.x}', position: at(1, 5, 4)})
  })
})

describe('options', () => {
  it('reads pandoc-crossref words and delimiters from the front matter, overriding explicit options', () => {
    const tree = document(citation(true, ['@fig:a']), citation(true, ['@fig:a', '@fig:b', '@fig:c']), citation(true, ['@tbl:x', '@tbl:y']))
    crossrefTransform(tree, new VFile(), {
      figPrefix: ['Abb.', 'Abbn.'],
      metadata: {figPrefix: ['Fig.', 'Figs.'], tblPrefix: 'Tab.', rangeDelim: ' to ', pairDelim: ' and ', figureTitle: 'Fig'}
    })
    expect(references(tree).map((node) => shown(node as never))).toEqual(['Fig. 1', 'Figs. 1 to 3', 'Tab. 1 and 2'])
    expect(shown(paragraph(1, ...captionOf((tree.children[0] as Figure))!.children))).toBe('Fig 1: First')
  })

  it('reads the metadata the front matter stage read, and reports bad values at their key', () => {
    const yaml = {type: 'yaml' as const, value: 'title: x\nfigPrefix: 3.5x\nnumberSections: yes please\nchapters: maybe', position: at(1, 1, 3), data: {sourceFile: 'manuscript/part.md'}}
    const first = heading(1, 6, text('Intro'))
    const tree = root(yaml, first)
    const file = new VFile()
    const frontMatter = frontMatterTransform(tree, file)
    crossrefTransform(tree, file, {metadata: frontMatter.raw, metadataPlaces: frontMatter.keyPlaces})
    expect(file.messages.map((message) => [message.ruleId, message.file, message.line, message.column])).toEqual([
      ['crossref-option', 'manuscript/part.md', 4, 1],
      ['crossref-option', 'manuscript/part.md', 5, 1]
    ])
    expect(file.messages[0].reason).toContain('numberSections')
    expect(file.messages[1].reason).toContain('`chapters` must be true or false')
    expect((first.data as HeadingData).number).toBeUndefined()
  })

  it('links numbers only when linkReferences is on', () => {
    const tree = document(citation(true, ['@fig:a']))
    crossrefTransform(tree, new VFile(), {linkReferences: false})
    expect(linksOf(references(tree)[0])).toEqual([])
    expect(shown(references(tree)[0] as never)).toBe('Figure 1')
  })
})

describe('HTML through mdast-util-to-hast (no handler of our own needed)', () => {
  it('renders a reference as a span holding the link, and an unknown label in bold', () => {
    const tree = document(citation(true, ['@fig:a', '@fig:b', '@fig:c']), citation(true, ['@fig:zz']))
    crossrefTransform(tree, new VFile())
    const html = toHtml(toHast(tree.children[tree.children.length - 1] as Paragraph))
    expect(html).toBe(
      '<p><span class="crossref">Figures\u00A0<a href="#fig:a">1</a>–<a href="#fig:c">3</a></span> ; ' +
        '<span class="crossref">Figure\u00A0<strong class="crossref-unknown">¿fig:zz?</strong></span> ; </p>'
    )
  })

  it('renders the caption label as a span', () => {
    const target = figure('figure', 'fig:a', 'First', 1)
    crossrefTransform(root(target), new VFile())
    expect(toHtml(toHast(paragraph(1, ...captionOf(target)!.children)))).toBe('<p><span class="caption-label">Figure\u00A01:</span> First</p>')
  })
})

describe('helpers', () => {
  it('parses crossref keys with a lower-case or capitalised prefix only', () => {
    expect(parseCrossrefKey('fig:a')).toEqual({kind: 'fig', label: 'fig:a', capitalize: false})
    expect(parseCrossrefKey('Tbl:a')).toEqual({kind: 'tbl', label: 'tbl:a', capitalize: true})
    expect(parseCrossrefKey('FIG:a')).toBeUndefined()
    expect(parseCrossrefKey('Chuang:2014')).toBeUndefined()
    expect(parseCrossrefKey('thm:a')).toBeUndefined()
    expect(parseCrossrefKey('Lst:a')).toEqual({kind: 'lst', label: 'lst:a', capitalize: true})
  })

  it('suggests nothing when every label is far away', () => {
    expect(closestLabel('fig:zebra', 'fig', [{kind: 'fig', label: 'fig:locations'}])).toBeUndefined()
  })
})
