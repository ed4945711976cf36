/**
 * Pandoc's YAML metadata block (`yaml_metadata_block`): a `---` line not followed by a blank line, closed by the
 * first line that is `---` or `...`. On a file's first line it is the front matter; anywhere else it must start a
 * top-level block after a blank line (it never interrupts a paragraph), and its first line must read as YAML
 * metadata (a `key:`, a comment, or the closing fence), so that a rule followed by text is still a rule. One construct accepts either closer: two separate constructs (one per closer) make micromark
 * lose the container blocks after the block when the first one fails after scanning to the end of the file.
 * Tokens are named like micromark-extension-frontmatter's (`yaml`, `yamlFence`, `yamlValue`), so
 * mdast-util-frontmatter builds the `yaml` node.
 */
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'

const closingFence: Construct = {tokenize: tokenizeClosingFence, partial: true}

const notBlankLine: Construct = {tokenize: tokenizeNotBlankLine, partial: true}
const metadataLine: Construct = {tokenize: tokenizeMetadataLine, partial: true}

const frontMatterConstruct: Construct = {tokenize: tokenizeFrontMatter, concrete: true}

export function pandocFrontMatter(): Extension {
  return {flow: {[codes.dash]: [frontMatterConstruct]}}
}

function tokenizeFrontMatter(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  const self = this
  let dashes = 0
  return start

  function start(code: Code): State | undefined {
    const place = self.now()
    if (place.column !== 1 || code !== codes.dash) return nok(code)
    if (place.line !== 1 && (self.interrupt || !afterBlankLine(self))) return nok(code)
    effects.enter('yaml' as never)
    effects.enter('yamlFence' as never)
    effects.enter('yamlFenceSequence' as never)
    return openSequence(code)
  }

  function openSequence(code: Code): State | undefined {
    if (code === codes.dash && dashes < 3) {
      dashes++
      effects.consume(code)
      return openSequence
    }
    if (dashes !== 3) return nok(code)
    effects.exit('yamlFenceSequence' as never)
    return openTrailing(code)
  }

  function openTrailing(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return openTrailing
    }
    if (!markdownLineEnding(code)) return nok(code)
    effects.exit('yamlFence' as never)
    // A blank line after the opening fence makes it a thematic break; mid-document, so does a first line that is not metadata.
    return effects.check(self.now().line === 1 ? notBlankLine : metadataLine, lineEnd, nok)(code)
  }

  function lineEnd(code: Code): State | undefined {
    if (code === codes.eof) return nok(code)
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return effects.attempt(closingFence, after, lineStart)
  }

  function lineStart(code: Code): State | undefined {
    if (code === codes.eof) return nok(code)
    if (markdownLineEnding(code)) return lineEnd(code)
    effects.enter('yamlValue' as never)
    return lineInside(code)
  }

  function lineInside(code: Code): State | undefined {
    if (code === codes.eof) return nok(code)
    if (markdownLineEnding(code)) {
      effects.exit('yamlValue' as never)
      return lineEnd(code)
    }
    effects.consume(code)
    return lineInside
  }

  function after(code: Code): State | undefined {
    effects.exit('yaml' as never)
    return ok(code)
  }
}

/** `---` or `...` alone on a line (trailing spaces allowed). */
function tokenizeClosingFence(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let marker: Code = codes.eof
  let size = 0
  return start

  function start(code: Code): State | undefined {
    if (code !== codes.dash && code !== codes.dot) return nok(code)
    marker = code
    effects.enter('yamlFence' as never)
    effects.enter('yamlFenceSequence' as never)
    return sequence(code)
  }

  function sequence(code: Code): State | undefined {
    if (code === marker && size < 3) {
      size++
      effects.consume(code)
      return sequence
    }
    if (size !== 3) return nok(code)
    effects.exit('yamlFenceSequence' as never)
    return trailing(code)
  }

  function trailing(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return trailing
    }
    if (code !== codes.eof && !markdownLineEnding(code)) return nok(code)
    effects.exit('yamlFence' as never)
    return ok(code)
  }
}

/** Whether the flow before this line ended with a blank line (or there is none: the start of the text). */
function afterBlankLine(self: TokenizeContext): boolean {
  const last = self.events[self.events.length - 1]
  return !last || last[1].type === 'lineEndingBlank'
}

/** At a line ending: the next line holds something other than spaces. */
function tokenizeNotBlankLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  return start

  function start(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return inside
  }

  function inside(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return inside
    }
    return code === codes.eof || markdownLineEnding(code) ? nok(code) : ok(code)
  }
}

/**
 * At a line ending: the next line starts YAML metadata as written in a manuscript: a comment, a closing fence, or
 * a key (`title:`, `"key":`, `link-citations:`) followed by a space or the line's end.
 */
function tokenizeMetadataLine(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let quote: Code = codes.eof
  return start

  function start(code: Code): State | undefined {
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    effects.enter('yamlValue' as never)
    return lineStart
  }

  function lineStart(code: Code): State | undefined {
    if (code === codes.numberSign || code === codes.dash || code === codes.dot) return done(code)
    if (code === codes.quotationMark || code === codes.apostrophe) {
      quote = code
      effects.consume(code)
      return quotedKey
    }
    return isKeyCharacter(code) ? plainKey(code) : nok(code)
  }

  function plainKey(code: Code): State | undefined {
    if (isKeyCharacter(code) || code === codes.dash || code === codes.dot) {
      effects.consume(code)
      return plainKey
    }
    return afterKey(code)
  }

  function quotedKey(code: Code): State | undefined {
    if (code === codes.eof || markdownLineEnding(code)) return nok(code)
    effects.consume(code)
    return code === quote ? afterKey : quotedKey
  }

  function afterKey(code: Code): State | undefined {
    if (markdownSpace(code)) {
      effects.consume(code)
      return afterKey
    }
    if (code !== codes.colon) return nok(code)
    effects.consume(code)
    return afterColon
  }

  function afterColon(code: Code): State | undefined {
    return code === codes.eof || markdownLineEnding(code) || markdownSpace(code) ? done(code) : nok(code)
  }

  function done(code: Code): State | undefined {
    effects.exit('yamlValue' as never)
    return ok(code)
  }
}

function isKeyCharacter(code: Code): boolean {
  return code !== null && ((code >= codes.digit0 && code <= codes.digit9) || (code >= codes.uppercaseA && code <= codes.uppercaseZ) || (code >= codes.lowercaseA && code <= codes.lowercaseZ) || code === codes.underscore)
}
