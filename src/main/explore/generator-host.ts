// The app's side of the generator worker: requests out, PNG images back. The worker starts on first use.
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../workers'
import type { BackendReport } from '../../shared/api'
import type { GeneratorReply, GeneratorRequest, GeneratorWorkerData } from './protocol'

/** A request that a newer one on the same channel replaced before it was rendered. */
export class SupersededError extends Error {
  constructor() {
    super('superseded by a newer request')
    this.name = 'SupersededError'
  }
}

export interface GeneratedImages {
  iteration: number
  /** One PNG per vector (format 'png'). */
  images: Uint8Array[]
  /** All images as NHWC floats in [-1, 1] (format 'raw'). */
  raw: Float32Array | null
  imageSize: number
  channels: 1 | 3
  seconds: number
}

type Reply = Extract<GeneratorReply, { ok: true }>
type Request = GeneratorRequest extends infer R ? (R extends GeneratorRequest ? Omit<R, 'id'> : never) : never

export class GeneratorHost {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, { resolve(value: Reply): void; reject(error: Error): void }>()

  constructor(private readonly data: GeneratorWorkerData) {}

  /**
   * Images from a checkpoint (null: the newest). A checkpoint training has pruned meanwhile still serves
   * while loaded; when it is not, the nearest one does (`iteration` in the answer says which), unless
   * `exact`. Raw images are what exports ask for, so they are exact unless told otherwise.
   */
  async generate(runId: number, iteration: number | null, latents: Float32Array, options: { format?: 'png' | 'raw'; channel?: string; exact?: boolean } = {}): Promise<GeneratedImages> {
    const format = options.format ?? 'png'
    const exact = options.exact ?? format === 'raw'
    const reply = await this.send({ type: 'generate', format, runId, iteration, latents, channel: options.channel, exact })
    if (!('images' in reply)) throw new Error('the image generator answered with something else')
    return reply
  }

  /** Writes the generator as a TF.js model into `dir`; returns the files written. */
  async exportModel(runId: number, iteration: number | null, dir: string, overwrite: boolean): Promise<string[]> {
    const reply = await this.send({ type: 'export-model', runId, iteration, dir, overwrite })
    if (!('files' in reply)) throw new Error('the image generator answered with something else')
    return reply.files
  }

  /** The backend 'auto' picks in Node (the worker's own choice), and why it passed over better ones. */
  async describeBackends(): Promise<BackendReport> {
    const reply = await this.send({ type: 'describe-backends' })
    if (!('backend' in reply)) throw new Error('the image generator answered with something else')
    return reply.backend
  }

  private send(request: Request): Promise<Reply> {
    const worker = this.start()
    const id = this.nextId++
    // Referenced only while answers are owed: an idle generator never keeps the process alive.
    worker.ref()
    return new Promise<Reply>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ ...request, id })
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref()
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = startWorker('generator-worker', this.data)
    worker.on('message', (reply: GeneratorReply) => {
      const call = this.pending.get(reply.id)
      if (!call) return
      this.pending.delete(reply.id)
      if (reply.ok) call.resolve(reply)
      else call.reject(reply.superseded ? new SupersededError() : new Error(reply.error))
    })
    const fail = (why: string) => {
      for (const call of this.pending.values()) call.reject(new Error(why))
      this.pending.clear()
      this.worker = null
    }
    worker.on('error', (error) => fail(`the image generator failed: ${error.message}`))
    worker.on('exit', (code) => fail(`the image generator stopped (code ${code})`))
    this.worker = worker
    return worker
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }
}
