/**
 * remark plugin for pandoc's link and definition titles, whose quotes nest (`"title with "quotes" in it"`):
 * registers the definition construct with pandoc's title. Inline links get the same title through the link end
 * (../linear/label-end.ts). The tokens are micromark's, so mdast-util-from-markdown's handlers read them.
 */
import type {Processor} from 'unified'
import {pandocDefinitions} from './syntax.ts'

export {factoryPandocTitle, pandocDefinition, pandocDefinitions, pandocResource, withPandocResource} from './syntax.ts'

export function remarkPandocLinkTitle(this: Processor): undefined {
  ;(this.data().micromarkExtensions ??= []).push(pandocDefinitions())
}
