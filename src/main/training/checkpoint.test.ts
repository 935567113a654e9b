// Checkpoints as bytes: a run with the generator EMA and DiffAugment continues from its encoded checkpoint
// exactly as it would have without stopping, and a checkpoint written before those existed still loads.
import { beforeAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { Random } from '../../shared/random'
import { initBackend } from './backend'
import { decodeCheckpoint, encodeCheckpoint } from './checkpoint'
import { decodeBundle, encodeBundle } from './tensor-bundle'
import { Trainer } from './trainer'

beforeAll(async () => {
  await initBackend('wasm')
})

const random = new Random(3, 'checkpoint-test')
const IMAGES = { count: 16, size: 32, channels: 3 as const, pixels: Uint8Array.from({ length: 16 * 32 * 32 * 3 }, () => random.int(256)) }
const figuresOf = (r: { lossD: number; lossG: number; dReal: number; dFakeBefore: number; dFakeAfter: number }) => [r.lossD, r.lossG, r.dReal, r.dFakeBefore, r.dFakeAfter]

describe('checkpoints', () => {
  it('carry the EMA and the augmentation draws: a run resumed from the bytes continues exactly', async () => {
    const config = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, iterations: 10, loss: 'hinge', augment: ['color', 'translation', 'cutout'], ema: 0.9 })
    const straight = new Trainer(config, IMAGES)
    for (let i = 0; i < 2; i++) await straight.step()
    const bytes = encodeCheckpoint(await straight.snapshot(), 1.5)
    const expected = figuresOf(await straight.step())
    const expectedAverage = await straight.generate(straight.fixedNoise)

    const { snapshot, trainSeconds } = decodeCheckpoint(bytes)
    expect(trainSeconds).toBe(1.5)
    expect(snapshot.generatorEma).toHaveLength(snapshot.generator.length)
    expect(snapshot.draws).not.toBeNull()
    const resumed = new Trainer(config, IMAGES)
    resumed.restore(snapshot)
    expect(figuresOf(await resumed.step())).toEqual(expected)
    expect(Array.from(await resumed.generate(resumed.fixedNoise))).toEqual(Array.from(expectedAverage))
    // The average is not the trained generator: a checkpoint that lost it would show.
    expect(Array.from(await resumed.generate(resumed.fixedNoise, 'raw'))).not.toEqual(Array.from(expectedAverage))
    straight.dispose()
    resumed.dispose()
  })

  it('written before the EMA and the draws existed, still load (with neither)', async () => {
    const config = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, iterations: 10 })
    const trainer = new Trainer(config, IMAGES)
    await trainer.step()
    const current = decodeBundle<{ groups: Record<string, number>; draws?: unknown }>(encodeCheckpoint(await trainer.snapshot(), 0))
    delete current.meta.groups.generatorEma
    delete current.meta.draws
    const { snapshot } = decodeCheckpoint(encodeBundle(current))
    expect(snapshot.generatorEma).toEqual([])
    expect(snapshot.draws).toBeNull()
    const resumed = new Trainer(config, IMAGES)
    resumed.restore(snapshot)
    expect(resumed.iteration).toBe(1)
    trainer.dispose()
    resumed.dispose()
  })
})
