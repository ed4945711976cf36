/**
 * Reads an 8-bit, non-interlaced PNG (what resvg and Chromium's screenshots write) into grey levels, so that tests
 * can compare two renderings of a figure pixel by pixel.
 */
import {inflateSync} from 'node:zlib'

export interface GreyImage {
  width: number
  height: number
  /** 0 (black) to 255 (white), row by row; transparent pixels count as white. */
  grey: Float64Array
}

export function readPng(png: Buffer): GreyImage {
  let offset = 8
  let width = 0
  let height = 0
  let colourType = 0
  const data: Buffer[] = []
  while (offset < png.length) {
    const length = png.readUInt32BE(offset)
    const type = png.toString('latin1', offset + 4, offset + 8)
    const body = png.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = body.readUInt32BE(0)
      height = body.readUInt32BE(4)
      if (body[8] !== 8 || body[12] !== 0) throw new Error('only 8-bit, non-interlaced PNGs are read')
      colourType = body[9]
    } else if (type === 'IDAT') data.push(body)
    offset += 12 + length
  }
  const channels = {0: 1, 2: 3, 4: 2, 6: 4}[colourType as 0 | 2 | 4 | 6]
  if (!channels) throw new Error(`PNG colour type ${colourType} is not read`)
  const raw = inflateSync(Buffer.concat(data))
  const stride = width * channels
  const pixels = Buffer.alloc(stride * height)
  for (let row = 0; row < height; row++) {
    const filter = raw[row * (stride + 1)]
    const line = raw.subarray(row * (stride + 1) + 1, (row + 1) * (stride + 1))
    for (let index = 0; index < stride; index++) {
      const left = index >= channels ? pixels[row * stride + index - channels] : 0
      const up = row > 0 ? pixels[(row - 1) * stride + index] : 0
      const upLeft = row > 0 && index >= channels ? pixels[(row - 1) * stride + index - channels] : 0
      const predictor = filter === 0 ? 0 : filter === 1 ? left : filter === 2 ? up : filter === 3 ? (left + up) >> 1 : paeth(left, up, upLeft)
      pixels[row * stride + index] = (line[index] + predictor) & 0xff
    }
  }
  const grey = new Float64Array(width * height)
  for (let pixel = 0; pixel < width * height; pixel++) {
    const at = pixel * channels
    const level = channels >= 3 ? 0.2126 * pixels[at] + 0.7152 * pixels[at + 1] + 0.0722 * pixels[at + 2] : pixels[at]
    const alpha = channels === 4 ? pixels[at + 3] / 255 : channels === 2 ? pixels[at + 1] / 255 : 1
    grey[pixel] = level * alpha + 255 * (1 - alpha)
  }
  return {width, height, grey}
}

function paeth(left: number, up: number, upLeft: number): number {
  const estimate = left + up - upLeft
  const toLeft = Math.abs(estimate - left)
  const toUp = Math.abs(estimate - up)
  const toUpLeft = Math.abs(estimate - upLeft)
  return toLeft <= toUp && toLeft <= toUpLeft ? left : toUp <= toUpLeft ? up : upLeft
}
