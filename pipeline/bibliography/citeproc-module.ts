/**
 * citeproc-js, loaded on first use: a build whose citations come from the derived cache never needs it, and it is
 * a large module (with V8's code cache when compiled: script-module.ts). It is CommonJS, so it loads synchronously.
 */
import type CSL from 'citeproc'
import {requireLibrary} from '../script-module.ts'

let loaded: typeof CSL | undefined

export function citeproc(): typeof CSL {
  if (!loaded) {
    loaded = requireLibrary<typeof CSL>('citeproc')
    useCiteGroupDelimiter(loaded)
  }
  return loaded
}

interface SpliceState {
  tmp: {have_collapsed?: boolean; splice_delimiter?: string; citation_id?: string}
  registry: {citationreg: {citationById: Record<string, {citationItems?: {locator?: string}[]} | undefined>}}
  citation: {opt: {'after-collapse-delimiter'?: string; cite_group_delimiter?: string}}
}

/**
 * Between the cites of one author that a style collapses (`collapse="year"`: "Doe 2010, 2007"), CSL puts the
 * cite-group delimiter (", " unless the style sets another), as pandoc does; citeproc-js puts the layout's delimiter
 * there whenever the style also sets `after-collapse-delimiter` (Chicago author-date: "Doe 2010; 2007"). Its choice
 * of delimiter is corrected for that case only; in a citation with a locator the after-collapse delimiter stays
 * ("Doe 2005; 2006, 30"), as pandoc keeps it in a group with one.
 */
function useCiteGroupDelimiter(library: typeof CSL): void {
  const original = library.getSpliceDelimiter
  library.getSpliceDelimiter = function (this: SpliceState, lastLocator: boolean, lastCollapsed: boolean, position: number): string {
    original.call(this, lastLocator, lastCollapsed, position)
    const citation = this.tmp.citation_id === undefined ? undefined : this.registry.citationreg.citationById[this.tmp.citation_id]
    const withLocator = citation?.citationItems?.some((item) => item.locator) ?? lastLocator
    if (this.citation.opt['after-collapse-delimiter'] !== undefined && this.tmp.have_collapsed && !withLocator) {
      this.tmp.splice_delimiter = this.citation.opt.cite_group_delimiter ?? ', '
    }
    return this.tmp.splice_delimiter ?? ''
  }
}
