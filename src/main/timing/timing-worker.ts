// Entry of the step-timing worker thread: times one config's iterations, answers, and exits (its model
// and backend memory go with it).
import { parentPort, workerData } from 'node:worker_threads'
import { measureSteps } from './measure-steps'
import type { TimingReply, TimingRequest } from './protocol'

if (!parentPort) throw new Error('timing-worker must run in a worker thread')
const port = parentPort
const { config, channels, steps } = workerData as TimingRequest

measureSteps(config, channels, steps)
  .then((measurement): TimingReply => ({ ok: true, measurement }))
  .catch((error: unknown): TimingReply => ({ ok: false, error: error instanceof Error ? error.message : String(error) }))
  .then((reply) => {
    port.postMessage(reply)
    port.close()
    // TF.js and its wasm threads may hold handles open: the answer is sent, so the thread is done.
    process.exit(0)
  })
