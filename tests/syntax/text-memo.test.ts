/**
 * The memo that lets a watch rebuild skip the work on unchanged text (word counts, curly quotes): each text is
 * computed once while builds keep asking for it, and a text no build asks for any more is dropped, so a long
 * session does not grow.
 */
import {describe, expect, it} from 'vitest'
import {TextMemo} from '../../pipeline/syntax/text-memo.ts'

function countingMemo(generationSize: number) {
  const computed: string[] = []
  const memo = new TextMemo((text: string) => {
    computed.push(text)
    return text.length
  }, generationSize)
  return {memo, computed}
}

describe('TextMemo', () => {
  it('computes a text once and then answers from memory', () => {
    const {memo, computed} = countingMemo(10)
    expect([memo.get('alpha'), memo.get('be'), memo.get('alpha'), memo.get('be')]).toEqual([5, 2, 5, 2])
    expect(computed).toEqual(['alpha', 'be'])
  })

  it('keeps the texts every build asks for, however many builds there are', () => {
    const {memo, computed} = countingMemo(4)
    const document = ['one', 'two', 'three']
    for (let build = 0; build < 50; build++) {
      for (const text of document) memo.get(text)
      // Each build also has one sentence of its own, as each save adds one.
      memo.get(`sentence ${build}`)
    }
    expect(computed.filter((text) => document.includes(text))).toEqual(document)
    expect(computed).toHaveLength(3 + 50)
  })

  it('drops what no build asks for any more', () => {
    const {memo, computed} = countingMemo(2)
    memo.get('old')
    for (const text of ['a', 'b', 'c', 'd', 'e']) memo.get(text)
    memo.get('old')
    expect(computed.filter((text) => text === 'old')).toHaveLength(2)
  })
})
