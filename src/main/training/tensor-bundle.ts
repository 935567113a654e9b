// A small binary container for named float32 tensors plus JSON metadata: the generator file of a
// `train --out` folder and the payload of a checkpoint. Layout: "GANSTB01", uint32 header length,
// UTF-8 JSON header (padded to 4 bytes), then each tensor's float32 values back to back.

const MAGIC = 'GANSTB01'

export interface NamedTensor {
  name: string
  shape: number[]
  data: Float32Array
}

export interface TensorBundle<Meta> {
  meta: Meta
  tensors: NamedTensor[]
}

interface Header<Meta> {
  meta: Meta
  tensors: { name: string; shape: number[]; length: number }[]
}

export function encodeBundle<Meta>(bundle: TensorBundle<Meta>): Buffer {
  const header: Header<Meta> = {
    meta: bundle.meta,
    tensors: bundle.tensors.map((t) => ({ name: t.name, shape: t.shape, length: t.data.length }))
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8')
  const padded = Math.ceil(json.length / 4) * 4
  if (padded !== json.length) json = Buffer.concat([json, Buffer.alloc(padded - json.length, 0x20)])
  const dataBytes = bundle.tensors.reduce((n, t) => n + t.data.length * 4, 0)
  const out = Buffer.alloc(8 + 4 + json.length + dataBytes)
  out.write(MAGIC, 0, 'ascii')
  out.writeUInt32LE(json.length, 8)
  json.copy(out, 12)
  let offset = 12 + json.length
  for (const t of bundle.tensors) {
    Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength).copy(out, offset)
    offset += t.data.byteLength
  }
  return out
}

export function decodeBundle<Meta>(bytes: Uint8Array, what = 'file'): TensorBundle<Meta> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buffer.length < 12 || buffer.toString('ascii', 0, 8) !== MAGIC) {
    throw new Error(`${what} is not a GAN Studio weights file (wrong signature)`)
  }
  const headerLength = buffer.readUInt32LE(8)
  if (12 + headerLength > buffer.length) throw new Error(`${what} is truncated (header cut short)`)
  const header = JSON.parse(buffer.toString('utf8', 12, 12 + headerLength)) as Header<Meta>
  let offset = 12 + headerLength
  const tensors = header.tensors.map((t) => {
    const end = offset + t.length * 4
    if (end > buffer.length) throw new Error(`${what} is truncated (tensor ${t.name} cut short)`)
    // Copy into an aligned buffer: the source offset need not be a multiple of 4 inside a larger blob.
    const data = new Float32Array(t.length)
    Buffer.from(data.buffer).set(buffer.subarray(offset, end))
    offset = end
    return { name: t.name, shape: t.shape, data }
  })
  return { meta: header.meta, tensors }
}
