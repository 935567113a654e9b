import * as tf from '@tensorflow/tfjs'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { prepareDataset, type PreparedDataset } from '../data'
import { initBackend } from './backend'
import { decodeGenerator, encodeGenerator } from './generator-file'
import { Trainer } from './trainer'

let cacheDir: string
let digits: PreparedDataset

beforeAll(async () => {
  await initBackend('wasm')
  cacheDir = mkdtempSync(join(tmpdir(), 'gan-trainer-'))
  digits = await prepareDataset({ kind: 'builtin', name: 'mnist' }, { size: 32, cacheDir })
})
afterAll(() => rmSync(cacheDir, { recursive: true, force: true }))

const tiny = parseRunConfig({ imageSize: 32, ngf: 8, ndf: 8, nz: 16, batchSize: 16, iterations: 6, fixedNoiseCount: 4, seed: 3 })
const losses = (t: Trainer, n: number) => Array.from({ length: n }, () => t.step()).map((r) => [r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])

describe('Trainer on real digits (wasm backend)', () => {
  it('trains, counts iterations and epochs, and knows when it is finished', () => {
    const t = new Trainer(tiny, digits)
    const records = Array.from({ length: 6 }, () => t.step())
    expect(records.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5, 6])
    expect(records.every((r) => r.epoch === 0 && r.seconds > 0)).toBe(true)
    expect(t.finished).toBe(true)
    expect(t.renderFixedNoise()).toHaveLength(4 * 32 * 32)
    t.dispose()
  })

  it('gives the same losses for the same seed on the same backend', () => {
    const a = new Trainer(tiny, digits)
    const b = new Trainer(tiny, digits)
    expect(losses(b, 3)).toEqual(losses(a, 3))
    a.dispose()
    b.dispose()
  })

  it('continues from a snapshot exactly as an uninterrupted run does', () => {
    const straight = new Trainer(tiny, digits)
    const expected = losses(straight, 5)
    const first = new Trainer(tiny, digits)
    losses(first, 2)
    const snapshot = first.snapshot()
    first.dispose()
    const resumed = new Trainer(tiny, digits)
    resumed.restore(snapshot)
    expect(resumed.iteration).toBe(2)
    expect(losses(resumed, 3)).toEqual(expected.slice(2))
    straight.dispose()
    resumed.dispose()
  })

  it('keeps the number of tensors flat across iterations and grid renders', () => {
    const t = new Trainer({ ...tiny, iterations: 100 }, digits)
    t.step()
    t.renderFixedNoise()
    const before = tf.memory().numTensors
    for (let i = 0; i < 4; i++) {
      t.step()
      t.renderFixedNoise()
    }
    expect(tf.memory().numTensors).toBe(before)
    t.dispose()
  })

  it('leaves no tensor behind once a trainer is disposed (networks, optimizer state, fixed noise)', () => {
    const before = tf.memory().numTensors
    const t = new Trainer(tiny, digits)
    t.step()
    t.renderFixedNoise()
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('saves a generator that reproduces the same images after loading', () => {
    const t = new Trainer(tiny, digits)
    losses(t, 2)
    const bytes = encodeGenerator(t.nets.generator, { config: tiny, channels: 1, iteration: 2 })
    const loaded = decodeGenerator(bytes)
    expect(loaded.meta.iteration).toBe(2)
    expect(Array.from(loaded.generate(t.fixedNoise))).toEqual(Array.from(t.renderFixedNoise()))
    expect(() => decodeGenerator(bytes.subarray(0, 100))).toThrow(/truncated/)
    expect(() => decodeGenerator(Buffer.from('not a weights file'))).toThrow(/not a GAN Studio weights file/)
    loaded.dispose()
    t.dispose()
  })
})
