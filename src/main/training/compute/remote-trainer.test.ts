// The session's end of a compute channel, against hosts that misbehave: one that never answers, one that
// goes away. Nothing may wait forever; the errors are the kinds the session tells apart.
import { describe, expect, it } from 'vitest'
import { BackendUnavailableError } from '../backend/errors'
import { GpuFaultError } from '../gpu-fault'
import type { ComputeChannel } from './protocol'
import { RemoteCompute } from './remote-trainer'

/** A channel whose far end the test plays. */
function channel() {
  const sent: unknown[] = []
  let deliver: (message: unknown) => void = () => undefined
  const ch: ComputeChannel = { post: (m) => void sent.push(m), onMessage: (h) => (deliver = h), close: () => undefined }
  return { ch, sent, reply: (m: unknown) => deliver(m) }
}

describe('RemoteCompute', () => {
  it('gives up on a backend start that never answers, as an unavailable backend (auto then goes on)', async () => {
    const { ch } = channel()
    const failure = await new RemoteCompute(ch).startBackend('webgpu', false, 50).then(() => null, (e: unknown) => e)
    expect(failure).toBeInstanceOf(BackendUnavailableError)
    expect((failure as BackendUnavailableError).message).toBe('webgpu: the GPU window did not answer within 0.05 s')
  })

  it('fails every pending request as a lost GPU when the host goes away, and every later one at once', async () => {
    const { ch, sent, reply } = channel()
    const remote = new RemoteCompute(ch)
    const pending = remote.startBackend('webgpu', true)
    expect(sent).toEqual([{ id: 1, type: 'start-backend', choice: 'webgpu', allowSoftware: true }])
    reply({ id: -1, ok: false, hostLost: true, error: { name: 'GpuFaultError', kind: 'device-lost', message: "the GPU's compute window stopped (its renderer process crashed)" } })
    await expect(pending).rejects.toBeInstanceOf(GpuFaultError)
    await expect(remote.startBackend('webgpu', true)).rejects.toThrow("the GPU's compute window stopped (its renderer process crashed)")
  })

  it("brings a host's errors back as the same kinds (a backend unavailable there)", async () => {
    const { ch, reply } = channel()
    const remote = new RemoteCompute(ch)
    const software = remote.startBackend('webgpu', false)
    reply({ id: 1, ok: false, error: { name: 'BackendUnavailableError', message: 'webgpu: the only GPU adapter is a software one', stage: 'software', detail: 'SwiftShader' } })
    await expect(software).rejects.toMatchObject({ name: 'BackendUnavailableError', stage: 'software', detail: 'SwiftShader' })
    const started = remote.startBackend('webgpu', true)
    reply({ id: 2, ok: true, result: { detail: 'webgpu (x, Vulkan)' }, counters: null })
    expect(await started).toEqual({ detail: 'webgpu (x, Vulkan)' })
  })
})
