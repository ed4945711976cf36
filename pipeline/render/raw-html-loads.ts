/**
 * What the author's raw HTML makes the printed page load, checked before printing so that each problem is reported
 * where it was written. The page loads only regular files inside the output folder and makes no network request,
 * so the PDF would silently lack a remote file (`<img src="https://…">`, a stylesheet, a CSS `url()` or `@import`, an
 * SVG `<image href>`), a file outside the output folder (`<img src="../figures/x.png">`: raw HTML is resolved from
 * the HTML page in the output folder) and a symbolic link there pointing elsewhere (`build/leak.html ->
 * /etc/passwd`): each is an error at the element. A `<meta http-equiv="refresh">` is a warning: the printed page
 * ignores it. What this cannot see (a file that a file of the page loads) is refused while printing and reported by
 * reportRefusedLoads at the raw HTML that names it.
 */
import {lstatSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import type {Element, Root as HastRoot, Text} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Html, Root} from 'mdast'
import type {Point} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'
import {walk} from '../syntax/walk.ts'
import type {RuleId} from '../diagnostics/rules.ts'

/** Where the HTML page is written: raw HTML's relative URLs resolve from there. */
export interface OutputFolder {
  /** Absolute path. */
  folder: string
  /** As the author knows it, e.g. `build`. */
  shown: string
}

/** Attributes through which raw HTML makes the page fetch something, by element. */
const fetchingAttributes: Record<string, string[]> = {
  // Also `<image href>` written as inline HTML: alone, out of its `<svg>`, it parses as an `<img>`.
  img: ['src', 'srcSet', 'href', 'xLinkHref'],
  source: ['src', 'srcSet'],
  video: ['src', 'poster'],
  audio: ['src'],
  track: ['src'],
  iframe: ['src'],
  frame: ['src'],
  embed: ['src'],
  object: ['data'],
  link: ['href'],
  script: ['src'],
  input: ['src'],
  base: ['href'],
  body: ['background'],
  table: ['background'],
  td: ['background'],
  th: ['background'],
  image: ['href', 'xLinkHref'],
  use: ['href', 'xLinkHref'],
  feImage: ['href', 'xLinkHref'],
  feimage: ['href', 'xLinkHref']
}

/** Raw HTML that cannot load anything, skipped without parsing. */
const mayLoad = /\b(?:src|srcset|href|poster|data|background|style|srcdoc|http-equiv)\s*=|<style/i

/** Frames inside `srcdoc` frames are looked into this deep. */
const srcdocDepth = 4

interface Load {
  /** `<img>`, `<div style>` or `<style>`, as written. */
  what: string
  url: string
  /** Offset in the raw HTML's text. */
  offset: number
}

export function checkRawHtmlLoads(tree: Root, file: VFile, output: OutputFolder | undefined): void {
  walk(tree, 'html', (node: Html) => {
    if (!mayLoad.test(node.value)) return
    for (const load of loadsOf(node.value, 0, 0)) {
      const problem = judge(load, output)
      if (problem) report(file, node, problem.message, problem.rule, problem.severity, placeIn(node, load.offset))
    }
    for (const refresh of refreshesOf(node.value)) {
      const target = refresh.url ? `to ${refresh.url}` : 'to itself again'
      const when = /^0*$/.test(refresh.seconds) ? 'at once' : `after ${refresh.seconds} s`
      report(
        file,
        node,
        `Raw HTML <meta http-equiv="refresh"> sends the page ${target} ${when}. The printed PDF ignores it; the HTML page keeps it, and a reader's browser follows it. Remove it, or write a link instead.`,
        'meta-refresh',
        'warning',
        placeIn(node, refresh.offset)
      )
    }
  })
}

/**
 * Requests refused while printing (the page or a file it loaded asked for them), reported at the raw HTML that names
 * the file, else at the first raw HTML that loads something (the file that asked for it, in all likelihood), else at
 * the start of the manuscript.
 */
export function reportRefusedLoads(tree: Root, file: VFile, urls: string[], output: OutputFolder): void {
  const nodes: Html[] = []
  walk(tree, 'html', (node: Html) => {
    nodes.push(node)
  })
  for (const url of urls) {
    const local = url.startsWith('file:') ? safeFilePath(url) : undefined
    const names = local ? [path.relative(output.folder, local).split(path.sep).join('/'), path.basename(local)] : [url]
    const node = nodes.find((candidate) => names.some((name) => name !== '' && candidate.value.includes(name))) ?? nodes.find((candidate) => mayLoad.test(candidate.value) && loadsOf(candidate.value, 0, 0).length > 0)
    const shown = local ? shownPath(local, output) : url
    const why = local ? `it is not a regular file inside the output folder \`${output.shown}/\`` : 'builds make no network requests'
    report(
      file,
      node,
      `The printed page asked for ${shown}, which was refused (${why}), so it would be missing from the PDF. Download or copy what it shows into the project and refer to it by its path (Markdown image syntax copies an image beside the page).`,
      local ? 'refused-load' : 'remote-resource',
      'error',
      node ? {} : {place: {line: 1, column: 1}}
    )
  }
}

/** A local file as the author knows it: from the output folder, else from the project folder, else absolute. */
function shownPath(local: string, output: OutputFolder): string {
  const fromOutput = path.relative(output.folder, local)
  if (!fromOutput.startsWith('..') && !path.isAbsolute(fromOutput)) return fromOutput.split(path.sep).join('/')
  const root = path.resolve(output.folder, ...output.shown.split('/').filter(Boolean).map(() => '..'))
  const fromRoot = path.relative(root, local)
  return fromRoot.startsWith('..') || path.isAbsolute(fromRoot) ? local : fromRoot.split(path.sep).join('/')
}

/** Every URL the raw HTML `html` makes the page load, with its offset in `html` (plus `base`). */
function loadsOf(html: string, base: number, depth: number): Load[] {
  const loads: Load[] = []
  const fragment: HastRoot = fromHtml(html, {fragment: true})
  walk(fragment, 'element', (element: Element) => {
    const offset = element.position?.start.offset ?? 0
    const at = base + offset
    // The name as written (`<image>`, which the parser may have made an `<img>`).
    const name = /^<([\w:-]+)/.exec(html.slice(offset, offset + 64))?.[1] ?? element.tagName
    for (const attribute of fetchingAttributes[element.tagName] ?? []) {
      const value = element.properties[attribute]
      const urls = attribute === 'srcSet' ? String(value ?? '').split(',').map((part) => part.trim().split(/\s+/)[0]) : [value]
      for (const url of urls) if (typeof url === 'string' && url.trim() !== '') loads.push({what: `<${name}>`, url: url.trim(), offset: at})
    }
    const style = element.properties.style
    if (typeof style === 'string') {
      for (const found of cssUrls(style)) loads.push({what: `<${name} style>`, url: found.url, offset: at})
    }
    if (element.tagName === 'style') {
      for (const child of element.children) {
        if (child.type !== 'text') continue
        const start = base + ((child as Text).position?.start.offset ?? 0)
        for (const found of cssUrls(child.value)) loads.push({what: '<style>', url: found.url, offset: start + found.index})
      }
    }
    const srcdoc = element.properties.srcDoc
    if (element.tagName === 'iframe' && typeof srcdoc === 'string' && depth < srcdocDepth) {
      for (const inner of loadsOf(srcdoc, 0, depth + 1)) loads.push({...inner, what: `${inner.what} in the srcdoc of <iframe>`, offset: at})
    }
  })
  return loads
}

/** `<meta http-equiv="refresh" content="5; url=…">`: the seconds and the URL, if any. */
function refreshesOf(html: string): {seconds: string; url: string; offset: number}[] {
  if (!/http-equiv/i.test(html)) return []
  const found: {seconds: string; url: string; offset: number}[] = []
  walk(fromHtml(html, {fragment: true}), 'element', (element: Element) => {
    if (element.tagName !== 'meta' || String(element.properties.httpEquiv ?? '').toLowerCase() !== 'refresh') return
    const content = String(element.properties.content ?? '')
    const match = /^\s*(\d*)[^;,]*[;,]?\s*(?:url\s*=\s*)?(.*)$/i.exec(content)
    found.push({seconds: match?.[1] ?? '', url: (match?.[2] ?? '').trim().replace(/^(['"])(.*)\1$/, '$2'), offset: element.position?.start.offset ?? 0})
  })
  return found
}

interface Problem {
  message: string
  rule: RuleId
  severity: 'error'
}

/** Why the printed page would not get `load`, or undefined when it would (or when the file is simply missing). */
function judge(load: Load, output: OutputFolder | undefined): Problem | undefined {
  const {what, url} = load
  if (url.startsWith('#') || /^(?:data|about|javascript|mailto|tel):/i.test(url)) return undefined
  if (url.startsWith('//') || (/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^file:/i.test(url))) {
    return {
      message: `Raw HTML ${what} loads ${url}, which is not fetched (builds make no network requests), so it would be missing from the PDF. Download it into the project and refer to it by its path, or use Markdown image syntax.`,
      rule: 'remote-resource',
      severity: 'error'
    }
  }
  if (!output) return undefined
  let target: string
  try {
    // As Chromium resolves it: from the HTML page's folder, query and fragment dropped, %-escapes decoded.
    const resolved = new URL(url, pathToFileURL(`${output.folder}${path.sep}`))
    resolved.search = ''
    resolved.hash = ''
    target = fileURLToPath(resolved)
  } catch {
    return undefined
  }
  const refused = (what: string, advice: string): Problem => ({
    message: `Raw HTML ${load.what} loads "${url}", ${what}. The printed page loads only regular files inside the output folder, so it would be missing from the PDF. ${advice}`,
    rule: 'refused-load',
    severity: 'error'
  })
  const inOutput = `the output folder \`${output.shown}/\``
  const realFolder = realOrSelf(output.folder)
  if (!isInside(output.folder, target) && !isInside(realFolder, target)) {
    return refused(`which is outside ${inOutput} (raw HTML's paths are resolved from the HTML page there)`, 'For an image, use Markdown image syntax, which copies the file beside the page.')
  }
  let real: string
  try {
    real = realpathSync(target)
  } catch {
    return isLink(target) ? refused(`a symbolic link in ${inOutput} that points nowhere`, 'Remove the link.') : undefined
  }
  if (!isInside(realFolder, real)) return refused(`a symbolic link in ${inOutput} to ${real}, outside it`, 'Remove the link, or put the file itself in its place.')
  try {
    if (!statSync(real).isFile()) return refused(`which is ${statSync(real).isDirectory() ? 'a folder' : 'not a regular file'}`, 'Name a file.')
  } catch {
    return undefined
  }
  return undefined
}

/** The URLs a piece of CSS loads (`url(…)`, `@import "…"`, `image-set("…")`), with their offsets; one linear scan. */
export function cssUrls(css: string): {url: string; index: number}[] {
  const found: {url: string; index: number}[] = []
  let stringIsUrl = false
  let imageSetDepth = 0
  let depth = 0
  let index = 0
  while (index < css.length) {
    const character = css[index]
    if (character === '/' && css[index + 1] === '*') {
      const end = css.indexOf('*/', index + 2)
      index = end === -1 ? css.length : end + 2
    } else if (character === '"' || character === "'") {
      const string = readString(css, index)
      if (stringIsUrl || imageSetDepth > 0) found.push({url: string.value, index})
      stringIsUrl = false
      index = string.end
    } else if ((character === 'u' || character === 'U') && css.slice(index, index + 4).toLowerCase() === 'url(' && !isNameCharacter(css[index - 1])) {
      const url = readUrl(css, index + 4)
      found.push({url: url.value, index})
      index = url.end
    } else if (character === '@' && css.slice(index, index + 7).toLowerCase() === '@import') {
      stringIsUrl = true
      index += 7
    } else if ((character === 'i' || character === 'I') && css.slice(index, index + 10).toLowerCase() === 'image-set(' && !isNameCharacter(css[index - 1])) {
      depth++
      imageSetDepth = depth
      index += 10
    } else {
      if (character === '(') depth++
      else if (character === ')') {
        if (depth === imageSetDepth) imageSetDepth = 0
        depth = Math.max(0, depth - 1)
      } else if (character === ';' || character === '{' || character === '}') stringIsUrl = false
      index++
    }
  }
  return found.filter((each) => each.url !== '')
}

/** A CSS string from its opening quote: its value (escapes undone) and the index after it. */
function readString(css: string, start: number): {value: string; end: number} {
  const quote = css[start]
  let value = ''
  let index = start + 1
  while (index < css.length && css[index] !== quote && css[index] !== '\n') {
    if (css[index] === '\\' && index + 1 < css.length) {
      const escape = /^[0-9a-f]{1,6}\s?/i.exec(css.slice(index + 1, index + 8))
      if (escape) {
        value += String.fromCodePoint(Math.min(parseInt(escape[0], 16), 0x10ffff) || 0xfffd)
        index += 1 + escape[0].length
        continue
      }
      value += css[index + 1]
      index += 2
      continue
    }
    value += css[index]
    index++
  }
  return {value, end: index + 1}
}

/** The argument of `url(`, from just after the parenthesis: quoted or bare; and the index after the `)`. */
function readUrl(css: string, start: number): {value: string; end: number} {
  let index = start
  while (/\s/.test(css[index] ?? '')) index++
  if (css[index] === '"' || css[index] === "'") {
    const string = readString(css, index)
    const close = css.indexOf(')', string.end)
    return {value: string.value.trim(), end: close === -1 ? css.length : close + 1}
  }
  const close = css.indexOf(')', index)
  const end = close === -1 ? css.length : close
  return {value: css.slice(index, end).trim(), end: end + 1}
}

function isNameCharacter(character: string | undefined): boolean {
  return character !== undefined && /[\w-]/.test(character)
}

/** The report options placing a problem at `offset` of the raw HTML's text, in the file. */
function placeIn(node: Html, offset: number): {place?: Point} {
  const start = node.position?.start
  if (!start) return {}
  let line = 0
  let lineStart = 0
  for (let index = node.value.indexOf('\n'); index !== -1 && index < offset; index = node.value.indexOf('\n', index + 1)) {
    line++
    lineStart = index + 1
  }
  return {place: {line: start.line + line, column: line === 0 ? start.column + offset : offset - lineStart + 1}}
}

function safeFilePath(url: string): string | undefined {
  try {
    return fileURLToPath(url)
  } catch {
    return undefined
  }
}

function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target)
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative))
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

function realOrSelf(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}
