// Runs one request in a fresh timing worker thread and returns its answer; a worker that takes longer than
// the time given is ended, with the message given.
import type { Worker } from 'node:worker_threads'
import { startWorker } from '../workers'
import type { TimingReply, TimingRequest } from './protocol'

export type Answer = Extract<TimingReply, { ok: true }>

export function askTimingWorker(request: TimingRequest, timeoutMs: number, tooLong: string, onStart?: (worker: Worker) => void): Promise<Answer> {
  const worker = startWorker('timing-worker', request)
  onStart?.(worker)
  return new Promise<Answer>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(tooLong))
      void worker.terminate()
    }, timeoutMs)
    worker.once('message', (reply: TimingReply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))))
    worker.once('error', (error) => reject(error))
    worker.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the worker stopped (code ${code}) before answering`))
    })
  })
}
