/**
 * Pandoc's rule that a list or a block quote does not interrupt a paragraph: a line starting with `- `, `1. ` or
 * `> ` right after a paragraph line continues the paragraph (`blank_before_blockquote`, and no
 * `lists_without_preceding_blankline`), unlike CommonMark. Inside a list item, a list marker does start a list (a
 * sublist needs no blank line), as in pandoc.
 *
 * `blockQuoteNotInterrupting` and `listNotInterrupting` are the containers that give way where they would interrupt one;
 * the list one also records the lines a list item continued on, to know when one is open.
 */
import {blockQuote as micromarkBlockQuote, list as micromarkList} from 'micromark-core-commonmark'
import {types} from 'micromark-util-symbol'
import type {Construct, Effects, TokenizeContext} from 'micromark-util-types'

/** Per parse: the last line on which a list item continued. */
const listContinuedOn = new WeakMap<TokenizeContext['parser'], number>()

/**
 * A block quote, which never interrupts a paragraph. `blockQuote` is micromark's; micromark's own is disabled (it
 * would open where this one gives way), so the `>` its continuation reads is read with this one.
 */
export function blockQuoteNotInterrupting(blockQuote: Construct): Construct {
  const continuation = blockQuote.continuation!
  const marker: Construct = {...blockQuote, name: 'pandocBlockQuote'}
  return {
    ...blockQuote,
    name: 'pandocBlockQuote',
    tokenize(effects, ok, nok) {
      if (interruptsParagraph(this)) return nok
      return blockQuote.tokenize.call(this, effects, ok, nok)
    },
    continuation: {
      ...continuation,
      tokenize(effects, ok, nok) {
        return continuation.tokenize.call(this, replacing(effects, micromarkBlockQuote, marker), ok, nok)
      }
    }
  }
}

/**
 * The line would interrupt a paragraph: every open container continued (`interrupt`) and the flow is in a paragraph
 * (micromark's `content`, or a first line a pipe table tries as its head), not in an indented code block or a line
 * block, which CommonMark and pandoc let a block quote or list end.
 */
function interruptsParagraph(context: TokenizeContext): boolean {
  if (!context.interrupt) return false
  const events = context.events
  for (let index = events.length - 1; index >= 0; index--) {
    const [kind, token] = events[index]
    if (token.type === types.chunkFlow) {
      const name = kind === 'exit' ? token._tokenizer?.currentConstruct?.name : undefined
      return name === 'content' || name === 'table'
    }
  }
  return true
}

/** `effects` whose attempts of `construct` attempt `replacement` instead. */
function replacing(effects: Effects, construct: Construct, replacement: Construct): Effects {
  return {...effects, attempt: (attempted, returnOk, returnNok) => effects.attempt(attempted === construct ? replacement : attempted, returnOk, returnNok)}
}

/**
 * A list, which interrupts a paragraph only inside a list item. `list` is micromark's list construct or one that
 * calls it; micromark's own is disabled (it would open where this one gives way), so the sibling items its
 * continuation tries are tried with this one.
 */
export function listNotInterrupting(list: Construct): Construct {
  const continuation = list.continuation!
  const siblingItem: Construct = {...list, name: 'pandocList'}
  return {
    ...list,
    name: 'pandocList',
    tokenize(effects, ok, nok) {
      if (interruptsParagraph(this) && listContinuedOn.get(this.parser) !== this.now().line) return nok
      return list.tokenize.call(this, effects, ok, nok)
    },
    continuation: {
      ...continuation,
      tokenize(effects, ok, nok) {
        const self = this
        return continuation.tokenize.call(self, replacing(effects, micromarkList, siblingItem), (code) => {
          listContinuedOn.set(self.parser, self.now().line)
          return ok(code)
        }, nok)
      }
    }
  }
}
