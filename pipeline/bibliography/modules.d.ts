/**
 * Types for the untyped modules the bibliography stage imports: citeproc-js and citation-js's date parser.
 * Only what this stage calls is declared.
 */

declare module 'citeproc' {
  export interface CiteprocSys {
    retrieveLocale(lang: string): unknown
    retrieveItem(id: string): unknown
    /** Wraps each rendered variable (`params.variableNames`, `params.context`: 'citation' or 'bibliography'). */
    variableWrapper?(params: {variableNames: string[]; context: string; itemData: Record<string, unknown>}, prePunct: string, str: string, postPunct: string): string
    /** With `development_extensions.apply_citation_wrapper`: the HTML of one cite, to wrap (`id` is its `system_id`). */
    wrapCitationEntry?(html: string, id: string | null): string
  }
  export interface CiteprocCitationItem {
    id: string
    locator?: string
    label?: string
    prefix?: string
    suffix?: string
    'suppress-author'?: boolean
    'author-only'?: boolean
  }
  export interface CiteprocCitation {
    citationID: string
    citationItems: CiteprocCitationItem[]
    /** `unsorted`: keep the cites in the order given. */
    properties: {noteIndex: number; mode?: 'author-only' | 'suppress-author' | 'composite'; infix?: string; unsorted?: boolean}
  }
  export interface CiteprocBibliographyParams {
    maxoffset: number
    entryspacing: number
    linespacing: number
    hangingindent: boolean | number
    'second-field-align': false | 'flush' | 'margin'
    bibstart: string
    bibend: string
    entry_ids: string[][]
    bibliography_errors: unknown[]
  }
  export interface CiteprocEngine {
    opt: {xclass: 'in-text' | 'note'; lang: string; development_extensions: Record<string, boolean>; citation_number_sort?: boolean}
    citation: {opt: {layout_prefix?: string; layout_suffix?: string; layout_delimiter?: string}; srt: {compareCompositeKeys(a: unknown, b: unknown): number}}
    /** The citation's `<sort>`, compiled. */
    citation_sort?: {tokens: unknown[]}
    retrieveItem(id: string): unknown
    bibliography?: unknown
    locale: Record<string, {terms: Record<string, Record<string, string | string[]>>}>
    rebuildProcessorState(citations: CiteprocCitation[], mode: 'html' | 'text', uncitedItemIDs: string[]): [string, number, string][]
    restoreProcessorState(citations: CiteprocCitation[]): unknown
    updateUncitedItems(ids: string[]): void
    makeBibliography(): false | [CiteprocBibliographyParams, string[]]
  }
  interface CslNamespace {
    Engine: new (sys: CiteprocSys, style: unknown, lang?: string, forceLang?: boolean) => CiteprocEngine
    parseXml(xml: string): unknown
    /** The prefix with the space citeproc-js puts after it (the first argument, its state, is not used). */
    checkPrefixSpaceAppend(state: unknown, prefix: string): string
    /** The suffix with the space citeproc-js puts before it. */
    checkSuffixSpacePrepend(state: unknown, suffix: string): string
    /** The delimiter before the cite at `position` (sets and returns the engine's `tmp.splice_delimiter`). */
    getSpliceDelimiter(this: unknown, lastLocator: boolean, lastCollapsed: boolean, position: number): string
    /** Sort keys of an item for an area (`citation_sort`), called on the engine. */
    getSortKeys(this: CiteprocEngine, item: unknown, area: string): unknown
  }
  const CSL: CslNamespace
  export default CSL
}

declare module '@citation-js/date' {
  export function parse(date: string): {'date-parts'?: number[][]; raw?: string; literal?: string}
}
