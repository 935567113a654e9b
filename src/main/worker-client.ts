// Calls into a worker thread: each request gets an id, each reply settles the call with that id. The worker
// starts on the first call, is referenced only while answers are owed (an idle worker never keeps the
// process alive), and a worker that fails or exits fails every call still waiting.
import type { Worker } from 'node:worker_threads'
import { startWorker, type WorkerEntry } from './workers'

/** What every reply carries: the request's id, and an error message when it failed. */
export type WorkerReply = { id: number } & ({ ok: true } | { ok: false; error: string })

/** A request as the caller writes it: the client adds the id. */
export type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never

export class WorkerClient<Request extends { id: number }, Reply extends WorkerReply> {
  private worker: Worker | null = null
  private nextId = 1
  private readonly pending = new Map<number, { resolve(value: Extract<Reply, { ok: true }>): void; reject(error: Error): void }>()

  /**
   * `describe` names the worker in errors ("the image generator"); `failure` turns a failed reply into the
   * error to throw (by default its message).
   */
  constructor(
    private readonly entry: WorkerEntry,
    private readonly data: unknown,
    private readonly describe: string,
    private readonly failure: (reply: Extract<Reply, { ok: false }>) => Error = (reply) => new Error(reply.error)
  ) {}

  call(request: WithoutId<Request>): Promise<Extract<Reply, { ok: true }>> {
    const worker = this.start()
    const id = this.nextId++
    worker.ref()
    return new Promise<Extract<Reply, { ok: true }>>((resolve, reject) => {
      this.pending.set(id, { resolve, reject })
      worker.postMessage({ ...request, id })
    }).finally(() => {
      if (this.pending.size === 0) this.worker?.unref()
    })
  }

  private start(): Worker {
    if (this.worker) return this.worker
    const worker = startWorker(this.entry, this.data)
    worker.on('message', (reply: Reply) => {
      const call = this.pending.get(reply.id)
      if (!call) return
      this.pending.delete(reply.id)
      if (reply.ok) call.resolve(reply as Extract<Reply, { ok: true }>)
      else call.reject(this.failure(reply as Extract<Reply, { ok: false }>))
    })
    const fail = (why: string) => {
      for (const call of this.pending.values()) call.reject(new Error(why))
      this.pending.clear()
      this.worker = null
    }
    worker.on('error', (error) => fail(`${this.describe} failed: ${error.message}`))
    worker.on('exit', (code) => fail(`${this.describe} stopped (code ${code})`))
    this.worker = worker
    return worker
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    if (worker) await worker.terminate()
  }
}
