// Where a session trains: here, in its worker thread, on the backend initBackend picks; or, when webgpu is
// chosen and a compute channel leads to where the GPU is (the desktop app's compute window, with Chromium's
// WebGPU), there, with the same trainer module driven over the channel.
import type { BackendChoice, RunConfig } from '../../shared/config'
import type { TrainingImages } from '../data'
import { initBackend, type BackendInfo } from '../training/backend'
import type { ComputeChannel } from '../training/compute/protocol'
import { RemoteCompute } from '../training/compute/remote-trainer'
import { Trainer, type TrainerHandle } from '../training/trainer'

export interface ComputePlace {
  backend: BackendInfo
  createTrainer(config: RunConfig, images: TrainingImages): Promise<TrainerHandle>
  /** Ends the channel, if there is one (the trainer there goes with it). */
  close(): void
}

export async function chooseComputePlace(choice: BackendChoice, channel?: ComputeChannel): Promise<ComputePlace> {
  const remote = channel ? new RemoteCompute(channel) : null
  try {
    const backend = await initBackend(choice, remote ? { webgpu: (allowSoftware) => remote.startBackend('webgpu', allowSoftware) } : {})
    if (backend.elsewhere && remote) {
      return { backend, createTrainer: (config, images) => remote.createTrainer(config, images), close: () => remote.close() }
    }
    remote?.close()
    return { backend, createTrainer: async (config, images) => new Trainer(config, images), close: () => undefined }
  } catch (error) {
    remote?.close()
    throw error
  }
}
