/**
 * CSL styles and locales, each parsed once per project session (the memo it passes in): citeproc-js accepts the
 * parsed form, and re-reading the XML for every build (or every engine) would cost more than formatting a whole
 * manuscript.
 *
 * The default style is Chicago author-date (pandoc's default), as shipped by the rehype-citation package;
 * APA, Vancouver and Harvard come from @citation-js/plugin-csl. Locales: see shippedLocales.
 */
import {readdirSync, readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import path from 'node:path'
import {citeproc} from './citeproc-module.ts'
import cslLocales from '@citation-js/plugin-csl/lib/locales.json' with {type: 'json'}
import cslStyles from '@citation-js/plugin-csl/lib/styles.json' with {type: 'json'}
import chicagoAuthorDate from 'rehype-citation/node/styles/chicago.js'
import {XMLParser, XMLValidator} from 'fast-xml-parser'
import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {report} from '../diagnostics/report.ts'

export interface CitationStyle {
  /** A name for messages: the file path, or the built-in style's name. */
  name: string
  xml: string
  /** The style parsed by citeproc-js's own XML reader; engines get a copy (citeproc-js edits it while building). */
  readonly parsed: unknown
  /** Note styles (Chicago notes and bibliography) put every citation in a footnote. */
  isNoteStyle: boolean
  /** The style's `default-locale`, if it sets one. */
  defaultLocale?: string
  /** The citation collapses or groups cites (`collapse`, `cite-group-delimiter`): cites by the same author go together. */
  groupsCites: boolean
  title?: string
}

export const builtInStyleNames = ['chicago-author-date', 'apa', 'vancouver', 'harvard1'] as const
export type BuiltInStyleName = (typeof builtInStyleNames)[number]

const builtInStyleXml: Record<BuiltInStyleName, string> = {
  'chicago-author-date': chicagoAuthorDate,
  apa: cslStyles.apa,
  vancouver: cslStyles.vancouver,
  harvard1: cslStyles.harvard1
}

/** Styles (by their XML) and locales (by their tag) parsed already; a project session keeps one. */
export interface StyleMemo {
  styles: Map<string, CitationStyle>
  locales: Map<string, unknown>
}

export class CitationStyleError extends Error {
  /** Where in the style file the problem is, when known. */
  place?: {line: number; column: number}
  constructor(message: string, place?: {line: number; column: number}) {
    super(message)
    this.place = place
  }
}

const cslNamespace = 'http://purl.org/net/xbiblio/csl'

/**
 * A style file must be well-formed XML with a CSL `<style>` holding `<info>` and a `<citation>` with a `<layout>`:
 * citeproc-js reads anything leniently and then fails deep inside (or formats nothing) on what is missing.
 */
function checkStyleFile(xml: string, name: string): void {
  const validation = XMLValidator.validate(xml)
  if (validation !== true) {
    throw new CitationStyleError(`${name} is not well-formed XML: ${validation.err.msg.replace(/\.$/, '')} (line ${validation.err.line}, column ${validation.err.col})`, {line: validation.err.line, column: validation.err.col})
  }
  const document = new XMLParser({ignoreAttributes: false, attributeNamePrefix: '@_', ignoreDeclaration: true, ignorePiTags: true}).parse(xml) as Record<string, unknown>
  const style = document.style as Record<string, unknown> | undefined
  const styleLine = lineOf(xml, /<style[\s>]/)
  if (!style || typeof style !== 'object' || style['@_xmlns'] !== cslNamespace) {
    const root = Object.keys(document).find((key) => !key.startsWith('#'))
    throw new CitationStyleError(`${name} is not a CSL style: its root element is <${root ?? '?'}>, not <style xmlns="${cslNamespace}">`, {line: styleLine ?? 1, column: 1})
  }
  const citation = style.citation as Record<string, unknown> | undefined
  const missing = !style.info ? '<info>' : !citation ? '<citation>' : typeof citation !== 'object' || !citation.layout ? '<layout> inside <citation>' : undefined
  if (missing) throw new CitationStyleError(`${name} is not a complete CSL style: it has no ${missing}`, {line: styleLine ?? 1, column: 1})
}

function lineOf(text: string, pattern: RegExp): number | undefined {
  const match = pattern.exec(text)
  return match ? text.slice(0, match.index).split('\n').length : undefined
}

/** Prepare a style from its CSL XML; with a memo, the same text is parsed only once. Throws CitationStyleError. */
export function prepareCitationStyle(xml: string, name: string, trusted = false, memo?: StyleMemo): CitationStyle {
  const cached = memo?.styles.get(xml)
  if (cached) return cached.name === name ? cached : {...cached, name}
  if (!trusted) checkStyleFile(xml, name)
  const parse = () => {
    try {
      return citeproc().parseXml(xml)
    } catch (error) {
      throw new CitationStyleError(`${name} is not well-formed CSL XML (${error instanceof Error ? error.message : String(error)})`)
    }
  }
  // A style file is checked at once, so a broken one is reported where it is named; a bundled style is parsed
  // only when an engine needs it.
  let parsed: unknown = trusted ? undefined : parse()
  const styleTag = /<style\b[^>]*>/.exec(xml)?.[0] ?? ''
  const style: CitationStyle = {
    name,
    xml,
    get parsed() {
      parsed ??= parse()
      return parsed
    },
    isNoteStyle: /\bclass="note"/.test(styleTag),
    defaultLocale: /\bdefault-locale="([^"]+)"/.exec(styleTag)?.[1],
    groupsCites: /<citation\b[^>]*\b(collapse|cite-group-delimiter)="/.test(xml),
    title: /<title>([^<]*)<\/title>/.exec(xml)?.[1]
  }
  memo?.styles.set(xml, style)
  return style
}

export function builtInCitationStyle(name: BuiltInStyleName = 'chicago-author-date', memo?: StyleMemo): CitationStyle {
  return prepareCitationStyle(builtInStyleXml[name], name, true, memo)
}

export function isBuiltInStyleName(name: string): name is BuiltInStyleName {
  return (builtInStyleNames as readonly string[]).includes(name)
}

/**
 * CSL locales. @citation-js/plugin-csl ships five recent ones (CSL 1.0.2 terms) inside its module; citeproc-locales
 * ships the locales repository's files as pandoc 2.17 embeds them (53 of its 54: not hi-IN), read from disk only
 * when a document asks for one. Where both have a locale, the newer one is used.
 */
const require = createRequire(import.meta.url)
let localeFiles: Map<string, string> | undefined

/** Shipped locale tag → the file holding it (citeproc-locales); listed on first need. */
function citeprocLocaleFiles(): Map<string, string> {
  if (!localeFiles) {
    const folder = path.join(path.dirname(require.resolve('citeproc-locales/package.json')), 'locales')
    localeFiles = new Map()
    for (const name of readdirSync(folder).sort()) {
      const tag = /^locales-(.+)\.xml$/.exec(name)?.[1]
      if (tag) localeFiles.set(tag, path.join(folder, name))
    }
  }
  return localeFiles
}

/** Every shipped locale tag, sorted (`af-ZA`, `ar`, …, `zh-TW`). */
export function shippedLocales(): string[] {
  return [...new Set([...Object.keys(cslLocales), ...citeprocLocaleFiles().keys()])].sort()
}

/** The XML of a shipped locale. */
function localeXml(tag: string): string {
  return (cslLocales as Record<string, string>)[tag] ?? readFileSync(citeprocLocaleFiles().get(tag) as string, 'utf8')
}

/**
 * The parsed locale for a language tag (`en-US`, `de`, `fr-FR`), or `undefined` if none is shipped for it (see
 * resolveLocaleTag).
 */
export function parsedLocale(tag: string, memo?: StyleMemo): unknown {
  const resolved = resolveLocaleTag(tag)
  if (!resolved) return undefined
  let parsed = memo?.locales.get(resolved)
  if (!parsed) {
    parsed = citeproc().parseXml(localeXml(resolved))
    memo?.locales.set(resolved, parsed)
  }
  return parsed
}

/**
 * Each language's primary dialect, as pandoc's citeproc has it (Citeproc.Locale): a bare `de`, or a `de-LU` that is
 * not shipped, means `de-DE`; `null` for languages whose locale has no region (`ar`, `eu`, `la`).
 */
const primaryDialects: Record<string, string | null> = {
  af: 'ZA', ar: null, bg: 'BG', ca: 'AD', cs: 'CZ', cy: 'GB', da: 'DK', de: 'DE', el: 'GR', en: 'US', es: 'ES', et: 'EE',
  eu: null, fa: 'IR', fi: 'FI', fr: 'FR', he: 'IL', hr: 'HR', hu: 'HU', id: 'ID', is: 'IS', it: 'IT', ja: 'JP', km: 'KH',
  ko: 'KR', la: null, lt: 'LT', lv: 'LV', mn: 'MN', nb: 'NO', nl: 'NL', nn: 'NO', pl: 'PL', pt: 'PT', ro: 'RO', ru: 'RU',
  sk: 'SK', sl: 'SI', sr: 'RS', sv: 'SE', th: 'TH', tr: 'TR', uk: 'UA', vi: 'VN', zh: 'CN'
}

/** A language tag's language and region (`sr-Latn-RS` → sr, RS): what pandoc's citeproc looks locales up by. */
function languageAndRegion(tag: string): {language: string; region?: string} {
  const [language = '', ...subtags] = tag.trim().split(/[-_]/)
  return {language: language.toLowerCase(), region: subtags.find((subtag) => /^([a-z]{2}|\d{3})$/i.test(subtag))?.toUpperCase()}
}

let shippedByCode: Map<string, string> | undefined
let builtInByCode: Map<string, string> | undefined

/**
 * The shipped locale a language tag means, by pandoc's rule: the tag's language and region, else the language's
 * primary dialect; `undefined` when neither is shipped (pandoc then formats in en-US).
 */
export function resolveLocaleTag(tag: string): string | undefined {
  const {language, region} = languageAndRegion(tag)
  const code = (regionCode: string | null | undefined) => `${language}${regionCode ? `-${regionCode}` : ''}`.toLowerCase()
  // A locale built into the module (en-US among them) is found without listing citeproc-locales' folder: resolving
  // that package alone costs a fresh process 10 ms.
  builtInByCode ??= new Map(Object.keys(cslLocales).map((locale) => [locale.toLowerCase(), locale]))
  const builtIn = builtInByCode.get(code(region))
  if (builtIn) return builtIn
  shippedByCode ??= new Map(shippedLocales().map((locale) => [locale.toLowerCase(), locale]))
  const primary = primaryDialects[language]
  return shippedByCode.get(code(region)) ?? (primary === undefined ? undefined : shippedByCode.get(code(primary)))
}

/**
 * What a requested locale comes to: the shipped one used, and whether that is another region of the language
 * (`de-LU` → de-DE) or English because the language has none (`hi-IN` → en-US). A bare language (`de` → de-DE) or a
 * locale without region (`ar-EG` → ar) is what was asked for.
 */
export function localeFallback(requested: string): {used: string; fallback?: 'dialect' | 'language'} {
  const resolved = resolveLocaleTag(requested)
  if (!resolved) return {used: 'en-US', fallback: 'language'}
  const asked = languageAndRegion(requested).region
  const got = languageAndRegion(resolved).region
  return asked && got && asked !== got ? {used: resolved, fallback: 'dialect'} : {used: resolved}
}

/**
 * A locale asked for (`lang`, else the style's `default-locale`) that is not shipped falls back as pandoc's does
 * (engine.ts): to the language's primary dialect, else to en-US. A warning names it, at `lang` when it was asked for
 * there, else at the style.
 */
export function reportUnshippedLocale(file: VFile, style: CitationStyle, lang: string | undefined, langPlace: {sourceFile: string; place: {line: number; column: number}}): void {
  const requested = lang ?? style.defaultLocale
  if (!requested) return
  const {used, fallback} = localeFallback(requested)
  if (!fallback) return
  const fromStyle = lang === undefined
  const styleFile = style.name.includes('/') || style.name.endsWith('.csl')
  const place = fromStyle ? (styleFile ? {sourceFile: style.name, place: {line: 1, column: 1}} : {}) : langPlace
  const source = fromStyle ? `the default-locale of ${style.name}` : '`lang`'
  const {language} = languageAndRegion(requested)
  const sameLanguage = shippedLocales().filter((locale) => locale.split('-')[0].toLowerCase() === language)
  const message =
    fallback === 'dialect'
      ? `The citation locale ${requested} (${source}) is not shipped: citations and the bibliography use ${used}, as pandoc does. To choose the dialect, set \`lang\` to one of ${sameLanguage.join(', ')}.`
      : `No citation locale for ${requested} (${source}) is shipped: citations and the bibliography use English (en-US) terms and dates, as pandoc does. For another language, set \`lang\` to a shipped locale: ${shippedLocales().join(', ')}.`
  report(file, undefined, message, 'citation-locale', 'warning', place)
}

export interface LoadCitationStyleOptions {
  readFile: (path: string) => string
  file: VFile
  /** The node that named the style (the front matter), for problems that have no place in the style file. */
  node?: Node
  /** Styles parsed already (a project session's). */
  memo?: StyleMemo
}

/**
 * The style the document asks for: a `.csl` file path, a built-in style name, or nothing (Chicago
 * author-date). A style that cannot be read or parsed is reported (`citation-style`) and the default is used.
 */
export function loadCitationStyle(pathOrName: string | undefined, options: LoadCitationStyleOptions): CitationStyle {
  if (!pathOrName) return builtInCitationStyle(undefined, options.memo)
  if (isBuiltInStyleName(pathOrName)) return builtInCitationStyle(pathOrName, options.memo)
  let xml: string
  try {
    xml = options.readFile(pathOrName)
  } catch (error) {
    const reason = error instanceof Error && 'code' in error && error.code === 'ENOENT' ? 'does not exist' : `cannot be read (${error instanceof Error ? error.message : String(error)})`
    report(options.file, options.node, `Citation style '${pathOrName}' ${reason}: fix the \`csl:\` path in the front matter (or use one of ${builtInStyleNames.join(', ')}). Using Chicago author-date meanwhile.`, 'citation-style', 'error')
    return builtInCitationStyle(undefined, options.memo)
  }
  try {
    return prepareCitationStyle(xml, pathOrName, false, options.memo)
  } catch (error) {
    const place = error instanceof CitationStyleError ? error.place : undefined
    report(options.file, place ? undefined : options.node, `Cannot use citation style '${pathOrName}': ${error instanceof Error ? error.message : String(error)}. Fix the file or pick another style; using Chicago author-date meanwhile.`, 'citation-style', 'error', place ? {place, sourceFile: pathOrName} : {})
    return builtInCitationStyle(undefined, options.memo)
  }
}
