// Entry of the generator worker thread: loads generators from checkpoints (the newest two stay loaded)
// and turns latent vectors into PNG images, newest request per channel first.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { parentPort, workerData } from 'node:worker_threads'
import { imagePng } from '../export/png'
import { findCheckpoint, getRun, loadCheckpoint, openDatabase } from '../store'
import { initBackend } from '../training/backend'
import { decodeCheckpoint } from '../training/checkpoint'
import { generatorFromCheckpoint, type LoadedGenerator } from '../training/generator-file'
import { exportGeneratorModel } from '../export/tfjs-model'
import type { GenerateRequest, GeneratorReply, GeneratorRequest, GeneratorWorkerData } from './protocol'

if (!parentPort) throw new Error('generator-worker must run in a worker thread')
const port = parentPort
const data = workerData as GeneratorWorkerData
const db = openDatabase(data.dbPath, { nativeBinding: data.nativeBinding })
const loaded = new Map<string, LoadedGenerator>()
const queue: GeneratorRequest[] = []
let working = false
const ready = initBackend('auto')

port.on('message', (request: GeneratorRequest) => {
  queue.push(request)
  if (!working) void work()
})

async function generatorFor(runId: number, iteration: number | null): Promise<LoadedGenerator> {
  const run = getRun(db, runId)
  // Which checkpoint first (a small query); its state, tens of megabytes, only when not loaded yet.
  const info = findCheckpoint(db, runId, iteration ?? undefined)
  if (!info || !run.channels) throw new Error(`run "${run.name}" has no checkpoint${iteration === null ? ' yet' : ` at iteration ${iteration}`}`)
  const key = `${runId}@${info.iteration}`
  const cached = loaded.get(key)
  if (cached) return cached
  await ready
  const { snapshot } = decodeCheckpoint(loadCheckpoint(db, runId, info.iteration)!.state)
  const generator = generatorFromCheckpoint(run.config, run.channels, snapshot.iteration, snapshot)
  loaded.set(key, generator)
  // Two generators stay loaded: enough to compare two checkpoints without reloading either.
  for (const old of [...loaded.keys()].slice(0, -2)) {
    loaded.get(old)!.dispose()
    loaded.delete(old)
  }
  return generator
}

async function render(request: GenerateRequest): Promise<GeneratorReply> {
  const started = performance.now()
  const generator = await generatorFor(request.runId, request.iteration)
  const { config, channels } = generator.meta
  if (request.latents.length === 0 || request.latents.length % config.nz !== 0) {
    throw new Error(`latent vectors must have ${config.nz} values each (this generator's nz)`)
  }
  const images = generator.generate(request.latents)
  const count = request.latents.length / config.nz
  const pngs = request.format === 'png' ? await Promise.all(Array.from({ length: count }, (_, i) => imagePng(images, i, config.imageSize, channels))) : []
  const raw = request.format === 'raw' ? images : null
  const seconds = (performance.now() - started) / 1000
  return { id: request.id, ok: true, iteration: generator.meta.iteration, images: pngs, raw, imageSize: config.imageSize, channels, seconds }
}

async function exportModel(request: Extract<GeneratorRequest, { type: 'export-model' }>): Promise<GeneratorReply> {
  const generator = await generatorFor(request.runId, request.iteration)
  const { config, channels } = generator.meta
  const written = await exportGeneratorModel(generator.network, { config, channels }, request.dir, { overwrite: request.overwrite })
  return { id: request.id, ok: true, files: [written.modelJson, ...written.weights] }
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
        reply = request.type === 'generate' ? await render(request) : await exportModel(request)
      } catch (error) {
        reply = { id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) }
      }
    }
    port.postMessage(reply)
  }
  working = false
}
