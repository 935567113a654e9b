// The terminal's health lines: told once when an alert begins (with the resume command that tries its fix)
// and once when it ends; `show` lists every alert and what the checks cost.
import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import type { HealthAlert } from '../../shared/health'
import { HealthLog, healthReport, resumeCommandLine } from './health'

const run = { name: 'few photos', config: parseRunConfig({}) }
const winning: HealthAlert = { kind: 'discriminator-winning', startIteration: 151, endIteration: null, detail: 'D(x) 0.990 and D(G(z)) 0.022' }

describe('health in the terminal', () => {
  it('tells an alert once when it begins, with what to try and the command that tries it, and once when it ends', () => {
    const log = new HealthLog()
    const began = log.update(run, [winning])
    expect(began[0]).toBe('Health: The discriminator is winning, from iteration 151: D(x) 0.990 and D(G(z)) 0.022')
    expect(began[1]).toMatch(/^ {2}The discriminator tells real from fake almost perfectly/)
    expect(began[2]).toMatch(/^ {2}Try: label smoothing \(real labels 0\.9\)/)
    expect(began[3]).toBe(
      '  To try it: Ctrl-C (the run pauses), then `gan-studio resume "few photos" --label-smoothing 0.1` or `gan-studio resume "few photos" --lr-d 0.0001`'
    )
    expect(log.update(run, [winning])).toEqual([])
    expect(log.update(run, [{ ...winning, endIteration: 600 }])).toEqual(['Health: The discriminator is winning ended (iterations 151–600).'])
    expect(log.update(run, [{ ...winning, endIteration: 600 }])).toEqual([])
  })

  it('leaves a divergence to the closing report, and does not repeat alerts the run had before this session', () => {
    const divergence: HealthAlert = { kind: 'divergence', startIteration: 40, endIteration: 40, detail: 'Loss_D NaN' }
    expect(new HealthLog().update(run, [divergence])).toEqual([])
    expect(new HealthLog([winning]).update(run, [winning])).toEqual([])
  })

  it('writes resume commands with the flags of each setting', () => {
    expect(resumeCommandLine('cats', { lrD: 0.0001, lrG: 0.00005 })).toBe('gan-studio resume cats --lr-d 0.0001 --lr-g 0.00005')
    expect(resumeCommandLine('cats', { dStepsPerG: 1, backend: 'wasm' })).toBe('gan-studio resume cats --d-steps 1 --backend wasm')
  })

  it("lists a run's alerts and the checks' cost for show", () => {
    const summary = { health: [winning], healthSeconds: 0.25, trainSeconds: 100 }
    expect(healthReport(summary)).toEqual([
      'Health: 1 alert; checks took 0.25 s (0.25% of the training time)',
      '  The discriminator is winning, from iteration 151: D(x) 0.990 and D(G(z)) 0.022'
    ])
    expect(healthReport({ health: [], healthSeconds: 0, trainSeconds: 0 })).toEqual(['Health: no problems seen; checks took 0.00 s'])
  })
})
