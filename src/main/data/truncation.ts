// Whether a file that failed to decode was cut off (truncated) rather than damaged (corrupt), from its structure.

/**
 * True when a file starts like a known format but ends before its structure does. sharp's messages for cut-off
 * files vary by codec ('VipsJpeg: premature end of JPEG image'; for PNG only 'vipspng: libpng read error'; for
 * WebP 'corrupt header'; for AVIF 'bad seek') and are unreliable with several pipelines in flight (libvips has one
 * error buffer per process), so the bytes decide.
 */
export function endsEarly(bytes: Buffer): boolean {
  const tail = bytes.subarray(Math.max(0, bytes.length - 32))
  if (bytes[0] === 0xff && bytes[1] === 0xd8) {
    // JPEG: the end-of-image marker FF D9, allowing a little padding after it.
    for (let i = 0; i + 1 < tail.length; i++) if (tail[i] === 0xff && tail[i + 1] === 0xd9) return false
    return true
  }
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return !tail.includes('IEND')
  if (bytes.subarray(0, 4).toString('latin1') === 'GIF8') return bytes[bytes.length - 1] !== 0x3b
  const magic = bytes.subarray(0, 4).toString('latin1')
  if (magic === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') {
    return bytes.readUInt32LE(4) + 8 > bytes.length // RIFF size field: the bytes that should follow
  }
  if ((magic === 'II*\0' || magic === 'MM\0*') && bytes.length >= 8) return tiffOverruns(bytes, magic === 'II*\0')
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return boxesOverrun(bytes) // AVIF / HEIF
  return false
}

/** ISO base media files (AVIF) are a chain of sized boxes: a box longer than what is left means a cut-off file. */
function boxesOverrun(bytes: Buffer): boolean {
  let offset = 0
  while (offset + 8 <= bytes.length) {
    let size = bytes.readUInt32BE(offset)
    if (size === 1 && offset + 16 <= bytes.length) size = Number(bytes.readBigUInt64BE(offset + 8))
    if (size === 0) return false // "to the end of the file"
    if (size < 8) return false // not a box chain we understand: let it count as corrupt
    offset += size
  }
  return offset > bytes.length
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

// Bytes per value of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, SSHORT, SLONG,
// SRATIONAL, FLOAT, DOUBLE).
const TIFF_TYPE_BYTES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8]
const TIFF_PIXEL_DATA = [
  [273, 279], // StripOffsets, StripByteCounts
  [324, 325] // TileOffsets, TileByteCounts
]

/** TIFF: the first directory, a value it points to, or the pixel data of its strips or tiles lies past the end. */
function tiffOverruns(bytes: Buffer, little: boolean): boolean {
  const u16 = (at: number) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at))
  const u32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at))
  const ifd = u32(4)
  if (ifd + 2 > bytes.length) return true
  const entries = u16(ifd)
  if (ifd + 2 + entries * 12 > bytes.length) return true
  const values = new Map<number, number[]>()
  for (let i = 0; i < entries; i++) {
    const at = ifd + 2 + i * 12
    const tag = u16(at)
    const size = TIFF_TYPE_BYTES[u16(at + 2)] ?? 0
    const count = u32(at + 4)
    const start = count * size <= 4 ? at + 8 : u32(at + 8)
    if (start + count * size > bytes.length) return true
    if (size === 2 || size === 4) {
      values.set(tag, Array.from({ length: Math.min(count, 1 << 16) }, (_, k) => (size === 2 ? u16(start + 2 * k) : u32(start + 4 * k))))
    }
  }
  return TIFF_PIXEL_DATA.some(([offsetsTag, countsTag]) => {
    const counts = values.get(countsTag) ?? []
    return (values.get(offsetsTag) ?? []).some((offset, k) => offset + (counts[k] ?? 0) > bytes.length)
  })
}
