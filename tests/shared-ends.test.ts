import {describe, expect, it} from 'vitest'
import {sharedEnds} from '../pipeline/shared-ends.ts'

describe('what two versions of a text share at their ends (sharedEnds)', () => {
  it('counts what the two texts share at their start, then at their end, never a character twice', () => {
    expect(sharedEnds('<p>one</p><p>end</p>', '<p>two</p><p>end</p>')).toEqual({start: 3, end: 14})
    expect(sharedEnds('same', 'same')).toEqual({start: 4, end: 0})
    expect(sharedEnds('aaa', 'aaaa')).toEqual({start: 3, end: 0})
    expect(sharedEnds('abc', 'xabc')).toEqual({start: 0, end: 3})
    expect(sharedEnds('', 'new')).toEqual({start: 0, end: 0})
    // A character beyond the BMP is two code units: the text between keeps whichever of them differs.
    const before = 'leaf 🌱.'
    const after = 'leaf 🌿.'
    const {start, end} = sharedEnds(before, after)
    expect(before.slice(0, start) + after.slice(start, after.length - end) + before.slice(before.length - end)).toBe(after)
  })
})
