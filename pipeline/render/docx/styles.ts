/**
 * The document's styles: Word's own heading, title, caption and footnote styles, set in the typefaces nearest the
 * PDF's that every Word has (Cambria for Source Serif, Calibri for Source Sans), plus the styles pandoc's reference
 * document has for the rest (Author, Abstract, Block Text, Source Code, Verbatim Char, Bibliography…), so that a
 * journal's template (`reference-doc`) that defines them restyles the whole document. With a template, its
 * styles.xml is used as it is, and only styles it lacks are added.
 */
import type {ProfileOptions} from '../../config/profiles.ts'
import {AlignmentType, LineRuleType, type IParagraphStyleOptions, type ICharacterStyleOptions, type IStylesOptions} from 'docx'

const serif = 'Cambria'
const sans = 'Calibri'
const mono = 'Consolas'

/** Font sizes in half-points. */
const body = 22

const paragraphStyles: IParagraphStyleOptions[] = [
  {id: 'Normal', name: 'Normal', run: {font: serif, size: body}, paragraph: {spacing: {after: 120, line: 264, lineRule: LineRuleType.AUTO}}},
  {id: 'Title', name: 'Title', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: {font: sans, size: 36, bold: true}, paragraph: {alignment: AlignmentType.CENTER, spacing: {before: 240, after: 120}, keepNext: true}},
  {id: 'Subtitle', name: 'Subtitle', basedOn: 'Title', next: 'Normal', run: {size: 26, bold: false}},
  {id: 'Author', name: 'Author', basedOn: 'Normal', next: 'Normal', run: {font: sans}, paragraph: {alignment: AlignmentType.CENTER, spacing: {after: 0}, keepNext: true}},
  {id: 'Affiliation', name: 'Affiliation', basedOn: 'Author', next: 'Normal', run: {italics: true, size: 20}, paragraph: {spacing: {after: 120}}},
  {id: 'Date', name: 'Date', basedOn: 'Author', next: 'Normal', paragraph: {spacing: {after: 240}}},
  {id: 'AbstractTitle', name: 'Abstract Title', basedOn: 'Normal', next: 'Abstract', run: {font: sans, bold: true}, paragraph: {alignment: AlignmentType.CENTER, keepNext: true, spacing: {before: 240, after: 60}}},
  {id: 'Abstract', name: 'Abstract', basedOn: 'Normal', next: 'Normal', run: {size: 20}, paragraph: {indent: {left: 567, right: 567}}},
  {id: 'Keywords', name: 'Keywords', basedOn: 'Abstract', next: 'Normal', paragraph: {spacing: {after: 240}}},
  ...[1, 2, 3, 4, 5, 6].map(
    (level): IParagraphStyleOptions => ({
      id: `Heading${level}`,
      name: `heading ${level}`,
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      run: {font: sans, size: [32, 26, 24, 22, 22, 22][level - 1], bold: level <= 4, italics: level >= 4},
      paragraph: {keepNext: true, keepLines: true, outlineLevel: level - 1, spacing: {before: level === 1 ? 360 : 240, after: 120}}
    })
  ),
  {id: 'BlockText', name: 'Block Text', basedOn: 'Normal', next: 'Normal', paragraph: {indent: {left: 567, right: 567}}},
  {id: 'Compact', name: 'Compact', basedOn: 'Normal', paragraph: {spacing: {before: 0, after: 0}}},
  {id: 'SourceCode', name: 'Source Code', basedOn: 'Normal', run: {font: mono, size: 19}, paragraph: {spacing: {after: 120, line: 240, lineRule: LineRuleType.AUTO}, keepLines: true}},
  {id: 'Caption', name: 'caption', basedOn: 'Normal', next: 'Normal', quickFormat: true, run: {font: sans, size: 19}, paragraph: {spacing: {before: 60, after: 240}}},
  {id: 'CaptionedFigure', name: 'Captioned Figure', basedOn: 'Normal', paragraph: {spacing: {before: 120, after: 0}}},
  {id: 'TableSpacer', name: 'Table Spacer', basedOn: 'Normal', run: {size: 8}, paragraph: {spacing: {after: 120, line: 240, lineRule: LineRuleType.AUTO}}},
  {id: 'DisplayEquation', name: 'Display Equation', basedOn: 'Normal', paragraph: {spacing: {before: 120, after: 120}}},
  {id: 'FootnoteText', name: 'footnote text', basedOn: 'Normal', run: {size: 18}, paragraph: {spacing: {after: 60, line: 240, lineRule: LineRuleType.AUTO}}},
  {id: 'Bibliography', name: 'Bibliography', basedOn: 'Normal', paragraph: {indent: {left: 567, hanging: 567}, spacing: {after: 60}}}
]

const characterStyles: ICharacterStyleOptions[] = [
  {id: 'VerbatimChar', name: 'Verbatim Char', run: {font: mono, size: 19}},
  {id: 'Hyperlink', name: 'Hyperlink', run: {color: '1F4E79'}},
  {id: 'FootnoteReference', name: 'footnote reference', run: {superScript: true}}
]

/** The styles the document is written with, without a template; a profile's text size and line spacing in Normal. */
export function defaultStyles(profile?: ProfileOptions): IStylesOptions {
  return {paragraphStyles: profile ? paragraphStyles.map((style) => (style.id === 'Normal' ? profileNormal(style, profile) : style)) : paragraphStyles, characterStyles}
}

/**
 * Normal with the profile's size and spacing (Word's "double" is a line spacing of 480 in 240ths); the styles based on
 * it follow, except those that set their own (notes and code stay single-spaced, as journals allow).
 */
function profileNormal(style: IParagraphStyleOptions, profile: ProfileOptions): IParagraphStyleOptions {
  return {
    ...style,
    run: {...style.run, size: Math.round(profile.fontSizePt * 2)},
    paragraph: {...style.paragraph, spacing: {...style.paragraph?.spacing, line: Math.round(240 * profile.lineSpacing), lineRule: LineRuleType.AUTO}}
  }
}

/** A template's styles.xml with the styles it lacks of ours. */
export function templateStyles(stylesXml: string): {externalStyles: string; styles: IStylesOptions} {
  const defined = new Set([...stylesXml.matchAll(/w:styleId="([^"]+)"/g)].map((match) => match[1]))
  return {
    externalStyles: stylesXml,
    styles: {
      paragraphStyles: paragraphStyles.filter((style) => !defined.has(style.id)),
      characterStyles: characterStyles.filter((style) => !defined.has(style.id))
    }
  }
}
