// What choosing a loss brings, what is refused and how it is said, and how the figures are labelled.
import { describe, expect, it } from 'vitest'
import { ConfigError, parseRunConfig } from './config'
import { compareOutputCharts, figureSummary, outputsChart } from './figures'
import { configValueText } from './config-fields'
import { fastEngineFallback, parseAugmentations } from './training-options'

const problems = (input: unknown): string[] => {
  try {
    parseRunConfig(input)
  } catch (error) {
    if (error instanceof ConfigError) return error.problems
    throw error
  }
  return []
}

describe('choosing a loss', () => {
  it('brings its paper’s settings, and keeps the ones given', () => {
    expect(parseRunConfig({})).toMatchObject({ loss: 'bce', optimizer: 'adam', lrD: 0.0002, lrG: 0.0002, beta1: 0.5, beta2: 0.999, dStepsPerG: 1, weightClip: 0, gpWeight: 0, dNorm: 'batch', augment: [], ema: 0 })
    expect(parseRunConfig({ loss: 'wgan' })).toMatchObject({ optimizer: 'rmsprop', lrD: 0.00005, lrG: 0.00005, dStepsPerG: 5, weightClip: 0.01, gpWeight: 0, dNorm: 'batch' })
    expect(parseRunConfig({ loss: 'wgan-gp' })).toMatchObject({ optimizer: 'adam', lrD: 0.0001, lrG: 0.0001, beta1: 0, beta2: 0.9, dStepsPerG: 5, gpWeight: 10, dNorm: 'layer' })
    expect(parseRunConfig({ loss: 'wgan-gp', lrD: 0.0003, dStepsPerG: 2, dNorm: 'none' })).toMatchObject({ lrD: 0.0003, lrG: 0.0001, dStepsPerG: 2, dNorm: 'none' })
    expect(parseRunConfig({ loss: 'hinge' })).toMatchObject({ optimizer: 'adam', lrD: 0.0002, dStepsPerG: 1 })
  })

  it('gives the MLP a discriminator without normalization unless asked', () => {
    expect(parseRunConfig({ arch: 'mlp' }).dNorm).toBe('none')
    expect(parseRunConfig({ arch: 'mlp', loss: 'wgan-gp' }).dNorm).toBe('none')
    expect(parseRunConfig({ arch: 'mlp', dNorm: 'layer' }).dNorm).toBe('layer')
  })

  it('keeps a stored config as it was (every field given)', () => {
    const stored = JSON.parse(JSON.stringify(parseRunConfig({ loss: 'wgan', lrD: 0.001 })))
    expect(parseRunConfig(stored)).toEqual(stored)
  })

  it('refuses what cannot work, naming the field and the fix', () => {
    expect(problems({ loss: 'wgan-gp', dNorm: 'batch' })).toEqual([expect.stringMatching(/^dNorm: the gradient penalty needs a discriminator without BatchNorm.*layer norm or none/)])
    expect(problems({ loss: 'hinge', labelSmoothing: 0.1 })).toEqual([expect.stringMatching(/^labelSmoothing: label smoothing applies to the bce and lsgan losses only/)])
    expect(problems({ ema: 1.5 })).toEqual(['ema: EMA decay must be below 1 (e.g. 0.999; 0 turns it off)'])
    expect(problems({ loss: 'wgan-gan' })).toEqual([expect.stringMatching(/^loss: loss must be one of bce, lsgan, hinge, wgan, wgan-gp/)])
    expect(problems({ augment: ['color', 'blur'] })[0]).toMatch(/^augment\.1: augmentations are color, translation, cutout/)
  })
})

describe('augmentations', () => {
  it('are kept in DiffAugment’s order, each once', () => {
    expect(parseRunConfig({ augment: ['cutout', 'color'] }).augment).toEqual(['color', 'cutout'])
    expect(parseAugmentations('translation, color,blur')).toEqual({ augment: ['color', 'translation'], unknown: ['blur'] })
    expect(configValueText([])).toBe('none')
    expect(configValueText(['color', 'cutout'])).toBe('color,cutout')
  })
})

describe('the fast wasm engine’s fallbacks', () => {
  it('are stated for the penalty and layer norm, with their cost, and nothing else', () => {
    expect(fastEngineFallback(parseRunConfig({ loss: 'wgan-gp' }))).toMatch(/second-order gradient.*TF\.js autograd, at about \d+(\.\d+)?x the engine's time per iteration/)
    expect(fastEngineFallback(parseRunConfig({ dNorm: 'layer' }))).toMatch(/no layer norm.*at about \d+(\.\d+)?x the engine's time/)
    for (const input of [{}, { loss: 'wgan' }, { loss: 'hinge', augment: ['color'], ema: 0.999 }, { optimizer: 'rmsprop' }, { dNorm: 'none' }] as const) {
      expect(fastEngineFallback(parseRunConfig(input)), JSON.stringify(input)).toBeNull()
    }
    // The engine is for convolutions: an MLP always trains on autograd, whatever its options.
    expect(fastEngineFallback(parseRunConfig({ arch: 'mlp', loss: 'wgan-gp' }))).toMatch(/trains DCGANs only/)
  })
})

describe('what the figures mean', () => {
  const row = { lossD: -0.5, lossG: 0.25, dReal: 1.5, dFakeBefore: 0.25, dFakeAfter: 0.2 }
  it('a WGAN charts and prints the critic’s Wasserstein estimate, BCE its probabilities', () => {
    expect(outputsChart('wgan-gp')).toEqual({ title: expect.stringMatching(/Wasserstein estimate/), lines: [{ label: 'Wasserstein estimate C(x) − C(G(z))', field: 'wasserstein' }] })
    expect(outputsChart('bce').yRange).toEqual([0, 1])
    expect(outputsChart('hinge').yRange).toBeUndefined()
    expect(figureSummary('wgan', row)).toBe('Loss_D (critic) -0.500  Loss_G 0.250  W estimate 1.250')
    expect(figureSummary('bce', row)).toBe('Loss_D -0.500  Loss_G 0.250  D(x) 1.500  D(G(z)) 0.250/0.200')
  })

  it('compare charts follow the runs’ losses', () => {
    expect(compareOutputCharts(['bce', 'bce']).map((c) => c.title)).toEqual(['D(x)', 'D(G(z))'])
    expect(compareOutputCharts(['wgan', 'wgan-gp']).map((c) => c.field)).toEqual(['wasserstein'])
    expect(compareOutputCharts(['bce', 'wgan']).every((c) => c.yRange === undefined)).toBe(true)
  })
})
