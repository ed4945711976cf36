/**
 * Pandoc's `smart` extension: straight quotes become curly, `--` an en dash, `---` an em dash, `...` an ellipsis.
 * remark-smartypants does the work on text nodes only (code, math and raw HTML stay as written).
 */
import type {Root} from 'mdast'
import remarkSmartypants from 'remark-smartypants'

const transformer = (remarkSmartypants as unknown as (options: object) => (tree: Root) => void)({dashes: 'oldschool'})

export function smartPunctuationTransform(tree: Root): void {
  transformer(tree)
}
