// Entry of a timing worker thread: answers one request about this machine (how fast a config trains, or
// whether a hardware GPU answers to WebGPU) and exits, its model, backend and GPU device going with it.
import { parentPort, workerData } from 'node:worker_threads'
import { startNodeWebgpu, stopNodeWebgpu } from '../training/backend/webgpu'
import { measureSteps } from './measure-steps'
import type { TimingReply, TimingRequest } from './protocol'

if (!parentPort) throw new Error('timing-worker must run in a worker thread')
const port = parentPort
const request = workerData as TimingRequest

async function answer(): Promise<TimingReply> {
  if (request.type === 'measure') return { ok: true, measurement: await measureSteps(request.config, request.channels, request.steps) }
  try {
    // Software adapters are refused, as auto refuses them: they are slower than the CPU backends.
    const { adapter } = await startNodeWebgpu({ allowSoftware: false })
    return { ok: true, webgpu: { adapter: adapter.name, reason: null } }
  } catch (error) {
    return { ok: true, webgpu: { adapter: null, reason: error instanceof Error ? error.message : String(error) } }
  } finally {
    stopNodeWebgpu()
  }
}

answer()
  .catch((error: unknown): TimingReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
  .then((reply) => {
    port.postMessage(reply)
    port.close()
    // TF.js and its wasm threads may hold handles open: the answer is sent, so the thread is done.
    process.exit(0)
  })
