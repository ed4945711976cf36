/**
 * Word numbering for lists: each list gets a numbering definition of its own (so every numbered list starts at its
 * own start, as the HTML shows it), its levels indented by depth; bullets alternate by depth.
 */
import {AlignmentType, LevelFormat, type INumberingOptions} from 'docx'
import type {List} from 'mdast'
import type {ListNumberStyle} from '../../syntax/pandoc-list/markers.ts'

type Level = INumberingOptions['config'][number]['levels'][number]

const bullets = ['•', '◦', '▪']
const formats: Record<ListNumberStyle, (typeof LevelFormat)[keyof typeof LevelFormat]> = {
  default: LevelFormat.DECIMAL,
  decimal: LevelFormat.DECIMAL,
  example: LevelFormat.DECIMAL,
  lowerAlpha: LevelFormat.LOWER_LETTER,
  upperAlpha: LevelFormat.UPPER_LETTER,
  lowerRoman: LevelFormat.LOWER_ROMAN,
  upperRoman: LevelFormat.UPPER_ROMAN
}

export class Lists {
  readonly config: INumberingOptions['config'][number][] = []

  /** The numbering reference for one list. */
  add(list: List): string {
    const reference = `list-${this.config.length + 1}`
    const style = list.data?.numberStyle ?? 'decimal'
    const delimiter = list.data?.numberDelimiter
    const levels: Level[] = Array.from({length: 9}, (_, level) => {
      const indent = {left: 720 * (level + 1), hanging: 360}
      if (!list.ordered) return {level, format: LevelFormat.BULLET, text: bullets[level % bullets.length], alignment: AlignmentType.LEFT, style: {paragraph: {indent}}}
      const text = delimiter === 'oneParen' ? `%${level + 1})` : delimiter === 'twoParens' ? `(%${level + 1})` : `%${level + 1}.`
      return {level, format: formats[style], text, start: list.start ?? 1, alignment: AlignmentType.LEFT, style: {paragraph: {indent}}}
    })
    this.config.push({reference, levels})
    return reference
  }
}
