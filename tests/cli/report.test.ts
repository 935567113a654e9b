// The closing report of `train` and `resume`: which endings make the command fail, told once.
import { describe, expect, it } from 'vitest'
import { parseRunConfig } from '../../src/shared/config'
import type { RunSummary } from '../../src/shared/runs'
import { report } from '../../src/main/cli/train'
import { CommandFailed } from '../../src/main/cli/usage'

const DIVERGED =
  'Training diverged at iteration 37 (Loss_D NaN, Loss_G 0.7). Resuming continues from the last checkpoint (iteration 30); a lower learning rate may help.'

function run(status: RunSummary['status'], error: string | null): RunSummary {
  return {
    id: 4, name: 'faces', status, error, config: parseRunConfig({ iterations: 100 }), source: 'builtin:mnist', channels: 1, backend: 'wasm', backendDetail: 'wasm', backendNotes: [], classes: null,
    iteration: 37, epoch: 0, totalIterations: 100, trainSeconds: 12, createdAt: 0, updatedAt: 0, lastMetrics: null, latestGridIteration: null, lastCheckpoint: null, healthSeconds: 0, health: []
  }
}

function lines(summary: RunSummary): { printed: string[]; error: unknown } {
  const printed: string[] = []
  try {
    report(summary, (line) => printed.push(line))
    return { printed, error: null }
  } catch (error) {
    return { printed, error }
  }
}

describe('report', () => {
  it('fails (exit 1) when the run paused because it diverged, with the message and how to resume', () => {
    const { printed, error } = lines(run('paused', DIVERGED))
    expect(error).toBeInstanceOf(CommandFailed)
    expect((error as Error).message).toBe(`${DIVERGED} The run is paused: \`gan-studio resume faces --lr <rate>\` continues it with a lower learning rate.`)
    // The reason is told by the error alone, not also in the printed lines.
    expect(printed.join('\n')).not.toMatch(/diverged/)
    expect(printed).toEqual(['Run "faces": paused at iteration 37/100 in 12s of training.'])
  })

  it('succeeds for a pause asked for (Ctrl-C) and for a finished run', () => {
    expect(lines(run('paused', null)).error).toBeNull()
    expect(lines(run('finished', null)).error).toBeNull()
  })

  it('fails with the error of a failed run', () => {
    const { error } = lines(run('failed', 'No usable images in /x'))
    expect(error).toBeInstanceOf(CommandFailed)
    expect((error as Error).message).toBe('the run failed: No usable images in /x')
  })
})
