// A run on the GPU whose device is lost under it (driver reset, sleep, an unplugged eGPU): the session must
// not hang or lose the run; it pauses at the last checkpoint, says what happened, and resumes on the CPU.
// The session runs in this thread (it is plain code), so the test can take the GPU away at a chosen moment.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { useSoftwareGpu } from '../../../tests/fixtures/software-gpu'
import { parseRunConfig } from '../../shared/config'
import { hasGpuFault, type RunEvent } from '../../shared/runs'
import { createRun, getRun, listCheckpoints, openDatabase, readMetrics, setRunConfig } from '../store'
import { releaseBackends } from '../training/backend'
import { activeGpuDevice } from '../training/backend/webgpu-device'
import { CommandInbox } from './inbox'
import { DEFAULT_SESSION_SETTINGS, type SessionStart } from './protocol'
import { runSession } from './session'

const gpu = useSoftwareGpu()
const dir = mkdtempSync(join(tmpdir(), 'gan-session-gpu-'))
afterAll(() => {
  releaseBackends()
  rmSync(dir, { recursive: true, force: true })
})

const config = parseRunConfig({ imageSize: 32, ngf: 4, ndf: 4, nz: 8, batchSize: 8, fixedNoiseCount: 4, iterations: 14, sampleEvery: 1000, checkpointEvery: 4, swdEvery: 0, seed: 3, backend: 'webgpu' })

/** Runs one session to its end in this thread; `onEvent` may act on each event as it is posted. */
async function session(start: SessionStart, onEvent: (event: RunEvent) => void = () => undefined): Promise<RunEvent[]> {
  const events: RunEvent[] = []
  const inbox = new CommandInbox()
  await runSession(start, {
    post: (event) => {
      events.push(event)
      onEvent(event)
    },
    drain: () => inbox.drain(),
    next: () => inbox.next()
  })
  return events
}

describe.skipIf(gpu.skip)('a run whose GPU is lost', () => {
  it('pauses at its last checkpoint with what happened, and resumes on the CPU', async () => {
    const dbPath = join(dir, 'runs.db')
    const db = openDatabase(dbPath)
    const run = createRun(db, { config, source: 'builtin:mnist', name: 'lost-gpu' })
    const start: SessionStart = { runId: run.id, dbPath, cacheDir: join(dir, 'cache'), settings: { ...DEFAULT_SESSION_SETTINGS, flushRows: 1 } }

    // The GPU goes away right after the checkpoint at iteration 8, in the middle of the run.
    let lost = false
    const first = await session(start, (event) => {
      if (event.type === 'checkpoint' && event.checkpoint.iteration === 8 && !lost) {
        lost = true
        activeGpuDevice()!.destroy()
      }
    })
    expect(lost).toBe(true)
    expect(first.at(-1)).toEqual({ type: 'ended', error: null })
    const paused = getRun(db, run.id)
    expect(paused.status).toBe('paused')
    expect(hasGpuFault(paused)).toBe(true)
    expect(paused.error).toMatch(/^The GPU \(SwiftShader[^)]*\) stopped working: its device was lost \(destroyed: .*\)\. It happened after iteration 8; /)
    expect(paused.error).toMatch(/the run is paused at its last checkpoint \(iteration 8\): resume it on the CPU \(the app's "Resume on the CPU", or gan-studio resume <run> --backend wasm\)/)
    expect(paused.backendDetail).toMatch(/^webgpu \(SwiftShader/)
    expect(listCheckpoints(db, run.id).map((c) => c.iteration)).toEqual([4, 8])

    // "Resume on the CPU": the same run continues from iteration 8 on the wasm engine, and is told where its checkpoint came from.
    setRunConfig(db, run.id, { ...config, backend: 'wasm' })
    const second = await session(start)
    const started = second.find((e) => e.type === 'started')
    expect(started).toMatchObject({ backend: 'wasm', resumedFrom: 8 })
    expect(started?.type === 'started' && started.backendNotes).toContainEqual(expect.stringMatching(/^The checkpoint was written on webgpu, training continues on wasm: the same maths/))
    const done = getRun(db, run.id)
    expect(done.status).toBe('finished')
    expect(done.iteration).toBe(14)
    expect(readMetrics(db, run.id).iteration).toEqual(Array.from({ length: 14 }, (_, i) => i + 1))
    db.close()
  })
})
