/**
 * The pixel size of a raster image, read from its header, and the largest Chromium shows. Beyond it Chromium prints
 * a broken-image icon without a word. Measured with the two browsers the build uses (PNG 5790 × 5790 shown,
 * 5800 × 5800 not; JPEG 8000 × 8000 shown, 8192 × 8192 not): the packaged Chromium (147) decodes an image into at
 * most 128 MiB, so a PNG, GIF or WebP of more than about 33.5 million pixels fails, and a JPEG (which it decodes
 * at a reduced scale) of more than about 64 million; Debian's Chromium 156 shows 20000 × 20000 (400 million) but
 * not 30000 × 30000. The limits are the packaged browser's, so that a PDF is the same wherever it is built. SVG has
 * none: it is drawn at the size it is printed (30000 × 30000 and 3,000,000 × 3,000,000 were shown).
 */

export type RasterFormat = 'PNG' | 'JPEG' | 'GIF' | 'WebP'

export interface PixelSize {
  width: number
  height: number
}

/** The most pixels an image of each format may have (the packaged Chromium's, rounded down). */
export const pixelLimits: Record<RasterFormat, number> = {PNG: 32_000_000, GIF: 32_000_000, WebP: 32_000_000, JPEG: 64_000_000}

/** The size its header gives, or undefined when the header is not there (a damaged file is reported elsewhere). */
export function pixelSize(bytes: Buffer, format: RasterFormat): PixelSize | undefined {
  switch (format) {
    case 'PNG':
      // The signature, then the IHDR chunk: its length, its type, width and height.
      return bytes.length >= 24 && bytes.toString('latin1', 12, 16) === 'IHDR' ? {width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20)} : undefined
    case 'GIF':
      return bytes.length >= 10 ? {width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8)} : undefined
    case 'WebP':
      return webpSize(bytes)
    case 'JPEG':
      return jpegSize(bytes)
  }
}

/** The canvas of an extended WebP, else the frame of a lossy or lossless one. */
function webpSize(bytes: Buffer): PixelSize | undefined {
  if (bytes.length < 30) return undefined
  const chunk = bytes.toString('latin1', 12, 16)
  if (chunk === 'VP8X') return {width: bytes.readUIntLE(24, 3) + 1, height: bytes.readUIntLE(27, 3) + 1}
  // A key frame: 3 bytes of frame tag, the start code 9d 01 2a, then 14-bit width and height.
  if (chunk === 'VP8 ' && bytes[23] === 0x9d && bytes[24] === 0x01 && bytes[25] === 0x2a) return {width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff}
  if (chunk === 'VP8L' && bytes[20] === 0x2f) {
    const bits = bytes.readUInt32LE(21)
    return {width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1}
  }
  return undefined
}

/** The frame header (SOF0–SOF15, not DHT, JPG or DAC) found by walking the segments from the start. */
function jpegSize(bytes: Buffer): PixelSize | undefined {
  let index = 2
  while (index + 3 < bytes.length) {
    if (bytes[index] !== 0xff) return undefined
    const marker = bytes[index + 1]
    // Fill bytes, and markers without a length.
    if (marker === 0xff) {
      index++
      continue
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      index += 2
      continue
    }
    if (marker === 0xd9 || marker === 0xda) return undefined
    const length = bytes.readUInt16BE(index + 2)
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return index + 9 <= bytes.length ? {width: bytes.readUInt16BE(index + 7), height: bytes.readUInt16BE(index + 5)} : undefined
    }
    index += 2 + length
  }
  return undefined
}
