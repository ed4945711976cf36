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
    [' pp. 33, 35-37, and nowhere else', 'page', '33, 35-37', ', and nowhere else'],
    ['p. 30, with suffix', 'page', '30', ', with suffix'],
    [', p. xi, gives you a (page) locator xi', 'page', 'xi', ', gives you a (page) locator xi'],
    [', p. VI, VII, VIII-IX, explicit romans', 'page', 'VI, VII, VIII-IX', ', explicit romans'],
    [', 3(a), 4.4.8, [7.6], 7A(2)(a)(i)-(iv)', 'page', '3(a), 4.4.8, [7.6], 7A(2)(a)(i)-(iv)', ''],
    [', p.3, and suffix', 'page', '3', ', and suffix'],
    [' {35-89, 102}', 'page', '35-89, 102', ''],
    [' {p. a}', 'page', 'a', ''],
    [', {, p. (p. is not recognised)}', 'page', ', p. (p. is not recognised)', ''],
    [' {} 123-35 numbers are suffix', 'page', '', ' 123-35 numbers are suffix'],
    [' {green}suffix}suffix', 'page', 'green', 'suffix}suffix']
  ])('%j → %s %j', (suffix, label, locator, rest) => {
    expect(read(suffix)).toEqual({label, locator, rest})
  })

  it.each([
    // No locator: the suffix stays as written, with pandoc's ", " before plain text.
    [' and nowhere else', ' and nowhere else'],
    [', xi, will be entirely suffix', ', xi, will be entirely suffix'],
    [', p.a entirely suffix', ', p.a entirely suffix'],
    [', (13 entirely suffix', ', (13 entirely suffix'],
    [' {p. suffix{suffix}suffix', ' {p. suffix{suffix}suffix'],
    ['with suffix', ', with suffix']
  ])('%j has no locator', (suffix, rest) => {
    expect(read(suffix)).toEqual({label: undefined, locator: undefined, rest})
  })

  it('takes the longest label the locale knows, in any letter case', () => {
    expect(read(' Chapters 3-4').label).toBe('chapter')
    expect(read(' vols. 2, 3').label).toBe('volume')
    expect(read(' para. 12')).toEqual({label: 'paragraph', locator: '12', rest: ''})
  })
})
