import * as tf from '@tensorflow/tfjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { buildNetworks } from './gan'
import { disposeNetworks } from './network'
import { EVAL, TRAIN } from './layers'

beforeAll(async () => {
  await tf.setBackend('cpu')
  await tf.ready()
})

describe('DCGAN networks', () => {
  it('have exactly the PyTorch tutorial parameter counts at 64 px RGB, ngf = ndf = 64', () => {
    const nets = buildNetworks(parseRunConfig({ imageSize: 64, ngf: 64, ndf: 64, nz: 100 }), 3)
    expect(nets.generator.params.parameterCount()).toBe(3_576_704)
    expect(nets.discriminator.params.parameterCount()).toBe(2_765_568)
    disposeNetworks(nets)
  })

  it('map latent vectors to images in [-1, 1] and images to one logit each, at 32 and 64 px', () => {
    for (const imageSize of [32, 64] as const) {
      for (const channels of [1, 3] as const) {
        const nets = buildNetworks(parseRunConfig({ imageSize, ngf: 8, ndf: 8, nz: 10 }), channels)
        const z = tf.randomNormal([3, 1, 1, 10])
        const images = nets.generator.apply(z, TRAIN)
        expect(images.shape).toEqual([3, imageSize, imageSize, channels])
        const [min, max] = [images.min().dataSync()[0], images.max().dataSync()[0]]
        expect(min).toBeGreaterThanOrEqual(-1)
        expect(max).toBeLessThanOrEqual(1)
        const logits = nets.discriminator.apply(images, TRAIN)
        expect(logits.shape).toEqual([3, 1])
        tf.dispose([z, images, logits])
        disposeNetworks(nets)
      }
    }
  })

  it('initializes weights as N(0, 0.02) and BatchNorm gamma as N(1, 0.02) from the seed', () => {
    const config = parseRunConfig({ imageSize: 32, ngf: 16, ndf: 16, seed: 7 })
    const a = buildNetworks(config, 3)
    const b = buildNetworks(config, 3)
    const c = buildNetworks({ ...config, seed: 8 }, 3)
    const names = a.generator.params.trainableNames()
    const kernel = a.generator.params.trainable[names.indexOf('convT1/kernel')]
    const values = Array.from(kernel.dataSync())
    const mean = values.reduce((s, v) => s + v, 0) / values.length
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length)
    expect(Math.abs(mean)).toBeLessThan(0.001)
    expect(std).toBeCloseTo(0.02, 3)
    const gamma = Array.from(a.generator.params.trainable[names.indexOf('bn0/gamma')].dataSync())
    expect(gamma.reduce((s, v) => s + v, 0) / gamma.length).toBeCloseTo(1, 1)
    expect(Array.from(b.generator.params.trainable[0].dataSync())).toEqual(Array.from(a.generator.params.trainable[0].dataSync()))
    expect(Array.from(c.generator.params.trainable[0].dataSync().slice(0, 5))).not.toEqual(Array.from(a.generator.params.trainable[0].dataSync().slice(0, 5)))
    ;[a, b, c].forEach(disposeNetworks)
  })

  it('leaves no tensor behind once disposed', () => {
    const before = tf.memory().numTensors
    disposeNetworks(buildNetworks(parseRunConfig({ imageSize: 32, ngf: 8, ndf: 8, nz: 10 }), 3))
    expect(tf.memory().numTensors).toBe(before)
  })

  it('in eval mode gives each latent vector the same image whatever else is in the batch', () => {
    const nets = buildNetworks(parseRunConfig({ imageSize: 32, ngf: 8, ndf: 8, nz: 10 }), 1)
    const z = tf.randomNormal([4, 1, 1, 10])
    const all = nets.generator.apply(z, EVAL)
    const first = nets.generator.apply(z.slice([0, 0, 0, 0], [1, 1, 1, 10]), EVAL)
    const diff = tf.abs(tf.sub(all.slice([0, 0, 0, 0], [1, 32, 32, 1]), first)).max().dataSync()[0]
    expect(diff).toBeLessThan(1e-6)
    tf.dispose([z, all, first])
    disposeNetworks(nets)
  })
})
