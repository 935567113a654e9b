// Every option of the compute-path table (option-rows.ts) on wasm, where the fast engine trains what it can:
// tensor counts and wasm buffers stay flat across iterations and renders, and a run resumed from a snapshot
// (weights, optimizer state, EMA, data order, noise and augmentation draws) continues exactly as an
// uninterrupted one: the same figures and weights, bit for bit.
import * as tf from '@tensorflow/tfjs'
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfig } from '../../shared/config'
import { Random } from '../../shared/random'
import type { TrainingImages } from '../data'
import { initBackend } from './backend'
import { OPTION_ROWS, withRowClasses, type OptionRow } from './option-rows'
import { Trainer, type TrainerSnapshot } from './trainer'

beforeAll(async () => {
  await initBackend('wasm')
})

function imagesFor(row: OptionRow, config: RunConfig): TrainingImages {
  const random = new Random(7, `option-resume/${row.name}`)
  const count = config.batchSize * 6
  const size = config.imageSize
  const pixels = Uint8Array.from({ length: count * size * size * row.channels }, () => random.int(256))
  return withRowClasses(row, { count, size, channels: row.channels, pixels }, random)
}

async function train(config: RunConfig, images: TrainingImages, iterations: number, from?: TrainerSnapshot) {
  const trainer = new Trainer(config, images)
  if (from) trainer.restore(from)
  const figures: number[][] = []
  for (let i = 0; i < iterations; i++) {
    const r = await trainer.step()
    figures.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
  }
  const snapshot = await trainer.snapshot()
  trainer.dispose()
  return { figures, snapshot }
}

const values = (tensors: Float32Array[]) => tensors.map((t) => Array.from(t))

describe.each(OPTION_ROWS)('$name on wasm', (row) => {
  it('keeps tensor counts and buffers flat, and resumes exactly', async () => {
    const config = parseRunConfig({ ...row.config, iterations: 50 })
    const images = imagesFor(row, config)
    const straight = await train(config, images, 4)
    const trainer = new Trainer(config, images)
    // Warm-up: the first iterations and renders leave kernel caches behind (packed weights, derived filters).
    await trainer.step()
    await trainer.step()
    await trainer.renderFixedNoise()
    const tensors = tf.memory().numTensors
    const buffers = (tf.backend() as BackendWasm).numDataIds()
    await trainer.step()
    await trainer.renderFixedNoise()
    expect(tf.memory().numTensors).toBe(tensors)
    expect((tf.backend() as BackendWasm).numDataIds()).toBe(buffers)
    const snapshot = await trainer.snapshot()
    trainer.dispose()
    const resumed = await train(config, images, 1, snapshot)
    expect(resumed.figures).toEqual(straight.figures.slice(3))
    expect(values(resumed.snapshot.generator)).toEqual(values(straight.snapshot.generator))
    expect(values(resumed.snapshot.generatorEma)).toEqual(values(straight.snapshot.generatorEma))
    expect(values(resumed.snapshot.discriminator)).toEqual(values(straight.snapshot.discriminator))
  })
})
