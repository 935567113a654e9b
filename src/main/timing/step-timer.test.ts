import { afterAll, describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../shared/config'
import { StepTimer, timingKey, TimingSupersededError } from './step-timer'

const tiny = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 4, backend: 'cpu' })
const timer = new StepTimer({ runsTraining: () => 1 })
afterAll(() => timer.close())

describe('timing a training iteration before a run starts', () => {
  it('measures the configured model in a worker thread, on the backend training would use', async () => {
    const measured = await timer.measure(tiny, 1)
    expect(measured.backend).toBe('cpu')
    expect(measured.secondsPerIteration).toBeGreaterThan(0)
    expect(measured.steps).toBe(2)
    expect(measured.runsTraining).toBe(1)
  })

  it('remembers a measurement per model shape: other learning rates or lengths reuse it, another width does not', async () => {
    const same = parseRunConfig({ ...tiny, lrD: 0.001, iterations: 50_000, seed: 5 })
    expect(timingKey(same, 1)).toBe(timingKey(tiny, 1))
    expect(timer.cached(same, 1)).toBe(await timer.measure(same, 1))
    const wider = parseRunConfig({ ...tiny, ngf: 8 })
    expect(timingKey(wider, 1)).not.toBe(timingKey(tiny, 1))
    expect(timingKey(tiny, 3)).not.toBe(timingKey(tiny, 1))
    expect(timer.cached(wider, 1)).toBeUndefined()
  })

  it('measures one config at a time; a newer request replaces one still waiting, and the same shape asked twice is measured once', async () => {
    const a = timer.measure(parseRunConfig({ ...tiny, nz: 9 }), 1)
    const b = timer.measure(parseRunConfig({ ...tiny, nz: 10 }), 1)
    const c = timer.measure(parseRunConfig({ ...tiny, nz: 11 }), 1)
    const cAgain = timer.measure(parseRunConfig({ ...tiny, nz: 11, seed: 3 }), 1)
    expect(cAgain).toBe(c)
    await expect(b).rejects.toBeInstanceOf(TimingSupersededError)
    expect((await a).secondsPerIteration).toBeGreaterThan(0)
    expect((await c).secondsPerIteration).toBeGreaterThan(0)
  })

  it('says why when the config cannot be timed on this machine', async () => {
    const missing = parseRunConfig({ ...tiny, backend: 'tensorflow-gpu' })
    await expect(new StepTimer().measure(missing, 1)).rejects.toThrow(/timing a training step failed: .*tfjs-node-gpu/)
  })
})
