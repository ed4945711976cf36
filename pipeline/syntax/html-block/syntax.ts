/**
 * pandoc's `markdown_in_html_blocks`: a line starting with a block-level HTML tag (`<table>`, `<td>`, `</tr>`,
 * `<details>`, pandoc's list of block tags) is raw HTML tag by tag, and the text between the tags is Markdown.
 *
 *     <table>
 *     <tr><td>This is *emphasized*</td></tr>
 *     </table>
 *
 * is `<table>`, `<tr>`, `<td>`, the text `This is *emphasized*` (inline Markdown), `</td>`, `</tr>`, `</table>`:
 * each tag an `htmlFlow` token of its own (so an `html` node with its position), the text a paragraph whose chunks
 * the text tokenizer reads. As in pandoc, text that a block tag ends is a Plain block (no `<p>`), text that a blank
 * line ends a paragraph; it may run over several lines (`<p>x\ny</p>`), up to a blank line or a line starting with a
 * block tag. Lines between tag lines are ordinary flow: a paragraph, a list, a code block, which a line starting
 * with a block tag interrupts (that paragraph is Plain too; see from-markdown.ts).
 *
 * Left to micromark's HTML flow: a line starting with `<pre`, `<script`, `<style`, `<textarea` (verbatim to their
 * closing tag, as pandoc reads them), a comment, `<!DOCTYPE` or `<?`. Later on a line, such an element or comment
 * is one raw token up to its end on that line (else to the end of the line), never read as Markdown.
 *
 * Indentation: pandoc reads the lines inside an element after removing the indentation of its first inner line, so
 * that `<table>` over `    <tr>` over `        <td>…` is not indented code. Here a line indented four spaces or more
 * that starts with a block tag is read as a tag line when the line just before it is a tag line leaving an element
 * open (`tagLineDepth`): other indented lines stay code, as after a blank line in pandoc.
 *
 * Every tag is one line (`<td` … `>`); a tag that does not close on its line is text. Each position is looked at a
 * bounded number of times: a tag attempt stops at the first character that cannot continue the tag.
 */
import {asciiAlpha, asciiAlphanumeric, markdownLineEnding, markdownLineEndingOrSpace, markdownSpace} from 'micromark-util-character'
import {codes, constants, types} from 'micromark-util-symbol'
import type {Code, Construct, Effects, Extension, State, Token, TokenizeContext} from 'micromark-util-types'
import {lineOfContainer} from '../shared/line-of-container.ts'

declare module 'micromark-util-types' {
  interface TokenTypeMap {
    /** A line (or lines) of block tags and the text between them. */
    htmlBlockTags: 'htmlBlockTags'
    /** Text between tags: a paragraph, Plain when a tag ends it (see `plainTexts`). */
    htmlBlockText: 'htmlBlockText'
  }
}

/**
 * pandoc 2.17's block tags (its HTML reader's `isBlockTag`: HTML block tags, DocBook block tags, EPUB's, and the
 * tags that may be either), lower-cased. `?xml` and `!DOCTYPE` are left to micromark.
 */
const blockTagNames = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'canvas', 'caption', 'center', 'col', 'colgroup', 'dd',
  'details', 'dir', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4',
  'h5', 'h6', 'head', 'header', 'hgroup', 'hr', 'html', 'isindex', 'main', 'menu', 'meta', 'noframes', 'nav', 'ol',
  'output', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'textarea', 'thead', 'tfoot', 'ul', 'frameset',
  'li', 'td', 'th', 'tr', 'script', 'style',
  // DocBook
  'calloutlist', 'bibliolist', 'glosslist', 'itemizedlist', 'orderedlist', 'segmentedlist', 'simplelist',
  'variablelist', 'caution', 'important', 'note', 'tip', 'warning', 'literallayout', 'programlisting',
  'programlistingco', 'screen', 'screenco', 'screenshot', 'synopsis', 'example', 'informalexample',
  'informalfigure', 'informaltable', 'para', 'simpara', 'formalpara', 'equation', 'informalequation', 'mediaobject',
  'qandaset', 'procedure', 'task', 'cmdsynopsis', 'funcsynopsis', 'classsynopsis', 'epigraph', 'msgset', 'sidebar',
  'title',
  // EPUB
  'case', 'switch', 'default'
])

/**
 * Tags pandoc takes as block tags at the start of a block but as inline HTML inside text (`a <del>b</del>`): they
 * start a tag line, and inside text only their closing tag ends the text, when their element opened the line.
 */
const eitherBlockOrInlineNames = new Set([
  'audio', 'applet', 'button', 'iframe', 'embed', 'del', 'ins', 'progress', 'map', 'area', 'noscript', 'object',
  'svg', 'video', 'source'
])

/** Elements whose content is raw text, never Markdown. */
const verbatimNames = new Set(['pre', 'script', 'style', 'textarea'])

/** Elements without content: they leave nothing open. */
const voidNames = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr'])

/**
 * Tag lines starting with `</div>` at the start of the line: pandoc leaves the paragraph before one a paragraph
 * (its rule for native divs), where other tags make it Plain.
 */
export const divClosingLines = new WeakSet<Token>()

/** Texts that a block tag ended: Plain blocks. */
export const plainTexts = new WeakSet<Token>()

/** For each `htmlBlockTags` token, how many elements are open after it (counting from the tag lines just before). */
const tagLineDepth = new WeakMap<Token, number>()

const htmlBlockConstruct: Construct = {name: 'htmlBlockTags', tokenize: tokenizeHtmlBlock}
const indentedHtmlBlockConstruct: Construct = {name: 'htmlBlockTags', tokenize: tokenizeIndentedHtmlBlock}
const blockTagAhead: Construct = {tokenize: tokenizeBlockTagAhead, partial: true}
const nextLineContinuesText: Construct = {tokenize: tokenizeNextLineContinuesText, partial: true}

/** The micromark syntax extension: before micromark's HTML flow (extensions' constructs come first). */
export function htmlBlock(): Extension {
  return {
    flow: {[codes.lessThan]: htmlBlockConstruct},
    flowInitial: {[codes.space]: indentedHtmlBlockConstruct, [codes.horizontalTab]: indentedHtmlBlockConstruct, [codes.virtualSpace]: indentedHtmlBlockConstruct}
  }
}

/** A tag as read by `tagTokenizer`: its name (lower-cased) and kind. */
interface TagSeen {
  name: string
  closing: boolean
  selfClosing: boolean
  /** A comment or a verbatim element read whole. */
  whole: boolean
}

function tokenizeIndentedHtmlBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  return start

  function start(code: Code): State | undefined {
    if (!afterOpenTagLine(self)) return nok(code)
    effects.enter(types.linePrefix)
    return indentation(code)
  }

  function indentation(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return indentation
    }
    effects.exit(types.linePrefix)
    return code === codes.lessThan ? tokenizeHtmlBlock.call(self, effects, ok, nok)(code) : nok(code)
  }
}

/** The line before is a tag line (only its line ending between) that leaves an element open. */
function afterOpenTagLine(context: TokenizeContext): boolean {
  const line = tagLineBefore(context)
  return line !== undefined && (tagLineDepth.get(line) ?? 0) > 0
}

/**
 * The tag line just before the current line, if the flow's last events are its exit and a line ending (and this
 * line's indentation).
 */
function tagLineBefore(context: TokenizeContext): Token | undefined {
  const events = context.events
  let length = events.length
  if (length > 0 && events[length - 1][1].type === types.linePrefix) length -= 2
  if (length < 3 || events[length - 1][1].type !== types.lineEnding) return undefined
  const [kind, token] = events[length - 3]
  return kind === 'exit' && token.type === 'htmlBlockTags' ? token : undefined
}

function tokenizeHtmlBlock(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let block: Token
  let depth = 0
  /** Elements opened by tags of this construct, by name: their closing tags end text. */
  const opened: string[] = []
  let previousChunk: Token | undefined
  let text: Token | undefined
  const memo: LineMemo = {}

  return start

  function start(code: Code): State | undefined {
    if (code !== codes.lessThan) return nok(code)
    const before = tagLineBefore(self)
    if (before) depth = tagLineDepth.get(before) ?? 0
    block = effects.enter('htmlBlockTags')
    return effects.attempt(tagConstruct(seen, 'start'), afterTag, nok)(code)
  }

  function seen(tag: TagSeen): void {
    if (tag.closing && tag.name === 'div' && depth === 0 && opened.length === 0 && block.start.column === 1 && !tagLineBefore(self)) divClosingLines.add(block)
    if (tag.whole || tag.selfClosing || voidNames.has(tag.name)) return
    if (!tag.closing) {
      depth++
      opened.push(tag.name)
    } else if (depth > 0) depth--
  }

  function afterTag(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.enter(types.whitespace)
      return spaces(code)
    }
    return afterSpaces(code)
  }

  function spaces(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return spaces
    }
    effects.exit(types.whitespace)
    return afterSpaces(code)
  }

  function afterSpaces(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return end(code)
    if (code === codes.lessThan) return effects.attempt(tagConstruct(seen, 'inside', opened, memo), afterTag, textStart)(code)
    return textStart(code)
  }

  function textStart(code: Code): State | undefined {
    text = effects.enter('htmlBlockText')
    previousChunk = undefined
    return chunkStart(code)
  }

  function chunkStart(code: Code): State | undefined {
    const chunk = effects.enter(types.chunkText, {contentType: constants.contentTypeText, previous: previousChunk})
    if (previousChunk) previousChunk.next = chunk
    previousChunk = chunk
    return inText(code)
  }

  /** At the first character of the text, which is not a tag; then at each character. */
  function inText(code: Code): State | undefined {
    effects.consume(code)
    return textContinue
  }

  function textContinue(code: Code): State | undefined {
    if (code === codes.eof) return textEnd(code)
    if (markdownLineEnding(code)) return effects.check(nextLineContinuesText, lineContinues, textEnd)(code)
    if (code === codes.lessThan) return effects.check(tagConstruct(undefined, 'inside', opened, memo), tagEndsText, inText)(code)
    return inText(code)
  }

  function lineContinues(code: Code): State | undefined {
    // The line ending goes into the chunk, as in a paragraph.
    effects.consume(code)
    effects.exit(types.chunkText)
    return chunkStart
  }

  function tagEndsText(code: Code): State | undefined {
    effects.exit(types.chunkText)
    if (text) plainTexts.add(text)
    effects.exit('htmlBlockText')
    return effects.attempt(tagConstruct(seen, 'inside', opened, memo), afterTag, nok)(code)
  }

  /** At the end of the document or of a line after which the text does not go on. */
  function textEnd(code: Code): State | undefined {
    effects.exit(types.chunkText)
    effects.exit('htmlBlockText')
    // Followed by a line starting with a block tag: Plain, as pandoc ends a paragraph only at a blank line.
    if (text && markdownLineEnding(code)) return effects.check(blockTagLineAhead, plainEnd, end)(code)
    return end(code)
  }

  function plainEnd(code: Code): State | undefined {
    if (text) plainTexts.add(text)
    return end(code)
  }

  function end(code: Code): State | undefined {
    tagLineDepth.set(block, depth)
    effects.exit('htmlBlockTags')
    return ok(code)
  }
}

/** A line ending, then a line (of this container) starting with a block tag after any indentation. */
const blockTagLineAhead: Construct = {tokenize: tokenizeBlockTagLineAhead, partial: true}

function tokenizeBlockTagLineAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    return effects.attempt(lineOfContainer, indentation, nok)(code)
  }

  function indentation(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return indentation
    }
    return effects.attempt(blockTagAhead, ok, nok)(code)
  }
}

/** At `<`: a tag that may start a tag line. */
function tokenizeBlockTagAhead(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return tagConstruct(undefined, 'start').tokenize.call(this, effects, ok, nok)
}

/**
 * After a line of text: the next line is of this container (not lazy), not blank, does not start with a block tag
 * (after any indentation) or a backtick fence, so it goes on with the text.
 */
function tokenizeNextLineContinuesText(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let fence = 0
  return start

  function start(code: Code): State | undefined {
    return effects.attempt(lineOfContainer, indentation, nok)(code)
  }

  function indentation(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return indentation
    }
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)
    if (code === codes.graveAccent) return backticks(code)
    if (code === codes.lessThan) return effects.attempt(blockTagAhead, nok, ok)(code)
    return ok(code)
  }

  function backticks(code: Code): State | undefined {
    if (code === codes.graveAccent) {
      effects.consume(code)
      fence++
      return backticks
    }
    return fence >= 3 ? nok(code) : ok(code)
  }
}

/**
 * One tag, comment or verbatim element on this line, as an `htmlFlow` token. `where` is `start` for the first tag
 * of a line (any block tag but the verbatim ones and comments, which micromark's HTML flow reads), `inside` for a
 * tag after others or after text (a block tag, a comment, a verbatim element whole, or the closing tag of an
 * element in `opened`). `seen` hears of the tag once it is read.
 */
function tagConstruct(seen: ((tag: TagSeen) => void) | undefined, where: 'start' | 'inside', opened: string[] = [], memo: LineMemo = {}): Construct {
  return {tokenize: tokenizeTag, partial: true}

  function tokenizeTag(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
    const self = this
    let name = ''
    let closing = false
    let quote: Code = null
    let verbatimClose = ''
    let matched = 0
    let dashes = 0

    return start

    function start(code: Code): State | undefined {
      if (code !== codes.lessThan) return nok(code)
      effects.enter(types.htmlFlow)
      effects.enter(types.htmlFlowData)
      effects.consume(code)
      return open
    }

    function open(code: Code): State | undefined {
      if (code === codes.slash) {
        closing = true
        effects.consume(code)
        return nameStart
      }
      if (code === codes.exclamationMark && where === 'inside') {
        // A comment found unclosed earlier on this line: no later one on it closes either.
        if (memo.unclosedCommentLine === self.now().line) return nok(code)
        effects.consume(code)
        return commentDash(0)
      }
      return nameStart(code)
    }

    function commentDash(index: number): State {
      return function (code: Code): State | undefined {
        if (code !== codes.dash) return nok(code)
        effects.consume(code)
        return index === 1 ? comment : commentDash(1)
      }
    }

    /** Inside `<!-- … -->`, to its end on this line. */
    function comment(code: Code): State | undefined {
      if (code === codes.eof || markdownLineEnding(code)) {
        memo.unclosedCommentLine = self.now().line
        return nok(code)
      }
      if (code === codes.greaterThan && dashes >= 2) {
        effects.consume(code)
        return done({name: '!--', closing: false, selfClosing: false, whole: true})
      }
      dashes = code === codes.dash ? dashes + 1 : 0
      effects.consume(code)
      return comment
    }

    function nameStart(code: Code): State | undefined {
      if (!asciiAlpha(code)) return nok(code)
      return tagName(code)
    }

    function tagName(code: Code): State | undefined {
      if (asciiAlphanumeric(code) || code === codes.dash) {
        name += String.fromCharCode(code!).toLowerCase()
        effects.consume(code)
        return tagName
      }
      if (!accepted()) return nok(code)
      return beforeAttribute(code)
    }

    function accepted(): boolean {
      if (where === 'start') return blockTagNames.has(name) ? !verbatimNames.has(name) || closing : eitherBlockOrInlineNames.has(name)
      if (blockTagNames.has(name)) return true
      return closing && opened.includes(name)
    }

    function beforeAttribute(code: Code): State | undefined {
      if (markdownSpace(code)) {
        effects.consume(code)
        return beforeAttribute
      }
      if (code === codes.greaterThan) return tagEnd(code)
      if (code === codes.slash && !closing) {
        effects.consume(code)
        return selfClosingEnd
      }
      if (closing || !(asciiAlpha(code) || code === codes.underscore || code === codes.colon)) return nok(code)
      effects.consume(code)
      return attributeName
    }

    function attributeName(code: Code): State | undefined {
      if (asciiAlphanumeric(code) || code === codes.underscore || code === codes.colon || code === codes.dash || code === codes.dot) {
        effects.consume(code)
        return attributeName
      }
      return afterAttributeName(code)
    }

    function afterAttributeName(code: Code): State | undefined {
      if (markdownSpace(code)) {
        effects.consume(code)
        return afterAttributeName
      }
      if (code !== codes.equalsTo) return beforeAttribute(code)
      effects.consume(code)
      return valueStart
    }

    function valueStart(code: Code): State | undefined {
      if (markdownSpace(code)) {
        effects.consume(code)
        return valueStart
      }
      if (code === codes.quotationMark || code === codes.apostrophe) {
        quote = code
        effects.consume(code)
        return quotedValue
      }
      if (code === codes.eof || markdownLineEndingOrSpace(code) || unquotedExcluded(code)) return nok(code)
      effects.consume(code)
      return unquotedValue
    }

    function quotedValue(code: Code): State | undefined {
      // A tag is one line: an unclosed quote cannot swallow the document.
      if (code === codes.eof || markdownLineEnding(code)) return nok(code)
      effects.consume(code)
      if (code === quote) return afterValue
      return quotedValue
    }

    function unquotedValue(code: Code): State | undefined {
      if (code === codes.eof || markdownLineEndingOrSpace(code) || code === codes.greaterThan) return afterValue(code)
      if (unquotedExcluded(code)) return nok(code)
      effects.consume(code)
      return unquotedValue
    }

    function afterValue(code: Code): State | undefined {
      if (code === codes.greaterThan || code === codes.slash) return beforeAttribute(code)
      if (!markdownSpace(code)) return nok(code)
      return beforeAttribute(code)
    }

    function selfClosingEnd(code: Code): State | undefined {
      if (code !== codes.greaterThan) return nok(code)
      effects.consume(code)
      return done({name, closing, selfClosing: true, whole: false})
    }

    function tagEnd(code: Code): State | undefined {
      effects.consume(code)
      if (!closing && verbatimNames.has(name)) {
        verbatimClose = `</${name}>`
        return verbatim
      }
      return done({name, closing, selfClosing: false, whole: false})
    }

    /** A verbatim element's content, to its closing tag on this line or to the end of the line. */
    function verbatim(code: Code): State | undefined {
      if (code === codes.eof || markdownLineEnding(code)) return done({name, closing, selfClosing: false, whole: true})(code)
      const expected = verbatimClose.charCodeAt(matched)
      matched = (matched > 1 ? code! | 0x20 : code) === expected ? matched + 1 : code === codes.lessThan ? 1 : 0
      effects.consume(code)
      if (matched === verbatimClose.length) return done({name, closing, selfClosing: false, whole: true})
      return verbatim
    }

    function done(tag: TagSeen): State {
      effects.exit(types.htmlFlowData)
      effects.exit(types.htmlFlow)
      seen?.(tag)
      return ok
    }
  }
}

/** What one tag line learnt about its current line, so that no stretch of it is scanned again and again. */
interface LineMemo {
  /** A comment started on this line does not end on it. */
  unclosedCommentLine?: number
}

/** Characters HTML does not allow in an unquoted attribute value. */
function unquotedExcluded(code: Code): boolean {
  return code === codes.quotationMark || code === codes.apostrophe || code === codes.lessThan || code === codes.equalsTo || code === codes.greaterThan || code === codes.graveAccent
}
