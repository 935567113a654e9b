// The app's side of the nearest-image worker: generated images (as the generator's [-1, 1] floats) in,
// their nearest training images and the memorization figure out.
import { toByte } from '../../shared/grid'
import { WorkerClient } from '../worker-client'
import type { MemorizationFigures, NearestReply, NearestRequest, NearestWorkerData, SearchReply, TrainingSetRef } from './protocol'

/** Generated pixels as the bytes their PNG shows, the form training images are compared in. */
export function imageBytes(images: Float32Array): Uint8Array {
  const bytes = new Uint8Array(images.length)
  for (let i = 0; i < images.length; i++) bytes[i] = toByte(images[i])
  return bytes
}

export class NearestHost {
  private readonly worker: WorkerClient<NearestRequest, NearestReply>

  constructor(data: NearestWorkerData) {
    this.worker = new WorkerClient('nearest-worker', data, 'the nearest-image search')
  }

  /** The k training images nearest to each image (NHWC floats in [-1, 1], back to back). */
  async search(set: TrainingSetRef, images: Float32Array, k: number): Promise<SearchReply> {
    const reply = await this.worker.call({ type: 'search', set, queries: imageBytes(images), k })
    if (reply.type !== 'search') throw new Error('the nearest-image search answered with something else')
    return reply
  }

  async memorization(set: TrainingSetRef, samples: Float32Array): Promise<MemorizationFigures> {
    const reply = await this.worker.call({ type: 'memorization', set, samples: imageBytes(samples) })
    if (reply.type !== 'memorization') throw new Error('the nearest-image search answered with something else')
    return reply
  }

  async close(): Promise<void> {
    await this.worker.close()
  }
}
