// The app's side of the generator worker: requests out, PNG images back. The worker starts on first use.
import type { BackendReport } from '../../shared/api'
import type { DirectionMethod, LatentDirections } from '../../shared/latent-directions'
import { WorkerClient, type WithoutId } from '../worker-client'
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

export class GeneratorHost {
  private readonly worker: WorkerClient<GeneratorRequest, GeneratorReply>

  constructor(data: GeneratorWorkerData) {
    this.worker = new WorkerClient('generator-worker', data, 'the image generator', (reply) => (reply.superseded ? new SupersededError() : new Error(reply.error)))
  }

  /**
   * Images from a checkpoint (null: the newest). A checkpoint training has pruned meanwhile still serves
   * while loaded; when it is not, the nearest one does (`iteration` in the answer says which), unless
   * `exact`. Raw images are what exports ask for, so they are exact unless told otherwise.
   */
  async generate(
    runId: number,
    iteration: number | null,
    latents: Float32Array,
    options: { format?: 'png' | 'raw'; channel?: string; exact?: boolean; generator?: 'ema' | 'raw' } = {}
  ): Promise<GeneratedImages> {
    const format = options.format ?? 'png'
    const exact = options.exact ?? format === 'raw'
    const reply = await this.send({ type: 'generate', format, runId, iteration, latents, channel: options.channel, exact, generator: options.generator })
    if (!('images' in reply)) throw new Error('the image generator answered with something else')
    return reply
  }

  /** Writes the generator as a TF.js model into `dir`; returns the files written. */
  async exportModel(runId: number, iteration: number | null, dir: string, overwrite: boolean, generator?: 'ema' | 'raw'): Promise<string[]> {
    const reply = await this.send({ type: 'export-model', runId, iteration, dir, overwrite, generator })
    if (!('files' in reply)) throw new Error('the image generator answered with something else')
    return reply.files
  }

  /** The backend 'auto' picks in Node (the worker's own choice), and why it passed over better ones. */
  async describeBackends(): Promise<BackendReport> {
    const reply = await this.send({ type: 'describe-backends' })
    if (!('backend' in reply)) throw new Error('the image generator answered with something else')
    return reply.backend
  }

  /** The checkpoint's top latent directions; like images, from the nearest saved checkpoint unless `exact`. */
  async directions(runId: number, iteration: number | null, method: DirectionMethod, count: number, exact = false): Promise<LatentDirections> {
    const reply = await this.send({ type: 'directions', runId, iteration, method, count, exact })
    if (!('directions' in reply)) throw new Error('the image generator answered with something else')
    return reply.directions
  }

  private send(request: WithoutId<GeneratorRequest>): Promise<Reply> {
    return this.worker.call(request)
  }

  async close(): Promise<void> {
    await this.worker.close()
  }
}
