/**
 * Drawing a figure's Vega-Lite specification: what a spec may not hold (anything that would load or link), the
 * same bytes every time, labels laid out with the real widths of the document's typeface, the faces carried inside
 * the SVG, and every figure as wide as the text block.
 */
import {describe, expect, it} from 'vitest'
import {textWidth} from '../../pipeline/figures/layout.ts'
import {FontMetrics} from '../../pipeline/figures/fonts.ts'
import {FigureRenderer} from '../../pipeline/figures/render.ts'
import {checkSpec, SpecProblem} from '../../pipeline/figures/spec.ts'
import type {FigureModel} from '../../pipeline/tables/model.ts'

const renderer = new FigureRenderer()

function figure(spec: Record<string, unknown>): FigureModel {
  return {label: 'fig:test', caption: 'A test figure', spec}
}

function bars(labels: string[]): Record<string, unknown> {
  return {
    data: {values: labels.map((label, index) => ({label, value: index + 1}))},
    mark: 'bar',
    encoding: {y: {field: 'label', type: 'nominal', title: null}, x: {field: 'value', type: 'quantitative', title: 'Value'}}
  }
}

describe('what a specification may hold', () => {
  const refused: [string, Record<string, unknown>, RegExp][] = [
    ['data from a URL', {data: {url: 'file:///etc/passwd'}, mark: 'point'}, /`data\.url`: a figure carries its data inline/],
    ['a lookup from a URL', {data: {values: []}, transform: [{lookup: 'a', from: {data: {url: 'https://example.org/x.csv'}, key: 'a'}}], mark: 'point'}, /`transform\[0\]\.from\.data\.url`/],
    ['an image mark', {data: {values: [{u: 'x.png'}]}, mark: {type: 'image'}, encoding: {url: {field: 'u'}}}, /image mark at `mark`|`encoding\.url`/],
    ['a link', {data: {values: [{a: 1}]}, mark: 'point', encoding: {href: {value: 'https://example.org'}}}, /`encoding\.href`: a figure holds no links/],
    ['an endless sequence', {data: {sequence: {start: 0, stop: 1e12}}, mark: 'point'}, /holds 1000000000000 data values; a figure may hold at most 200000/]
  ]
  for (const [what, spec, message] of refused) {
    it(`refuses ${what}, naming where it is`, async () => {
      expect(() => checkSpec(spec)).toThrow(SpecProblem)
      await expect(renderer.render(figure(spec))).rejects.toThrow(message)
    })
  }

  it('lets data rows have any columns, a `url` among them', () => {
    expect(() => checkSpec({data: {values: [{url: 'https://example.org'}]}, datasets: {more: [{href: 'x'}]}, mark: 'point'})).not.toThrow()
  })

  it('draws a spec whose data is inline', async () => {
    const svg = await renderer.render(figure(bars(['a', 'b'])))
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/)
    // Nothing in it loads anything: the only URLs are the SVG namespaces and the embedded fonts' data.
    expect(svg.match(/(?:href|src)=|url\((?!data:font\/woff2;figure=[0-9a-f]{16};base64,)/g)).toBeNull()
  })
})

describe('the SVG written', () => {
  it('is the same, byte for byte, for the same specification, whoever renders it and after other figures', async () => {
    // A clipped mark and a gradient give Vega ids to number.
    const spec = {
      ...bars(['a', 'b', 'c']),
      mark: {type: 'bar', clip: true, color: {x1: 0, y1: 0, x2: 1, y2: 0, gradient: 'linear', stops: [{offset: 0, color: 'white'}, {offset: 1, color: 'black'}]}}
    }
    const first = await renderer.render(figure(spec))
    await renderer.render(figure(bars(['x'])))
    const again = await renderer.render(figure(spec))
    const fresh = await new FigureRenderer().render(figure(spec))
    expect(first).toContain('clipPath id="clip1"')
    expect(first).toContain('linearGradient id="gradient_0"')
    expect(again).toBe(first)
    expect(fresh).toBe(first)
  })

  it('lays labels out by the real widths of Source Sans 3, not by their number of letters', async () => {
    // Same number of letters; W is some four times as wide as i in Source Sans 3 (Vega's estimate makes them equal).
    const plotLeft = async (label: string) => Number(/<g fill="none"[^>]*transform="translate\(([\d.]+)/.exec(await renderer.render(figure(bars([label]))))![1])
    const narrow = await plotLeft('iiiiiiiiiiii')
    const wide = await plotLeft('WWWWWWWWWWWW')
    const metrics = new FontMetrics()
    const face = {family: 'Source Sans 3', weight: 400, style: 'normal'} as const
    const difference = metrics.width(face, 10, 'WWWWWWWWWWWW') - metrics.width(face, 10, 'iiiiiiiiiiii')
    expect(difference).toBeGreaterThan(50)
    expect(wide - narrow).toBeCloseTo(difference, -1)
  })

  it('carries the faces its text is set in, names them with fallbacks, and holds its specification', async () => {
    const svg = await renderer.render(figure(bars(['Côte d’Ivoire', 'Łódź'])))
    expect(svg).toContain(`font-family="'Source Sans 3', 'Source Sans Pro', Arial, sans-serif"`)
    const faces = [...svg.matchAll(/@font-face\{font-family:'([^']+)';font-style:(\w+);font-weight:(\d+);src:url\(data:font\/woff2;figure=[0-9a-f]{16};base64,[A-Za-z0-9+/=]+\) format\('woff2'\);unicode-range:([^}]+)\}/g)]
    // Labels in the regular face, the axis title in the semibold; Latin, and Latin Extended for Ł and ź.
    expect(faces.map((face) => `${face[1]} ${face[3]} ${face[4].startsWith('U+0000') ? 'latin' : 'latin-ext'}`)).toEqual([
      'Source Sans 3 400 latin',
      'Source Sans 3 400 latin-ext',
      'Source Sans 3 600 latin',
      'Source Sans 3 600 latin-ext'
    ])
    const metadata = /<metadata id="vega-lite-specification">([^<]*)<\/metadata>/.exec(svg)![1]
    expect(JSON.parse(metadata.replace(/&quot;/g, '"').replace(/&amp;/g, '&'))).toEqual(bars(['Côte d’Ivoire', 'Łódź']))
    expect(svg).toContain('<title>A test figure</title>')
  })

  it('gives its fonts data URLs of its own, so that a browser never draws two figures with one font object', async () => {
    // Chromium shares a data URL's font between the documents that ask for the same URL while it is held: two figures
    // printed with one font subset between them (see render.ts). The same figure keeps its URLs.
    const fontUrls = (svg: string) => [...svg.matchAll(/url\((data:[^,]*),/g)].map((match) => match[1])
    const first = fontUrls(await renderer.render({...figure(bars(['a'])), label: 'fig:first'}))
    const second = fontUrls(await renderer.render({...figure(bars(['a'])), label: 'fig:second'}))
    expect(first).toHaveLength(2)
    expect(second).toHaveLength(2)
    expect(first.filter((url) => second.includes(url))).toEqual([])
    expect(fontUrls(await renderer.render({...figure(bars(['b'])), label: 'fig:first'}))).toEqual(first)
  })

  it('is as wide as the text block, a single view and side-by-side views alike', async () => {
    const single = await renderer.render(figure(bars(['a'])))
    const sideBySide = await renderer.render(figure({data: {values: [{a: 1}]}, hconcat: [{width: 400, mark: 'point', encoding: {x: {field: 'a', type: 'quantitative'}}}, {width: 400, mark: 'point', encoding: {x: {field: 'a', type: 'quantitative'}}}]}))
    for (const svg of [single, sideBySide]) expect(/^<svg [^>]*\swidth="(\d+)"/.exec(svg)![1]).toBe(String(textWidth))
    // Scaled down, not cut: the view box keeps the drawing's own size.
    expect(Number(/viewBox="0 0 ([\d.]+)/.exec(sideBySide)![1])).toBeGreaterThan(800)
  })
})
