// One training session's trainer, in a Web Worker of the compute window: the same host module as anywhere
// (serveTrainer), on Chromium's WebGPU. The channel is the MessagePort the page hands over.
import * as tf from '@tensorflow/tfjs'
import { BackendUnavailableError } from '../main/training/backend/errors'
import { platformGraphicsApi, startWebgpuOn } from '../main/training/backend/webgpu-device'
import { serveTrainer, type BackendStarter } from '../main/training/compute/host'
import type { ComputeChannel } from '../main/training/compute/protocol'

interface WorkerScope {
  onmessage: ((event: MessageEvent) => void) | null
  close(): void
  navigator: Navigator & { gpu?: GPU; userAgentData?: { platform?: string } }
}
const scope = self as unknown as WorkerScope

const startBackend: BackendStarter = async (choice, allowSoftware) => {
  if (choice === 'webgpu') {
    const gpu = scope.navigator.gpu
    if (!gpu) {
      throw new BackendUnavailableError(
        'webgpu: this Chromium offers no WebGPU (on Linux it needs the enable-unsafe-webgpu switch and a Vulkan driver)',
        'navigator.gpu is undefined in the compute worker',
        'no-adapter'
      )
    }
    const platform = scope.navigator.userAgentData?.platform ?? scope.navigator.platform
    return startWebgpuOn(gpu, { allowSoftware, api: platformGraphicsApi(platform) })
  }
  if (choice === 'cpu' && (await tf.setBackend('cpu'))) return { detail: 'cpu (plain JavaScript, slowest)' }
  throw new BackendUnavailableError(`${choice}: not available in the compute window`, choice, 'other')
}

scope.onmessage = (event: MessageEvent) => {
  const port = event.ports[0]
  if (!port) return
  scope.onmessage = null
  const channel: ComputeChannel = {
    post: (message, transfer) => port.postMessage(message, transfer ?? []),
    onMessage: (handler) => {
      port.onmessage = (e: MessageEvent) => handler(e.data)
    },
    close: () => port.close()
  }
  serveTrainer(channel, startBackend, () => scope.close())
}
