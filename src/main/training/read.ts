// Reading tensors back from the device. Always asynchronous: a GPU backend cannot read synchronously in
// Node at all (TF.js's webgpu readSync needs OffscreenCanvas), and in a browser it stalls the pipeline.
// Where a GPU can fail under us, its watch (gpu-watch.ts) makes every read end, never hang.
import * as tf from '@tensorflow/tfjs'

export interface DeviceGuard {
  /** The TF.js backend whose device it watches: reads on any other backend are none of its business. */
  readonly backend: string
  /** Rejects (with a GpuFaultError) when the device is lost. */
  readonly lost: Promise<never>
  /** Throws a GpuFaultError when the device reported a fault since the last check (out of memory). */
  check(): void
}

let guard: DeviceGuard | null = null

/** Installed by the webgpu backend while it is the active one; null for the CPU backends. */
export function setDeviceGuard(next: DeviceGuard | null): void {
  guard = next
}

export async function readTensor(tensor: tf.Tensor): Promise<Float32Array> {
  const read = tensor.data() as Promise<Float32Array>
  if (!guard || tf.getBackend() !== guard.backend) return read
  const values = await Promise.race([read, guard.lost])
  guard.check()
  return values
}

/** Several tensors in one wait (their downloads overlap). */
export function readTensors(tensors: readonly tf.Tensor[]): Promise<Float32Array[]> {
  return Promise.all(tensors.map(readTensor))
}
