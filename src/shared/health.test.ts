// What each alert tells and offers: the fixes are resume options this run's config accepts, and change something.
import { describe, expect, it } from 'vitest'
import { parseRunConfig } from './config'
import { acceptsChange, describeChange, describeStretch, healthAdvice, HEALTH_KINDS } from './health'

const paper = parseRunConfig({})

describe('health advice', () => {
  it('explains every kind and says what to try', () => {
    for (const kind of HEALTH_KINDS) {
      const advice = healthAdvice(kind, paper)
      expect(advice.title.length).toBeGreaterThan(5)
      expect(advice.explanation.length).toBeGreaterThan(80)
      expect(advice.tries.length).toBeGreaterThan(0)
    }
  })

  it('offers the resume options that fit the run: label smoothing only when it is off, fewer D steps only when there are several', () => {
    expect(healthAdvice('discriminator-winning', paper).actions).toEqual([
      { label: 'Continue with label smoothing 0.1', change: { labelSmoothing: 0.1 } },
      { label: "Continue at half D's learning rate", change: { lrD: 0.0001 } }
    ])
    const smoothedWithSteps = parseRunConfig({ labelSmoothing: 0.1, dStepsPerG: 3, lrD: 0.0003 })
    expect(healthAdvice('discriminator-winning', smoothedWithSteps).actions).toEqual([
      { label: "Continue at half D's learning rate", change: { lrD: 0.00015 } },
      { label: 'Continue with 2 D steps per G step', change: { dStepsPerG: 2 } }
    ])
    expect(healthAdvice('no-progress', paper).actions).toEqual([{ label: 'Continue at half the learning rates', change: { lrD: 0.0001, lrG: 0.0001 } }])
  })

  it('accepts only changes the config schema takes and that change something', () => {
    expect(acceptsChange(paper, { labelSmoothing: 0.1 })).toBe(true)
    expect(acceptsChange(paper, { labelSmoothing: 0.9 })).toBe(false)
    expect(acceptsChange(paper, { lrD: 2 })).toBe(false)
    expect(acceptsChange(paper, { dStepsPerG: 0 })).toBe(false)
    expect(acceptsChange(paper, { lrD: paper.lrD })).toBe(false)
    expect(acceptsChange(paper, {})).toBe(false)
  })

  it('describes a change and a stretch in words', () => {
    expect(describeChange(paper, { lrD: 0.0001, lrG: 0.0001 })).toBe('Learning rate D 0.0002 → 0.0001, Learning rate G 0.0002 → 0.0001')
    expect(describeChange(paper, { labelSmoothing: 0.1 })).toBe('Label smoothing 0 → 0.1')
    expect(describeStretch({ startIteration: 1200, endIteration: null })).toBe('from iteration 1,200')
    expect(describeStretch({ startIteration: 300, endIteration: 650 })).toBe('iterations 300–650')
    expect(describeStretch({ startIteration: 37, endIteration: 37 })).toBe('at iteration 37')
  })
})
