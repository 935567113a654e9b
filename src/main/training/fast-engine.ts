// Hand-written training engines that replace TF.js autograd where they apply (today: the wasm engine on the
// wasm backend). The backend that brings one installs it when it starts, so the training step and the
// generator never import a backend: the same modules run in Node and in a browser's compute worker.
import type * as tf from '@tensorflow/tfjs'
import type { RunConfig } from '../../shared/config'
import type { IterationDraws } from './iteration-draws'
import type { Network } from './network'
import type { GanOptimizers } from './optimizer'
import type { StepOptions } from './step-options'

export interface EngineFigures {
  lossD: number
  lossG: number
  dReal: number
  dFakeBefore: number
  dFakeAfter: number
}

export interface FastEngine {
  /** For people: 'the fast wasm engine'. */
  readonly name: string
  /** The TF.js backend it runs on (tf.getBackend()). */
  readonly backend: string
  /** Whether the engine can run this network now (its architecture and layers, and the active backend). */
  appliesTo(network: Network): boolean
  /** Whether it can run a step with these options (see fastEngineForStep). */
  trains(options: StepOptions): boolean
  /**
   * Why the engine cannot train a config on its backend, and what the autograd path that trains it
   * instead costs: a line the user sees when the run starts. Null when the engine trains it.
   */
  fallbackNote(config: RunConfig): string | null
  /** One iteration as step.ts defines it, with every option `trains` accepts. */
  trainIteration(
    nets: { generator: Network; discriminator: Network },
    optimizers: GanOptimizers,
    realBatches: tf.Tensor[],
    noises: tf.Tensor[],
    options: StepOptions,
    draws: IterationDraws,
    /** A conditional GAN's class weights of each real batch (see step.ts). */
    classes?: tf.Tensor[]
  ): EngineFigures
  /** G in eval mode on latent vectors [n, 1, 1, nz] (and a conditional G's class weights [n, classes]). */
  generate(generator: Network, z: tf.Tensor, classWeights?: tf.Tensor): Float32Array
}

let installed: FastEngine | null = null

export function installFastEngine(engine: FastEngine): void {
  installed = engine
}

/** The engine the backend installed, if any. */
export function installedFastEngine(): FastEngine | null {
  return installed
}

/** What the user is told when a config on this backend cannot use the backend's fast engine (null: it can, or there is none). */
export function fastEngineFallbackNote(config: RunConfig, tfBackend: string): string | null {
  return installed !== null && installed.backend === tfBackend ? installed.fallbackNote(config) : null
}

/** The installed engine when it can run `networks` now, else null (autograd runs instead). */
export function fastEngineFor(...networks: Network[]): FastEngine | null {
  return installed !== null && networks.every((n) => installed!.appliesTo(n)) ? installed : null
}

/** The engine that trains a step of these networks with these options, or null (autograd trains it). */
export function fastEngineForStep(nets: { generator: Network; discriminator: Network }, options: StepOptions): FastEngine | null {
  const engine = fastEngineFor(nets.generator, nets.discriminator)
  return engine !== null && engine.trains(options) ? engine : null
}
