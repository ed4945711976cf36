/**
 * Pandoc's YAML metadata block at the top of a file: `---` on the first line, closed by the first line that is
 * `---` or `...`. One construct accepts either closer: two separate constructs (one per closer) make micromark
 * lose the container blocks after the block when the first one fails after scanning to the end of the file.
 * Tokens are named like micromark-extension-frontmatter's (`yaml`, `yamlFence`, `yamlValue`), so
 * mdast-util-frontmatter builds the `yaml` node.
 */
import type {Code, Construct, Effects, Extension, State, TokenizeContext} from 'micromark-util-types'
import {markdownLineEnding, markdownSpace} from 'micromark-util-character'
import {codes} from 'micromark-util-symbol'

const closingFence: Construct = {tokenize: tokenizeClosingFence, partial: true}

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
    if (place.line !== 1 || place.column !== 1 || code !== codes.dash) return nok(code)
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
    return lineEnd(code)
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
