// Entry of the nearest-image worker thread: finds the training images nearest to generated ones, and the
// run-level memorization figure, from one training set and its index at a time.
import { parentPort, workerData } from 'node:worker_threads'
import sharp from 'sharp'
import { initBackend } from '../training/backend'
import { measureMemorization, rmsDistance } from './memorization'
import { searchNearest } from './pixel-index'
import type { NearestReply, NearestRequest, NearestWorkerData, NeighbourImage } from './protocol'
import { TrainingSets, type TrainingSet } from './training-set'

if (!parentPort) throw new Error('nearest-worker must run in a worker thread')
const port = parentPort
const data = workerData as NearestWorkerData
const sets = new TrainingSets(data.cacheDir)
// TF.js builds the index (PCA and the projection of every image); searches are plain loops. On the CPU by
// design: the index's bounds allow for IEEE float32 rounding, and a GPU may multiply in lower precision
// (TensorFlow uses TF32 on recent NVIDIA cards).
const ready = initBackend('wasm')

function png(pixels: Uint8Array, set: TrainingSet): Promise<Uint8Array> {
  const { size, channels } = set.dataset
  return sharp(pixels, { raw: { width: size, height: size, channels } }).png().toBuffer()
}

async function search(request: Extract<NearestRequest, { type: 'search' }>): Promise<NearestReply> {
  await ready
  const { set, indexSeconds } = await sets.get(request.set)
  // The search's own time: a first index build is reported apart.
  const started = performance.now()
  const { dims } = set.index
  const count = request.queries.length / dims
  if (!Number.isInteger(count) || count < 1) throw new Error(`the images have ${request.queries.length} values, not a multiple of ${dims}`)
  const results = []
  for (let q = 0; q < count; q++) {
    const query = request.queries.subarray(q * dims, (q + 1) * dims)
    const found = searchNearest(set.index, set.dataset.pixels, query, request.k)
    const neighbours: NeighbourImage[] = await Promise.all(
      found.neighbours.map(async (n) => ({
        index: n.index,
        file: set.dataset.files[n.index] ?? null,
        distance: rmsDistance(n.squared, dims),
        png: await png(set.dataset.pixels.subarray(n.index * dims, (n.index + 1) * dims), set)
      }))
    )
    results.push({ neighbours, checked: found.checked, png: await png(query, set) })
  }
  const seconds = (performance.now() - started) / 1000
  return { id: request.id, ok: true, type: 'search', results, count: set.index.count, typicalDistance: set.typicalDistance, indexSeconds, seconds }
}

async function measure(request: Extract<NearestRequest, { type: 'memorization' }>): Promise<NearestReply> {
  await ready
  const { set, indexSeconds } = await sets.get(request.set)
  const started = performance.now()
  if (request.samples.length % set.index.dims !== 0) throw new Error(`the images have ${request.samples.length} values, not a multiple of ${set.index.dims}`)
  const figure = measureMemorization(set.index, set.dataset.pixels, request.samples, set.typicalDistance)
  return { id: request.id, ok: true, type: 'memorization', ...figure, indexSeconds, seconds: (performance.now() - started) / 1000 }
}

// One request at a time, in order: each one's CPU work is a plain loop, and a second index build of the same
// set would only wait for the first.
let chain = Promise.resolve()
port.on('message', (request: NearestRequest) => {
  chain = chain.then(async () => {
    let reply: NearestReply
    try {
      reply = request.type === 'search' ? await search(request) : await measure(request)
    } catch (error) {
      reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }
    }
    port.postMessage(reply)
  })
})
