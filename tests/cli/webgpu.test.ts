// The command line on the GPU (SwiftShader's software adapter here, asked for by name): a run trains on
// webgpu and says on what, pauses on Ctrl-C at a checkpoint, resumes, measures SWD, and exports from the GPU.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { useSoftwareGpu } from '../fixtures/software-gpu'
import { buildCli, runCli, startCli, waitForOutput } from './run-cli'

const gpu = useSoftwareGpu()
let dir: string
beforeAll(() => {
  buildCli()
  dir = mkdtempSync(join(tmpdir(), 'gan-cli-webgpu-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe.skipIf(gpu.skip)('gan-studio on webgpu', () => {
  it('trains, pauses on Ctrl-C, resumes, measures SWD and exports, all on the GPU', async () => {
    const flags = ['--db', join(dir, 'runs.db'), '--cache', join(dir, 'cache')]
    const train = startCli(['train', '--backend', 'webgpu', '--data', 'builtin:mnist', '--size', '32', '--ngf', '4', '--ndf', '4', '--batch', '8',
      '--iterations', '8', '--checkpoint-every', '2', '--swd-every', '4', '--sample-every', '4', '--name', 'gpu-digits', ...flags])
    const exited = new Promise<number | null>((resolve) => train.on('close', resolve))
    const seen = await waitForOutput(train, /iter [3-7]\/8/, 300_000)
    expect(seen).toContain('Backend: webgpu (SwiftShader driver 5.0.0, Vulkan, software adapter: slow)')
    train.kill('SIGINT')
    expect(await exited).toBe(0)

    const resumed = await runCli(['resume', 'gpu-digits', ...flags], { timeoutMs: 300_000 })
    expect(resumed.code, resumed.stderr).toBe(0)
    expect(resumed.stdout).toMatch(/Backend: webgpu \(SwiftShader/)
    expect(resumed.stdout).toMatch(/Run "gpu-digits": finished at iteration 8\/8/)

    const shown = await runCli(['show', 'gpu-digits', ...flags])
    expect(shown.stdout).toMatch(/^Backend: webgpu \(SwiftShader driver 5\.0\.0, Vulkan, software adapter: slow\)$/m)
    expect(shown.stdout).toMatch(/^Quality: SWD \d+\.\d+ at iteration 8 \(x1e3, lower is better; [2-9] measured\)$/m)

    // The same checkpoint exported on the GPU and on the CPU: the same picture (8-bit pixels, at most 1 apart).
    const grids: Record<string, Buffer> = {}
    for (const backend of ['webgpu', 'cpu']) {
      const out = join(dir, `grid-${backend}.png`)
      const exported = await runCli(['export-grid', 'gpu-digits', '--backend', backend, '--out', out, ...flags], { timeoutMs: 300_000 })
      expect(exported.code, exported.stderr).toBe(0)
      expect(existsSync(out)).toBe(true)
      grids[backend] = await sharp(out).raw().toBuffer()
    }
    expect(grids.webgpu.length).toBe(grids.cpu.length)
    let worst = 0
    for (let i = 0; i < grids.cpu.length; i++) worst = Math.max(worst, Math.abs(grids.webgpu[i] - grids.cpu[i]))
    expect(worst).toBeLessThanOrEqual(1)
  }, 900_000)
})
