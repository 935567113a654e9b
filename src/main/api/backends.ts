// Which backend training would use on this machine: what 'auto' picks in Node (the generator worker starts
// it), and in the desktop app whether its compute window has a GPU for webgpu, which auto then prefers.
import type { BackendReport } from '../../shared/api'
import type { GeneratorHost } from '../explore/generator-host'
import type { ComputeConnector } from '../runs/compute-link'
import { BackendUnavailableError } from '../training/backend/errors'
import { RemoteCompute } from '../training/compute/remote-trainer'

export async function describeBackendsHere(generator: GeneratorHost, compute: ComputeConnector | undefined): Promise<BackendReport> {
  const here = await generator.describeBackends()
  // Only CUDA ranks above webgpu; where auto already has a GPU in Node, the compute window adds nothing.
  if (!compute || here.gpu) return here
  const remote = new RemoteCompute(compute.open())
  try {
    const started = await remote.startBackend('webgpu', false)
    return { auto: { name: 'webgpu', detail: started.detail }, notes: here.notes.filter((n) => !n.startsWith('webgpu:')), gpu: true }
  } catch (error) {
    const why = error instanceof BackendUnavailableError ? error.message : `webgpu: ${error instanceof Error ? error.message : String(error)}`
    // Dawn's note from Node is about Node, not this app: the compute window's answer replaces it.
    return { ...here, notes: [...here.notes.filter((n) => !n.startsWith('webgpu:')), `${why}; using ${here.auto.name}`] }
  } finally {
    remote.close()
  }
}
