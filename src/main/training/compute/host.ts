// The trainer's side of a compute channel: starts a backend where it runs, owns one Trainer and answers the
// session's requests, one at a time, in order. Environment-free: it serves a Web Worker in the desktop app's
// compute window and a worker thread in Node alike; the caller brings the backend starter of its place.
import { parseRunConfig } from '../../../shared/config'
import { BackendUnavailableError } from '../backend/errors'
import { isGpuFault } from '../gpu-fault'
import { Trainer } from '../trainer'
import type { ComputeChannel, ComputeFailure, ComputeReply, ComputeRequest, ComputeResult, StartedBackend, TrainerCounters } from './protocol'

export type BackendStarter = (choice: Extract<ComputeRequest, { type: 'start-backend' }>['choice'], allowSoftware: boolean) => Promise<StartedBackend>

/** `onClose`: what ends the host once its session said goodbye (a Web Worker closes itself). */
export function serveTrainer(channel: ComputeChannel, startBackend: BackendStarter, onClose: () => void = () => undefined): void {
  let trainer: Trainer | null = null
  let queue = Promise.resolve()

  const counters = (): TrainerCounters | null =>
    trainer && { iteration: trainer.iteration, epoch: trainer.epoch, totalIterations: trainer.totalIterations }

  const need = (): Trainer => {
    if (!trainer) throw new Error('no trainer: the session must create one first')
    return trainer
  }

  async function handle(request: ComputeRequest): Promise<ComputeResult> {
    switch (request.type) {
      case 'start-backend':
        return startBackend(request.choice, request.allowSoftware)
      case 'create-trainer':
        trainer?.dispose()
        trainer = null
        // Validated again here: this end trusts nothing it did not check itself.
        trainer = new Trainer(parseRunConfig(request.config), request.images)
        return null
      case 'step':
        return need().step()
      case 'render-fixed-noise':
        return need().renderFixedNoise()
      case 'generate':
        return need().generate(request.latents, request.generator)
      case 'snapshot':
        return need().snapshot()
      case 'restore':
        need().restore(request.snapshot)
        return null
      case 'dispose':
      case 'close':
        trainer?.dispose()
        trainer = null
        return null
    }
  }

  channel.onMessage((message) => {
    const request = message as ComputeRequest
    // One at a time: a step never overlaps a snapshot.
    queue = queue.then(async () => {
      let reply: ComputeReply
      try {
        const result = await handle(request)
        reply = { id: request.id, ok: true, result, counters: counters() }
      } catch (error) {
        reply = { id: request.id, ok: false, error: failureOf(error) }
      }
      channel.post(reply, transferables(reply))
      if (request.type === 'close') onClose()
    })
  })
}

function failureOf(error: unknown): ComputeFailure {
  const e = error instanceof Error ? error : new Error(String(error))
  const failure: ComputeFailure = { name: e.name, message: e.message }
  if (error instanceof BackendUnavailableError) Object.assign(failure, { stage: error.stage, detail: error.detail })
  if (isGpuFault(error)) failure.kind = error.kind
  return failure
}

/** Large results move instead of being copied. */
function transferables(reply: ComputeReply): ArrayBuffer[] {
  if (!reply.ok || !(reply.result instanceof Float32Array)) return []
  return reply.result.buffer instanceof ArrayBuffer ? [reply.result.buffer] : []
}
