/**
 * PDFs that are small on disk and huge inside, made in milliseconds: a page whose content stream is a Flate stream
 * that inflates to `megabytes` MB of zeros (PDF whitespace, so poppler reads all of it), 2 MB for 2 GB. Each MB is
 * compressed once with a full flush, which leaves the stream byte-aligned with an empty dictionary, so the same
 * bytes repeated make one valid stream.
 */
import {constants, deflateRawSync} from 'node:zlib'

export function inflatingPdf(megabytes: number): Buffer {
  const megabyte = deflateRawSync(Buffer.alloc(1 << 20), {level: 9, finishFlush: constants.Z_FULL_FLUSH})
  const end = deflateRawSync(Buffer.alloc(0))
  // zlib's Adler-32 of n zero bytes: A = 1, B = n mod 65521.
  const checksum = Buffer.alloc(4)
  checksum.writeUInt32BE((((megabytes * (1 << 20)) % 65521) * 65536 + 1) >>> 0)
  const stream = Buffer.concat([Buffer.from([0x78, 0xda]), ...Array<Buffer>(megabytes).fill(megabyte), end, checksum])
  const objects = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 100 100] /Contents 4 0 R >>']
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')]
  const offsets: number[] = []
  let length = parts[0].length
  const push = (part: Buffer) => {
    parts.push(part)
    length += part.length
  }
  objects.forEach((object, index) => {
    offsets.push(length)
    push(Buffer.from(`${index + 1} 0 obj\n${object}\nendobj\n`))
  })
  offsets.push(length)
  push(Buffer.from(`4 0 obj\n<< /Length ${stream.length} /Filter /FlateDecode >>\nstream\n`))
  push(stream)
  push(Buffer.from('\nendstream\nendobj\n'))
  const xref = length
  const entries = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('')
  push(Buffer.from(`xref\n0 ${objects.length + 2}\n0000000000 65535 f \n${entries}trailer\n<< /Size ${objects.length + 2} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`))
  return Buffer.concat(parts)
}
