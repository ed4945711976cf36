/**
 * The mdast node types that our pandoc-dialect syntax adds, shared by every stage.
 * Each syntax extension (pipeline/syntax/<construct>/) produces the nodes declared here;
 * transforms (pipeline/transforms/) rewrite them; the renderer (pipeline/render/) turns them into hast.
 *
 * Every node carries `position` (from micromark tokens) and, once parsed, `data.sourceFile`:
 * the project-relative path of the file its text really lives in (set by pipeline/syntax/parse.ts),
 * so that diagnostics point into included files.
 */
import type {BlockContent, Code, Data, Image, Literal, Node, Paragraph, Parent, PhrasingContent, Table} from 'mdast'
import type {Position} from 'unist'
import type {ListNumberDelimiter, ListNumberStyle} from './pandoc-list/markers.ts'

/** How one cited item is rendered (pandoc's CitationMode). */
export type CitationMode = 'normal' | 'author-in-text' | 'suppress-author'

/**
 * One cited key with what was written around it: `see @a, p. 3` in `[see @a, p. 3; @b]`. Its children are always its
 * prefix and its suffix (either may be empty), parsed as Markdown with the rest of the paragraph, so emphasis, math,
 * links and even another citation (`[@a, quoting @b]`) inside them are ordinary phrasing nodes with positions.
 */
export interface CitationItem extends Parent {
  type: 'citationItem'
  /** The key without `@` or braces, e.g. `Chuang:2014`, `fig:locations`. */
  key: string
  mode: CitationMode
  /** Position of `@key` (including a leading `-`); the item's own position spans its prefix and suffix too. */
  keyPosition: Position
  children: [CitationPrefix, CitationSuffix]
  data?: SourceData
}

/** What was written before the key inside brackets (`see` in `[see @a]`), white space at either end left out. */
export interface CitationPrefix extends Parent {
  type: 'citationPrefix'
  children: PhrasingContent[]
}

/** What was written after the key up to the next `;` or `]` (`, p. 3`), or a narrative key's locator (`@a [p. 3]`). */
export interface CitationSuffix extends Parent {
  type: 'citationSuffix'
  children: PhrasingContent[]
}

/**
 * `[@a; @b, 12]`, `[-@a]`, `@a`, `@a [p. 33]`.
 * Cross-references (`@fig:x`) are parsed as citations too; the crossref transform turns them into `crossReference`.
 */
export interface Citation extends Parent {
  type: 'citation'
  /** True for the `[...]` form; false for a narrative `@key` (possibly followed by `[locator]`). */
  bracketed: boolean
  children: CitationItem[]
  data?: CitationData
}
export interface CitationData extends Data {
  sourceFile?: string
}

/** A cross-reference made from a citation whose keys all carry a crossref prefix (fig, tbl, sec, eq). */
export interface CrossReference extends Node {
  type: 'crossReference'
  bracketed: boolean
  items: CrossReferenceItem[]
  /**
   * The rendered reference (`Figure 1` as a link to `#fig:a`), set by the crossref transform. Optional: added so that
   * mdast-util-to-hast renders a crossReference (data.hName `span`) without a handler of its own.
   */
  children?: PhrasingContent[]
  data?: Data & {sourceFile?: string}
}
export interface CrossReferenceItem {
  /** `fig:locations` (prefix lower-cased). */
  label: string
  /** `@Fig:x` asks for a capitalised prefix word. */
  capitalize: boolean
  /** `-@fig:x`: number only, no prefix word. */
  suppressPrefix: boolean
  /** The citation item's prefix (`Eq.` in `[Eq. @eq:a]`), which replaces the prefix word. */
  prefix: PhrasingContent[]
  /** The citation item's suffix (`, panel b`), shown after the number. */
  suffix: PhrasingContent[]
  /** Position of the `@label`. */
  position: Position
}

/** Pandoc inline note `^[text]`. */
export interface InlineNote extends Parent {
  type: 'inlineNote'
  children: PhrasingContent[]
}

/** A pandoc attribute block `{#id .class key=value}` or `{-}`, as written right after an image, math, a heading text, or a caption. */
export interface Attributes extends Literal {
  type: 'attributes'
  /** Raw source between the braces. */
  value: string
  id?: string
  classes: string[]
  attributes: Record<string, string>
  /** `{=html}`: a raw attribute, the only output format the code before it goes to (then nothing else is set). */
  rawFormat?: string
}

/** `!INCLUDE "path"` alone on a line. */
export interface Include extends Node {
  type: 'include'
  /** The path as written, unresolved; empty when the line is not in a form that is read (`problem` says why). */
  path: string
  /** An include line that is not read (`!INCLUDE path`, `!INCLUDE ""`, `!include …`): what is wrong and the form to use. */
  problem?: string
}

/**
 * A numbered (or unnumbered) float: an image alone in a paragraph, a table with its caption, a code listing with its
 * caption, or a group of subfigures. Made by the figures, table-caption and listings transforms; numbered by the
 * crossref transform. Its caption is one of its children (a `figureCaption`), in the place it was written (before a
 * table when written before it), so every walk over the tree reads it like any other text.
 */
export interface Figure extends Parent {
  type: 'figure'
  kind: 'figure' | 'table' | 'listing'
  /** The label (`fig:locations`), if the author gave one. */
  identifier?: string
  /** Display number set by the crossref transform (`1`, `6.1`, `2a` for a subfigure). */
  number?: string
  /** The whole attribute block that ended the caption (`{#tbl:x label="T"}`), when there was one. */
  attributes?: Attributes
  children: FigureContent[]
}

/** What a figure holds: its content (an image, a table, a code block, subfigures and the paragraphs between them) and its caption. */
export type FigureContent = Image | Table | Code | Figure | Paragraph | FigureCaption

/** A figure's caption: the image's alt text, a table's `Table:` paragraph, a listing's `caption="…"`, a subfigure group's last paragraph. */
export interface FigureCaption extends Parent {
  type: 'figureCaption'
  children: PhrasingContent[]
  data?: SourceData
}

/**
 * A pandoc Div: a fenced div `::: {#id .class key=value}` … `:::` (or `::: class`), or a native `<div …>` … `</div>`
 * whose content is Markdown. `data` carries `id` and `hName`/`hProperties`, so that it renders as `<div>` without a
 * handler of its own and `::: {#refs}` can receive the bibliography.
 */
export interface Div extends Parent {
  type: 'div'
  identifier?: string
  classes: string[]
  attributes: Record<string, string>
  children: BlockContent[]
  data?: Data & {id?: string}
}

/** A pandoc definition list: terms (`defListTerm`), each followed by its definitions (`defListDescription`). */
export interface DefList extends Parent {
  type: 'defList'
  children: Array<DefListTerm | DefListDescription>
}

/** The term of a definition list: the line before its first definition. */
export interface DefListTerm extends Parent {
  type: 'defListTerm'
  children: PhrasingContent[]
}

/** One definition (`:` or `~`), holding blocks; not `spread` (tight): its paragraphs render without `<p>`. */
export interface DefListDescription extends Parent {
  type: 'defListDescription'
  spread: boolean
  children: BlockContent[]
}

/** pandoc's `%` title block on a file's first lines: a field per title, author and date, each where it is written. */
export interface TitleBlock extends Parent {
  type: 'titleBlock'
  children: TitleBlockField[]
}

export interface TitleBlockField extends Node {
  type: 'titleBlockField'
  field: 'title' | 'author' | 'date'
  /** As written, a title's continuation lines joined by line endings. */
  value: string
}

/** A pandoc line block (`| ` lines): each line (`lineBlockLine`) keeps its line break and its leading spaces. */
export interface LineBlock extends Parent {
  type: 'lineBlock'
  children: LineBlockLine[]
}

export interface LineBlockLine extends Parent {
  type: 'lineBlockLine'
  children: PhrasingContent[]
}

/**
 * Where the parser stopped at one of its limits (see pipeline/syntax/nesting): containers more than `nestingLimit`
 * deep, phrasing more than `phrasingNestingLimit` deep, or a table with far more cells than text. Reported as an
 * error by the nesting transform, which removes it.
 */
export interface ParseLimit extends Parent {
  type: 'parseLimit'
  /** What went too far: a micromark construct or mdast node type (`blockQuote`, `list`, `emphasis`, `table`…). */
  construct: string
  /** For a table: its rows and columns. */
  rows?: number
  columns?: number
  children: []
}

/** Display math `$$...$$` appearing inside a paragraph (pandoc's DisplayMath) is `inlineMath` with `data.display`. */
export interface MathData extends Data {
  display?: boolean
  /** Equation label from a following `{#eq:x}`. */
  id?: string
  /** Equation number set by the crossref transform. */
  number?: string
}

/** pandoc superscript `^x^`. */
export interface Superscript extends Parent {
  type: 'superscript'
  children: PhrasingContent[]
}

/** pandoc subscript `~x~`. */
export interface Subscript extends Parent {
  type: 'subscript'
  children: PhrasingContent[]
}

/** A pandoc bracketed span `[text]{#id .class key=value}`: the text and the attribute block written after it. */
export interface Span extends Parent {
  type: 'span'
  children: PhrasingContent[]
  identifier?: string
  classes: string[]
  attributes: Record<string, string>
}

/** Extra data that headings carry after the attributes transform. */
export interface HeadingData extends Data {
  id?: string
  classes?: string[]
  unnumbered?: boolean
  /** Section number set by the crossref transform (`2.1`). */
  number?: string
}

/**
 * Content for one output format only (pandoc's RawInline/RawBlock): format `tex` is LaTeX read from Markdown
 * (`\newpage`, `\begin{tabular}…\end{tabular}`, pandoc's `raw_tex`); other formats come from raw attributes
 * (`` `<b>x</b>`{=html} ``, a ```` ```{=latex} ```` fenced block). The HTML gets `html` content only.
 */
export interface RawInline extends Literal {
  type: 'rawInline'
  format: string
  /** For raw TeX: the commands written at its top level, by name (`newpage`, `vspace`; `begin` for environments). */
  commands?: string[]
  /** For raw TeX: the environments written at its top level (`tabular`). */
  environments?: string[]
}
export interface RawBlock extends Literal {
  type: 'rawBlock'
  format: string
  commands?: string[]
  environments?: string[]
}

/** Data every node may carry. */
export interface SourceData extends Data {
  /** Project-relative path of the file this node's text is in (set at parse time). */
  sourceFile?: string
}

declare module 'mdast' {
  interface PhrasingContentMap {
    citation: Citation
    crossReference: CrossReference
    inlineNote: InlineNote
    attributes: Attributes
    parseLimit: ParseLimit
    rawInline: RawInline
    superscript: Superscript
    subscript: Subscript
    span: Span
  }
  interface BlockContentMap {
    parseLimit: ParseLimit
    rawBlock: RawBlock
    include: Include
    figure: Figure
    div: Div
    defList: DefList
    lineBlock: LineBlock
    titleBlock: TitleBlock
  }
  interface RootContentMap {
    citation: Citation
    citationItem: CitationItem
    citationPrefix: CitationPrefix
    citationSuffix: CitationSuffix
    crossReference: CrossReference
    inlineNote: InlineNote
    attributes: Attributes
    include: Include
    figure: Figure
    figureCaption: FigureCaption
    div: Div
    parseLimit: ParseLimit
    defList: DefList
    defListTerm: DefListTerm
    defListDescription: DefListDescription
    lineBlock: LineBlock
    lineBlockLine: LineBlockLine
    titleBlock: TitleBlock
    titleBlockField: TitleBlockField
    rawInline: RawInline
    rawBlock: RawBlock
    superscript: Superscript
    subscript: Subscript
    span: Span
  }
  interface Data {
    sourceFile?: string
  }
  /** An ordered list's numbering as written (pandoc's list attributes); absent on bullet lists. */
  interface ListData {
    /** `decimal` (`1.`), `lowerAlpha` (`a.`), `upperRoman` (`IV.`), `default` (`#.`), `example` (`(@)`), … */
    numberStyle?: ListNumberStyle
    /** `period` (`1.`), `oneParen` (`1)`), `twoParens` (`(1)`), `default` (`#.`). */
    numberDelimiter?: ListNumberDelimiter
  }
  interface ListItemData {
    /** An example item's label (`good` in `(@good)`); `''` for `(@)`. */
    exampleLabel?: string
    /** An example item's number in the document (set by the example-lists transform). */
    exampleNumber?: number
  }
  interface ParagraphData {
    /**
     * pandoc's Plain: text that a block-level HTML tag ended (`<td>text</td>`), or a paragraph that a line starting
     * with one interrupted. Rendered without `<p>`.
     */
    plain?: boolean
  }
  /** Set on pandoc simple and multiline tables (pipe tables carry neither). */
  interface TableData {
    /** Written without a header row: every row is a body row (mdast otherwise treats the first row as header). */
    headless?: boolean
    /** A multiline table's relative column widths (fractions of the text width), from its dashed column line. */
    columnWidths?: number[]
  }
}
