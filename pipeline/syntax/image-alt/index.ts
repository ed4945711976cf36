/**
 * `remarkImageAlt`: an image keeps its alt text's nodes (emphasis, math, citations, cross-references, with their
 * positions in the real file) in `data.altNodes`, beside mdast's plain-text `alt`. pandoc's implicit figure takes
 * its caption from them (pipeline/transforms/figures.ts), so no stage has to read the alt's source text again.
 */
import type {PhrasingContent} from 'mdast'
import type {CompileContext, Extension} from 'mdast-util-from-markdown'
import type {Processor} from 'unified'

declare module 'mdast' {
  interface ImageData {
    /** The alt text as parsed, in place (see remarkImageAlt); absent when the alt is empty. */
    altNodes?: PhrasingContent[]
  }
}

/**
 * mdast-util-from-markdown's own `label` exit, which flattens an image's label to its plain text and drops the
 * nodes, with the nodes kept. A link's label becomes its children, as there.
 */
export function imageAltFromMarkdown(): Extension {
  return {
    exit: {
      label(this: CompileContext) {
        const fragment = this.stack[this.stack.length - 1] as {children: PhrasingContent[]}
        const value = this.resume()
        const node = this.stack[this.stack.length - 1]
        // As from-markdown does: assume a reference until a resource says otherwise.
        this.data.inReference = true
        if (node.type === 'link') {
          node.children = fragment.children
        } else if (node.type === 'image') {
          node.alt = value
          if (fragment.children.length > 0) node.data = {...node.data, altNodes: fragment.children}
        }
      }
    }
  }
}

export function remarkImageAlt(this: Processor): void {
  ;(this.data().fromMarkdownExtensions ??= []).push(imageAltFromMarkdown())
}
