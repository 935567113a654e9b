import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig, type RunConfigInput } from '../../shared/config'
import { Random } from '../../shared/random'
import { Adam, ADAM_EPSILON } from './adam'
import { buildNetworks } from './gan'
import { disposeNetworks, type GanNetworks } from './network'
import { trainIteration, type GanOptimizers, type IterationMetrics } from './step'
import { stepOptionsOf } from './step-options'

beforeAll(async () => {
  await tf.setBackend('cpu')
  await tf.ready()
})

function setup(overrides: RunConfigInput = {}) {
  const config = parseRunConfig({ imageSize: 32, ngf: 8, ndf: 8, nz: 16, batchSize: 8, ...overrides })
  const nets = buildNetworks(config, 1)
  const adam = (params: tf.Variable[], lr: number) => new Adam(params, { learningRate: lr, beta1: config.beta1, beta2: config.beta2, epsilon: ADAM_EPSILON })
  const optimizers: GanOptimizers = {
    generator: adam(nets.generator.params.trainable, config.lrG),
    discriminator: adam(nets.discriminator.params.trainable, config.lrD)
  }
  const random = new Random(config.seed, 'test-data')
  const run = async (iterations: number): Promise<IterationMetrics[]> => {
    const out: IterationMetrics[] = []
    for (let i = 0; i < iterations; i++) {
      const real = tf.tensor4d(random.normalArray(8 * 32 * 32).map(Math.tanh), [8, 32, 32, 1])
      const noise = tf.tensor4d(random.normalArray(8 * 16), [8, 1, 1, 16])
      out.push(await trainIteration(nets, optimizers, [real], [noise], stepOptionsOf(config)))
      tf.dispose([real, noise])
    }
    return out
  }
  const dispose = () => {
    disposeNetworks(nets as GanNetworks)
    optimizers.generator.dispose()
    optimizers.discriminator.dispose()
  }
  return { nets, run, dispose }
}

describe('one training iteration', () => {
  it('reports finite losses and probabilities and changes both networks', async () => {
    const t = setup()
    const g0 = t.nets.generator.params.trainable[0].dataSync().slice()
    const d0 = t.nets.discriminator.params.trainable[0].dataSync().slice()
    const [m] = await t.run(1)
    for (const v of Object.values(m)) expect(Number.isFinite(v)).toBe(true)
    // At initialization D is undecided: BCE is near log(2) per term.
    expect(m.lossD).toBeGreaterThan(0.9)
    expect(m.lossD).toBeLessThan(2)
    for (const p of [m.dReal, m.dFakeBefore, m.dFakeAfter]) {
      expect(p).toBeGreaterThan(0)
      expect(p).toBeLessThan(1)
    }
    expect(t.nets.generator.params.trainable[0].dataSync()).not.toEqual(g0)
    expect(t.nets.discriminator.params.trainable[0].dataSync()).not.toEqual(d0)
    t.dispose()
  })

  it('the D step lowers D(G(z)) on the same fake batch (after < before, on average)', async () => {
    const t = setup({ lrD: 0.002 })
    const metrics = await t.run(5)
    const drop = metrics.reduce((s, m) => s + (m.dFakeBefore - m.dFakeAfter), 0)
    expect(drop).toBeGreaterThan(0)
    t.dispose()
  })

  it('gives identical losses for the same seed', async () => {
    const a = setup({ seed: 5 })
    const b = setup({ seed: 5 })
    const c = setup({ seed: 6 })
    const ma = await a.run(3)
    expect(await b.run(3)).toEqual(ma)
    expect((await c.run(3))[0].lossD).not.toEqual(ma[0].lossD)
    ;[a, b, c].forEach((t) => t.dispose())
  })

  it('keeps the number of tensors flat across iterations', async () => {
    const t = setup()
    await t.run(2)
    const before = tf.memory().numTensors
    await t.run(5)
    expect(tf.memory().numTensors).toBe(before)
    t.dispose()
  })

  it('trains the MLP architecture too', async () => {
    const t = setup({ arch: 'mlp' })
    const before = tf.memory().numTensors
    const [m] = await t.run(2)
    expect(Number.isFinite(m.lossG)).toBe(true)
    expect(tf.memory().numTensors).toBe(before)
    t.dispose()
  })
})
