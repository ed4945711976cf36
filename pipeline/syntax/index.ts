/**
 * `remarkPandoc`: the pandoc Markdown dialect our users write, as one remark plugin that registers each construct's
 * own plugin. Constructs live in sibling folders, each in three layers (syntax, from-markdown, plugin).
 */
import type {Processor} from 'unified'
import remarkFrontmatter from './frontmatter/index.ts'
import {remarkAttributes} from './attributes/index.ts'
import {remarkCitation} from './citation/index.ts'
import {remarkFencedDiv} from './fenced-div/index.ts'
import {remarkDefinitionList} from './definition-list/index.ts'
import {remarkLineBlock} from './line-block/index.ts'
import {remarkPandocList} from './pandoc-list/index.ts'
import {remarkInclude} from './include/index.ts'
import {remarkInlineNote} from './inline-note/index.ts'
import {remarkPandocMath} from './math/index.ts'
import {remarkRawTex} from './raw-tex/index.ts'
import {remarkPandocTable} from './pandoc-table/index.ts'
import {remarkNestingLimit} from './nesting/index.ts'
import {remarkJoinedData, remarkLinearCommonmark} from './linear/index.ts'
import {remarkGfmFootnote, remarkStrikethrough, remarkTaskListItem} from './gfm/index.ts'
import {remarkEscapedBreak} from './escaped-break/index.ts'
import {remarkEscapedSpace} from './escaped-space/index.ts'
import {remarkLiteralEscapes} from './literal-escapes/index.ts'
import {remarkSupSub} from './sup-sub/index.ts'
import {remarkHtmlBlock} from './html-block/index.ts'
import {remarkImplicitHeaderReferences} from './implicit-header-references/index.ts'
import {remarkTitleBlock} from './title-block/index.ts'
import {remarkCodeTabs} from './code-tabs/index.ts'
import {remarkPandocAutolink} from './autolink/index.ts'
import {remarkPandocLinkTitle} from './link-title/index.ts'
import {remarkImageAlt} from './image-alt/index.ts'

export function remarkPandoc(this: Processor): void {
  const processor = this
  for (const plugin of [
    remarkLinearCommonmark,
    remarkFrontmatter,
    remarkTitleBlock,
    remarkNestingLimit,
    remarkInclude,
    remarkFencedDiv,
    remarkDefinitionList,
    remarkGfmFootnote,
    remarkStrikethrough,
    remarkTaskListItem,
    remarkPandocTable,
    remarkLineBlock,
    remarkInlineNote,
    remarkSupSub,
    remarkEscapedSpace,
    remarkLiteralEscapes,
    remarkCitation,
    remarkAttributes,
    remarkPandocMath,
    remarkEscapedBreak,
    remarkRawTex,
    remarkHtmlBlock,
    remarkImplicitHeaderReferences,
    remarkPandocList,
    remarkCodeTabs,
    remarkPandocAutolink,
    remarkPandocLinkTitle,
    remarkImageAlt,
    remarkJoinedData
  ]) {
    processor.use(plugin as never)
  }
}
