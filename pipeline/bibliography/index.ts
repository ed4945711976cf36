/**
 * Bibliographies (BibTeX/BibLaTeX, CSL JSON, CSL YAML) loaded into CSL items, CSL styles and locales, and the
 * citeproc-js engine that formats citations and reference lists with them.
 */
import {builtInCitationStyle, type CitationStyle} from './style.ts'

export {loadBibliography, originOf, formatOf, type Bibliography, type BibliographyEntryOrigin, type LoadBibliographyOptions} from './load.ts'
export {cslItemsFromData, normalizeCslItem, type CslItem, type CslName, type CslDate} from './csl-item.ts'
export {parseBibtex, type ParsedBibtex, type BibtexSyntaxError} from './bibtex.ts'
export {
  builtInCitationStyle,
  builtInStyleNames,
  loadCitationStyle,
  reportUnshippedLocale,
  prepareCitationStyle,
  shippedLocales,
  CitationStyleError,
  type CitationStyle,
  type BuiltInStyleName
} from './style.ts'
export {createCitationEngine, type CitationEngine, type FormattedBibliography} from './engine.ts'
export {parseLocator, locatorTermsFrom, type ParsedLocator, type LocatorTerms} from './locator.ts'

/** The style used when a document names none: Chicago author-date, pandoc's default. */
export function defaultStyle(): CitationStyle {
  return builtInCitationStyle('chicago-author-date')
}
