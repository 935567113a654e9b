// A GPU that stopped working under a run: the device was lost (driver reset, sleep, an unplugged eGPU, a
// crash) or ran out of memory. Training cannot go on there; the session pauses the run at its last
// checkpoint and offers the CPU. No Node imports: thrown in the browser's compute worker too.

export type GpuFaultKind = 'device-lost' | 'out-of-memory' | 'gpu-error'

export class GpuFaultError extends Error {
  constructor(
    message: string,
    readonly kind: GpuFaultKind
  ) {
    super(message)
    this.name = 'GpuFaultError'
  }
}

/** Plain data for a message channel, and back. */
export function isGpuFault(error: unknown): error is GpuFaultError {
  return error instanceof GpuFaultError || (typeof error === 'object' && error !== null && (error as Error).name === 'GpuFaultError')
}
