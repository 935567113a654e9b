// A run's training state in one object: networks, optimizers, data order, noise generator and the
// iteration count. The CLI and the worker thread drive it; checkpoints are its snapshots.
import * as tf from '@tensorflow/tfjs'
import { totalIterations, type RunConfig } from '../../shared/config'
import { Random, type RandomState } from '../../shared/random'
// The data modules themselves, not the data package: this module also runs in a browser's compute worker.
import { fillImageBatch } from '../data/batch'
import { BatchSampler, type SamplerState } from '../data/sampler'
import type { TrainingImages } from '../data/training-images'
import { Adam, ADAM_EPSILON } from './adam'
import { buildNetworks } from './gan'
import { generateImages } from './generate'
import { fixedNoise } from '../../shared/noise'
import { disposeNetworks, type GanNetworks } from './network'
import { readTensors } from './read'
import { trainIteration, type GanOptimizers, type IterationMetrics } from './step'

export interface IterationRecord extends IterationMetrics {
  /** 1-based number of the iteration just completed. */
  iteration: number
  /** 0-based epoch the iteration's last batch came from. */
  epoch: number
  seconds: number
}

/** Everything needed to continue a run exactly: weights, optimizer moments, data order, noise state. */
export interface TrainerSnapshot {
  iteration: number
  epoch: number
  generator: Float32Array[]
  generatorBuffers: Float32Array[]
  discriminator: Float32Array[]
  discriminatorBuffers: Float32Array[]
  adamG: { step: number; state: Float32Array[] }
  adamD: { step: number; state: Float32Array[] }
  sampler: SamplerState
  noise: RandomState
}

/**
 * What a training session drives: a Trainer in its own thread, or one in a compute window reached over a
 * message channel (remote-trainer.ts). Everything that touches the device is asynchronous.
 */
export interface TrainerHandle {
  readonly config: RunConfig
  readonly channels: 1 | 3
  readonly totalIterations: number
  /** Completed iterations. */
  readonly iteration: number
  /** 0-based epoch of the next batch. */
  readonly epoch: number
  readonly finished: boolean
  /** Runs one iteration (dStepsPerG D steps, one G step) and returns its figures. */
  step(): Promise<IterationRecord>
  /** The fixed-noise batch through G in eval mode: count * S * S * nc values in [-1, 1]. */
  renderFixedNoise(): Promise<Float32Array>
  /** Images for latent vectors given as a flat array of n * nz values. */
  generate(latents: Float32Array): Promise<Float32Array>
  snapshot(): Promise<TrainerSnapshot>
  restore(snapshot: TrainerSnapshot): void | Promise<void>
  dispose(): void | Promise<void>
}

export class Trainer implements TrainerHandle {
  readonly nets: GanNetworks
  readonly channels: 1 | 3
  readonly totalIterations: number
  private readonly optimizers: GanOptimizers
  private sampler: BatchSampler
  private readonly noiseRandom: Random
  /** Drawn once from the run's seed: the progress grid shows the same latent vectors all run long. */
  readonly fixedNoise: Float32Array
  private readonly realBuffers: Float32Array[]
  iteration = 0

  constructor(
    readonly config: RunConfig,
    private readonly dataset: TrainingImages
  ) {
    this.channels = dataset.channels
    this.totalIterations = totalIterations(config, dataset.count)
    this.nets = buildNetworks(config, dataset.channels)
    this.optimizers = {
      generator: new Adam(this.nets.generator.params.trainable, {
        learningRate: config.lrG,
        beta1: config.beta1,
        beta2: config.beta2,
        epsilon: ADAM_EPSILON
      }),
      discriminator: new Adam(this.nets.discriminator.params.trainable, {
        learningRate: config.lrD,
        beta1: config.beta1,
        beta2: config.beta2,
        epsilon: ADAM_EPSILON
      })
    }
    this.sampler = new BatchSampler(dataset.count, config.batchSize, new Random(config.seed, 'data-order'))
    this.noiseRandom = new Random(config.seed, 'noise')
    this.fixedNoise = fixedNoise(config, config.fixedNoiseCount)
    const imageLength = config.batchSize * config.imageSize * config.imageSize * dataset.channels
    this.realBuffers = Array.from({ length: config.dStepsPerG }, () => new Float32Array(imageLength))
  }

  get epoch(): number {
    return this.sampler.epoch
  }

  get finished(): boolean {
    return this.iteration >= this.totalIterations
  }

  async step(): Promise<IterationRecord> {
    const started = performance.now()
    const { batchSize, imageSize, nz } = this.config
    let epoch = 0
    const real = this.realBuffers.map((buffer) => {
      epoch = this.sampler.epoch
      fillImageBatch(this.dataset, this.sampler.next(), buffer)
      return tf.tensor4d(buffer, [batchSize, imageSize, imageSize, this.channels])
    })
    const noises = real.map(() => tf.tensor4d(this.noiseRandom.normalArray(batchSize * nz), [batchSize, 1, 1, nz]))
    try {
      const metrics = await trainIteration(this.nets, this.optimizers, real, noises, {
        labelSmoothing: this.config.labelSmoothing
      })
      this.iteration += 1
      return { ...metrics, iteration: this.iteration, epoch, seconds: (performance.now() - started) / 1000 }
    } finally {
      tf.dispose([...real, ...noises])
    }
  }

  renderFixedNoise(): Promise<Float32Array> {
    return this.generate(this.fixedNoise)
  }

  generate(latents: Float32Array): Promise<Float32Array> {
    return generateImages(this.nets.generator, this.config.nz, latents)
  }

  async snapshot(): Promise<TrainerSnapshot> {
    // Copies: a backend may hand out views of memory it reuses (the wasm heap).
    const read = async (vars: tf.Variable[]) => (await readTensors(vars)).map((a) => a.slice())
    const { generator: G, discriminator: D } = this.nets
    const iteration = this.iteration
    const epoch = this.sampler.epoch
    const sampler = this.sampler.getState()
    const noise = this.noiseRandom.getState()
    const adamSteps = [this.optimizers.generator.step, this.optimizers.discriminator.step]
    const [generator, generatorBuffers, discriminator, discriminatorBuffers, adamG, adamD] = await Promise.all([
      read(G.params.trainable),
      read(G.params.buffers),
      read(D.params.trainable),
      read(D.params.buffers),
      read(this.optimizers.generator.stateTensors()),
      read(this.optimizers.discriminator.stateTensors())
    ])
    return {
      iteration,
      epoch,
      generator,
      generatorBuffers,
      discriminator,
      discriminatorBuffers,
      adamG: { step: adamSteps[0], state: adamG },
      adamD: { step: adamSteps[1], state: adamD },
      sampler,
      noise
    }
  }

  restore(snapshot: TrainerSnapshot): void {
    const write = (vars: tf.Variable[], values: Float32Array[], what: string) => {
      if (values.length !== vars.length) {
        throw new Error(`checkpoint has ${values.length} ${what} tensors, the model has ${vars.length}: it belongs to a different model`)
      }
      vars.forEach((v, i) => {
        if (values[i].length !== v.size) throw new Error(`checkpoint ${what} tensor ${i} has ${values[i].length} values, expected ${v.size}`)
        tf.tidy(() => v.assign(tf.tensor(values[i], v.shape)))
      })
    }
    const { generator: G, discriminator: D } = this.nets
    write(G.params.trainable, snapshot.generator, 'generator')
    write(G.params.buffers, snapshot.generatorBuffers, 'generator buffer')
    write(D.params.trainable, snapshot.discriminator, 'discriminator')
    write(D.params.buffers, snapshot.discriminatorBuffers, 'discriminator buffer')
    const restoreAdam = (adam: Adam, saved: TrainerSnapshot['adamG'], what: string) => {
      const targets = adam.stateTensors()
      write(targets, saved.state, what)
      adam.step = saved.step
    }
    restoreAdam(this.optimizers.generator, snapshot.adamG, 'generator optimizer')
    restoreAdam(this.optimizers.discriminator, snapshot.adamD, 'discriminator optimizer')
    this.sampler = BatchSampler.fromState(this.dataset.count, this.config.batchSize, snapshot.sampler)
    this.noiseRandom.setState(snapshot.noise)
    this.iteration = snapshot.iteration
  }

  dispose(): void {
    disposeNetworks(this.nets)
    this.optimizers.generator.dispose()
    this.optimizers.discriminator.dispose()
  }
}
