// Entry of the generator worker thread: loads generators from checkpoints (the two last used stay loaded)
// and turns latent vectors into PNG images, newest request per channel first.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { parentPort, workerData } from 'node:worker_threads'
import { latentLength } from '../../shared/classes'
import { imagePng } from '../export/png'
import { openDatabase } from '../store'
import { initBackend, passedOverNotes } from '../training/backend'
import { exportGeneratorModel } from '../export/tfjs-model'
import { DirectionCache } from './direction-cache'
import { GeneratorCache } from './generator-cache'
import type { DirectionsRequest, GenerateRequest, GeneratorReply, GeneratorRequest, GeneratorWorkerData } from './protocol'

if (!parentPort) throw new Error('generator-worker must run in a worker thread')
const port = parentPort
const data = workerData as GeneratorWorkerData
const db = openDatabase(data.dbPath, { nativeBinding: data.nativeBinding })
const generators = new GeneratorCache(db)
const directionCache = new DirectionCache()
const queue: GeneratorRequest[] = []
let working = false
const ready = initBackend('auto')

port.on('message', (request: GeneratorRequest) => {
  queue.push(request)
  if (!working) void work()
})

async function render(request: GenerateRequest): Promise<GeneratorReply> {
  const started = performance.now()
  await ready
  const generator = generators.get(request.runId, request.iteration, request.exact ?? false, request.generator)
  const { config, channels, classes } = generator.meta
  const length = latentLength(config.nz, classes.length)
  if (request.latents.length === 0 || request.latents.length % length !== 0) {
    throw new Error(`latent vectors must have ${length} values each (this generator's nz${classes.length ? ` and its ${classes.length} class weights` : ''})`)
  }
  const images = await generator.generate(request.latents)
  const count = request.latents.length / length
  const pngs = request.format === 'png' ? await Promise.all(Array.from({ length: count }, (_, i) => imagePng(images, i, config.imageSize, channels))) : []
  const raw = request.format === 'raw' ? images : null
  const seconds = (performance.now() - started) / 1000
  return { id: request.id, ok: true, iteration: generator.meta.iteration, images: pngs, raw, imageSize: config.imageSize, channels, seconds }
}

async function exportModel(request: Extract<GeneratorRequest, { type: 'export-model' }>): Promise<GeneratorReply> {
  await ready
  // An export is of the very checkpoint asked for (a loaded one serves even when training pruned it).
  const generator = generators.get(request.runId, request.iteration, true, request.generator)
  const { config, channels, classes } = generator.meta
  const written = await exportGeneratorModel(generator.network, { config, channels, classes }, request.dir, { overwrite: request.overwrite })
  return { id: request.id, ok: true, files: [written.modelJson, ...written.weights] }
}

async function describeBackends(id: number): Promise<GeneratorReply> {
  const info = await ready
  const gpu = info.name === 'tensorflow-gpu' || (info.name === 'webgpu' && info.adapter?.software !== true)
  return { id, ok: true, backend: { auto: { name: info.name, detail: info.detail }, notes: passedOverNotes(info), gpu } }
}

async function directions(request: DirectionsRequest): Promise<GeneratorReply> {
  await ready
  const generator = generators.get(request.runId, request.iteration, request.exact ?? false)
  return { id: request.id, ok: true, directions: await directionCache.get(generator, request.method, request.count) }
}

const HANDLERS: { [T in GeneratorRequest['type']]: (request: Extract<GeneratorRequest, { type: T }>) => Promise<GeneratorReply> } = {
  generate: render,
  'export-model': exportModel,
  directions,
  'describe-backends': (request) => describeBackends(request.id)
}

async function work(): Promise<void> {
  working = true
  while (queue.length > 0) {
    await yieldToEventLoop() // let newer requests arrive before choosing
    const request = queue.shift()!
    const channel = request.type === 'generate' ? request.channel : undefined
    const newer = channel !== undefined && queue.some((r) => r.type === 'generate' && r.channel === channel)
    let reply: GeneratorReply
    if (newer) reply = { id: request.id, ok: false, superseded: true, error: 'superseded by a newer request' }
    else {
      try {
        reply = await (HANDLERS[request.type] as (r: GeneratorRequest) => Promise<GeneratorReply>)(request)
      } catch (error) {
        reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }
      }
    }
    port.postMessage(reply)
  }
  working = false
}
