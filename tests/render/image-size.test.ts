/** Pixel sizes read from image headers, and the images too large for Chromium reported before they print blank. */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {deflateSync} from 'node:zlib'
import {afterAll, describe, expect, it} from 'vitest'
import {VFile} from 'vfile'
import {ProjectFiles} from '../../pipeline/graph/project-files.ts'
import {imagesTransform} from '../../pipeline/render/assets.ts'
import {pixelLimits, pixelSize} from '../../pipeline/render/image-size.ts'
import {parseMarkdown} from '../../pipeline/syntax/parse.ts'
import {hasTool, repoRoot} from '../support/project.ts'

const scratch = mkdtempSync(path.join(tmpdir(), 'image-size-'))
afterAll(() => rmSync(scratch, {recursive: true, force: true}))

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4)
  length.writeUInt32BE(data.length)
  return Buffer.concat([length, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)])
}

/** A PNG's signature and IHDR (what the size is read from), and an IEND. */
function pngHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header[8] = 8
  header[9] = 2
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.alloc(0))), chunk('IEND', Buffer.alloc(0))])
}

describe('pixelSize', () => {
  it('reads PNG, GIF and the three kinds of WebP', () => {
    expect(pixelSize(readFileSync(path.join(repoRoot, 'figures/fig_hours.png')), 'PNG')).toEqual({width: 960, height: 640})
    expect(pixelSize(pngHeader(30000, 20000), 'PNG')).toEqual({width: 30000, height: 20000})
    const gif = Buffer.concat([Buffer.from('GIF89a', 'latin1'), Buffer.from([0x10, 0x27, 0x20, 0x4e]), Buffer.alloc(10)])
    expect(pixelSize(gif, 'GIF')).toEqual({width: 10000, height: 20000})
    const riff = (type: string, data: number[]) => Buffer.concat([Buffer.from('RIFF\0\0\0\0WEBP', 'latin1'), Buffer.from(type, 'latin1'), Buffer.alloc(4), Buffer.from(data), Buffer.alloc(16)])
    // Lossy: frame tag, start code, 14-bit sizes.
    expect(pixelSize(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x10, 0x27, 0x88, 0x13]), 'WebP')).toEqual({width: 10000, height: 5000})
    // Lossless: width - 1 and height - 1 in 14 bits each.
    const bits = 9999 | (4999 << 14)
    expect(pixelSize(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, bits >>> 24]), 'WebP')).toEqual({width: 10000, height: 5000})
    // Extended: flags, then the canvas, 24 bits each, minus one.
    expect(pixelSize(riff('VP8X', [0, 0, 0, 0, 0x0f, 0x27, 0, 0x87, 0x13, 0]), 'WebP')).toEqual({width: 10000, height: 5000})
  })

  it.runIf(hasTool('pdftoppm'))('reads a JPEG past the segments before its frame header', () => {
    const pdf = path.join(repoRoot, 'figures/fig_hours.pdf')
    spawnSync('pdftoppm', ['-jpeg', '-singlefile', '-scale-to-x', '1234', '-scale-to-y', '567', pdf, path.join(scratch, 'hours')])
    expect(pixelSize(readFileSync(path.join(scratch, 'hours.jpg')), 'JPEG')).toEqual({width: 1234, height: 567})
  })

  it('gives nothing for a header cut short', () => {
    expect(pixelSize(pngHeader(10, 10).subarray(0, 20), 'PNG')).toBeUndefined()
    expect(pixelSize(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00]), 'JPEG')).toBeUndefined()
  })
})

describe('images too large for Chromium', () => {
  function check(name: string, bytes: Buffer): VFile {
    const root = mkdtempSync(path.join(scratch, 'project-'))
    writeFileSync(path.join(root, name), bytes)
    const file = new VFile({path: 'manuscript.md'})
    imagesTransform(parseMarkdown(`![A scan](${name})\n`, 'manuscript.md'), file, {files: new ProjectFiles(root), assetUrl: 'manuscript_files', cacheDir: path.join(root, 'build/.cache'), verifyOnly: true})
    return file
  }

  it('are an error at the image saying the size, the limit and what to do', () => {
    const file = check('scan.png', pngHeader(6000, 6000))
    expect(file.messages.map((message) => [message.ruleId, message.line, message.fatal])).toEqual([['image-too-large', 1, true]])
    expect(file.messages[0].reason).toBe(
      'Image "scan.png" is 6000 × 6000 pixels (36 megapixels): Chromium shows a PNG of more than 32 megapixels as a broken-image icon. Export it at the size it is printed (a full page at 300 dpi is some 2500 × 3300 pixels).'
    )
  })

  it('are not an image just under the limit, nor one of the sample', () => {
    const side = Math.floor(Math.sqrt(pixelLimits.PNG))
    expect(check('scan.png', pngHeader(side, side)).messages).toEqual([])
    expect(check('hours.png', readFileSync(path.join(repoRoot, 'figures/fig_hours.png'))).messages).toEqual([])
  })
})
