// Training through a compute channel: the desktop app's path to the GPU (its compute window runs the trainer
// on Chromium's WebGPU). Electron cannot run here, so Node worker threads stand in for the window: the same
// trainer host module, the same protocol, the same run manager relaying it. Chromium itself runs the host in
// e2e/compute-window.spec.ts.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { nodeComputeHosts } from '../fixtures/node-compute-host'
import { useSoftwareGpu } from '../fixtures/software-gpu'
import type { RunConfigInput } from '../../src/shared/config'
import { hasGpuFault, type RunEvent } from '../../src/shared/runs'
import { readMetrics } from '../../src/main/store'
import { RunManager } from '../../src/main/runs/manager'
import { GanService } from '../../src/main/api/service'

const gpu = useSoftwareGpu()
const dir = mkdtempSync(join(tmpdir(), 'gan-remote-'))
const managers: RunManager[] = []
afterAll(async () => {
  for (const m of managers) await m.close().catch(() => undefined)
  rmSync(dir, { recursive: true, force: true })
})

const tiny: RunConfigInput = { imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, fixedNoiseCount: 4, sampleEvery: 1000, checkpointEvery: 3, swdEvery: 0, seed: 21 }

function manager(name: string, compute?: ReturnType<typeof nodeComputeHosts>): RunManager {
  const m = new RunManager({ dbPath: join(dir, `${name}.db`), cacheDir: join(dir, 'cache'), settings: { flushRows: 1 }, compute })
  managers.push(m)
  return m
}

function until(m: RunManager, runId: number, test: (event: RunEvent) => boolean): Promise<RunEvent> {
  return new Promise((resolve) => {
    const listener = (e: { runId: number; event: RunEvent }) => {
      if (e.runId !== runId || !test(e.event)) return
      m.off('event', listener)
      resolve(e.event)
    }
    m.on('event', listener)
  })
}

async function trainToEnd(m: RunManager, config: RunConfigInput) {
  const run = await m.createRun({ config, source: 'builtin:mnist' })
  const ended = until(m, run.id, (e) => e.type === 'ended')
  m.startRun(run.id)
  await ended
  await m.whenIdle(run.id)
  return m.getRun(run.id)
}

describe.skipIf(gpu.skip)('a run on webgpu through a compute channel (Node workers standing in for the compute window)', () => {
  it('trains there with the figures the cpu backend gives here, and says which GPU', async () => {
    const hosts = nodeComputeHosts()
    const remote = manager('remote', hosts)
    const gpuRun = await trainToEnd(remote, { ...tiny, iterations: 4, backend: 'webgpu' })
    expect(gpuRun.status).toBe('finished')
    expect(gpuRun.backend).toBe('webgpu')
    expect(gpuRun.backendDetail).toMatch(/^webgpu \(SwiftShader.*, Vulkan, software adapter: slow\)$/)
    expect(hosts.workers).toHaveLength(1)

    const local = manager('local')
    const cpuRun = await trainToEnd(local, { ...tiny, iterations: 4, backend: 'cpu' })
    const a = readMetrics(remote.db, gpuRun.id)
    const b = readMetrics(local.db, cpuRun.id)
    for (const key of ['lossD', 'lossG', 'dReal', 'dFakeBefore', 'dFakeAfter'] as const) {
      a[key].slice(0, 3).forEach((v, i) => expect(Math.abs(v - b[key][i]), `${key} at iteration ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[key][i]))))
    }
  })

  it('trains a conditional run there: the labels cross the channel with the images, the figures as on the cpu here', async () => {
    const conditional = { ...tiny, iterations: 2, conditional: true }
    const remote = manager('remote-conditional', nodeComputeHosts())
    const gpuRun = await trainToEnd(remote, { ...conditional, backend: 'webgpu' })
    expect(gpuRun).toMatchObject({ status: 'finished', backend: 'webgpu', classes: { names: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] } })
    const local = manager('local-conditional')
    const cpuRun = await trainToEnd(local, { ...conditional, backend: 'cpu' })
    const a = readMetrics(remote.db, gpuRun.id)
    const b = readMetrics(local.db, cpuRun.id)
    for (const key of ['lossD', 'lossG', 'dReal'] as const) {
      a[key].forEach((v, i) => expect(Math.abs(v - b[key][i]), `${key} at iteration ${i + 1}`).toBeLessThanOrEqual(1e-4 * Math.max(1, Math.abs(b[key][i]))))
    }
  })

  it('lets auto pass over a software adapter there too, and says why', async () => {
    const m = manager('auto', nodeComputeHosts())
    const run = await trainToEnd(m, { ...tiny, iterations: 1, backend: 'auto' })
    expect(run.backend).not.toBe('webgpu')
    expect(run.backendNotes).toContainEqual(expect.stringMatching(/^webgpu: the only GPU adapter is a software one \(SwiftShader/))
  })

  it('pauses the run at its last checkpoint when the compute host goes away, and resumes on the CPU', async () => {
    const hosts = nodeComputeHosts()
    const m = manager('lost', hosts)
    const run = await m.createRun({ config: { ...tiny, iterations: 200, backend: 'webgpu' }, source: 'builtin:mnist' })
    const checkpointed = until(m, run.id, (e) => e.type === 'checkpoint' && e.checkpoint.iteration === 3)
    const ended = until(m, run.id, (e) => e.type === 'ended')
    m.startRun(run.id)
    await checkpointed
    await hosts.workers[0].terminate()
    await ended
    await m.whenIdle(run.id)
    const paused = m.getRun(run.id)
    expect(paused.status).toBe('paused')
    expect(hasGpuFault(paused)).toBe(true)
    expect(paused.error).toMatch(/^The GPU's compute host stopped \(its worker thread exited with code 1\)\. It happened after iteration \d+; the run is paused at its last checkpoint \(iteration \d+\)/)

    const resumed = until(m, run.id, (e) => e.type === 'started')
    await m.resumeWith(run.id, { backend: 'wasm' })
    expect(await resumed).toMatchObject({ backend: 'wasm' })
    m.stopRun(run.id)
    await m.whenIdle(run.id)
  })
})

describe.skipIf(gpu.skip)('what the New run form is told about the backend', () => {
  it('asks the compute window for a GPU when Node has none, and says why auto will not use a software one', async () => {
    const m = manager('report', nodeComputeHosts())
    const service = new GanService({ manager: m, cacheDir: join(dir, 'cache'), dataDir: dir, transport: 'ipc', version: 'test' })
    try {
      const report = await service.describeBackends()
      expect(report.gpu).toBe(false)
      expect(report.auto.name).toBe('wasm')
      expect(report.auto.detail).toMatch(/^wasm \(/)
      // The compute window's answer (a software adapter there), not Dawn's in Node.
      expect(report.notes.filter((n) => n.startsWith('webgpu:'))).toEqual([expect.stringMatching(/^webgpu: the only GPU adapter is a software one \(.*; using wasm$/)])
      // Asked once: the next call is the same answer.
      expect(await service.describeBackends()).toBe(report)
    } finally {
      await service.close()
    }
  })
})
