import { describe, expect, it } from 'vitest'
import { PRESETS, runConfigFields } from '../../../shared/config'
import { CONFIG_FIELDS, formatConfigValue } from '../../../shared/config-fields'
import { activePreset, defaultPreset, FORM_FIELDS, presetConfig, validateConfig, withField, withPreset } from './hyperparameters'

describe('the new-run form', () => {
  it('starts on the CPU preset unless a GPU backend is available', () => {
    expect(defaultPreset(false)).toBe('cpuQuick')
    expect(defaultPreset(true)).toBe('paper')
    expect(presetConfig('cpuQuick')).toMatchObject(PRESETS.cpuQuick)
  })

  it('names the preset the settings are on, and none once one of its values changed', () => {
    const quick = presetConfig('cpuQuick')
    expect(activePreset(quick)).toBe('cpuQuick')
    expect(activePreset({ ...quick, ngf: 48 })).toBeNull()
    const paper = withPreset(quick, 'paper')
    expect(paper.iterations).toBeUndefined()
    expect(activePreset(paper)).toBe('paper')
    // The paper's values with a length in iterations are not the paper preset.
    expect(activePreset({ ...paper, epochs: undefined, iterations: 5 })).toBeNull()
  })

  it('marks a batch larger than the data set at the batch size field', () => {
    const config = { ...presetConfig('cpuQuick'), batchSize: 200 }
    expect(validateConfig(config)).toEqual({ ok: true })
    expect(validateConfig(config, { count: 120 })).toEqual({ ok: false, errors: { batchSize: 'batch size must be at most the data set’s 120 images: lower it, or add images' } })
    expect(validateConfig({ ...config, batchSize: 0, ngf: -1 }, { count: 120 })).toEqual({
      ok: false,
      errors: { batchSize: 'batch size must be at least 1', ngf: 'ngf (generator width) must be at least 1' }
    })
  })
})

describe('a conditional run in the form', () => {
  it('is refused on data without classes, with the way out in the form’s words, and accepted on data with them', () => {
    const config = { ...presetConfig('cpuQuick'), conditional: true }
    expect(validateConfig(config, { count: 120, classes: null, source: '/photos' })).toEqual({
      ok: false,
      errors: {
        conditional:
          'A conditional run needs classes, and /photos has no subfolders: its classes would be its first-level subfolders. ' +
          'To train a conditional GAN, sort the images into one subfolder per class (root/cats/x.png, root/dogs/y.png), or untick “Conditional on classes”.'
      }
    })
    const classes = { names: ['cats', 'dogs'], counts: [60, 60], unlabeled: 0, from: 'subfolders' as const }
    expect(validateConfig(config, { count: 120, classes, source: '/pets' })).toEqual({ ok: true })
    expect(validateConfig({ ...config, conditional: false }, { count: 120, classes: null })).toEqual({ ok: true })
    expect(FORM_FIELDS.find((f) => f.key === 'conditional')?.kind).toBe('checkbox')
    expect(formatConfigValue(CONFIG_FIELDS.find((f) => f.key === 'conditional')!, true)).toBe('yes, on the data’s classes')
  })
})

describe('the one table of settings', () => {
  it('has a label for every config key, in one place for the form and the Config tab', () => {
    const keys = Object.keys(runConfigFields.shape).sort()
    expect(CONFIG_FIELDS.map((f) => f.key).sort()).toEqual(keys)
    expect(new Set(CONFIG_FIELDS.map((f) => f.label)).size).toBe(CONFIG_FIELDS.length - 1) // iterations and epochs share "Training length"
    expect(FORM_FIELDS.map((f) => f.key)).toContain('batchSize')
  })

  it('reads values as people do', () => {
    const field = (key: string) => CONFIG_FIELDS.find((f) => f.key === key)!
    expect(formatConfigValue(field('imageSize'), 32)).toBe('32 px')
    expect(formatConfigValue(field('swdEvery'), undefined)).toBe('automatic')
    expect(formatConfigValue(field('iterations'), 1200)).toBe('1,200 iterations')
    expect(formatConfigValue(field('lrD'), 0.0002)).toBe('0.0002')
    expect(formatConfigValue(field('backend'), 'auto')).toBe('Automatic (fastest available)')
    expect(formatConfigValue(field('loss'), 'wgan-gp')).toBe('WGAN-GP (gradient penalty)')
    expect(formatConfigValue(field('augment'), ['color', 'cutout'])).toBe('color, cutout')
    expect(formatConfigValue(field('augment'), [])).toBe('none')
  })

  it('brings a loss’s paper settings with the loss, and keeps a preset from overriding them', () => {
    const wgan = withField(presetConfig('cpuQuick'), 'loss', 'wgan-gp')
    expect(wgan).toMatchObject({ loss: 'wgan-gp', optimizer: 'adam', lrD: 0.0001, beta1: 0, beta2: 0.9, dStepsPerG: 5, gpWeight: 10, dNorm: 'layer' })
    expect(withPreset(wgan, 'paper')).toMatchObject({ lrD: 0.0001, gpWeight: 10 })
    expect(withField({ ...presetConfig('cpuQuick'), labelSmoothing: 0.1 }, 'loss', 'hinge').labelSmoothing).toBe(0)
    expect(withField(presetConfig('cpuQuick'), 'arch', 'mlp').dNorm).toBe('none')
  })
})
