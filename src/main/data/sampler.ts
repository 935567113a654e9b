// The order in which training sees the images: a fresh seeded permutation every epoch, cut into minibatches,
// with a small JSON state so that a resumed run continues with exactly the batches it would have had.

import { Random, type RandomState } from '../../shared/random'
import { DataError } from './errors'

export interface SamplerState {
  count: number
  batchSize: number
  /** 0-based epoch of the next batch. */
  epoch: number
  /** Batches already taken in that epoch. */
  position: number
  /** The generator's state just before this epoch's permutation was drawn: restoring redraws the same order. */
  random: RandomState
}

export class BatchSampler {
  /**
   * The last partial batch of an epoch is dropped (PyTorch's drop_last=True): every batch has the same size,
   * which BatchNorm statistics and a fixed-shape training step want, and a new permutation next epoch puts the
   * dropped images elsewhere.
   */
  readonly batchesPerEpoch: number
  private currentEpoch = 0
  private position = 0
  private epochStart!: RandomState
  private order!: Uint32Array

  /** The sampler owns `random` from now on: nothing else may draw from it, or resuming would diverge. */
  constructor(
    readonly count: number,
    readonly batchSize: number,
    private readonly random: Random
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new DataError(`The batch size must be a positive whole number (got ${batchSize}).`)
    }
    if (!Number.isInteger(count) || count < batchSize) {
      throw new DataError(
        `The data set has ${count} images, fewer than the batch size ${batchSize}; lower the batch size.`
      )
    }
    this.batchesPerEpoch = Math.floor(count / batchSize)
    this.drawOrder()
  }

  static fromState(count: number, batchSize: number, state: SamplerState): BatchSampler {
    if (state.count !== count || state.batchSize !== batchSize) {
      throw new DataError(
        `The saved data order is for ${state.count} images in batches of ${state.batchSize}, ` +
          `but the data set now has ${count} images in batches of ${batchSize}.`,
        { hint: 'The data set or batch size changed since the run was saved; start a new run to use it.' }
      )
    }
    const sampler = new BatchSampler(count, batchSize, Random.fromState(state.random))
    if (!Number.isInteger(state.position) || state.position < 0 || state.position >= sampler.batchesPerEpoch) {
      throw new DataError(`The saved data order is damaged (position ${state.position} of ${sampler.batchesPerEpoch}).`)
    }
    sampler.currentEpoch = state.epoch
    sampler.position = state.position
    return sampler
  }

  get epoch(): number {
    return this.currentEpoch
  }

  /** Indices of the next batch (a new array: the caller may keep it). */
  next(): Uint32Array {
    const start = this.position * this.batchSize
    const batch = this.order.slice(start, start + this.batchSize)
    this.position++
    // Move to the next epoch right away, so `epoch` and the saved state always describe the next batch.
    if (this.position === this.batchesPerEpoch) {
      this.currentEpoch++
      this.position = 0
      this.drawOrder()
    }
    return batch
  }

  getState(): SamplerState {
    const { count, batchSize, currentEpoch: epoch, position } = this
    return { count, batchSize, epoch, position, random: structuredClone(this.epochStart) }
  }

  private drawOrder(): void {
    this.epochStart = this.random.getState()
    this.order = this.random.permutation(this.count)
  }
}
