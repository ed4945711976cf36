/**
 * remark plugin for pandoc attribute blocks `{#id .class key=value}`: registers the micromark syntax
 * and the from-markdown handlers (producing `attributes` nodes), like remark-gfm does.
 */
import type {Processor} from 'unified'
import {attributes} from './syntax.ts'
import {attributesFromMarkdown} from './from-markdown.ts'

export {attributes, attributesConstruct} from './syntax.ts'
export {attributesFromMarkdown} from './from-markdown.ts'

export function remarkAttributes(this: Processor): undefined {
  const data = this.data()
  const micromarkExtensions = (data.micromarkExtensions ||= [])
  const fromMarkdownExtensions = (data.fromMarkdownExtensions ||= [])
  micromarkExtensions.push(attributes())
  fromMarkdownExtensions.push(attributesFromMarkdown())
}
