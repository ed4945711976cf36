import {describe, expect, it} from 'vitest'
import {createCitationEngine, defaultStyle, parseLocator} from '../../pipeline/bibliography/index.ts'

// The en-US terms of the default style, as the citations transform uses them.
const terms = createCitationEngine(defaultStyle(), []).locatorTerms

function read(suffix: string): {label?: string; locator?: string; rest: string} {
  const parsed = parseLocator(suffix, terms)
  return {label: parsed.label, locator: parsed.locator, rest: (parsed.addComma ? ', ' : '') + suffix.slice(parsed.consumed)}
}

describe('parseLocator (pandoc rules)', () => {
  it.each([
    // suffix as written after the key              label        locator               rest kept as suffix
    [', 153', 'page', '153', ''],
    [', 439–440', 'page', '439–440', ''],
    ['p. 30', 'page', '30', ''],
    [' pp. 33-35', 'page', '33-35', ''],
    [' chap. 3', 'chapter', '3', ''],
    [', chapter 5', 'chapter', '5', ''],
    [' §108', 'section', '108', ''],
    [', sec. 2', 'section', '2', ''],
    [' pp. 12, 14-16, and in the notes', 'page', '12, 14-16', ', and in the notes'],
    ['p. 45, with a note', 'page', '45', ', with a note'],
    [', p. iv, a roman page number', 'page', 'iv', ', a roman page number'],
    [', p. II, IV, XI-XII, capital romans', 'page', 'II, IV, XI-XII', ', capital romans'],
    [', 2(b), 5.1.3, [8.2], 9C(1)(b)(ii)-(v)', 'page', '2(b), 5.1.3, [8.2], 9C(1)(b)(ii)-(v)', ''],
    [', p.7, then more', 'page', '7', ', then more'],
    [' {41-57, 210}', 'page', '41-57, 210', ''],
    [' {p. z}', 'page', 'z', ''],
    [', {, p. (the label stays inside)}', 'page', ', p. (the label stays inside)', ''],
    [' {} 210-14 stays in the suffix', 'page', '', ' 210-14 stays in the suffix'],
    [' {blue}tail}tail', 'page', 'blue', 'tail}tail']
  ])('%j → %s %j', (suffix, label, locator, rest) => {
    expect(read(suffix)).toEqual({label, locator, rest})
  })

  it.each([
    // No locator: the suffix stays as written, with pandoc's ", " before plain text.
    [' and in the notes', ' and in the notes'],
    [', iv, all of it suffix', ', iv, all of it suffix'],
    [', p.b all suffix', ', p.b all suffix'],
    [', (21 all suffix', ', (21 all suffix'],
    [' {p. tail{tail}tail', ' {p. tail{tail}tail'],
    ['with a note', ', with a note']
  ])('%j has no locator', (suffix, rest) => {
    expect(read(suffix)).toEqual({label: undefined, locator: undefined, rest})
  })

  it('takes the longest label the locale knows, in any letter case', () => {
    expect(read(' Chapters 3-4').label).toBe('chapter')
    expect(read(' vols. 2, 3').label).toBe('volume')
    expect(read(' para. 12')).toEqual({label: 'paragraph', locator: '12', rest: ''})
  })
})
