// Entry of a timing worker thread: answers one request about this machine (how fast a config trains) and
// exits, its model, backend and GPU device going with it.
import { parentPort, workerData } from 'node:worker_threads'
import { releaseBackends } from '../training/backend'
import { measureSteps } from './measure-steps'
import type { TimingReply, TimingRequest } from './protocol'

if (!parentPort) throw new Error('timing-worker must run in a worker thread')
const port = parentPort
const request = workerData as TimingRequest

async function answer(): Promise<TimingReply> {
  try {
    return { ok: true, measurement: await measureSteps(request.config, request.channels, request.steps, request.classes) }
  } finally {
    releaseBackends()
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
