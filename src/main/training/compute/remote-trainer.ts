// The session's side of a compute channel: a backend started where the channel leads, and a TrainerHandle
// whose every call is a request there. The trainer's counters come back with each reply, so reading them
// costs nothing.
import { totalIterations as iterationsFor, type RunConfig } from '../../../shared/config'
import type { TrainingImages } from '../../data/training-images'
import { BackendUnavailableError } from '../backend/errors'
import { GpuFaultError, type GpuFaultKind } from '../gpu-fault'
import { classCountOf, type GeneratorChoice, type IterationRecord, type TrainerHandle, type TrainerSnapshot } from '../trainer'
import type { ComputeChannel, ComputeFailure, ComputeReply, ComputeRequest, ComputeResult, StartedBackend, TrainerCounters } from './protocol'

/** Starting WebGPU takes a second or two (a device, its first programs); a minute means it hangs. */
const START_TIMEOUT_MS = 60_000

type Pending = { resolve: (reply: { result: ComputeResult; counters: TrainerCounters | null }) => void; reject: (error: Error) => void }

/** Distributes the omitted-`id` type over the union, so each request keeps its own fields. */
type Request = ComputeRequest extends infer R ? (R extends ComputeRequest ? Omit<R, 'id'> : never) : never

export class RemoteCompute {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private lost: ComputeFailure | null = null

  constructor(private readonly channel: ComputeChannel) {
    channel.onMessage((message) => this.receive(message as ComputeReply))
  }

  /**
   * Starts the backend there. A GPU driver that never answers must not hold the run (or the New run form)
   * forever: after `timeoutMs` the backend counts as unavailable, and auto goes on to the next one.
   */
  async startBackend(choice: Extract<ComputeRequest, { type: 'start-backend' }>['choice'], allowSoftware: boolean, timeoutMs = START_TIMEOUT_MS): Promise<StartedBackend> {
    let timer: ReturnType<typeof setTimeout> | undefined
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new BackendUnavailableError(`${choice}: the GPU window did not answer within ${timeoutMs / 1000} s`, 'start-backend timed out', 'start')),
        timeoutMs
      )
    })
    try {
      const { result } = await Promise.race([this.request({ type: 'start-backend', choice, allowSoftware }), late])
      return result as StartedBackend
    } finally {
      clearTimeout(timer)
    }
  }

  /** Hands the images over (a copy goes across once) and builds the trainer there. */
  async createTrainer(config: RunConfig, images: TrainingImages): Promise<TrainerHandle> {
    const { count, size, channels, pixels, labels, classes } = images
    const plain: TrainingImages = { count, size, channels, pixels, labels: labels ?? null, classes: classes ?? null }
    const { counters } = await this.request({ type: 'create-trainer', config, images: plain })
    const counted = counters ?? { iteration: 0, epoch: 0, totalIterations: iterationsFor(config, images.count) }
    return new RemoteTrainer(this, config, images.channels, classCountOf(config, images), counted)
  }

  /** Tells the host to free everything and end, then closes the channel. */
  close(): void {
    if (!this.lost) this.channel.post({ id: this.nextId++, type: 'close' })
    this.fail({ name: 'Error', message: 'the compute channel was closed' })
    this.channel.close()
  }

  async request(request: Request): Promise<{ result: ComputeResult; counters: TrainerCounters | null }> {
    if (this.lost) throw errorOf(this.lost)
    const id = this.nextId++
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      this.channel.post({ ...request, id } as ComputeRequest)
    })
  }

  private receive(reply: ComputeReply): void {
    if ('hostLost' in reply) return this.fail(reply.error)
    const pending = this.pending.get(reply.id)
    if (!pending) return
    this.pending.delete(reply.id)
    if (reply.ok) pending.resolve({ result: reply.result, counters: reply.counters })
    else pending.reject(errorOf(reply.error))
  }

  /** The host is gone: nothing pending may wait forever. */
  private fail(failure: ComputeFailure): void {
    this.lost ??= failure
    for (const pending of this.pending.values()) pending.reject(errorOf(failure))
    this.pending.clear()
  }
}

/** The error the host threw, as the same kind of error here (the session tells GPU faults apart). */
function errorOf(failure: ComputeFailure): Error {
  if (failure.kind) return new GpuFaultError(failure.message, failure.kind as GpuFaultKind)
  if (failure.name === 'BackendUnavailableError') {
    return new BackendUnavailableError(failure.message, failure.detail ?? failure.message, (failure.stage ?? 'other') as BackendUnavailableError['stage'])
  }
  const error = new Error(failure.message)
  error.name = failure.name
  return error
}

class RemoteTrainer implements TrainerHandle {
  iteration: number
  epoch: number
  readonly totalIterations: number

  constructor(
    private readonly remote: RemoteCompute,
    readonly config: RunConfig,
    readonly channels: 1 | 3,
    readonly classCount: number,
    counters: TrainerCounters
  ) {
    this.iteration = counters.iteration
    this.epoch = counters.epoch
    this.totalIterations = counters.totalIterations
  }

  get finished(): boolean {
    return this.iteration >= this.totalIterations
  }

  step(): Promise<IterationRecord> {
    return this.call({ type: 'step' }) as Promise<IterationRecord>
  }

  renderFixedNoise(): Promise<Float32Array> {
    return this.call({ type: 'render-fixed-noise' }) as Promise<Float32Array>
  }

  generate(latents: Float32Array, generator?: GeneratorChoice): Promise<Float32Array> {
    return this.call({ type: 'generate', latents, generator }) as Promise<Float32Array>
  }

  snapshot(): Promise<TrainerSnapshot> {
    return this.call({ type: 'snapshot' }) as Promise<TrainerSnapshot>
  }

  async restore(snapshot: TrainerSnapshot): Promise<void> {
    await this.call({ type: 'restore', snapshot })
  }

  async dispose(): Promise<void> {
    // A host that is gone has nothing left to free.
    await this.call({ type: 'dispose' }).catch(() => undefined)
  }

  private async call(request: Request): Promise<ComputeResult> {
    const { result, counters } = await this.remote.request(request)
    if (counters) {
      this.iteration = counters.iteration
      this.epoch = counters.epoch
    }
    return result
  }
}
