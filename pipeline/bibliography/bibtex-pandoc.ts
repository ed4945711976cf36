/**
 * Where pandoc's reading of a `.bib` file (its citeproc library's BibLaTeX module, pandoc 2.17) differs from
 * citation-js's BibLaTeX-to-CSL mapping, made as pandoc makes it: CSL types and genres (`@phdthesis` is a thesis
 * whose genre is "PhD thesis", `@manual` a book), `title-short` from a "Title: Subtitle", the item's language from
 * `langid` (a babel name such as `ngerman` read as `de-DE`, and only English titles sentence-cased), `xdata`
 * inheritance, URLs of `eprint`s, `eventtitle` as `event`, `howpublished` with the publisher, and lowercase name particles ("van") dropping ones.
 *
 * Left as citation-js reads them (known differences): `and others` is an author named "others" (pandoc's citeproc
 * prints "et al." for it), and a braced corporate name is a family name where pandoc makes it a literal (they print the same).
 */
/** An entry as citation-js's BibTeX grammar reads it: type and field names in lower case, values still TeX. */
export interface RawEntry {
  type: string
  label: string
  properties: Record<string, string | number>
}

/** The CSL type pandoc gives each BibLaTeX entry type; a type not listed keeps citation-js's. */
const cslTypes: Record<string, string> = {
  article: 'article-journal', book: 'book', booklet: 'pamphlet', bookinbook: 'chapter', collection: 'book',
  dataset: 'dataset', electronic: 'webpage', inbook: 'chapter', incollection: 'chapter', inreference: 'entry-encyclopedia',
  inproceedings: 'paper-conference', manual: 'book', mastersthesis: 'thesis', mvbook: 'book', mvcollection: 'book',
  mvproceedings: 'book', mvreference: 'book', online: 'webpage', patent: 'patent', periodical: 'article-journal',
  phdthesis: 'thesis', proceedings: 'book', reference: 'book', report: 'report', software: 'book', suppbook: 'chapter',
  suppcollection: 'chapter', suppperiodical: 'article-journal', techreport: 'report', thesis: 'thesis',
  unpublished: 'manuscript', www: 'webpage', artwork: 'graphic', audio: 'song', image: 'graphic', jurisdiction: 'legal_case',
  legislation: 'legislation', legal: 'treaty', letter: 'personal_communication', movie: 'motion_picture', music: 'song',
  performance: 'speech', review: 'review', standard: 'legislation', video: 'motion_picture', data: 'dataset',
  letters: 'personal_communication', newsarticle: 'article-newspaper'
}

/** The genre an entry type implies when no `type` field names one. */
const typeGenres: Record<string, string> = {phdthesis: 'PhD thesis', mastersthesis: 'Master’s thesis'}

/** BibLaTeX's localisation keys in a `type` field, as pandoc writes them (in English). */
const genreKeys: Record<string, string> = {
  phdthesis: 'PhD thesis',
  mathesis: 'Master’s thesis',
  mastersthesis: 'Master’s thesis',
  candthesis: 'Candidate thesis',
  techreport: 'technical report',
  resreport: 'research report',
  software: 'computer software',
  datacd: 'data CD',
  audiocd: 'audio CD'
}

/** babel language names (`langid`, `hyphenation`) as the locales pandoc reads them as; others are kept, in lower case. */
const babelLocales: Record<string, string> = {
  american: 'en-US', british: 'en-GB', canadian: 'en-US', english: 'en-US', australian: 'en-GB', newzealand: 'en-GB',
  ukenglish: 'en-GB', usenglish: 'en-US', german: 'de-DE', ngerman: 'de-DE', austrian: 'de-AT', naustrian: 'de-AT',
  french: 'fr-FR', francais: 'fr-FR', acadian: 'fr-CA', canadien: 'fr-CA', brazil: 'pt-BR', brazilian: 'pt-BR',
  portuguese: 'pt-PT', spanish: 'es-ES', catalan: 'ca-AD', italian: 'it-IT', dutch: 'nl-NL', polish: 'pl-PL',
  russian: 'ru-RU', ukrainian: 'uk-UA', swedish: 'sv-SE', danish: 'da-DK', norsk: 'nb-NO', nynorsk: 'nn-NO',
  finnish: 'fi-FI', greek: 'el-GR', czech: 'cs-CZ', slovak: 'sk-SK', slovene: 'sl-SL', croatian: 'hr-HR',
  serbian: 'sr-RS', hungarian: 'hu-HU', magyar: 'hu-HU', turkish: 'tr-TR', japanese: 'ja-JP', hebrew: 'he-IL',
  arabic: 'ar', latin: 'la', icelandic: 'is-IS', romanian: 'ro-RO', bulgarian: 'bg-BG', estonian: 'et-EE',
  latvian: 'lv-LV', lithuanian: 'lt-LT', basque: 'eu', afrikaans: 'af-ZA', vietnamese: 'vi-VN', thai: 'th-TH'
}

/** Where an `eprint` of each `eprinttype` (or `archiveprefix`) is found on the web. */
const eprintUrls: Record<string, (id: string) => string> = {
  arxiv: (id) => `https://arxiv.org/abs/${id}`,
  jstor: (id) => `https://www.jstor.org/stable/${id}`,
  pubmed: (id) => `https://www.ncbi.nlm.nih.gov/pubmed/${id}`,
  googlebooks: (id) => `https://books.google.com?id=${id}`
}

/** The locale of an entry's `langid` (or `hyphenation`), as pandoc reads it; undefined when it names none. */
export function localeOf(entry: RawEntry): string | undefined {
  const name = String(entry.properties.langid ?? entry.properties.hyphenation ?? '').trim().toLowerCase()
  return name ? (babelLocales[name] ?? name) : undefined
}

/**
 * Before citation-js maps the entries: BibLaTeX's `xdata` (an entry takes the fields it lacks from the `@xdata`
 * entries it names, which are no works of their own), and the language citation-js decides sentence case by: the
 * entry's `langid`, as pandoc decides it (the `language` field, the languages a work is written in, does not count).
 */
export function prepareEntries(entries: RawEntry[]): RawEntry[] {
  const byKey = new Map(entries.map((entry) => [entry.label, entry]))
  const inherit = (entry: RawEntry, seen: Set<RawEntry>): void => {
    const names = entry.properties.xdata
    if (typeof names !== 'string') return
    delete entry.properties.xdata
    for (const name of names.split(',').map((part) => part.trim())) {
      const source = byKey.get(name)
      if (!source || seen.has(source)) continue
      inherit(source, new Set([...seen, source]))
      for (const [field, value] of Object.entries(source.properties)) if (!(field in entry.properties)) entry.properties[field] = value
    }
  }
  for (const entry of entries) inherit(entry, new Set([entry]))
  const works = entries.filter((entry) => entry.type !== 'xdata')
  for (const entry of works) {
    const language = entry.properties.langid ?? entry.properties.hyphenation
    if (language === undefined) delete entry.properties.language
    else entry.properties.language = language
  }
  return works
}

/** After the mapping: an item made from `entry` (as written, before prepareEntries) finished as pandoc makes it. */
export function finishLikePandoc(item: Record<string, unknown>, entry: {type: string; properties: RawEntry['properties']; locale?: string; howPublished?: string}): Record<string, unknown> {
  const field = (name: string): string | undefined => {
    const value = entry.properties[name]
    return value === undefined ? undefined : String(value).trim()
  }
  const type = cslTypes[entry.type]
  if (type) {
    const subtype = field('entrysubtype')?.toLowerCase()
    item.type = entry.type === 'article' && (subtype === 'magazine' || subtype === 'newspaper') ? `article-${subtype}` : entry.type === 'unpublished' && (field('eventtitle') || field('venue')) ? 'speech' : type
  }
  const typeField = field('type')
  const genre = typeField ? (genreKeys[typeField.toLowerCase()] ?? item.genre) : typeGenres[entry.type]
  if (genre) item.genre = genre
  else delete item.genre
  if (entry.locale) item.language = entry.locale
  else delete item.language
  if (typeof item.title === 'string' && !item['title-short']) {
    const short = mainTitle(item.title)
    if (short) item['title-short'] = short
  }
  // A lowercase particle ("van", "de la") is dropped from a name's short form, as pandoc reads BibTeX names, unless
  // the entry asks biblatex to use it (`options = {useprefix=true}`).
  if (!/useprefix\s*=\s*true|useprefix\s*(,|$)/i.test(field('options') ?? '')) {
    for (const names of Object.values(item)) {
      if (!Array.isArray(names)) continue
      for (const name of names) {
        if (name && typeof name === 'object' && 'non-dropping-particle' in name && !('dropping-particle' in name)) {
          name['dropping-particle'] = name['non-dropping-particle']
          delete name['non-dropping-particle']
        }
      }
    }
  }
  // `howpublished` that is not a URL (citation-js takes a URL one as the URL) is printed with the publisher.
  if (entry.howPublished && !/^\s*(https?|ftp):\/\//i.test(entry.howPublished)) {
    item.publisher = [item.publisher, entry.howPublished].filter(Boolean).join('; ')
  }
  if (item['event-title'] !== undefined) {
    item.event ??= item['event-title']
    delete item['event-title']
  }
  const eprint = field('eprint')
  const eprintType = (field('eprinttype') ?? field('archiveprefix'))?.toLowerCase()
  if (eprint && eprintType && eprintUrls[eprintType] && !item.URL) {
    item.URL = eprintUrls[eprintType](eprint)
  }
  // citation-js takes any eprint for a PubMed id; pandoc gives it none.
  if (eprint && item.PMID === eprint) delete item.PMID
  return item
}

/** A title's part before its first `: ` (the subtitle follows), unless the colon is inside formatting. */
function mainTitle(title: string): string | undefined {
  const colon = title.indexOf(': ')
  if (colon <= 0) return undefined
  const before = title.slice(0, colon)
  const opened = (before.match(/<(?!\/)[^>]*>/g) ?? []).length
  const closed = (before.match(/<\/[^>]*>/g) ?? []).length
  return opened === closed ? before : undefined
}
