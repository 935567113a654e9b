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
async function losses(t: Trainer, n: number): Promise<number[][]> {
  const out: number[][] = []
  for (let i = 0; i < n; i++) {
    const r = await t.step()
    out.push([r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter])
  }
  return out
}

describe('Trainer on real digits (wasm backend)', () => {
  it('trains, counts iterations and epochs, and knows when it is finished', async () => {
    const t = new Trainer(tiny, digits)
    const records = []
    for (let i = 0; i < 6; i++) records.push(await t.step())
    expect(records.map((r) => r.iteration)).toEqual([1, 2, 3, 4, 5, 6])
    expect(records.every((r) => r.epoch === 0 && r.seconds > 0)).toBe(true)
    expect(t.finished).toBe(true)
    expect(await t.renderFixedNoise()).toHaveLength(4 * 32 * 32)
    t.dispose()
  })

  it('gives the same losses for the same seed on the same backend', async () => {
    const a = new Trainer(tiny, digits)
    const b = new Trainer(tiny, digits)
    expect(await losses(b, 3)).toEqual(await losses(a, 3))
    a.dispose()
    b.dispose()
  })

  it('continues from a snapshot exactly as an uninterrupted run does', async () => {
    const straight = new Trainer(tiny, digits)
    const expected = await losses(straight, 5)
    const first = new Trainer(tiny, digits)
    await losses(first, 2)
    const snapshot = await first.snapshot()
    first.dispose()
    const resumed = new Trainer(tiny, digits)
    resumed.restore(snapshot)
    expect(resumed.iteration).toBe(2)
    expect(await losses(resumed, 3)).toEqual(expected.slice(2))
    straight.dispose()
    resumed.dispose()
  })

  it('keeps the number of tensors flat across iterations and grid renders', async () => {
    const t = new Trainer({ ...tiny, iterations: 100 }, digits)
    await t.step()
    await t.renderFixedNoise()
    const before = tf.memory().numTensors
    for (let i = 0; i < 4; i++) {
      await t.step()
      await t.renderFixedNoise()
    }
    expect(tf.memory().numTensors).toBe(before)
    t.dispose()
  })

  it('leaves no tensor behind once a trainer is disposed (networks, optimizer state, fixed noise)', async () => {
    const before = tf.memory().numTensors
    const t = new Trainer(tiny, digits)
    await t.step()
    await t.renderFixedNoise()
    t.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('saves a generator that reproduces the same images after loading', async () => {
    const t = new Trainer(tiny, digits)
    await losses(t, 2)
    const bytes = await encodeGenerator(t.nets.generator, { config: tiny, channels: 1, iteration: 2 })
    const loaded = decodeGenerator(bytes)
    expect(loaded.meta.iteration).toBe(2)
    expect(Array.from(await loaded.generate(t.fixedNoise))).toEqual(Array.from(await t.renderFixedNoise()))
    expect(() => decodeGenerator(bytes.subarray(0, 100))).toThrow(/truncated/)
    expect(() => decodeGenerator(Buffer.from('not a weights file'))).toThrow(/not a GAN Studio weights file/)
    loaded.dispose()
    t.dispose()
  })
})
