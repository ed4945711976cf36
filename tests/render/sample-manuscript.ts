/**
 * A small manuscript as the renderer receives it: an mdast tree after the transforms, built from
 * Markdown (remark's GFM footnotes, tables and math) and then given, by hand, the data the
 * attribute, figure, crossref and citation transforms would add.
 */
import type {Heading, Image, Paragraph, PhrasingContent, Root, RootContent, Table} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table'
import {mathFromMarkdown, type InlineMath} from 'mdast-util-math'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmTable} from 'micromark-extension-gfm-table'
import {math} from 'micromark-extension-math'
import type {Figure, HeadingData, InlineNote, MathData} from '../../pipeline/syntax/types.ts'
import type {DocumentMeta} from '../../pipeline/render/document.ts'

const filler = [
  'Community organisations run many of the programmes that local development policy relies on, and they watch its consequences from close by.',
  'Because their staff meet the beneficiaries every week, their judgements about outside funding are an unusually immediate record of what such funding changes.',
  'We therefore questioned the organisations directly, in a questionnaire that stayed open for five months and reached administrators in over ninety countries.',
  'Their responses are tabulated below, alongside descriptions of the regions where they operate and of how each organisation is governed.'
].join(' ')

export const sampleMarkdown = `# Introduction

This paper asks two questions.[^first] ${filler} The energy relation $E = mc^2$ is inline.

<span class="raw-marker">raw <em>inline</em> HTML</span>

<script>document.querySelector('.title').textContent = 'Changed by a script'; document.title = 'Changed by a script'</script>

<p class="remote-image">A remote image: <img src="http://example.com/x.png" alt="remote"></p>

${filler} ${filler}

## Data and methods

${filler} The relation $$a^2 + b^2 = c^2$$ is numbered. ${filler}

![Share of organisations by region of their headquarters](figure.svg)

${filler} ${filler}

| Region   | Headquarters | Work |
|:---------|-------------:|-----:|
| Asia     |          41% |  52% |
| Europe   |          19% |  15% |
| Americas |          24% |  17% |
| Africa   |          16% |  16% |

${filler} ${filler} ${filler}

## Findings

${filler} ${filler}[^second] ${filler}

${filler} ${filler} ${filler}

# Conclusion

${filler}INLINE-NOTE-HERE ${filler}

# References

REFERENCES-HERE

[^first]: A footnote with a [link](https://example.org/) in it.

[^second]: A second footnote that is rather longer, so that the notes section has some substance to it and wraps onto a second line.
`

export const sampleMeta: DocumentMeta = {
  title: 'Small Grants, Long Shadows: A Survey of Community Organisations and the Donors Behind Them',
  shortTitle: 'Small Grants, Long Shadows',
  authors: [
    {name: 'Ana Lopez', affiliation: 'Example University', email: 'ana.lopez@example.edu'},
    {name: 'Ben Okoro', affiliation: 'School of Public Affairs, Example University', email: 'ben.okoro@example.edu'}
  ],
  date: 'June 2, 2021',
  published: 'Working draft. Please ask the authors before citing it.',
  abstract:
    'We surveyed community organisations in 94 countries.\n\nMost of them value the advice of their donors, including those that receive little money from them.',
  keywords: ['community organisations', 'NGOs', 'foreign aid'],
  lang: 'en',
  paperSize: 'letter'
}

/** A minimal SVG figure (a bar chart), so the test needs no binary fixture. */
export const sampleFigureSvg = `<svg xmlns="http://www.w3.org/2000/svg" width="600" height="300" viewBox="0 0 600 300">
<rect width="600" height="300" fill="#fbfbf8"/>
<g fill="#4a6fa5"><rect x="60" y="60" width="90" height="200"/><rect x="190" y="150" width="90" height="110"/><rect x="320" y="120" width="90" height="140"/><rect x="450" y="180" width="90" height="80"/></g>
<line x1="40" y1="260" x2="570" y2="260" stroke="#222" stroke-width="2"/>
</svg>
`

function position(line: number) {
  return {start: {line, column: 1, offset: 0}, end: {line, column: 2, offset: 1}}
}

function text(value: string): PhrasingContent {
  return {type: 'text', value}
}

/** The tree the renderer gets for `sampleMarkdown`. */
export function sampleTree(): Root {
  const tree = fromMarkdown(sampleMarkdown, {
    extensions: [gfmFootnote(), gfmTable(), math()],
    mdastExtensions: [gfmFootnoteFromMarkdown(), gfmTableFromMarkdown(), mathFromMarkdown()]
  })
  const sectionNumbers = ['1', '1.1', '1.2', '2']
  let headingIndex = 0
  const children: RootContent[] = []
  for (const node of tree.children) {
    if (node.type === 'heading') {
      const heading = node as Heading
      const title = (heading.children[0] as {value: string}).value
      const data: HeadingData =
        title === 'References'
          ? {id: 'references', unnumbered: true}
          : {id: `sec:${title.toLowerCase().replace(/\s+/g, '-')}`, number: sectionNumbers[headingIndex++]}
      heading.data = data
      children.push(heading)
      continue
    }
    if (node.type === 'paragraph' && node.children.length === 1 && node.children[0].type === 'image') {
      const image = node.children[0] as Image
      const figure: Figure = {
        type: 'figure',
        kind: 'figure',
        identifier: 'fig:regions',
        number: '1',
        children: [image, {type: 'figureCaption', children: [text(image.alt ?? '')]}],
        position: node.position
      }
      children.push(figure)
      continue
    }
    if (node.type === 'table') {
      const figure: Figure = {
        type: 'figure',
        kind: 'table',
        identifier: 'tbl:regions',
        number: '1',
        children: [{type: 'figureCaption', children: [text('Where organisations are based and where they work; see '), {type: 'emphasis', children: [text('Figure 1')]}]}, node as Table],
        position: node.position
      }
      children.push(figure)
      continue
    }
    if (node.type === 'paragraph') {
      const paragraph = node as Paragraph
      for (const child of paragraph.children) {
        if (child.type === 'inlineMath' && child.value.startsWith('a^2')) {
          const data: MathData = {display: true, id: 'eq:pythagoras', number: '1'}
          ;(child as InlineMath).data = data
        }
      }
      const last = paragraph.children.at(-1)
      if (last?.type === 'text' && last.value.trim() === 'REFERENCES-HERE') {
        children.push(referencesNode(node.position?.start.line ?? 1))
        continue
      }
      paragraph.children = paragraph.children.flatMap((child): PhrasingContent[] => {
        if (child.type !== 'text' || !child.value.includes('INLINE-NOTE-HERE')) return [child]
        const [before, after] = child.value.split('INLINE-NOTE-HERE')
        const note: InlineNote = {type: 'inlineNote', children: [text('An inline note, numbered with the others.')], position: child.position}
        // A citation resolved by the citations transform, and one that no transform resolved.
        const resolved = {
          type: 'citation',
          bracketed: true,
          children: [],
          data: {hName: 'span', hProperties: {className: ['citation'], dataCites: 'Haddad:2011'}, hChildren: [{type: 'element', tagName: 'a', properties: {href: '#ref-Haddad:2011'}, children: [{type: 'text', value: '(Haddad 2011)'}]}]},
          position: child.position
        } as unknown as PhrasingContent
        const unresolved = {
          type: 'citation',
          bracketed: true,
          children: [
            {
              type: 'citationItem',
              key: 'Missing:2020',
              mode: 'normal',
              keyPosition: position(1),
              children: [
                {type: 'citationPrefix', children: [text('see')]},
                {type: 'citationSuffix', children: [text(', p. 3')]}
              ]
            }
          ],
          position: child.position
        } as unknown as PhrasingContent
        return [text(before), note, text(' as argued '), resolved, text(' and '), unresolved, text(after)]
      })
    }
    children.push(node)
  }
  tree.children = children
  return tree
}

function referencesNode(line: number): RootContent {
  const entry = (id: string, value: string) => ({
    type: 'element',
    tagName: 'div',
    properties: {id, className: ['csl-entry']},
    children: [{type: 'text', value}]
  })
  return {
    type: 'paragraph',
    children: [],
    position: position(line),
    data: {
      hName: 'div',
      hProperties: {id: 'refs', className: ['references', 'csl-bib-body', 'hanging-indent']},
      hChildren: [
        entry('ref-Haddad:2011', 'Haddad, Lina. 2011. “A Slow Drift: How Grant Conditions Change Over a Decade.” Journal of Invented Examples 12 (3): 201–29.'),
        entry('ref-Osei:2018', 'Osei, Kwame. 2018. “Counting What Donors Count.” Review of Made-Up Studies 4: 14–32.')
      ]
    }
  } as unknown as RootContent
}
