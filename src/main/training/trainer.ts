// A run's training state in one object: networks, optimizers, data order, noise generator and the
// iteration count. The CLI and the worker thread drive it; checkpoints are its snapshots.
import * as tf from '@tensorflow/tfjs'
import type { GeneratorChoice } from '../../shared/api'
import { totalIterations, type RunConfig } from '../../shared/config'
import { Random, type RandomState } from '../../shared/random'
// The data modules themselves, not the data package: this module also runs in a browser's compute worker.
import { fillImageBatch } from '../data/batch'
import { BatchSampler, type SamplerState } from '../data/sampler'
import type { TrainingImages } from '../data/training-images'
import { GeneratorAverage } from './ema'
import { buildGenerator, buildNetworks } from './gan'
import { generateImages } from './generate'
import { fixedNoise } from '../../shared/noise'
import { GRID_IMAGES_PER_CLASS, progressGridLatents } from '../../shared/classes'
import { oneHotClasses } from './conditioning'
import { drawIteration, drawsAnything, noDraws } from './iteration-draws'
import { disposeNetworks, type GanNetworks, type Network } from './network'
import { createOptimizers, disposeOptimizers, type GanOptimizers, type Optimizer } from './optimizer'
import { readTensors } from './read'
import { trainIteration, type IterationMetrics } from './step'
import { stepOptionsOf, type StepOptions } from './step-options'

export type { GeneratorChoice }

export interface IterationRecord extends IterationMetrics {
  /** 1-based number of the iteration just completed. */
  iteration: number
  /** 0-based epoch the iteration's last batch came from. */
  epoch: number
  seconds: number
}

/** Everything needed to continue a run exactly: weights, optimizer state, data order, random states. */
export interface TrainerSnapshot {
  iteration: number
  epoch: number
  generator: Float32Array[]
  generatorBuffers: Float32Array[]
  /** The generator's moving average (trainable weights; its buffers are the generator's); empty when off. */
  generatorEma: Float32Array[]
  discriminator: Float32Array[]
  discriminatorBuffers: Float32Array[]
  /** The optimizers' state (Adam's moments, or RMSprop's square averages) and step counts. */
  adamG: { step: number; state: Float32Array[] }
  adamD: { step: number; state: Float32Array[] }
  sampler: SamplerState
  noise: RandomState
  /** The augmentation and penalty draws' generator; null when the run draws nothing. */
  draws: RandomState | null
}


/**
 * What a training session drives: a Trainer in its own thread, or one in a compute window reached over a
 * message channel (remote-trainer.ts). Everything that touches the device is asynchronous.
 */
export interface TrainerHandle {
  readonly config: RunConfig
  readonly channels: 1 | 3
  /** A conditional run's number of classes (its latent vectors end in as many class weights); 0 otherwise. */
  readonly classCount: number
  readonly totalIterations: number
  /** Completed iterations. */
  readonly iteration: number
  /** 0-based epoch of the next batch. */
  readonly epoch: number
  readonly finished: boolean
  /** Runs one iteration (dStepsPerG D steps, one G step) and returns its figures. */
  step(): Promise<IterationRecord>
  /**
   * The progress grid: the fixed-noise batch through G in eval mode (its moving average where the run keeps
   * one), count * S * S * nc values in [-1, 1] (a conditional run's: a row per class, progressGridShape in
   * src/shared/classes.ts).
   */
  renderFixedNoise(): Promise<Float32Array>
  /**
   * Images for latent vectors given as a flat array of n * nz values (nz + classCount for a conditional run),
   * through the average unless 'raw'.
   */
  generate(latents: Float32Array, generator?: GeneratorChoice): Promise<Float32Array>
  snapshot(): Promise<TrainerSnapshot>
  restore(snapshot: TrainerSnapshot): void | Promise<void>
  dispose(): void | Promise<void>
}

/**
 * A conditional config's number of classes, from its data set (which must label every image with one of
 * them); 0 for other configs.
 */
export function classCountOf(config: RunConfig, dataset: TrainingImages): number {
  if (!config.conditional) return 0
  const classes = dataset.classes?.names.length ?? 0
  if (!dataset.labels || classes < 2) throw new Error('a conditional run needs a data set with classes (class subfolders, or a built-in set)')
  const outside = dataset.labels.findIndex((label) => label < 0 || label >= classes)
  if (outside >= 0) throw new Error(`image ${outside} of the data set has no class; a conditional run needs every image in a class`)
  return classes
}

export class Trainer implements TrainerHandle {
  readonly nets: GanNetworks
  readonly channels: 1 | 3
  readonly classCount: number
  readonly totalIterations: number
  /** The generator's moving average, when the run keeps one (config.ema > 0). */
  readonly ema: GeneratorAverage | null
  private readonly optimizers: GanOptimizers
  private readonly stepOptions: StepOptions
  private sampler: BatchSampler
  private readonly noiseRandom: Random
  /** DiffAugment's and the gradient penalty's draws; null for runs that draw nothing (their old checkpoints fit). */
  private readonly drawRandom: Random | null
  /** Drawn once from the run's seed: the progress grid shows the same latent vectors all run long. */
  readonly fixedNoise: Float32Array
  private readonly realBuffers: Float32Array[]
  iteration = 0

  constructor(
    readonly config: RunConfig,
    private readonly dataset: TrainingImages
  ) {
    this.channels = dataset.channels
    this.classCount = classCountOf(config, dataset)
    this.totalIterations = totalIterations(config, dataset.count)
    this.nets = buildNetworks(config, dataset.channels, this.classCount)
    this.optimizers = createOptimizers(config, this.nets)
    this.stepOptions = stepOptionsOf(config)
    // The average is a whole second G: a conditional one carries its own copy of the label embedding.
    this.ema = config.ema > 0 ? new GeneratorAverage(buildGenerator(config, dataset.channels, this.classCount), this.nets.generator, config.ema) : null
    this.sampler = new BatchSampler(dataset.count, config.batchSize, new Random(config.seed, 'data-order'))
    this.noiseRandom = new Random(config.seed, 'noise')
    this.drawRandom = drawsAnything(this.stepOptions) ? new Random(config.seed, 'step-draws') : null
    // A conditional grid draws its first GRID_IMAGES_PER_CLASS vectors in every row, however few are asked for.
    this.fixedNoise = fixedNoise(config, this.classCount > 0 ? Math.max(config.fixedNoiseCount, GRID_IMAGES_PER_CLASS) : config.fixedNoiseCount)
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
    const classes: tf.Tensor[] = []
    const real = this.realBuffers.map((buffer) => {
      epoch = this.sampler.epoch
      const indices = this.sampler.next()
      fillImageBatch(this.dataset, indices, buffer)
      if (this.classCount > 0) classes.push(oneHotClasses(Array.from(indices, (i) => this.dataset.labels![i]), this.classCount))
      return tf.tensor4d(buffer, [batchSize, imageSize, imageSize, this.channels])
    })
    const noises = real.map(() => tf.tensor4d(this.noiseRandom.normalArray(batchSize * nz), [batchSize, 1, 1, nz]))
    const draws = this.drawRandom ? drawIteration(this.drawRandom, this.stepOptions, real.length, batchSize, imageSize) : noDraws(real.length)
    try {
      const metrics = await trainIteration(this.nets, this.optimizers, real, noises, this.stepOptions, draws, this.classCount > 0 ? classes : undefined)
      // One update per iteration: the iteration count is the average's warm-up clock, restored with it.
      this.ema?.update(this.iteration)
      this.iteration += 1
      return { ...metrics, iteration: this.iteration, epoch, seconds: (performance.now() - started) / 1000 }
    } finally {
      tf.dispose([...real, ...noises, ...classes])
    }
  }

  renderFixedNoise(): Promise<Float32Array> {
    return this.generate(progressGridLatents(this.fixedNoise, this.config.nz, this.classCount, this.config.fixedNoiseCount))
  }

  generate(latents: Float32Array, generator: GeneratorChoice = 'ema'): Promise<Float32Array> {
    return generateImages(this.generatorFor(generator), this.config.nz, latents)
  }

  /** The network that renders for a choice: the average only where the run keeps one. */
  generatorFor(choice: GeneratorChoice): Network {
    return choice === 'ema' && this.ema ? this.ema.network : this.nets.generator
  }

  async snapshot(): Promise<TrainerSnapshot> {
    // Copies: a backend may hand out views of memory it reuses (the wasm heap).
    const read = async (vars: tf.Variable[]) => (await readTensors(vars)).map((a) => a.slice())
    const { generator: G, discriminator: D } = this.nets
    const iteration = this.iteration
    const epoch = this.sampler.epoch
    const sampler = this.sampler.getState()
    const noise = this.noiseRandom.getState()
    const draws = this.drawRandom?.getState() ?? null
    const adamSteps = [this.optimizers.generator.step, this.optimizers.discriminator.step]
    const [generator, generatorBuffers, generatorEma, discriminator, discriminatorBuffers, adamG, adamD] = await Promise.all([
      read(G.params.trainable),
      read(G.params.buffers),
      read(this.ema?.network.params.trainable ?? []),
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
      generatorEma,
      discriminator,
      discriminatorBuffers,
      adamG: { step: adamSteps[0], state: adamG },
      adamD: { step: adamSteps[1], state: adamD },
      sampler,
      noise,
      draws
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
    const restoreOptimizer = (optimizer: Optimizer, saved: TrainerSnapshot['adamG'], what: string) => {
      write(optimizer.stateTensors(), saved.state, what)
      optimizer.step = saved.step
    }
    restoreOptimizer(this.optimizers.generator, snapshot.adamG, 'generator optimizer')
    restoreOptimizer(this.optimizers.discriminator, snapshot.adamD, 'discriminator optimizer')
    if (this.ema) {
      // A checkpoint from before the run kept an average (none can be, today) starts it from G.
      if (snapshot.generatorEma.length > 0) write(this.ema.network.params.trainable, snapshot.generatorEma, 'generator average')
      else this.ema.copyFromSource()
      write(this.ema.network.params.buffers, snapshot.generatorBuffers, 'generator average buffer')
    }
    this.sampler = BatchSampler.fromState(this.dataset.count, this.config.batchSize, snapshot.sampler)
    this.noiseRandom.setState(snapshot.noise)
    if (this.drawRandom && snapshot.draws) this.drawRandom.setState(snapshot.draws)
    this.iteration = snapshot.iteration
  }

  dispose(): void {
    disposeNetworks(this.nets)
    this.ema?.dispose()
    disposeOptimizers(this.optimizers)
  }
}
