// Entry point of the training worker thread: wires the session to the parent's messages.
import { parentPort, workerData } from 'node:worker_threads'
import type { SessionCommand, SessionStart } from './protocol'
import { releaseBackends } from '../training/backend'
import { portChannel } from './compute-link'
import { CommandInbox } from './inbox'
import { runSession } from './session'

if (!parentPort) throw new Error('training-worker must run in a worker thread')
const port = parentPort
const inbox = new CommandInbox()
port.on('message', (command: SessionCommand) => inbox.push(command))

const start = workerData as SessionStart
const compute = start.computePort ? portChannel(start.computePort) : undefined
runSession(start, { post: (event) => port.postMessage(event), drain: () => inbox.drain(), next: () => inbox.next() }, compute).finally(() => {
  // TF.js, Dawn and sharp may hold handles open; the session is over, so the thread is too.
  releaseBackends()
  port.close()
  process.exit(0)
})
